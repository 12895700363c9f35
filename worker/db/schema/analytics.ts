// Analytics (issue 23), written only by worker/services/analytics/: raw captured events, their daily rollups,
// visitor aggregates and buyer cohorts. Reports read the rollups, never the raw rows. No table here holds an ID
// number, a hash of one, a name, a phone or an email (see worker/services/analytics/README.md).
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { dim, measures, saleDimensions, trafficDimensions, visitorColumns } from './analytics-columns.ts'
import { createdAt } from './columns.ts'

/** One captured event; `rolled` turns 1 in the same D1 batch that inserts it and adds it to the rollups. */
export const analyticsEvents = sqliteTable(
  'analytics_events',
  {
    /** Deterministic for server events (e.g. `paid:<outbox event id>:<part>`), random for beacons: redelivery is a no-op. */
    id: text().primaryKey(),
    /** The organizer the event is about; '' for platform-wide pages (the shop's listing). */
    organizerId: dim(),
    kind: text().notNull(),
    occurredAt: text().notNull(),
    /** Calendar day of `occurredAt` in the organizer's time zone (organizers.timezone). */
    day: text().notNull(),
    ...saleDimensions(),
    /** The rollup's source key (worker/domain/analytics-events.ts sourceKeyOf). */
    source: text().notNull().default('direct'),
    referrerHost: text(),
    utmSource: text(),
    utmMedium: text(),
    utmCampaign: text(),
    ref: text(),
    device: text().notNull().default('unknown'),
    orderId: text(),
    holdId: text(),
    /** Customer id or anonymous buyer id of a paid order (never an ID number). */
    buyerKey: text(),
    /** Paid events: `new` (the buyer's first paid order with this organizer) or `returning`. */
    buyerType: dim(),
    /** 1 on the first part of an order's paid/refund event (parts split an order by product or category). */
    orders: integer().notNull().default(0),
    tickets: integer().notNull().default(0),
    /** Minor units, signed: paid +, refund −; so a day's net revenue is the sum over both kinds. */
    amount: integer().notNull().default(0),
    /** 1 for a captured event; −1 for a correction that takes one back (an order's late re-attribution, store.ts). */
    events: integer().notNull().default(1),
    rolled: integer().notNull().default(0),
  },
  (t) => [
    index('analytics_events_pending').on(t.rolled).where(sql`${t.rolled} = 0`),
    // Every captured event is one more row in each index: only orders' and payments' events are ever looked up by
    // order (late re-attribution, the order subscribers), and nothing reads raw events by organizer and day (the
    // reports read the rollups), so holds and views add no index entry beyond the pending flag.
    index('analytics_events_order').on(t.orderId).where(sql`${t.orderId} IS NOT NULL`),
    // A hold's visitors captured after its order was paid find the paid event (store.ts).
    index('analytics_events_paid_hold').on(t.holdId).where(sql`${t.kind} = 'paid'`),
  ],
)

/** Daily rollup: one row per organizer, day and every dimension; counts and sums of the events. */
export const analyticsDaily = sqliteTable(
  'analytics_daily',
  {
    organizerId: dim(),
    day: text().notNull(),
    kind: text().notNull(),
    ...saleDimensions(),
    ...trafficDimensions(),
    buyerType: dim(),
    ...measures(),
  },
  (t) => [
    uniqueIndex('analytics_daily_key').on(
      t.organizerId,
      t.day,
      t.kind,
      t.eventId,
      t.showId,
      t.siteId,
      t.productId,
      t.category,
      t.channel,
      t.source,
      t.device,
      t.buyerType,
    ),
    index('analytics_daily_kind').on(t.organizerId, t.kind, t.day),
  ],
)

/**
 * A visitor's derived origin, staged from the hold (or the order) that named them until that hold is paid; the
 * paid event folds it into analytics_visitor_daily and deletes it. Unpaid holds' rows are swept after two days.
 */
export const analyticsPendingVisitors = sqliteTable(
  'analytics_pending_visitors',
  {
    holdId: text().notNull(),
    /** The visitor's place in the hold (0-based). */
    position: integer().notNull(),
    province: text().notNull(),
    city: text().notNull(),
    ageBand: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.holdId, t.position] }),
    index('analytics_pending_visitors_age').on(t.createdAt),
  ],
)

/** Paid visitors per organizer, day, event/show/site, home province/city and age band. */
export const analyticsVisitorDaily = sqliteTable('analytics_visitor_daily', visitorColumns('day'), (t) => [
  uniqueIndex('analytics_visitor_daily_key').on(
    t.organizerId,
    t.day,
    t.eventId,
    t.showId,
    t.siteId,
    t.province,
    t.city,
    t.ageBand,
  ),
])

/** Each buyer's first paid order with an organizer: new vs returning, and the cohort month for retention. */
export const analyticsBuyers = sqliteTable(
  'analytics_buyers',
  {
    organizerId: text().notNull(),
    buyerKey: text().notNull(),
    firstOrderId: text().notNull(),
    firstDay: text().notNull(),
    /** YYYY-MM of `firstDay`. */
    cohortMonth: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizerId, t.buyerKey] })],
)

/** Months in which a buyer paid an order, with their cohort: retention is a count per (cohort month, month). */
export const analyticsBuyerMonths = sqliteTable(
  'analytics_buyer_months',
  {
    organizerId: text().notNull(),
    buyerKey: text().notNull(),
    month: text().notNull(),
    cohortMonth: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organizerId, t.buyerKey, t.month] }),
    index('analytics_buyer_months_cohort').on(t.organizerId, t.cohortMonth, t.month),
  ],
)
