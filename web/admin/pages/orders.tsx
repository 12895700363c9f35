import { useState } from 'preact/hooks'
import type { EventRecord } from '../../../worker/routes/contracts/admin/events.ts'
import type { StaffOrderRow } from '../../../worker/routes/contracts/admin/orders.ts'
import type { ShowRecord } from '../../../worker/routes/contracts/admin/shows.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime, formatDay, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName } from '../../lib/labels.ts'
import { Link, navigate, useLocation } from '../../lib/router.tsx'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { useChannelNames } from '../channels.ts'
import { SelectInput, TextInput } from '../form.tsx'
import { orderStatusLabel } from '../labels.ts'
import { adminMessages } from '../messages.ts'
import { detectOrderSearch } from '../order-search.ts'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'

const searchKinds = ['number', 'phone', 'idTail', 'email'] as const
const filterKeys = ['eventId', 'showId', 'status', 'from', 'to'] as const
const statuses = [
  'pending',
  'paid',
  'partially_refunded',
  'refunded',
  'cancelled',
  'expired',
  'deposit_paid',
  'forfeited',
]

export function OrdersPage() {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const { query } = useLocation()
  const typedKind = searchKinds.find((k) => query.has(k))
  const [text, setText] = useState(typedKind ? (query.get(typedKind) ?? '') : '')
  const [filters, setFilters] = useState<Record<string, string>>(() =>
    Object.fromEntries(filterKeys.map((k) => [k, query.get(k) ?? ''])),
  )
  const search = Object.fromEntries(
    [...searchKinds, ...filterKeys].filter((k) => query.get(k)).map((k) => [k, query.get(k)!]),
  )
  const key = JSON.stringify(search)
  const list = useResource(
    (signal) => api<PageOf<StaffOrderRow>>(`${base}/orders`, { signal, query: { ...search, limit: 50 } }),
    [base, key],
  )
  const events = useResource(
    (signal) => api<PageOf<EventRecord>>(`${base}/events`, { signal, query: { limit: 200 } }),
    [base],
  )
  const shows = useResource(
    (signal) =>
      filters.eventId
        ? api<PageOf<ShowRecord>>(`${base}/shows`, {
            signal,
            query: { eventId: filters.eventId, limit: 200 },
          })
        : Promise.resolve({ items: [], nextCursor: null }),
    [base, filters.eventId],
  )
  const channelName = useChannelNames()
  const detected = detectOrderSearch(text)
  const setFilter = (name: string) => (value: string) =>
    setFilters((f) => ({ ...f, [name]: value, ...(name === 'eventId' ? { showId: '' } : {}) }))
  const submit = (event: Event) => {
    event.preventDefault()
    const params = new URLSearchParams()
    if (detected) params.set(detected.kind, detected.value)
    for (const k of filterKeys) if (filters[k]) params.set(k, filters[k]!)
    const qs = params.toString()
    navigate(qs ? `/admin/orders?${qs}` : '/admin/orders')
  }
  const money = (o: StaffOrderRow) => formatMoney(o.total, o.currency, locale)
  return (
    <section class="stack">
      <h1>{t('navOrders')}</h1>
      <form class="card order-filters" onSubmit={submit}>
        <TextInput
          label={t('orderSearchLabel')}
          value={text}
          onInput={setText}
          name="order-search"
          hint={
            <span data-testid="search-kind">
              {detected ? t('searchingBy', { what: t(`search_${detected.kind}`) }) : t('orderSearchHint')}
            </span>
          }
        />
        <SelectInput
          label={t('event')}
          name="filter-event"
          value={filters.eventId ?? ''}
          onChange={setFilter('eventId')}
          options={[
            { value: '', label: t('allEvents') },
            ...(events.data?.items ?? []).map((e) => ({ value: e.id, label: e.name })),
          ]}
        />
        <SelectInput
          label={t('show')}
          name="filter-show"
          value={filters.showId ?? ''}
          onChange={setFilter('showId')}
          options={[
            { value: '', label: t('allShows') },
            ...(shows.data?.items ?? []).map((s) => ({
              value: s.id,
              label: formatDateTime(s.startsAt, locale),
            })),
          ]}
        />
        <SelectInput
          label={t('status')}
          name="filter-status"
          value={filters.status ?? ''}
          onChange={setFilter('status')}
          options={[
            { value: '', label: t('allStatuses') },
            ...statuses.map((s) => ({ value: s, label: orderStatusLabel(t, s) })),
          ]}
        />
        <TextInput
          label={t('from')}
          type="date"
          name="filter-from"
          value={filters.from ?? ''}
          onInput={setFilter('from')}
        />
        <TextInput
          label={t('to')}
          type="date"
          name="filter-to"
          value={filters.to ?? ''}
          onInput={setFilter('to')}
        />
        <Button type="submit" variant="primary">
          {t('search')}
        </Button>
      </form>
      {list.error ? <ProblemAlert error={list.error} onRetry={list.reload} /> : null}
      {list.data ? (
        <DataTable
          caption={t('navOrders')}
          rows={list.data.items}
          rowKey={(o) => o.id}
          columns={[
            { header: t('orderNumber'), cell: (o) => <Link href={`/admin/orders/${o.id}`}>{o.number}</Link> },
            {
              header: t('eventAndShow'),
              cell: (o) =>
                o.kind === 'show' ? (
                  <>
                    {o.eventName ?? '—'}
                    <br />
                    <small class="muted">
                      {o.showStartsAt ? formatDateTime(o.showStartsAt, locale) : ''}
                    </small>
                  </>
                ) : (
                  <>
                    {o.siteName ? localName({ name: o.siteName, nameEn: o.siteNameEn }, locale) : '—'}
                    <br />
                    <small class="muted">{o.visitDate ? formatDay(o.visitDate, locale) : ''}</small>
                  </>
                ),
            },
            {
              header: t('buyer'),
              cell: (o) => (
                <>
                  {o.phone && <span class="nowrap">{o.phone}</span>}
                  {o.phone && o.email && <br />}
                  {o.email && <small>{o.email}</small>}
                  {!o.phone && !o.email && '—'}
                </>
              ),
            },
            { header: t('tickets'), cell: (o) => o.tickets, numeric: true },
            { header: t('status'), cell: (o) => <span class="badge">{orderStatusLabel(t, o.status)}</span> },
            { header: t('channel'), cell: (o) => channelName(o.channel) },
            { header: t('total'), cell: money, numeric: true },
            { header: t('created'), cell: (o) => formatDateTime(o.createdAt, locale) },
          ]}
        />
      ) : (
        !list.error && <Loading />
      )}
    </section>
  )
}
