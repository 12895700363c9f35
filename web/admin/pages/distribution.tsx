// Distribution (分销): the attribution window, distributors, their share links with QR codes, commission rules and
// monthly statements (mark a month's payable commission paid).
import { useState } from 'preact/hooks'
import { shareLinkPath } from '../../../worker/domain/distribution.ts'
import type { EventRecord } from '../../../worker/routes/contracts/admin/events.ts'
import type { ShowRecord } from '../../../worker/routes/contracts/admin/shows.ts'
import type { VisitProductRecord } from '../../../worker/routes/contracts/admin/visit-products.ts'
import type {
  CommissionRuleRecord,
  DistributorRecord,
  LinkRecord,
  StatementRecord,
} from '../../../worker/routes/contracts/distribution.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName } from '../../lib/labels.ts'
import { QrCode } from '../../lib/qr.tsx'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { CommissionRules, commissionValue, useCommissionText, useTargets } from '../distribution-rules.tsx'
import { SelectInput, TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'

type Items<T> = { items: T[] }
const states = ['pending', 'payable', 'paid', 'reversed'] as const

function LinksOf({ distributor }: { distributor: DistributorRecord }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const links = useResource(
    (signal) => api<Items<LinkRecord>>(`${base}/distributors/${distributor.id}/links`, { signal }),
    [base, distributor.id],
  )
  const { linkTargets } = useTargets()
  const [target, setTarget] = useState('')
  const [error, setError] = useState<unknown>(null)
  const chosen = target || linkTargets[0]?.value || ''
  const create = async (event: Event) => {
    event.preventDefault()
    setError(null)
    const [targetKind, ...rest] = chosen.split(':')
    try {
      await api(`${base}/distributors/${distributor.id}/links`, {
        body: { targetKind, targetId: rest.join(':') },
      })
      links.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  const toggle = async (link: LinkRecord) => {
    setError(null)
    try {
      await api(`${base}/distribution-links/${link.id}`, { method: 'PATCH', body: { active: !link.active } })
      links.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <section class="card stack" data-testid="distributor-links">
      <h2>{t('dist_linksOf', { name: distributor.name })}</h2>
      <ProblemAlert error={links.error ?? error} />
      {(links.data?.items ?? []).map((link) => {
        const url = `${location.origin}${shareLinkPath(link)}`
        const name = (locale === 'en' && link.targetNameEn) || link.targetName
        const label = link.targetStartsAt ? `${name} ${formatDateTime(link.targetStartsAt, locale)}` : name
        return (
          <div key={link.id} class="row dist-link" data-testid="share-link">
            <div class="dist-qr">
              <QrCode text={url} label={t('dist_linkQr', { name: label })} />
            </div>
            <div class="stack">
              <strong>{label}</strong>
              <input
                readOnly
                value={url}
                aria-label={t('dist_linkQr', { name: label })}
                data-testid="share-url"
              />
              <span>
                {t('dist_clicks')} {link.clicks}
                {link.active ? '' : ` · ${t('dist_linkIsOff')}`}
              </span>
              <Button onClick={() => toggle(link)}>
                {link.active ? t('dist_linkOff') : t('dist_linkOn')}
              </Button>
            </div>
          </div>
        )
      })}
      <form class="row" onSubmit={create}>
        <SelectInput label={t('dist_newLink')} value={chosen} onChange={setTarget} options={linkTargets} />
        <Button type="submit" variant="primary" disabled={!chosen}>
          {t('dist_create')}
        </Button>
      </form>
    </section>
  )
}

function StatementsOf({ distributor }: { distributor: DistributorRecord }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base, organizer } = useSession()
  const money = (fen: number) => formatMoney(fen, organizer.currency, locale)
  const statements = useResource(
    (signal) => api<Items<StatementRecord>>(`${base}/distributors/${distributor.id}/statements`, { signal }),
    [base, distributor.id],
  )
  const [error, setError] = useState<unknown>(null)
  const pay = async (month: string) => {
    setError(null)
    try {
      await api(`${base}/distributors/${distributor.id}/statements/${month}/payouts`, {
        method: 'POST',
        body: {},
      })
      statements.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <section class="card stack">
      <h2>{t('dist_statements', { name: distributor.name })}</h2>
      <ProblemAlert error={statements.error ?? error} />
      {statements.data && (
        <DataTable
          caption={t('dist_statements', { name: distributor.name })}
          rows={statements.data.items}
          rowKey={(s) => s.month}
          columns={[
            { header: t('dist_month'), cell: (s) => s.month },
            { header: t('dist_orders'), cell: (s) => s.orders.length, numeric: true },
            ...states.map((state) => ({
              header: t(`dist_state_${state}`),
              cell: (s: StatementRecord) => money(s[state]),
              numeric: true,
            })),
            { header: t('dist_earned'), cell: (s) => money(s.earned), numeric: true },
            {
              header: '',
              cell: (s) =>
                s.payable > 0 ? (
                  <Button onClick={() => pay(s.month)}>
                    {t('dist_markPaid', { amount: money(s.payable) })}
                  </Button>
                ) : (
                  s.payouts.map((p) => t('dist_paidOut', { amount: money(p.amount) })).join(' · ')
                ),
            },
          ]}
        />
      )}
    </section>
  )
}

export function DistributionPage() {
  const t = adminMessages.useT()
  const { base } = useSession()
  const text = useCommissionText()
  const list = useResource(
    (signal) => api<Items<DistributorRecord>>(`${base}/distributors`, { signal }),
    [base],
  )
  const settings = useResource(
    (signal) => api<{ attributionDays: number }>(`${base}/distribution-settings`, { signal }),
    [base],
  )
  const [days, setDays] = useState<string | null>(null)
  const [selected, setSelected] = useState<string | null>(null)
  const [form, setForm] = useState({
    name: '',
    kind: 'kol',
    contact: '',
    commissionKind: 'percent',
    value: '10',
  })
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const run = async (work: () => Promise<unknown>) => {
    setError(null)
    setSaved(false)
    try {
      await work()
      return true
    } catch (failure) {
      setError(failure)
      return false
    }
  }
  const saveDays = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      await api(`${base}/distribution-settings`, { method: 'PUT', body: { attributionDays: Number(days) } })
      settings.reload()
      setSaved(true)
    })
  }
  const create = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      await api(`${base}/distributors`, {
        body: {
          name: form.name,
          kind: form.kind,
          contact: form.contact,
          commissionKind: form.commissionKind,
          commissionValue: commissionValue(form.commissionKind, form.value),
        },
      })
      setForm({ ...form, name: '', contact: '' })
      list.reload()
    })
  }
  const setStatus = (d: DistributorRecord, status: string) =>
    void run(async () => {
      await api(`${base}/distributors/${d.id}`, { method: 'PATCH', body: { status } })
      list.reload()
    })
  const distributors = list.data?.items ?? []
  const current = distributors.find((d) => d.id === selected)
  return (
    <section class="stack">
      <h1>{t('navDistribution')}</h1>
      <ProblemAlert error={list.error ?? error} />
      {saved && <p role="status">{t('dist_saved')}</p>}
      <form class="card row" onSubmit={saveDays}>
        <TextInput
          label={t('dist_attributionDays')}
          type="number"
          min="1"
          inputMode="numeric"
          value={days ?? String(settings.data?.attributionDays ?? '')}
          onInput={setDays}
          name="attribution-days"
        />
        <Button type="submit">{t('dist_save')}</Button>
      </form>
      {list.data ? (
        <DataTable
          caption={t('dist_distributors')}
          rows={distributors}
          rowKey={(d) => d.id}
          columns={[
            { header: t('dist_name'), cell: (d) => d.name },
            { header: t('dist_kind'), cell: (d) => t(`dist_kind_${d.kind}`) },
            { header: t('dist_contact'), cell: (d) => d.contact },
            { header: t('dist_commission'), cell: (d) => text(d.commissionKind, d.commissionValue) },
            {
              header: t('dist_status'),
              cell: (d) => (
                <select
                  aria-label={`${t('dist_status')} ${d.name}`}
                  value={d.status}
                  onChange={(e) => setStatus(d, (e.target as HTMLSelectElement).value)}
                >
                  <option value="active">{t('dist_status_active')}</option>
                  <option value="disabled">{t('dist_status_disabled')}</option>
                </select>
              ),
            },
            {
              header: '',
              cell: (d) => (
                <Button onClick={() => setSelected(d.id)} aria-label={`${t('dist_manage')} ${d.name}`}>
                  {t('dist_manage')}
                </Button>
              ),
            },
          ]}
        />
      ) : (
        !list.error && <Loading />
      )}
      {current && <LinksOf key={`l${current.id}`} distributor={current} />}
      {current && <StatementsOf key={`s${current.id}`} distributor={current} />}
      <form class="card stack" onSubmit={create}>
        <h2>{t('dist_newDistributor')}</h2>
        <TextInput
          label={t('dist_name')}
          value={form.name}
          onInput={(name) => setForm({ ...form, name })}
          required
        />
        <SelectInput
          label={t('dist_kind')}
          value={form.kind}
          onChange={(kind) => setForm({ ...form, kind })}
          options={(['kol', 'agency', 'staff'] as const).map((k) => ({
            value: k,
            label: t(`dist_kind_${k}`),
          }))}
        />
        <TextInput
          label={t('dist_contact')}
          hint={t('dist_contactHint')}
          value={form.contact}
          onInput={(contact) => setForm({ ...form, contact })}
          required
        />
        <SelectInput
          label={t('dist_commissionKind')}
          value={form.commissionKind}
          onChange={(commissionKind) => setForm({ ...form, commissionKind })}
          options={[
            { value: 'percent', label: t('dist_ck_percent') },
            { value: 'fixed', label: t('dist_ck_fixed') },
          ]}
        />
        <TextInput
          label={form.commissionKind === 'percent' ? t('dist_percentValue') : t('dist_fixedValue')}
          type="number"
          step="0.01"
          min="0"
          inputMode="decimal"
          value={form.value}
          onInput={(value) => setForm({ ...form, value })}
          required
        />
        <Button type="submit" variant="primary">
          {t('dist_create')}
        </Button>
      </form>
      {list.data && <CommissionRules distributors={distributors} />}
    </section>
  )
}
