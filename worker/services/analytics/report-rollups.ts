// The per-report rollups (worker/db/schema/analytics-reports.ts): which dimensions each keeps, and the SQL that adds
// pending events to them (in the store's batch, beside analytics_daily) or fills them from the daily rollups
// (migration 0033 and the report benches, which generate daily rows directly). Each table is a coarser grouping of
// the same events as analytics_daily, so the sums agree with it; adding is `ON CONFLICT DO UPDATE SET m = m + …`
// over the batch's pending rows only, so it is exactly as idempotent as the daily rollup it runs beside.

export interface ReportRollup {
  daily: string
  monthly: string
  /** Key columns besides organizer and period. */
  dims: readonly string[]
  measures: readonly string[]
  /** The event kinds it keeps (a batch holding none of them adds nothing to it, so its statements are skipped). */
  kinds: readonly string[]
  /** Which events (or analytics_daily rows) it keeps: `kind IN (kinds)` and any further condition. */
  where: string
}

const inKinds = (kinds: readonly string[]) => `kind IN (${kinds.map((k) => `'${k}'`).join(', ')})`

export const salesRollup: ReportRollup = {
  daily: 'analytics_sales_daily',
  monthly: 'analytics_sales_monthly',
  dims: ['kind', 'event_id', 'show_id', 'site_id', 'product_id', 'category', 'channel'],
  measures: ['events', 'orders', 'tickets', 'amount'],
  kinds: ['paid', 'refund', 'rebook', 'redemption'],
  where: inKinds(['paid', 'refund', 'rebook', 'redemption']),
}

export const trafficRollup: ReportRollup = {
  daily: 'analytics_traffic_daily',
  monthly: 'analytics_traffic_monthly',
  dims: ['kind', 'channel', 'source', 'device'],
  measures: ['events', 'orders', 'tickets', 'amount'],
  kinds: ['show_view', 'day_view', 'seat_map_open', 'hold', 'order', 'paid'],
  where: inKinds(['show_view', 'day_view', 'seat_map_open', 'hold', 'order', 'paid']),
}

export const buyerTypeRollup: ReportRollup = {
  daily: 'analytics_buyer_type_daily',
  monthly: 'analytics_buyer_type_monthly',
  dims: ['event_id', 'show_id', 'site_id', 'channel', 'buyer_type'],
  measures: ['orders'],
  kinds: ['paid'],
  where: `${inKinds(['paid'])} AND buyer_type <> ''`,
}

export const eventRollups = [salesRollup, trafficRollup, buyerTypeRollup] as const

const aggregate = (m: string) => `sum(${m})`

function addTo(r: ReportRollup, grain: 'day' | 'month', source: string, where: string) {
  const period = grain === 'day' ? 'day' : 'month'
  const table = grain === 'day' ? r.daily : r.monthly
  const key = ['organizer_id', period, ...r.dims]
  const periodOf = grain === 'day' ? 'day' : 'substr(day, 1, 7)'
  return `INSERT INTO ${table} (${key.join(', ')}, ${r.measures.join(', ')})
  SELECT organizer_id, ${periodOf}, ${r.dims.join(', ')}, ${r.measures.map(aggregate).join(', ')}
  FROM ${source} WHERE ${where} AND ${r.where} GROUP BY organizer_id, ${periodOf}, ${r.dims.join(', ')}
  ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${r.measures.map((m) => `${m} = ${m} + excluded.${m}`).join(', ')}`
}

const pendingStatements = eventRollups.map((r) => ({
  kinds: r.kinds,
  sql: [
    addTo(r, 'day', 'analytics_events', 'rolled = 0'),
    addTo(r, 'month', 'analytics_events', 'rolled = 0'),
  ],
}))

/** Adds the batch's pending events (rolled = 0) to every per-report rollup; runs before they are marked rolled. */
export const pendingToReportRollups = pendingStatements.flatMap((r) => r.sql)

/**
 * The same for a batch whose pending events are of `kinds` only: the rollups keeping none of them are left out
 * (a batch of holds adds to the traffic rollups alone — two statements, not six).
 */
