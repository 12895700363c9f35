// The one writer of the analytics tables. Every write is one D1 batch (one transaction): insert the raw events
// (ignoring ids already stored), derive what paid events add (buyer new/returning, cohort months, visitor origins),
// add the events not yet rolled up to the daily rollups, and mark them rolled. A redelivered batch inserts nothing,
// so nothing is pending and nothing is counted twice; rows never stay unrolled between batches. Several events'
// records in one write add what writing each event's in turn would (the outbox publisher writes a run's paid
// orders so): the statements are set-based over the pending rows, and where an earlier event decides a later one
// (a buyer's first order) the earlier is the one inserted first (lower rowid).
import type { Database } from '../../db/client.ts'
import { localDayOf } from '../../domain/analytics-events.ts'
import { visitorOriginOf } from '../../domain/visitor-origin.ts'
import { correctedKinds, foldLateVisitors, reattributeLatePaid } from './late-capture.ts'
import type { AnalyticsRecord } from './messages.ts'
import {
  cohortCounts,
  pendingToReportRollups,
  pendingToReportRollupsOf,
  visitorMonthly,
} from './report-rollups.ts'

const d1Of = (db: Database) => (db as Database & { $client: D1Database }).$client

const rawColumns = [
  'id',
  'organizer_id',
  'kind',
  'occurred_at',
  'day',
  'event_id',
  'show_id',
  'site_id',
  'product_id',
  'category',
  'channel',
  'source',
  'referrer_host',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'ref',
  'device',
  'order_id',
  'hold_id',
  'buyer_key',
  'orders',
  'tickets',
  'amount',
]
/**
 * The whole batch's raw events in one statement: a JSON array of rows (one array per event, in `rawColumns` order)
 * read with json_each, instead of one statement per event — the consumer shares its thread with the holds, and
 * every statement in a D1 batch costs CPU of its own. Each row is turned into JSONB once (a materialized CTE):
 * `->>` on a row's JSON text parses the whole row again for each of its 24 columns, which made this insert most of
 * the consumer's SQL time (~2.5x the per-row cost measured with SQLite 3.51).
 */
const insertRaw = `WITH batch AS MATERIALIZED (SELECT key, jsonb(value) AS r FROM json_each(?))
  INSERT INTO analytics_events (${rawColumns.join(', ')})
  SELECT ${rawColumns.map((_, i) => `r ->> ${i}`).join(', ')} FROM batch WHERE true ORDER BY key
  ON CONFLICT (id) DO NOTHING`

const rawValues = (r: AnalyticsRecord) => [
  r.id,
  r.organizerId,
  r.kind,
  r.occurredAt,
  r.day,
  r.eventId ?? '',
  r.showId ?? '',
  r.siteId ?? '',
  r.productId ?? '',
  r.category ?? '',
  r.channel ?? '',
  r.source,
  r.traffic?.referrerHost ?? null,
  r.traffic?.utmSource ?? null,
  r.traffic?.utmMedium ?? null,
  r.traffic?.utmCampaign ?? null,
  r.traffic?.ref ?? null,
  r.device,
  r.orderId ?? null,
  r.holdId ?? null,
  r.buyerKey ?? null,
  r.orders ?? 0,
  r.tickets ?? 0,
  r.amount ?? 0,
]

/**
 * Staged only when the event carrying it was new in this batch (a redelivered hold stages nothing again); the
 * batch's visitors as one JSON array of [event id, hold id, position, province, city, age band].
 */
const stageVisitors = `INSERT INTO analytics_pending_visitors (hold_id, position, province, city, age_band)
  SELECT value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?)
  WHERE EXISTS (SELECT 1 FROM analytics_events WHERE id = value ->> 0 AND rolled = 0)
  ON CONFLICT DO NOTHING`

