// Kiosks: enrollment codes (shown once, with a link to open on the kiosk), the enrolled kiosks with their last
// heartbeat (status, printer, paper, last sale, errors) and the open alerts (silent, paper low); revoke.
import { useState } from 'preact/hooks'
import type { ScenicSiteRecord } from '../../../worker/routes/contracts/admin/scenic-sites.ts'
import type { KioskStatus } from '../../../worker/routes/contracts/kiosk.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName } from '../../lib/labels.ts'
import { QrCode } from '../../lib/qr.tsx'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { SelectInput, TextInput } from '../form.tsx'
import { kioskMessages } from '../kiosk-messages.ts'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'

export function KiosksPage() {
  const t = kioskMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const kiosks = useResource(
    (signal) => api<PageOf<KioskStatus>>(`${base}/kiosks`, { signal, query: { limit: 100 } }),
    [base],
  )
  const sites = useResource(
    (signal) => api<PageOf<ScenicSiteRecord>>(`${base}/scenic-sites`, { signal, query: { limit: 200 } }),
    [base],
  )
  const [kioskName, setKioskName] = useState('')
  const [site, setSite] = useState('')
  const [code, setCode] = useState<{ code: string; expiresAt: string; kioskName: string } | null>(null)
  const [error, setError] = useState<unknown>(null)
  const chosen = site || sites.data?.items[0]?.id || ''
  const when = (iso: string | null) => (iso ? formatDateTime(iso, locale) : '—')

  const create = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      setCode(await api(`${base}/kiosk-enrollments`, { body: { kioskName, siteId: chosen } }))
      setKioskName('')
    } catch (failure) {
      setError(failure)
    }
  }
  const revoke = async (kiosk: KioskStatus) => {
    if (!confirm(t('revokeConfirm', { name: kiosk.name }))) return
    setError(null)
    try {
      await api(`${base}/kiosks/${kiosk.id}`, { method: 'DELETE' })
      kiosks.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  const alerts = (kiosks.data?.items ?? []).flatMap((k) => k.openAlerts.map((a) => ({ kiosk: k, alert: a })))
  const link = code ? `${location.origin}/kiosk?enroll=${code.code}` : ''
  return (
    <section class="stack">
      <h1>{t('heading')}</h1>
      <p class="muted">{t('intro')}</p>
      <h2>{t('alerts')}</h2>
      {kiosks.data ? (
        alerts.length ? (
          <ul class="stack" data-testid="kiosk-alerts">
            {alerts.map(({ kiosk, alert }) => (
              <li key={alert.id} class="alert alert-error">
                {alert.kind === 'paper_low'
                  ? t('alert_paper_low', { name: kiosk.name, level: String(alert.detail.paperLevel ?? '—') })
                  : alert.detail.lastHeartbeatAt
                    ? t('alert_silent', {
                        name: kiosk.name,
                        when: when(String(alert.detail.lastHeartbeatAt)),
                      })
                    : t('alert_silent_never', { name: kiosk.name })}{' '}
                <span class="muted">{t('openedAt', { when: when(alert.openedAt) })}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('noAlerts')}</p>
        )
      ) : null}
      {code && (
        <div class="alert alert-info" role="status" data-testid="secret-once">
          <strong>{t('codeFor', { name: code.kioskName })}</strong>
          <div class="enrollment-qr">
            <QrCode text={link} label={t('codeQr', { code: code.code })} testId="kiosk-enrollment-qr" />
            <p>
              <code class="enrollment-code">{code.code}</code>
              <br />
              <code>{link}</code>
            </p>
          </div>
          <p>{t('codeHint', { when: when(code.expiresAt) })}</p>
          <Button onClick={() => setCode(null)}>{t('done')}</Button>
        </div>
      )}
      <form class="card stack" onSubmit={create}>
        <h2>{t('newCode')}</h2>
        <TextInput
          label={t('kioskName')}
          value={kioskName}
          onInput={setKioskName}
          required
          name="kiosk-name"
        />
        <SelectInput
          label={t('site')}
          value={chosen}
          onChange={setSite}
          options={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: localName(s, locale) }))}
        />
        <ProblemAlert error={error} />
        <Button type="submit" variant="primary" disabled={!chosen}>
          {t('createCode')}
        </Button>
      </form>
      <h2>{t('kiosks')}</h2>
      {kiosks.error ? <ProblemAlert error={kiosks.error} onRetry={kiosks.reload} /> : null}
      {kiosks.data ? (
        <DataTable
          caption={t('kiosks')}
          rows={kiosks.data.items}
          rowKey={(k) => k.id}
          columns={[
            { header: t('name'), cell: (k) => k.name },
            {
              header: t('status'),
              cell: (k) => <span data-status={k.status}>{t(`status_${k.status}`)}</span>,
            },
            { header: t('lastHeartbeat'), cell: (k) => when(k.lastHeartbeatAt) },
            { header: t('app'), cell: (k) => k.appVersion ?? '—' },
            { header: t('printer'), cell: (k) => (k.printerState ? t(`printer_${k.printerState}`) : '—') },
            { header: t('paper'), cell: (k) => (k.paperLevel === null ? '—' : `${k.paperLevel}%`) },
            { header: t('lastSale'), cell: (k) => when(k.lastSaleAt) },
            { header: t('salesToday'), cell: (k) => String(k.salesToday) },
            {
              header: t('errors'),
              cell: (k) => (k.errors?.length ? k.errors.map((e) => e.code).join(', ') : '—'),
            },
            {
              header: t('actions'),
              cell: (k) =>
                k.revokedAt ? (
                  t('revoked')
                ) : (
                  <Button variant="danger" aria-label={`${t('revoke')} ${k.name}`} onClick={() => revoke(k)}>
                    {t('revoke')}
                  </Button>
                ),
            },
          ]}
        />
      ) : (
        !kiosks.error && <Loading />
      )}
    </section>
  )
}
