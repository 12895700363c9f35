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
  // Two reads: the series, and the range once by show and ticket type (a few hundred rows for a year), from which
  // totals, ticket types and top shows are summed here: the range is materialized once, not three times.
  const [series, groups] = await d1.batch<SalesRow & Record<string, string>>([
    d1
      .prepare(
        `${daily.cte} SELECT ${period} AS period, ${salesColumns} FROM rows GROUP BY period ORDER BY period`,
      )
      .bind(...daily.values),
    d1
      .prepare(
        `${whole.cte} SELECT show_id, product_id, category, ${salesColumns} FROM rows GROUP BY 1, 2, 3`,
      )
      .bind(...whole.values),
  ])
  const rows = groups!.results
  const sum = (list: SalesRow[]) => {
    const total = { gross: 0, refunds: 0, net: 0, tickets: 0, refunded_tickets: 0, orders: 0 }
    for (const r of list)
      for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += Number(r[key] ?? 0)
    return total
  }
  const by = (key: (r: (typeof rows)[number]) => string) => {
    const out = new Map<string, typeof rows>()
    for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r])
    return [...out].map(([k, list]) => ({ key: k, first: list[0]!, figures: salesFigures(sum(list)) }))
  }
  // SQLite's order (binary text comparison), not the locale's.
  const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  const types = by((r) => `${r.product_id}\u0000${r.category}`).sort(
    (a, b) =>
      b.figures.net - a.figures.net ||
      binary(a.first.product_id!, b.first.product_id!) ||
      binary(a.first.category!, b.first.category!),
  )
  const top = by((r) => r.show_id!)
    .filter((g) => g.key !== '')
    .sort(
      (a, b) =>
        b.figures.tickets - a.figures.tickets || b.figures.net - a.figures.net || binary(a.key, b.key),
    )
    .slice(0, topLimit)
  return {
    totals: salesFigures(sum(rows)),
    series: series!.results.map((r) => ({ period: r.period!, ...salesFigures(r) })),
    byTicketType: types.map((g) => ({
      productId: g.first.product_id || null,
      category: g.first.category || null,
      ...g.figures,
    })),
    topShows: top.map((g) => ({ showId: g.key, ...g.figures })),
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
