import { useEffect, useState } from 'preact/hooks'
import type { EventRecord } from '../../../worker/routes/contracts/admin/events.ts'
import type { ShowCancellationQuote } from '../../../worker/routes/contracts/admin/orders.ts'
import type { SalesChannelRecord } from '../../../worker/routes/contracts/admin/sales-channels.ts'
import type {
  SeatAllocationsResult,
  SeatBlocksResult,
  ShowCancellation,
  ShowInventory,
  ShowRecord,
} from '../../../worker/routes/contracts/admin/shows.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { sectionTitle, withSectionNames } from '../../lib/labels.ts'
import { Link } from '../../lib/router.tsx'
import { seatMapPart } from '../../lib/seat-map-answer.ts'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { ConfirmMoneyDialog, type MoneyConfirmation } from '../confirm.tsx'
import { SelectInput, TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { SeatMap } from '../seat-map.tsx'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'
import { WaitingRoomPanel } from '../waiting-room.tsx'
import { AttendeeSection } from './attendees.tsx'
import { ShowForm } from './events.tsx'

export function ShowPage({ id }: { id: string }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const showPath = `${base}/shows/${encodeURIComponent(id)}`
  const show = useResource((signal) => api<ShowRecord>(showPath, { signal }), [showPath])
  const inventory = useResource(
    (signal) => api<ShowInventory>(`${showPath}/inventory`, { signal }),
    [showPath],
  )
  // The live map is public only while the event is published; drafts show a hint instead. A big house (5,000 seats
  // or more) is drawn a section at a time: the organizer picks the section, its seats alone are loaded.
  const [section, setSection] = useState<string | null>(null)
  const map = useResource((signal) => seatMapPart(id, section, signal), [id, section])
  const channels = useResource(
    (signal) =>
      api<PageOf<SalesChannelRecord>>(`${base}/sales-channels`, {
        signal,
        query: { limit: 200 },
      }),
    [base],
  )
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [channel, setChannel] = useState('')
  const [reason, setReason] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const [confirmation, setConfirmation] = useState<MoneyConfirmation | null>(null)
  const eventId = show.data?.eventId
  const eventRecord = useResource(
    (signal) =>
      eventId
        ? api<EventRecord>(`${base}/events/${encodeURIComponent(eventId)}`, { signal })
        : new Promise<never>(() => {}),
    [base, eventId],
  )
  const when = show.data ? formatDateTime(show.data.startsAt, locale) : ''
  const title = eventRecord.data
    ? t('showTitle', { name: eventRecord.data.name, when })
    : t('showOn', { when })
  useEffect(() => {
    if (show.data) document.title = `${title} · ${t('title')}`
  })

  const act = async (run: () => Promise<string>) => {
    setError(null)
    setNotice('')
    try {
      setNotice(await run())
      inventory.reload()
      map.reload()
      show.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  const block = (blocked: boolean) =>
    act(async () => {
      const result = await api<SeatBlocksResult>(`${showPath}/seat-blocks`, {
        body: { seatIds: [...selected], blocked },
      })
      return t('blockResult', { changed: result.changed.length, skipped: result.skipped.length })
    })
  const allocate = () =>
    act(async () => {
      const result = await api<SeatAllocationsResult>(`${showPath}/seat-allocations`, {
        method: 'PUT',
        body: { seatIds: [...selected], channel: channel || null },
      })
      return t('allocated', { n: result.allocated })
    })
  // Cancelling refunds every paid order: the quote is shown and confirmed before anything is sent.
  const cancel = async (event: Event) => {
    event.preventDefault()
    setError(null)
    setNotice('')
    try {
      const quote = await api<ShowCancellationQuote>(`${showPath}/cancel-quote`)
      const money = formatMoney(quote.amount, quote.currency, locale)
      setConfirmation({
        title: t('confirmCancelTitle', { name: title }),
        amountLabel: t('confirmCancelAmount'),
        amount: money,
        details: [
          t('confirmCancelOrders', { orders: quote.orders, tickets: quote.tickets }),
          t('confirmCancelSales'),
          ...(quote.openGroupBuys ? [t('confirmCancelGroups', { n: quote.openGroupBuys })] : []),
        ],
        confirmLabel: t('confirmCancelButton', { amount: money }),
        run: () =>
          act(async () => {
            const result = await api<ShowCancellation>(`${showPath}/cancel`, { body: { reason } })
            return t('cancelled', { n: result.refundedOrders })
          }),
      })
    } catch (failure) {
      setError(failure)
    }
  }

  if (show.error) return <ProblemAlert error={show.error} onRetry={show.reload} />
  if (!show.data) return <Loading />
  return (
    <section class="stack">
      <p>
        <Link href={`/admin/events/${show.data.eventId}`}>← {eventRecord.data?.name ?? t('event')}</Link>
      </p>
      <h1>{title}</h1>
      <p class="row">
        <span class="badge">{t(`status_${show.data.status}` as never)}</span>
        <Link href={`/admin/shows/${encodeURIComponent(id)}/pricing`}>{t('pricing_link')}</Link>
        <Link href={`/admin/shows/${encodeURIComponent(id)}/presale`}>{t('presale_link')}</Link>
      </p>
      {notice && (
        <p class="alert alert-info" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      <ProblemAlert error={error} />
      <section class="card stack" aria-labelledby="inventory-heading">
        <h2 id="inventory-heading">{t('inventory')}</h2>
        {inventory.error ? <ProblemAlert error={inventory.error} onRetry={inventory.reload} /> : null}
        {inventory.data && (
          <>
            <dl class="figures">
              {Object.entries(inventory.data.seats).map(([state, n]) => (
                <div key={state}>
                  <dt>{t(`seatState_${state}` as never)}</dt>
                  <dd>{n}</dd>
                </div>
              ))}
              <div>
                <dt>{t('activeHolds')}</dt>
                <dd>{inventory.data.activeHolds}</dd>
              </div>
            </dl>
            <DataTable
              caption={t('availability')}
              rows={inventory.data.categories}
              rowKey={(c) => c.code}
              columns={[
                { header: t('category'), cell: (c) => c.name },
                { header: t('free'), cell: (c) => c.available, numeric: true },
                { header: t('capacity'), cell: (c) => c.total, numeric: true },
              ]}
            />
          </>
        )}
      </section>
      <section class="card stack" aria-labelledby="controls-heading">
        <h2 id="controls-heading">{t('seatControls')}</h2>
        {map.error ? (
          <p class="muted">{t('liveMapUnavailable')}</p>
        ) : map.data ? (
          <>
            {map.data.areas && (
              <SelectInput
                label={t('seatMapSection')}
                value={map.data.section ?? ''}
                onChange={(key) => {
                  setSelected(new Set())
                  setSection(key)
                }}
                options={map.data.areas.map((area) => ({
                  value: area.key,
                  label: t('seatMapSectionOption', {
                    name: sectionTitle(
                      withSectionNames({ section: area.key, row: '' }, map.data!.sections),
                      locale,
                    ),
                    free: Object.values(area.free).reduce((sum, n) => sum + n, 0),
                    seats: area.seats,
                  }),
                }))}
              />
            )}
            <SeatMap
              seats={map.data.seats}
              categories={map.data.categories}
              stage={map.data.stage}
              selected={selected}
              onSelect={setSelected}
              title={t('inventory')}
              sections={map.data.sections}
            />
            <div class="seat-edit">
              <Button disabled={selected.size === 0} onClick={() => block(true)}>
                {t('blockSeats')}
              </Button>
              <Button disabled={selected.size === 0} onClick={() => block(false)}>
                {t('unblockSeats')}
              </Button>
              <SelectInput
                label={t('channel')}
                value={channel}
                onChange={setChannel}
                options={[
                  { value: '', label: t('allChannels') },
                  ...(channels.data?.items ?? []).map((c) => ({ value: c.code, label: c.name })),
                ]}
              />
              <Button disabled={selected.size === 0} onClick={allocate}>
                {t('allocate')}
              </Button>
            </div>
          </>
        ) : (
          <Loading />
        )}
      </section>
      {show.data.status === 'scheduled' && <WaitingRoomPanel settingsPath={`${showPath}/waiting-room`} />}
      <AttendeeSection showPath={showPath} />
      {show.data.status === 'scheduled' && (
        <ShowForm
          key={show.data.id}
          eventId={show.data.eventId}
          initial={show.data}
          onSaved={() => show.reload()}
        />
      )}
      {show.data.status === 'scheduled' && (
        <form class="card stack danger-zone" onSubmit={cancel}>
          <h2>{t('cancelShow')}</h2>
          <p class="muted small">{t('cancelHint')}</p>
          <TextInput label={t('reason')} value={reason} onInput={setReason} required />
          <Button type="submit" variant="danger">
            {t('reviewCancelShow')}
          </Button>
        </form>
      )}
      <ConfirmMoneyDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
    </section>
  )
}