/** D1 caps a bound string at 2 MB (and a statement at 100 kB): rows go in chunks well under it. */
const CHUNK_CHARS = 500_000
function jsonChunks(rows: unknown[][]): string[] {
  const chunks: string[] = []
  let current: string[] = []
  let size = 0
  for (const row of rows) {
    const json = JSON.stringify(row)
    if (size + json.length > CHUNK_CHARS && current.length) {
      chunks.push(`[${current.join(',')}]`)
      current = []
      size = 0
    }
    current.push(json)
    size += json.length + 1
  }
  if (current.length) chunks.push(`[${current.join(',')}]`)
  return chunks
}

/**
 * A buyer returns when an earlier order of theirs is stored, or is pending in this batch ahead of this one (two
 * orders of a new buyer in one batch: the first is new, the second returning, as in two batches); the buyer's
 * first order is then the first inserted. An order has one paid event (`evt_<order>_confirmed`).
 */
const paidStatements = [
  `UPDATE analytics_events SET buyer_type = CASE WHEN EXISTS (
     SELECT 1 FROM analytics_buyers b WHERE b.organizer_id = analytics_events.organizer_id
       AND b.buyer_key = analytics_events.buyer_key AND b.first_order_id <> analytics_events.order_id)
     OR EXISTS (
     SELECT 1 FROM analytics_events p WHERE p.rolled = 0 AND p.kind = 'paid' AND p.orders = 1
       AND p.organizer_id = analytics_events.organizer_id AND p.buyer_key = analytics_events.buyer_key
       AND p.order_id <> analytics_events.order_id AND p.rowid < analytics_events.rowid)
     THEN 'returning' ELSE 'new' END
   WHERE rolled = 0 AND kind = 'paid' AND buyer_key IS NOT NULL`,
  `INSERT INTO analytics_buyers (organizer_id, buyer_key, first_order_id, first_day, cohort_month)
   SELECT organizer_id, buyer_key, order_id, day, substr(day, 1, 7) FROM analytics_events
   WHERE rolled = 0 AND kind = 'paid' AND orders = 1 AND buyer_key IS NOT NULL
   ORDER BY rowid
   ON CONFLICT DO NOTHING`,
  cohortCounts,
  `INSERT INTO analytics_buyer_months (organizer_id, buyer_key, month, cohort_month)
   SELECT e.organizer_id, e.buyer_key, substr(e.day, 1, 7), b.cohort_month
   FROM analytics_events e JOIN analytics_buyers b ON b.organizer_id = e.organizer_id AND b.buyer_key = e.buyer_key
   WHERE e.rolled = 0 AND e.kind = 'paid' AND e.orders = 1
   ON CONFLICT DO NOTHING`,
  `INSERT INTO analytics_visitor_daily (organizer_id, day, event_id, show_id, site_id, province, city, age_band, visitors)
   SELECT e.organizer_id, e.day, e.event_id, e.show_id, e.site_id, v.province, v.city, v.age_band, count(*)
   FROM analytics_events e JOIN analytics_pending_visitors v ON v.hold_id = e.hold_id
   WHERE e.rolled = 0 AND e.kind = 'paid' AND e.orders = 1
   GROUP BY e.organizer_id, e.day, e.event_id, e.show_id, e.site_id, v.province, v.city, v.age_band
   ON CONFLICT (organizer_id, day, event_id, show_id, site_id, province, city, age_band)
   DO UPDATE SET visitors = visitors + excluded.visitors`,
  visitorMonthly,
  `DELETE FROM analytics_pending_visitors WHERE hold_id IN (
     SELECT hold_id FROM analytics_events WHERE rolled = 0 AND kind = 'paid' AND hold_id IS NOT NULL)`,
]

const rollupKey =
  'organizer_id, day, kind, event_id, show_id, site_id, product_id, category, channel, source, device, buyer_type'
const rollUp = `INSERT INTO analytics_daily (${rollupKey}, events, orders, tickets, amount)
  SELECT ${rollupKey}, sum(events), sum(orders), sum(tickets), sum(amount)
  FROM analytics_events WHERE rolled = 0 GROUP BY ${rollupKey}
  ON CONFLICT (${rollupKey}) DO UPDATE SET events = events + excluded.events, orders = orders + excluded.orders,
    tickets = tickets + excluded.tickets, amount = amount + excluded.amount`
