// Funnel report (issue 23) from the rollups: page views → seat-map / day opens → holds → orders → paid, with
// the conversion of each step from the one before, overall and per traffic source and device class.
// A show's view is its page (show_view) and its open the seat map (seat_map_open); a scenic site's day page
// (day_view) is both its view and its open, as picking the day is what the visitor came to that page for.
// OTA channels' holds, orders and payments are left out unless asked for by `channel`: their buyers never saw the
// organizer's pages, so they would only inflate the later steps.
import { and, eq } from 'drizzle-orm'
import type { Database } from '../../../db/client.ts'
import { salesChannels } from '../../../db/schema.ts'
import { dailyTable, rowsOf, trafficTable } from './cubes.ts'
import { d1Of, type ReportFilter } from './filters.ts'

export const funnelSteps = ['view', 'open', 'hold', 'order', 'paid'] as const
export type FunnelStep = (typeof funnelSteps)[number]
type Counts = Record<FunnelStep, number>

const kinds = ['show_view', 'day_view', 'seat_map_open', 'hold', 'order', 'paid'] as const

/** Rounded to four decimals; null when the step before had nobody. */
const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null)

export function conversionOf(c: Counts) {
  return {
    open: rate(c.open, c.view),
    hold: rate(c.hold, c.open),
    order: rate(c.order, c.hold),
    paid: rate(c.paid, c.order),
    overall: rate(c.paid, c.view),
  }
}

const empty = (): Counts => ({ view: 0, open: 0, hold: 0, order: 0, paid: 0 })

function add(c: Counts, kind: string, events: number, orders: number) {
  if (kind === 'show_view' || kind === 'day_view') c.view += events
  if (kind === 'seat_map_open' || kind === 'day_view') c.open += events
  if (kind === 'hold') c.hold += events
  // An order's paid event is split in parts (per product or category); only its first part counts the order.
  if (kind === 'order') c.order += orders
  if (kind === 'paid') c.paid += orders
}

export async function funnelReport(
  db: Database,
  filter: Omit<ReportFilter, 'productId' | 'category'>,
  only: { source?: string | undefined; device?: string | undefined },
) {
  const extra: { sql: string; values: unknown[] }[] = []
  if (only.source !== undefined) extra.push({ sql: 'source = ?', values: [only.source] })
  if (only.device !== undefined) extra.push({ sql: 'device = ?', values: [only.device] })
  if (filter.channel === undefined) {
    const partners = await db
      .select({ code: salesChannels.code })
      .from(salesChannels)
      .where(and(eq(salesChannels.organizerId, filter.organizerId), eq(salesChannels.kind, 'ota')))
    if (partners.length)
      extra.push({
        sql: `channel NOT IN (${partners.map(() => '?').join(', ')})`,
        values: partners.map((p) => p.code),
      })
  }
  // The organizer-wide funnel reads the traffic rollup (no event, show or site: small, with months); narrowed to
  // an event, show or site it reads the daily rollup, whose rows for one show are few.
  const scoped = filter.eventId !== undefined || filter.showId !== undefined || filter.siteId !== undefined
  const rows = rowsOf(scoped ? dailyTable : trafficTable, filter, {
    kinds,
    columns: ['source', 'device', 'kind', 'events', 'orders'],
    extra,
  })
  const { results } = await d1Of(db)
    .prepare(
      `${rows.cte} SELECT source, device, kind, sum(events) AS events, sum(orders) AS orders FROM rows
       GROUP BY source, device, kind`,
    )
    .bind(...rows.values)
    .all<{ source: string; device: string; kind: string; events: number; orders: number }>()
  const total = empty()
  const bySource = new Map<string, Counts>()
  const byDevice = new Map<string, Counts>()
  for (const r of results) {
    const events = Number(r.events)
    const orders = Number(r.orders)
    add(total, r.kind, events, orders)
    if (!bySource.has(r.source)) bySource.set(r.source, empty())
    add(bySource.get(r.source)!, r.kind, events, orders)
    if (!byDevice.has(r.device)) byDevice.set(r.device, empty())
    add(byDevice.get(r.device)!, r.kind, events, orders)
  }
  const ranked = (m: Map<string, Counts>) =>
    [...m]
      .sort(([a, x], [b, y]) => y.view - x.view || y.paid - x.paid || a.localeCompare(b))
      .map(([key, steps]) => ({ key, steps, conversion: conversionOf(steps) }))
  return {
    steps: total,
    conversion: conversionOf(total),
    bySource: ranked(bySource),
    byDevice: ranked(byDevice),
  }
}
