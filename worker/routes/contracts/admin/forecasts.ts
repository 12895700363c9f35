import * as v from 'valibot'
import { holidayKeys } from '../../../domain/forecast/china-holidays.ts'

const day = v.pipe(v.string(), v.description('China calendar day, YYYY-MM-DD'))
const count = v.pipe(v.number(), v.integer())
const nullableCount = v.nullable(count)
const holiday = v.nullable(v.picklist(holidayKeys))

export const showSalesForecastResponse = v.object({
  show: v.object({
    showId: v.string(),
    eventId: v.string(),
    eventName: v.string(),
    eventNameEn: v.nullable(v.string()),
    startsAt: v.string(),
    startDay: day,
  }),
  today: day,
  /**
   * `comparable_shows`: this show's sales by yesterday plus what past shows still sold from the same days out
   * (as shares of capacity); `own_pace`: no past show with sales, so its tickets per day carried on to the end of
   * sales; `final`: the show has started and its sales are what they are.
   */
  method: v.picklist(['comparable_shows', 'own_pace', 'final']),
  capacity: count,
  sold: count,
  daysBeforeStart: v.number(),
  expectedFinal: count,
  /** The interval: lowest and highest estimate (comparables) or a 90% band around the pace. */
  low: count,
  high: count,
  expectedSellThrough: v.pipe(v.number(), v.description('expected final tickets ÷ capacity, 0–1')),
  soldOut: v.boolean(),
  sellOutDate: v.nullable(day),
  pace: v.object({ ticketsPerDay: v.number(), days: count }),
  comparables: v.array(
    v.object({
      showId: v.string(),
      eventId: v.string(),
      eventName: v.string(),
      eventNameEn: v.nullable(v.string()),
      startsAt: v.string(),
      sameEvent: v.boolean(),
      sameVenue: v.boolean(),
      capacity: count,
      finalTickets: count,
      /** Its tickets by the same number of days before its start as yesterday is before this show's. */
      soldByThen: count,
      /** This show's final if it sells like that show from here on (scaled by capacity). */
      estimate: count,
      /** Its sales progress on the days-before-start axis (day 0 includes any sale after the start). */
      progress: v.array(v.object({ daysBefore: v.number(), sold: count, share: v.number() })),
    }),
  ),
  /** Day by day on the days-before-start axis: `sold` so far, `expected` with `low`/`high` from today on. */
  curve: v.array(
    v.object({
      daysBefore: v.number(),
      date: day,
      sold: nullableCount,
      expected: nullableCount,
      low: nullableCount,
      high: nullableCount,
    }),
  ),
})

export const scenicVisitorForecastResponse = v.object({
  site: v.object({
    siteId: v.string(),
    name: v.string(),
    nameEn: v.nullable(v.string()),
    dailyCapacity: count,
  }),
  /**
   * `weekday_holiday_smoothing`: smoothed level × weekday or holiday factor (eight weeks of history or more);
   * `seasonal_naive`: last week's same weekday (two to eight weeks); `insufficient_history`: under two weeks, no days.
   */
  method: v.picklist(['weekday_holiday_smoothing', 'seasonal_naive', 'insufficient_history']),
  asOf: day,
  historyFrom: v.nullable(day),
  historyDays: count,
  level: v.nullable(v.number()),
  smoothing: v.nullable(v.number()),
  factors: v.nullable(
    v.object({
      weekday: v.pipe(v.array(v.number()), v.description('Sunday first')),
      makeupWorkday: v.number(),
      holidays: v.array(
        v.object({ key: v.picklist(holidayKeys), factor: v.number(), seenInHistory: v.boolean() }),
      ),
    }),
  ),
  intervalCoverage: v.number(),
  /** A forecast day lies in a year whose 调休 the holiday table does not have yet (statutory days only). */
  provisionalHolidays: v.boolean(),
  days: v.array(
    v.object({
      date: day,
      weekday: count,
      holiday,
      makeupWorkday: v.boolean(),
      expected: count,
      low: count,
      high: count,
      /** Entry tickets already paid for that day. */
      booked: count,
    }),
  ),
  /** The same method fitted without the last `holdoutWeeks` weeks, against what happened; null without enough history. */
  backtest: v.nullable(
    v.object({
      method: v.picklist(['weekday_holiday_smoothing', 'seasonal_naive', 'insufficient_history']),
      holdoutWeeks: count,
      from: day,
      to: day,
      mape: v.pipe(v.nullable(v.number()), v.description('mean absolute percentage error, in percent')),
      days: v.array(v.object({ date: day, holiday, actual: count, forecast: count })),
    }),
  ),
})

export type ShowSalesForecastResponse = v.InferOutput<typeof showSalesForecastResponse>
export type ScenicVisitorForecastResponse = v.InferOutput<typeof scenicVisitorForecastResponse>
