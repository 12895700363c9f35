// The gate's sync card: online or not, scans waiting to upload, the last sync, what the gate knows (revocations,
// tickets findable by ID number), and conflicts the server reported.
import { formatDateTime } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Button } from '../../lib/ui.tsx'
import type { DeviceState } from '../device-state.ts'
import type { GateDeviceRuntime } from '../gate-device.ts'
import { messages } from '../messages.ts'

export function SyncPanel({ runtime, state }: { runtime: GateDeviceRuntime; state: DeviceState }) {
  const t = messages.useT()
  const locale = useLocale()
  const { sync } = state
  const lastSyncAt = sync.lastSyncAt ?? state.enrolled?.lastSyncAt
  const timeZone = state.enrolled?.profile.timezone ?? 'Asia/Shanghai'
  return (
    <section aria-labelledby="sync-heading" class="gate-card sync">
      <h2 id="sync-heading">{t('syncHeading')}</h2>
      <p data-testid="sync-status" data-online={String(sync.online)}>
        <span class={`dot ${sync.online ? 'dot-on' : 'dot-off'}`} aria-hidden="true" />
        {sync.syncing ? t('syncing') : sync.online ? t('online') : t('offline')}
      </p>
      <p data-testid="pending" data-count={sync.pending}>
        {t('pending', { count: sync.pending })}
      </p>
      <p data-testid="last-sync">
        {lastSyncAt
          ? t('lastSync', { time: formatDateTime(lastSyncAt, locale, timeZone) })
          : t('neverSynced')}
      </p>
      <p data-testid="revocations" data-count={state.revokedCount}>
        {t('revocations', { count: state.revokedCount })}
      </p>
      {state.enrolled?.idIndex && (
        <p data-testid="id-tickets" data-count={state.idTicketsCount}>
          {t('idTickets', { count: state.idTicketsCount })}
        </p>
      )}
      {sync.unenrolled && (
        <p class="alert alert-error" role="alert">
          {t('unenrolled')}
        </p>
      )}
      {sync.lastError && !sync.unenrolled && <p class="muted">{t('syncError', { error: sync.lastError })}</p>}
      <Button onClick={() => void runtime.sync()} disabled={sync.syncing}>
        {t('syncNow')}
      </Button>
      {sync.conflicts.length > 0 && (
        <div class="conflicts" data-testid="conflicts" data-count={sync.conflicts.length}>
          <h3>{t('conflictsHeading')}</h3>
          <ul>
            {sync.conflicts.map((conflict) => (
              <li key={conflict.nonce} data-ticket={conflict.ticketId ?? ''}>
                {t('conflict', {
                  ticket: conflict.ticketId ?? '?',
                  time: formatDateTime(conflict.scannedAt, locale, timeZone),
                })}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}
