// Gates: one-time enrollment codes for scanning devices (shown once), enrolled devices (revoke), redemptions
// (核销) and tickets admitted twice while gates were offline.
import { useState } from 'preact/hooks'
import type { EventRecord } from '../../../worker/routes/contracts/admin/events.ts'
import type {
  GateConflict,
  GateDeviceRecord,
  RedemptionRecord,
} from '../../../worker/routes/contracts/admin/gates.ts'
import type { ScenicSiteRecord } from '../../../worker/routes/contracts/admin/scenic-sites.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName } from '../../lib/labels.ts'
import { QrCode } from '../../lib/qr.tsx'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { chinaDay, SelectInput, TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'

export function GatesPage() {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const devices = useResource(
    (signal) => api<PageOf<GateDeviceRecord>>(`${base}/gate-devices`, { signal, query: { limit: 100 } }),
    [base],
  )
  const redemptions = useResource(
    (signal) => api<PageOf<RedemptionRecord>>(`${base}/redemptions`, { signal, query: { limit: 50 } }),
    [base],
  )
  const conflicts = useResource(
    (signal) => api<PageOf<GateConflict>>(`${base}/gate-conflicts`, { signal, query: { limit: 50 } }),
    [base],
  )
  const events = useResource(
    (signal) => api<PageOf<EventRecord>>(`${base}/events`, { signal, query: { limit: 200 } }),
    [base],
  )
  const sites = useResource(
    (signal) => api<PageOf<ScenicSiteRecord>>(`${base}/scenic-sites`, { signal, query: { limit: 200 } }),
    [base],
  )
  const [gateName, setGateName] = useState('')
  const [direction, setDirection] = useState('entry')
  const [scope, setScope] = useState('')
  const [fromDate, setFromDate] = useState(chinaDay(0))
  const [toDate, setToDate] = useState(chinaDay(6))
  const [code, setCode] = useState<{ code: string; expiresAt: string; gateName: string } | null>(null)
  const [error, setError] = useState<unknown>(null)
  const scopes = [
    ...(events.data?.items ?? []).map((e) => ({ value: `event:${e.id}`, label: `${t('event')}: ${e.name}` })),
    ...(sites.data?.items ?? []).map((s) => ({
      value: `site:${s.id}`,
      label: `${t('site')}: ${localName(s, locale)}`,
    })),
  ]
  const chosen = scope || scopes[0]?.value || ''
  // A device's scope as the organizer named it; while the names load, only its kind, and the id (as code) only for a
  // record the loaded lists lack.
  const scopeName = (kind: string, id: string) => {
    const list = kind === 'event' ? events.data : sites.data
    const name = list?.items.find((record) => record.id === id)?.name
    const label = t(kind === 'event' ? 'event' : 'site')
    if (name) return `${label}: ${name}`
    return list ? (
      <>
        {label}: <code>{id}</code>
      </>
    ) : (
      label
    )
  }
  const create = async (event: Event) => {
    event.preventDefault()
    setError(null)
    const [kind, id] = chosen.split(':')
    try {
      setCode(
        await api(`${base}/gate-enrollments`, {
          body: {
            gateName,
            direction,
            ...(kind === 'event' ? { eventId: id } : { siteId: id, fromDate, toDate }),
          },
        }),
      )
      setGateName('')
    } catch (failure) {
      setError(failure)
    }
  }
  const revoke = async (device: GateDeviceRecord) => {
    if (!confirm(t('revokeConfirm', { name: device.gateName }))) return
    setError(null)
    try {
      await api(`${base}/gate-devices/${device.id}`, { method: 'DELETE' })
      devices.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <section class="stack">
      <h1>{t('navGates')}</h1>
      {code && (
        <div class="alert alert-info" role="status" data-testid="secret-once">
          <strong>{t('enrollmentCodeFor', { name: code.gateName })}</strong>
          <div class="enrollment-qr">
            <QrCode text={code.code} label={t('enrollmentQr', { code: code.code })} testId="enrollment-qr" />
            <p>
              <span class="muted">{t('enrollmentTypeOrScan')}</span>
              <br />
              <code class="enrollment-code">{code.code}</code>
            </p>
          </div>
          <p>{t('enrollmentCodeHint', { when: formatDateTime(code.expiresAt, locale) })}</p>
          <Button onClick={() => setCode(null)}>{t('secretStored')}</Button>
        </div>
      )}
      <form class="card stack" onSubmit={create}>
        <h2>{t('newEnrollment')}</h2>
        <TextInput label={t('gateName')} value={gateName} onInput={setGateName} required name="gate-name" />
        <SelectInput
          label={t('direction')}
          value={direction}
          onChange={setDirection}
          options={['entry', 'exit'].map((d) => ({ value: d, label: t(`direction_${d}` as never) }))}
        />
        <SelectInput label={t('scope')} value={chosen} onChange={setScope} options={scopes} />
        {chosen.startsWith('site:') && (
          <>
            <TextInput label={t('from')} type="date" value={fromDate} onInput={setFromDate} required />
            <TextInput label={t('to')} type="date" value={toDate} onInput={setToDate} required />
          </>
        )}
        <ProblemAlert error={error} />
        <Button type="submit" variant="primary" disabled={!chosen}>
          {t('createCode')}
        </Button>
      </form>
      <h2>{t('devices')}</h2>
      {devices.error ? <ProblemAlert error={devices.error} onRetry={devices.reload} /> : null}
      {devices.data ? (
        <DataTable
          caption={t('devices')}
          rows={devices.data.items}
          rowKey={(d) => d.id}
          columns={[
            { header: t('gateName'), cell: (d) => d.gateName },
            { header: t('direction'), cell: (d) => t(`direction_${d.direction}` as never) },
            { header: t('scope'), cell: (d) => scopeName(d.scopeKind, d.scopeId) },
            {
              header: t('lastSync'),
              cell: (d) => (d.lastSyncAt ? formatDateTime(d.lastSyncAt, locale) : '—'),
            },
            {
              header: t('status'),
              cell: (d) =>
                d.revokedAt ? (
                  t('revoked')
                ) : (
                  <Button
                    variant="danger"
                    aria-label={`${t('revoke')} ${d.gateName}`}
                    onClick={() => revoke(d)}
                  >
                    {t('revoke')}
                  </Button>
                ),
            },
          ]}
        />
      ) : (
        !devices.error && <Loading />
      )}
      <h2>{t('redemptions')}</h2>
      {redemptions.data ? (
        <DataTable
          caption={t('redemptions')}
          rows={redemptions.data.items}
          rowKey={(r) => r.id}
          columns={[
            { header: t('ticket'), cell: (r) => <code>{r.ticketId}</code> },
            { header: t('gateName'), cell: (r) => r.gateName },
            { header: t('mode'), cell: (r) => r.mode },
            { header: t('redeemedAt'), cell: (r) => formatDateTime(r.redeemedAt, locale) },
          ]}
        />
      ) : (
        <ProblemAlert error={redemptions.error} />
      )}
      <h2>{t('conflicts')}</h2>
      {conflicts.data ? (
        <DataTable
          caption={t('conflicts')}
          rows={conflicts.data.items}
          rowKey={(c) => c.id}
          columns={[
            { header: t('ticket'), cell: (c) => <code>{c.ticketId}</code> },
            {
              header: t('conflictKind'),
              cell: (c) =>
                c.kind === 'revoked_admitted' && c.revokedAt
                  ? `${t(c.kind)} (${formatDateTime(c.revokedAt, locale)})`
                  : t(c.kind),
            },
            {
              header: t('firstAdmission'),
              cell: (c) =>
                c.first && c.kind === 'second_admission'
                  ? `${c.first.gateName} ${formatDateTime(c.first.redeemedAt, locale)}`
                  : '—',
            },
            {
              header: t('secondScan'),
              cell: (c) => `${c.gateName} ${formatDateTime(c.scannedAt, locale)}`,
            },
          ]}
        />
      ) : (
        <ProblemAlert error={conflicts.error} />
      )}
    </section>
  )
}