export const pendingToReportRollupsOf = (kinds: ReadonlySet<string>) =>
  pendingStatements.flatMap((r) => (r.kinds.some((k) => kinds.has(k)) ? r.sql : []))

/**
 * Paid visitors' origins by month, beside the daily insert (same rows: the batch's pending paid first parts joined
 * to their staged visitors), and cohort counts for the buyer months about to be added (counted before the insert
 * that adds them, so a buyer month already stored is not counted again).
 */
export const visitorMonthly = `INSERT INTO analytics_visitor_monthly
    (organizer_id, month, event_id, show_id, site_id, province, city, age_band, visitors)
  SELECT e.organizer_id, substr(e.day, 1, 7), e.event_id, e.show_id, e.site_id, v.province, v.city, v.age_band, count(*)
  FROM analytics_events e JOIN analytics_pending_visitors v ON v.hold_id = e.hold_id
  WHERE e.rolled = 0 AND e.kind = 'paid' AND e.orders = 1
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (organizer_id, month, event_id, show_id, site_id, province, city, age_band)
  DO UPDATE SET visitors = visitors + excluded.visitors`

export const cohortCounts = `INSERT INTO analytics_cohort_counts (organizer_id, cohort_month, month, buyers)
  SELECT organizer_id, cohort_month, month, count(*) FROM (
    SELECT DISTINCT e.organizer_id, e.buyer_key, substr(e.day, 1, 7) AS month, b.cohort_month
    FROM analytics_events e JOIN analytics_buyers b ON b.organizer_id = e.organizer_id AND b.buyer_key = e.buyer_key
    WHERE e.rolled = 0 AND e.kind = 'paid' AND e.orders = 1 AND NOT EXISTS (
      SELECT 1 FROM analytics_buyer_months m
      WHERE m.organizer_id = e.organizer_id AND m.buyer_key = e.buyer_key AND m.month = substr(e.day, 1, 7)))
  GROUP BY organizer_id, cohort_month, month
  ON CONFLICT (organizer_id, cohort_month, month) DO UPDATE SET buyers = buyers + excluded.buyers`

/** The monthly twin of scenic-rollups' co-purchase statement (same bound values; the month from the visit day). */
export const addCopurchaseMonthly = (guard: string) => `INSERT INTO analytics_copurchase_monthly
  (organizer_id, site_id, month, channel, product_a, product_b, product_c, orders)
  SELECT ?1, ?2, substr(?3, 1, 7), ?4, ?5, ?6, ?7, ?8 WHERE ${guard.replace('?', '?9')}
  ON CONFLICT (organizer_id, site_id, month, channel, product_a, product_b, product_c)
  DO UPDATE SET orders = orders + excluded.orders`

/** Fills every per-report rollup from the daily rollups (migration 0033 holds the same statements; benches run them). */
export const reportRollupsFromDaily = [
  ...eventRollups.flatMap((r) => [
    addTo(r, 'day', 'analytics_daily', '1 = 1'),
    addTo(r, 'month', 'analytics_daily', '1 = 1'),
  ]),
  `INSERT INTO analytics_visitor_monthly
    (organizer_id, month, event_id, show_id, site_id, province, city, age_band, visitors)
  SELECT organizer_id, substr(day, 1, 7), event_id, show_id, site_id, province, city, age_band, sum(visitors)
  FROM analytics_visitor_daily WHERE true GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT DO UPDATE SET visitors = visitors + excluded.visitors`,
  `INSERT INTO analytics_copurchase_monthly
    (organizer_id, site_id, month, channel, product_a, product_b, product_c, orders)
  SELECT organizer_id, site_id, substr(visit_day, 1, 7), channel, product_a, product_b, product_c, sum(orders)
  FROM analytics_copurchase_daily WHERE true GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT DO UPDATE SET orders = orders + excluded.orders`,
  `INSERT INTO analytics_cohort_counts (organizer_id, cohort_month, month, buyers)
  SELECT organizer_id, cohort_month, month, count(*) FROM analytics_buyer_months WHERE true GROUP BY 1, 2, 3
  ON CONFLICT DO UPDATE SET buyers = buyers + excluded.buyers`,
]