const markRolled = 'UPDATE analytics_events SET rolled = 1 WHERE rolled = 0'
/** The rollup step alone (daily rollup, per-report rollups, mark rolled), in order (the reports bench times it over generated raw rows). */
export const rollupStatements = [rollUp, ...pendingToReportRollups, markRolled] as const

/** Stores events and adds them to the rollups, at most once per event id. */
export async function recordAnalyticsEvents(db: Database, records: AnalyticsRecord[]): Promise<void> {
  if (records.length === 0) return
  const d1 = d1Of(db)
  await d1.batch(analyticsEventWrites(records).map((s) => d1.prepare(s.sql).bind(...s.params)))
}

/**
 * The statements `recordAnalyticsEvents` runs as its one batch, for a caller that writes them in a batch of its
 * own (the outbox publisher, several events' writes at once): they must run together and in this order.
 */
export function analyticsEventWrites(records: AnalyticsRecord[]): { sql: string; params: unknown[] }[] {
  if (records.length === 0) return []
  const statements: { sql: string; params: unknown[] }[] = []
  const plain = (sqls: readonly string[]) => {
    for (const sql of sqls) statements.push({ sql, params: [] })
  }
  for (const json of jsonChunks(records.map(rawValues))) statements.push({ sql: insertRaw, params: [json] })
  const visitors = records.flatMap((r) =>
    r.holdId
      ? (r.visitors ?? []).map((v) => [
          r.id,
          r.holdId,
          v.position,
          v.origin.province,
          v.origin.city,
          v.origin.ageBand,
        ])
      : [],
  )
  for (const json of jsonChunks(visitors)) statements.push({ sql: stageVisitors, params: [json] })
  // The kinds this batch can leave pending: its own, and those of the corrections a late order capture inserts.
  const kinds = new Set<string>(records.map((r) => r.kind))
  if (kinds.has('order')) {
    plain(reattributeLatePaid)
    for (const kind of correctedKinds) kinds.add(kind)
  }
  if (records.some((r) => r.kind === 'paid')) plain(paidStatements)
  if (records.some((r) => r.holdId && r.visitors?.length)) plain(foldLateVisitors)
  plain([rollUp, ...pendingToReportRollupsOf(kinds), markRolled])
  return statements
}

/**
 * Stages the derived origins (never the numbers) of a hold's real-name visitors, for holds that reach an order
 * without a route capture (partner reservations, booked through the partner API): the hold's paid event folds them
 * into the visitor rollups. Staged before the order exists, so always before its paid event; a repeat stages nothing.
 */
export async function stageVisitorOrigins(
  db: Database,
  holdId: string,
  idNumbers: (string | null | undefined)[],
  now = new Date(),
): Promise<void> {
  // As the shop's capture derives them (middleware/analytics-capture.ts visitorsOf): ages on today's date in China.
  const today = localDayOf(now, 'Asia/Shanghai')
  const visitors = idNumbers.flatMap((id, position) =>
    id ? [{ position, origin: visitorOriginOf(id, today) }] : [],
  )
  if (visitors.length === 0) return
  const d1 = d1Of(db)
  await d1.batch(
    visitors.map((v) =>
      d1
        .prepare(
          `INSERT INTO analytics_pending_visitors (hold_id, position, province, city, age_band)
           VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .bind(holdId, v.position, v.origin.province, v.origin.city, v.origin.ageBand),
    ),
  )
}

/** Cron: staged visitors of holds never paid within two days are dropped. */
export async function sweepPendingVisitors(db: Database, now = new Date()): Promise<void> {
  const before = new Date(now.getTime() - 2 * 86_400_000).toISOString()
  await d1Of(db).prepare('DELETE FROM analytics_pending_visitors WHERE created_at < ?').bind(before).run()
}
