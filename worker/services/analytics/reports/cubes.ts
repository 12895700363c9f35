// Reading the rollups for a day range: whole calendar months come from a monthly table, the ragged ends from the
// daily one, as one subquery (UNION ALL of up to three range scans over primary keys) that the report then groups.
// A year reads twelve-ish monthly rows per key instead of 365 daily ones. Monthly rows appear with `day` = the
// month's first day, so grouping by month (or taking totals) is exact; a day or week series asks for days only.
import type { ReportFilter } from './filters.ts'

export interface RollupTable {
  daily: string
  /** null: no monthly twin (the range is read from the daily table). */
  monthly: string | null
  /** The daily table's day column (`day`, or `visit_day` for the scenic tables). */
  dayColumn: string
  /** Filterable dimension columns the table keeps. */
  columns: readonly string[]
}

const filterColumns = [
  ['eventId', 'event_id'],
  ['showId', 'show_id'],
  ['siteId', 'site_id'],
  ['productId', 'product_id'],
  ['category', 'category'],
  ['channel', 'channel'],
] as const

type Filter = Partial<Omit<ReportFilter, 'organizerId' | 'from' | 'to'>> &
  Pick<ReportFilter, 'organizerId' | 'from' | 'to'>

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const dayMs = 86_400_000

/** Whole months inside [from, to] (YYYY-MM, inclusive) and the day ranges outside them. */
export function spansOf(
  from: string,
  to: string,
): { days: [string, string][]; months: [string, string] | null } {
  const start = Date.parse(`${from}T00:00:00Z`)
  const end = Date.parse(`${to}T00:00:00Z`)
  const s = new Date(start)
  const firstFull = s.getUTCDate() === 1 ? start : Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 1, 1)
  const e = new Date(end)
  const lastFull =
    new Date(end + dayMs).getUTCDate() === 1 ? end : Date.UTC(e.getUTCFullYear(), e.getUTCMonth(), 0)
  if (!(firstFull < lastFull)) return { days: [[from, to]], months: null }
  const days: [string, string][] = []
  if (start < firstFull) days.push([from, isoDay(firstFull - dayMs)])
  if (lastFull < end) days.push([isoDay(lastFull + dayMs), to])
  return { days, months: [isoDay(firstFull).slice(0, 7), isoDay(lastFull).slice(0, 7)] }
}

export interface RowsQuery {
  /** Kinds to keep (the table must have `kind`); omitted: every row. */
  kinds?: readonly string[]
  /** Columns the report reads besides `day`. */
  columns: readonly string[]
  /** false: days only, even for a long range (a day or week series). */
  months?: boolean
  /** false: every day (no range). */
  range?: boolean
  /** More conditions on the table's own columns, with their values. */
  extra?: { sql: string; values: unknown[] }[]
}

/**
 * `WITH rows AS MATERIALIZED (SELECT day, columns… UNION ALL …)` over the table for the filter (`cte`), with its
 * bound values in order; the report then selects `FROM rows`. Materialized, so the planner scans each branch by its
 * primary key range and never trades that for an index that merely orders the outer GROUP BY (a whole-table walk
 * of analytics_sales_daily_show cost the top-shows query a second at full size).
 */
export function rowsOf(table: RollupTable, filter: Filter, q: RowsQuery) {
  const base: string[] = ['organizer_id = ?']
  const baseValues: unknown[] = [filter.organizerId]
  if (q.kinds) {
    base.push(`kind IN (${q.kinds.map(() => '?').join(', ')})`)
    baseValues.push(...q.kinds)
  }
  for (const [key, column] of filterColumns) {
    const value = filter[key]
    if (value === undefined) continue
    if (!table.columns.includes(column)) throw new Error(`${table.daily} has no ${column}`)
    base.push(`${column} = ?`)
    baseValues.push(value)
  }
  for (const e of q.extra ?? []) {
    base.push(e.sql)
    baseValues.push(...e.values)
  }
  const columns = q.columns.join(', ')
  const branches: string[] = []
  const values: unknown[] = []
  const branch = (from: string, period: string, range: string[], rangeValues: unknown[]) => {
    branches.push(
      `SELECT ${period} AS day, ${columns} FROM ${from} WHERE ${[...base, ...range].join(' AND ')}`,
    )
    values.push(...baseValues, ...rangeValues)
  }
  const day = table.dayColumn
  if (q.range === false) branch(table.daily, day, [], [])
  else {
    const spans = q.months !== false && table.monthly ? spansOf(filter.from, filter.to) : null
    if (spans?.months) {
      for (const [from, to] of spans.days)
        branch(table.daily, day, [`${day} >= ?`, `${day} <= ?`], [from, to])
      branch(table.monthly!, `month || '-01'`, ['month >= ?', 'month <= ?'], spans.months)
    } else branch(table.daily, day, [`${day} >= ?`, `${day} <= ?`], [filter.from, filter.to])
  }
  return { cte: `WITH rows AS MATERIALIZED (${branches.join(' UNION ALL ')})`, values }
}

const shared = ['event_id', 'show_id', 'site_id']

export const salesTable: RollupTable = {
  daily: 'analytics_sales_daily',
  monthly: 'analytics_sales_monthly',
  dayColumn: 'day',
  columns: [...shared, 'product_id', 'category', 'channel'],
}
export const trafficTable: RollupTable = {
  daily: 'analytics_traffic_daily',
  monthly: 'analytics_traffic_monthly',
  dayColumn: 'day',
  columns: ['channel'],
}
/** Every dimension, by day only: a funnel narrowed to an event, show or site. */
export const dailyTable: RollupTable = {
  daily: 'analytics_daily',
  monthly: null,
  dayColumn: 'day',
  columns: [...shared, 'product_id', 'category', 'channel'],
}
export const buyerTypeTable: RollupTable = {
  daily: 'analytics_buyer_type_daily',
  monthly: 'analytics_buyer_type_monthly',
  dayColumn: 'day',
  columns: [...shared, 'channel'],
}
export const visitorTable: RollupTable = {
  daily: 'analytics_visitor_daily',
  monthly: 'analytics_visitor_monthly',
  dayColumn: 'day',
  columns: shared,
}
export const copurchaseTable: RollupTable = {
  daily: 'analytics_copurchase_daily',
  monthly: 'analytics_copurchase_monthly',
  dayColumn: 'visit_day',
  columns: ['site_id', 'channel'],
}
