// Per-report rollups (issue 23), written only by worker/services/analytics/: coarser copies of the daily rollups,
// each keeping just the dimensions one report filters or groups by, by day and by month. A report over a long range
// reads whole months from the monthly table and only the ragged ends from the daily one
// (worker/services/analytics/reports/cubes.ts). The same batch that adds events to analytics_daily adds them here,
// so every table agrees with analytics_daily at all times (migration 0033 filled them from it).
// The tables are WITHOUT ROWID (added to the generated migration by hand; drizzle has no option for it): the primary
// key is the table, so a range scan over it reads the measures too (a covering index with no second copy).
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import {
  copurchaseColumns,
  dim,
  measures,
  period,
  saleDimensions,
  trafficDimensions,
  visitorColumns,
} from './analytics-columns.ts'

/** `day` (YYYY-MM-DD) or `month` (YYYY-MM). */
type Period = 'day' | 'month'

/** Sales (paid, refund, rebook) and redemptions without source, device or buyer type: sales and channel reports. */
const salesColumns = <P extends Period>(p: P) => ({
  organizerId: text().notNull(),
  kind: text().notNull(),
  ...period(p),
  ...saleDimensions(),
  ...measures(),
})

export const analyticsSalesDaily = sqliteTable('analytics_sales_daily', salesColumns('day'), (t) => [
  primaryKey({
    columns: [
      t.organizerId,
      t.kind,
      t.day,
      t.eventId,
      t.showId,
      t.siteId,
      t.productId,
      t.category,
      t.channel,
    ],
  }),
  // Sales progress reads a few shows' whole history.
  index('analytics_sales_daily_show').on(t.organizerId, t.showId, t.kind, t.day, t.tickets),
])

export const analyticsSalesMonthly = sqliteTable('analytics_sales_monthly', salesColumns('month'), (t) => [
  primaryKey({
    columns: [
      t.organizerId,
      t.kind,
      t.month,
      t.eventId,
      t.showId,
      t.siteId,
      t.productId,
      t.category,
      t.channel,
    ],
  }),
])

/** Funnel steps of the whole organizer by channel, source and device (no event, show or site): the funnel report. */
const trafficColumns = <P extends Period>(p: P) => ({
  organizerId: text().notNull(),
  kind: text().notNull(),
  ...period(p),
  channel: dim(),
  ...trafficDimensions(),
  ...measures(),
})

export const analyticsTrafficDaily = sqliteTable('analytics_traffic_daily', trafficColumns('day'), (t) => [
  primaryKey({ columns: [t.organizerId, t.kind, t.day, t.channel, t.source, t.device] }),
])

export const analyticsTrafficMonthly = sqliteTable(
  'analytics_traffic_monthly',
  trafficColumns('month'),
  (t) => [primaryKey({ columns: [t.organizerId, t.kind, t.month, t.channel, t.source, t.device] })],
)

/** Paid orders by new / returning buyer: the visitors report's buyer figures. */
const buyerTypeColumns = <P extends Period>(p: P) => ({
  organizerId: text().notNull(),
  ...period(p),
  eventId: dim(),
  showId: dim(),
  siteId: dim(),
  channel: dim(),
  buyerType: text().notNull(),
  orders: integer().notNull().default(0),
})

export const analyticsBuyerTypeDaily = sqliteTable(
  'analytics_buyer_type_daily',
  buyerTypeColumns('day'),
  (t) => [
    primaryKey({ columns: [t.organizerId, t.day, t.eventId, t.showId, t.siteId, t.channel, t.buyerType] }),
  ],
)

export const analyticsBuyerTypeMonthly = sqliteTable(
  'analytics_buyer_type_monthly',
  buyerTypeColumns('month'),
  (t) => [
    primaryKey({ columns: [t.organizerId, t.month, t.eventId, t.showId, t.siteId, t.channel, t.buyerType] }),
  ],
)

/** analytics_visitor_daily by month. */
export const analyticsVisitorMonthly = sqliteTable(
  'analytics_visitor_monthly',
  visitorColumns('month'),
  (t) => [
    primaryKey({
      columns: [t.organizerId, t.month, t.eventId, t.showId, t.siteId, t.province, t.city, t.ageBand],
    }),
  ],
)

/** analytics_copurchase_daily by visit month. */
export const analyticsCopurchaseMonthly = sqliteTable(
  'analytics_copurchase_monthly',
  copurchaseColumns('month'),
  (t) => [
    primaryKey({
      columns: [t.organizerId, t.siteId, t.month, t.channel, t.productA, t.productB, t.productC],
    }),
  ],
)

/** Buyers per (cohort month, month): analytics_buyer_months counted as rows are added to it. */
export const analyticsCohortCounts = sqliteTable(
  'analytics_cohort_counts',
  {
    organizerId: text().notNull(),
    cohortMonth: text().notNull(),
    month: text().notNull(),
    buyers: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizerId, t.cohortMonth, t.month] })],
)
