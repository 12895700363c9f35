// Scenic and check-in rollups (issue 23), written only by worker/services/analytics/scenic-rollups.ts from the orders'
// outbox events: what each paid order holds per product (so a refund knows the basket it changes), secondary
// purchases (二消) per visit day and slot, co-purchase counts of product combinations, and sold vs admitted per
// show or visit day, gate and hour. Keyed by organizer and dimensions; no person, ID number or buyer key here.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { copurchaseColumns, dim } from './analytics-columns.ts'

/** Outbox events already applied: every write of one event is one D1 batch guarded by `done = 0`. */
export const analyticsScenicApplied = sqliteTable('analytics_scenic_applied', {
  eventId: text().primaryKey(),
  done: integer().notNull().default(0),
})

/** Standing tickets per paid scenic order and product (refunds lower them); the order's basket. */
export const analyticsOrderProducts = sqliteTable(
  'analytics_order_products',
  {
    orderId: text().notNull(),
    productId: text().notNull(),
    organizerId: text().notNull(),
    siteId: text().notNull(),
    /** The visit date (organizer's calendar day). */
    visitDay: text().notNull(),
    /** The order's entry slot ('' without one): a secondary product counts in the slot of the gate ticket beside it. */
    slot: dim(),
    channel: dim(),
    tickets: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.productId] })],
)

/** Standing tickets per site, visit day, slot, channel and product: 二消 is a product's tickets over entry tickets. */
export const analyticsSecondaryDaily = sqliteTable(
  'analytics_secondary_daily',
  {
    organizerId: text().notNull(),
    siteId: text().notNull(),
    visitDay: text().notNull(),
    slot: dim(),
    channel: dim(),
    productId: text().notNull(),
    tickets: integer().notNull().default(0),
  },
  (t) => [
    uniqueIndex('analytics_secondary_daily_key').on(
      t.organizerId,
      t.siteId,
      t.visitDay,
      t.slot,
      t.channel,
      t.productId,
    ),
    // Covering (tickets included): a year's 二消 report reads the index alone.
    index('analytics_secondary_daily_cover').on(
      t.organizerId,
      t.siteId,
      t.visitDay,
      t.slot,
      t.productId,
      t.channel,
      t.tickets,
    ),
  ],
)

/**
 * Orders per product combination (a single product, a pair, a triple; ids sorted, '' beyond the size) per site,
 * visit day and channel; the row with all three '' counts every order with a product. Support, confidence and lift
 * come from these counts.
 */
export const analyticsCopurchaseDaily = sqliteTable(
  'analytics_copurchase_daily',
  copurchaseColumns('visitDay'),
  (t) => [
    uniqueIndex('analytics_copurchase_daily_key').on(
      t.organizerId,
      t.siteId,
      t.visitDay,
      t.channel,
      t.productA,
      t.productB,
      t.productC,
    ),
  ],
)

/** Tickets sold (standing) and admitted per show or site visit day and channel: no-shows of past days. */
export const analyticsAttendanceDaily = sqliteTable(
  'analytics_attendance_daily',
  {
    organizerId: text().notNull(),
    eventId: dim(),
    showId: dim(),
    siteId: dim(),
    /** The show's start day or the visit date, in the organizer's time zone. */
    visitDay: text().notNull(),
    channel: dim(),
    sold: integer().notNull().default(0),
    admitted: integer().notNull().default(0),
  },
  (t) => [
    uniqueIndex('analytics_attendance_daily_key').on(
      t.organizerId,
      t.eventId,
      t.showId,
      t.siteId,
      t.visitDay,
      t.channel,
    ),
  ],
)

/** Admissions per show or site visit day, gate and local hour (0-23). */
export const analyticsCheckinHourly = sqliteTable(
  'analytics_checkin_hourly',
  {
    organizerId: text().notNull(),
    eventId: dim(),
    showId: dim(),
    siteId: dim(),
    visitDay: text().notNull(),
    channel: dim(),
    gate: dim(),
    /** The admission's calendar day and hour in the organizer's time zone. */
    day: text().notNull(),
    hour: integer().notNull(),
    admitted: integer().notNull().default(0),
  },
  (t) => [
    uniqueIndex('analytics_checkin_hourly_key').on(
      t.organizerId,
      t.eventId,
      t.showId,
      t.siteId,
      t.visitDay,
      t.channel,
      t.gate,
      t.day,
      t.hour,
    ),
    // Covering, site first: a year of a site's admissions by gate and hour reads the index alone.
    index('analytics_checkin_hourly_site').on(
      t.organizerId,
      t.siteId,
      t.visitDay,
      t.showId,
      t.eventId,
      t.channel,
      t.gate,
      t.hour,
      t.admitted,
    ),
  ],
)
