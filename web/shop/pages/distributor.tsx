// The distributor's own page (分销): their share links with clicks, orders through them, commission by state
// and monthly statements with a CSV export. A distributor is a customer account the organizer linked by contact.

import { useState } from 'preact/hooks'
import { shareLinkPath } from '../../../worker/domain/distribution.ts'
import type {
  DistributorPage as DistributorPageData,
  StatementRecord,
} from '../../../worker/routes/contracts/distribution.ts'
import { ApiError, api } from '../../lib/api.ts'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Button, Field, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { distributionMessages } from '../distribution-messages.ts'

const states = ['pending', 'payable', 'paid', 'reversed'] as const
const yuan = (fen: number) => (fen / 100).toFixed(2)

async function exportStatement(
  name: string,
  s: StatementRecord,
  t: ReturnType<typeof distributionMessages.useT>,
) {
  // papaparse (already the console's CSV writer) loads only when a statement is exported.
  const { default: Papa } = await import('papaparse')
  const rows = [
    [t('dist_order'), t('dist_paidAt'), t('dist_sales'), t('dist_commission'), t('dist_state')],
    ...s.orders.map((o) => [
      o.number,
      o.paidAt ?? '',
      yuan(o.sales),
      yuan(o.commission),
      t(`dist_state_${o.state}`),
    ]),
    [],
    ...states.map((state) => [t(`dist_state_${state}`), '', '', yuan(s[state]), '']),
    [t('dist_earned'), '', '', yuan(s.earned), ''],
  ]
  const text = `\uFEFF${Papa.unparse(rows, { newline: '\r\n' })}`
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = `${name}-${s.month}.csv`
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

function DistributorSection({ page }: { page: DistributorPageData }) {
  const t = distributionMessages.useT()
  const locale = useLocale()
  const money = (fen: number) => formatMoney(fen, 'CNY', locale)
  return (
    <section class="card stack" data-testid="distributor">
      <h2>{page.distributor.name}</h2>
      {page.distributor.status === 'disabled' && <p class="alert alert-info">{t('dist_disabled')}</p>}
      <p>{t('dist_ordersCount', { count: page.orders })}</p>
      <dl class="dist-totals" data-testid="commission-totals">
        {states.map((state) => (
          <div key={state}>
            <dt>{t(`dist_state_${state}`)}</dt>
            <dd data-testid={`commission-${state}`}>{money(page.totals[state])}</dd>
          </div>
        ))}
      </dl>
      <h3>{t('dist_links')}</h3>
      <ul class="stack">
        {page.links.map((link) => {
          const url = `${location.origin}${shareLinkPath(link)}`
          const name = (locale === 'en' && link.targetNameEn) || link.targetName
          return (
            <li key={link.id} class="stack">
              <span>
                {name}
                {link.targetStartsAt ? ` · ${formatDateTime(link.targetStartsAt, locale)}` : ''} ·{' '}
                {t('dist_clicks')} {link.clicks}
              </span>
              <input readOnly value={url} aria-label={`${t('dist_link')} ${name}`} />
              <Button onClick={() => void navigator.clipboard?.writeText(url)}>{t('dist_copy')}</Button>
            </li>
          )
        })}
      </ul>
      <h3>{t('dist_statements')}</h3>
      {page.statements.map((s) => (
        <div key={s.month} class="stack" data-testid={`statement-${s.month}`}>
          <h4>
            {t('dist_statementOf', { month: s.month })} · {t('dist_earned')} {money(s.earned)}
          </h4>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dist_order')}</th>
                <th scope="col">{t('dist_sales')}</th>
                <th scope="col">{t('dist_commission')}</th>
                <th scope="col">{t('dist_state')}</th>
              </tr>
            </thead>
            <tbody>
              {s.orders.map((o) => (
                <tr key={o.orderId} data-testid="statement-order">
                  <td>{o.number}</td>
                  <td>{money(o.sales)}</td>
                  <td>{money(o.commission)}</td>
                  <td>{t(`dist_state_${o.state}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Button onClick={() => void exportStatement(page.distributor.name, s, t)}>
            {t('dist_exportCsv')}
          </Button>
        </div>
      ))}
    </section>
  )
}

/** A one-time code to the contact the organizer registered, then the code (the shop's customer sign-in). */
function DistributorSignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const t = distributionMessages.useT()
  const [contact, setContact] = useState('')
  const [code, setCode] = useState('')
  const [sentTo, setSentTo] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const submit = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      if (sentTo) {
        await api('/api/customer/auth/verify', { body: { contact: sentTo, code: code.trim() } })
        onSignedIn()
      } else {
        await api('/api/customer/auth/code', { body: { contact: contact.trim() } })
        setSentTo(contact.trim())
      }
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <form class="card stack" onSubmit={submit} data-testid="distributor-sign-in">
      <h2>{t('dist_signInTitle')}</h2>
      <p>{t('dist_signIn')}</p>
      <Field label={t('dist_contactLabel')}>
        {({ id }) => (
          <input
            id={id}
            value={contact}
            required
            autoComplete="username"
            readOnly={!!sentTo}
            onInput={(e) => setContact((e.target as HTMLInputElement).value)}
          />
        )}
      </Field>
      {sentTo && (
        <Field label={t('dist_codeLabel')}>
          {({ id }) => (
            <input
              id={id}
              value={code}
              required
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              onInput={(e) => setCode((e.target as HTMLInputElement).value)}
            />
          )}
        </Field>
      )}
      <ProblemAlert error={error} />
      <Button type="submit" variant="primary">
        {sentTo ? t('dist_signInGo') : t('dist_sendCode')}
      </Button>
    </form>
  )
}

export function DistributorPage() {
  const t = distributionMessages.useT()
  const pages = useResource(
    (signal) => api<{ items: DistributorPageData[] }>('/api/distribution/me', { signal }),
    [],
  )
  const signedOut = pages.error instanceof ApiError && pages.error.code === 'unauthorized'
  return (
    <section class="stack">
      <h1>{t('dist_title')}</h1>
      {signedOut ? (
        <>
          <DistributorSignIn onSignedIn={pages.reload} />
        </>
      ) : (
        <ProblemAlert error={pages.error} />
      )}
      {pages.data ? (
        pages.data.items.length === 0 ? (
          <p class="muted">{t('dist_none')}</p>
        ) : (
          pages.data.items.map((page) => <DistributorSection key={page.distributor.id} page={page} />)
        )
      ) : (
        !pages.error && <Loading />
      )}
    </section>
  )
}
