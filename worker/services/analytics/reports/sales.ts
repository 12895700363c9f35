// Sales report (issue 23) from the sales rollups (analytics_sales_daily/monthly, reports/cubes.ts): revenue (gross, refunds, net), tickets, orders and average order
// value per day, week (Monday) or month; per price category (shows) or product (scenic); best-selling performances.
import type { Database } from '../../../db/client.ts'
import { rowsOf, salesTable } from './cubes.ts'
import {
  d1Of,
  type ReportFilter,
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
  const columns = ['kind', 'show_id', 'product_id', 'category', 'orders', 'tickets', 'amount']
  const whole = rowsOf(salesTable, filter, { kinds: salesKinds, columns })
  // A day or week series needs days; totals, ticket types and the top list take whole months where they can.
  const daily =
    granularity === 'month'
      ? whole
      : rowsOf(salesTable, filter, { kinds: salesKinds, columns, months: false })
  const period = periodOf[granularity]
  const [totals, series, types, top] = await d1.batch<SalesRow & Record<string, string>>([
    d1.prepare(`${whole.cte} SELECT ${salesColumns} FROM rows`).bind(...whole.values),
    d1
      .prepare(
        `${daily.cte} SELECT ${period} AS period, ${salesColumns} FROM rows GROUP BY period ORDER BY period`,
      )
      .bind(...daily.values),
    d1
      .prepare(
        `${whole.cte} SELECT product_id, category, ${salesColumns} FROM rows GROUP BY product_id, category ORDER BY net DESC, product_id, category`,
      )
      .bind(...whole.values),
    d1
      .prepare(
        `${whole.cte} SELECT show_id, ${salesColumns} FROM rows WHERE show_id <> '' GROUP BY show_id ORDER BY tickets DESC, net DESC, show_id LIMIT ?`,
      )
      .bind(...whole.values, topLimit),
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
  const rows = rowsOf(
    salesTable,
    { ...filter, eventId: undefined },
    {
      kinds: salesKinds,
      columns: ['kind', 'show_id', 'tickets'],
      range: false,
      extra: [{ sql: `show_id IN (${showIds.map(() => '?').join(', ')})`, values: showIds }],
    },
  )
  const { results } = await d1Of(db)
    .prepare(
      `${rows.cte} SELECT show_id, day, sum(CASE WHEN kind = 'refund' THEN -tickets ELSE tickets END) AS tickets
       FROM rows GROUP BY show_id, day ORDER BY show_id, day`,
    )
    .bind(...rows.values)
    .all<{ show_id: string; day: string; tickets: number }>()
  return results.map((r) => ({ showId: r.show_id, day: r.day, tickets: Number(r.tickets) }))
}
