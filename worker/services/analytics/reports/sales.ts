// Sales report (issue 23) from the daily rollups: revenue (gross, refunds, net), tickets, orders and average order
// value per day, week (Monday) or month; per price category (shows) or product (scenic); best-selling performances.
import type { Database } from '../../../db/client.ts'
import {
  d1Of,
  type ReportFilter,
  rollupWhere,
  type SalesFigures,
  type SalesRow,
  salesColumns,
  salesFigures,
  salesKinds,
} from './filters.ts'

export type Granularity = 'day' | 'week' | 'month'

/** The first day of the period a rollup day falls in (weeks start on Monday, as Chinese calendars do). */
const periodOf: Record<Granularity, string> = {
  day: 'day',
  week: `date(day, 'weekday 0', '-6 days')`,
  month: `substr(day, 1, 7) || '-01'`,
}

export interface SalesReportData {
  totals: SalesFigures
  series: ({ period: string } & SalesFigures)[]
  /** One row per show price category or scenic product (`productId` or `category` set, the other null). */
  byTicketType: ({ productId: string | null; category: string | null } & SalesFigures)[]
  /** Performances (场次) with the most tickets standing, best first (ties: more net revenue first). */
  topShows: ({ showId: string } & SalesFigures)[]
}

export async function salesReport(
  db: Database,
  filter: ReportFilter,
  granularity: Granularity,
  topLimit: number,
): Promise<SalesReportData> {
  const d1 = d1Of(db)
  const where = rollupWhere(filter, salesKinds)
  const from = `FROM analytics_daily ${where.sql}`
  const period = periodOf[granularity]
  const [totals, series, types, top] = await d1.batch<SalesRow & Record<string, string>>([
    d1.prepare(`SELECT ${salesColumns} ${from}`).bind(...where.values),
    d1
      .prepare(`SELECT ${period} AS period, ${salesColumns} ${from} GROUP BY period ORDER BY period`)
      .bind(...where.values),
    d1
      .prepare(
        `SELECT product_id, category, ${salesColumns} ${from} GROUP BY product_id, category ORDER BY net DESC, product_id, category`,
      )
      .bind(...where.values),
    d1
      .prepare(
        `SELECT show_id, ${salesColumns} ${from} AND show_id <> '' GROUP BY show_id ORDER BY tickets DESC, net DESC, show_id LIMIT ?`,
      )
      .bind(...where.values, topLimit),
  ])
  return {
    totals: salesFigures(totals!.results[0]),
    series: series!.results.map((r) => ({ period: r.period!, ...salesFigures(r) })),
    byTicketType: types!.results.map((r) => ({
      productId: r.product_id || null,
      category: r.category || null,
      ...salesFigures(r),
    })),
    topShows: top!.results.map((r) => ({ showId: r.show_id!, ...salesFigures(r) })),
  }
}

/** Net tickets per show and day (paid, less refunded and rebooked away), for sales-progress curves. */
export async function ticketsPerShowDay(
  db: Database,
  filter: Omit<ReportFilter, 'showId'>,
  showIds: string[],
): Promise<{ showId: string; day: string; tickets: number }[]> {
  if (showIds.length === 0) return []
  const where = rollupWhere({ ...filter, eventId: undefined }, salesKinds, false)
  const { results } = await d1Of(db)
    .prepare(
      `SELECT show_id, day, sum(CASE WHEN kind = 'refund' THEN -tickets ELSE tickets END) AS tickets
       FROM analytics_daily ${where.sql} AND show_id IN (${showIds.map(() => '?').join(', ')})
       GROUP BY show_id, day ORDER BY show_id, day`,
    )
    .bind(...where.values, ...showIds)
    .all<{ show_id: string; day: string; tickets: number }>()
  return results.map((r) => ({ showId: r.show_id, day: r.day, tickets: Number(r.tickets) }))
}
