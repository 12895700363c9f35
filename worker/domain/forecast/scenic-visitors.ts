import { addDays, mean, meanAbsolutePercentageError, quantile } from './calendar.ts'
import { chinaDay, type HolidayKey, holidayKeys } from './china-holidays.ts'

// Expected visitors per day at a scenic site, from its own history of visits per visit date.
//
// Why this method: an organizer has to be able to check it by hand. Visits are a level (how busy the site is
// these weeks) times a factor for the kind of day (each weekday; a public holiday, per holiday; a 调休 make-up
// working day counts as an ordinary working day). The factors are averages of each day's visits over the
// ordinary days around it; the level is an exponentially smoothed average of the visits with those factors
// taken out, so it follows a slow trend without chasing one odd day. Models with more parameters (ARIMA, Prophet)
// need more history than a site usually has and cannot be explained on one line. With less than eight weeks of
// history there is not enough to average the factors, and the forecast is seasonal-naive instead: each day
// repeats the same weekday of the last week. The interval holds 90% of the past days' one-day-ahead errors.

export interface DailyVisits {
  date: string
  visits: number
}

export type VisitorMethod = 'weekday_holiday_smoothing' | 'seasonal_naive' | 'insufficient_history'

export interface VisitorForecastDay {
  date: string
  weekday: number
  holiday: HolidayKey | null
  makeupWorkday: boolean
  expected: number
  low: number
  high: number
}

export interface VisitorBacktest {
  method: VisitorMethod
  holdoutWeeks: number
  from: string
  to: string
  /** Mean absolute percentage error over the held-out days that had visitors, in percent; null if none had. */
  mape: number | null
  days: { date: string; holiday: HolidayKey | null; actual: number; forecast: number }[]
}

export interface VisitorFactors {
  /** Sunday first; an ordinary day of that weekday is `level × factor`. */
  weekday: number[]
  makeupWorkday: number
  /** Every holiday; `seenInHistory: false` means the average holiday factor stands in for it. */
  holidays: { key: HolidayKey; factor: number; seenInHistory: boolean }[]
}

export interface VisitorForecast {
  method: VisitorMethod
  /** The first forecast day; history is every day before it. */
  asOf: string
  historyFrom: string | null
  historyDays: number
  /** The smoothed level (visits on an average ordinary day) and its smoothing weight; null unless smoothing. */
  level: number | null
  smoothing: number | null
  factors: VisitorFactors | null
  /** Share of past one-day-ahead errors the interval holds. */
  intervalCoverage: number
  /** Whether a forecast day lies in a year whose 调休 is not in the holiday table yet. */
  provisionalHolidays: boolean
  days: VisitorForecastDay[]
  backtest: VisitorBacktest | null
}

export const visitorForecastLimits = {
  /** Below this many days of history the factors are not averaged (seasonal-naive instead). */
  modelDays: 56,
  /** Below this many days there is no forecast at all. */
  naiveDays: 14,
  maxHorizon: 92,
  maxHoldoutWeeks: 8,
} as const

const intervalCoverage = 0.9
const baselineReach = 14
const warmupDays = 14
const smoothingGrid = [0.05, 0.1, 0.2, 0.3, 0.5]

interface Model {
  method: VisitorMethod
  predict: (date: string) => number
  ratios: number[]
  level: number | null
  smoothing: number | null
  factors: VisitorFactors | null
}

/**
 * The history as one row per day from its first day with visitors (before it the site was not selling here) to
 * the day before `asOf`; missing days had no visitors.
 */
export function dailySeries(history: readonly DailyVisits[], asOf: string): DailyVisits[] {
  const byDate = new Map<string, number>()
  for (const row of history)
    if (row.date < asOf && row.visits > 0) byDate.set(row.date, (byDate.get(row.date) ?? 0) + row.visits)
  if (byDate.size === 0) return []
  const first = [...byDate.keys()].sort()[0]!
  const series: DailyVisits[] = []
  for (let date = first; date < asOf; date = addDays(date, 1))
    series.push({ date, visits: byDate.get(date) ?? 0 })
  return series
}

const isOrdinary = (date: string) => {
  const day = chinaDay(date)
  return day.holiday === null && !day.makeupWorkday
}

function fitFactors(series: readonly DailyVisits[]): VisitorFactors {
  const ordinary = series.map((d) => isOrdinary(d.date))
  // Each day against the average of the ordinary days within two weeks of it.
  const baseline = series.map((_, i) => {
    const around: number[] = []
    for (let j = Math.max(0, i - baselineReach); j <= Math.min(series.length - 1, i + baselineReach); j++)
      if (ordinary[j]) around.push(series[j]!.visits)
    return around.length > 0 ? mean(around) : 0
  })
  const weekdayRatios: number[][] = [[], [], [], [], [], [], []]
  const holidayRatios = new Map<HolidayKey, number[]>()
  series.forEach((day, i) => {
    if (baseline[i]! <= 0) return
    const ratio = day.visits / baseline[i]!
    const kind = chinaDay(day.date)
    if (kind.holiday) holidayRatios.set(kind.holiday, [...(holidayRatios.get(kind.holiday) ?? []), ratio])
    else if (ordinary[i]) weekdayRatios[kind.weekday]!.push(ratio)
  })
  const raw = weekdayRatios.map((ratios) => (ratios.length > 0 ? mean(ratios) : 1))
  const scale = mean(raw) || 1
  const weekday = raw.map((f) => f / scale)
  const seen = [...holidayRatios.values()].flat().map((r) => r / scale)
  // A holiday never seen in the history is taken as the average holiday, or failing that as a weekend day.
  const anyHoliday = seen.length > 0 ? mean(seen) : mean([weekday[0]!, weekday[6]!])
  return {
    weekday,
    makeupWorkday: mean(weekday.slice(1, 6)),
    holidays: holidayKeys.map((key) => {
      const ratios = holidayRatios.get(key)
      return ratios
        ? { key, factor: mean(ratios) / scale, seenInHistory: true }
        : { key, factor: anyHoliday, seenInHistory: false }
    }),
  }
}

function factorOn(factors: VisitorFactors, date: string) {
  const day = chinaDay(date)
  if (day.holiday) return factors.holidays.find((h) => h.key === day.holiday)!.factor
  if (day.makeupWorkday) return factors.makeupWorkday
  return factors.weekday[day.weekday]!
}

function fitSmoothing(series: readonly DailyVisits[]): Model {
  const factors = fitFactors(series)
  const seasonal = series.map((d) => factorOn(factors, d.date))
  const run = (alpha: number) => {
    const deseasonalized = series.map((d, i) => (seasonal[i]! > 0 ? d.visits / seasonal[i]! : 0))
    let level = mean(deseasonalized.slice(0, warmupDays))
    const ratios: number[] = []
    const errors: number[] = []
    series.forEach((day, i) => {
      const fitted = level * seasonal[i]!
      if (i >= warmupDays && fitted > 0) {
        ratios.push(day.visits / fitted)
        if (day.visits > 0) errors.push(Math.abs(day.visits - fitted) / day.visits)
      }
      level = alpha * deseasonalized[i]! + (1 - alpha) * level
    })
    return { alpha, level, ratios, error: mean(errors) }
  }
  // The smoothing weight that best predicted each next day of the history.
  const best = smoothingGrid.map(run).reduce((a, b) => (b.error < a.error ? b : a))
  return {
    method: 'weekday_holiday_smoothing',
    predict: (date) => best.level * factorOn(factors, date),
    ratios: best.ratios,
    level: best.level,
    smoothing: best.alpha,
    factors,
  }
}

function fitSeasonalNaive(series: readonly DailyVisits[]): Model {
  const lastWeek = new Map(series.slice(-7).map((d) => [chinaDay(d.date).weekday, d.visits]))
  const ratios: number[] = []
  for (let i = 7; i < series.length; i++)
    if (series[i - 7]!.visits > 0) ratios.push(series[i]!.visits / series[i - 7]!.visits)
  return {
    method: 'seasonal_naive',
    predict: (date) => lastWeek.get(chinaDay(date).weekday) ?? 0,
    ratios,
    level: null,
    smoothing: null,
    factors: null,
  }
}

function fitModel(series: readonly DailyVisits[]): Model | null {
  if (series.length >= visitorForecastLimits.modelDays) return fitSmoothing(series)
  if (series.length >= visitorForecastLimits.naiveDays) return fitSeasonalNaive(series)
  return null
}

function backtest(series: readonly DailyVisits[], holdoutWeeks: number): VisitorBacktest | null {
  const heldDays = holdoutWeeks * 7
  if (series.length <= heldDays) return null
  const held = series.slice(-heldDays)
  const model = fitModel(series.slice(0, series.length - heldDays))
  if (!model) return null
  const days = held.map((d) => ({
    date: d.date,
    holiday: chinaDay(d.date).holiday,
    actual: d.visits,
    forecast: Math.round(model.predict(d.date)),
  }))
  return {
    method: model.method,
    holdoutWeeks,
    from: held[0]!.date,
    to: held[held.length - 1]!.date,
    mape: meanAbsolutePercentageError(days),
    days,
  }
}

/**
 * Visitors expected on each of `days` days from `asOf`, with a 90% interval, and the same method's error on
 * the last `holdoutWeeks` weeks of the history when fitted without them.
 */
export function forecastVisitors(input: {
  history: readonly DailyVisits[]
  asOf: string
  days: number
  holdoutWeeks: number
}): VisitorForecast {
  const series = dailySeries(input.history, input.asOf)
  const model = fitModel(series)
  const dates = Array.from({ length: input.days }, (_, i) => addDays(input.asOf, i))
  const sortedRatios = [...(model?.ratios ?? [])].sort((a, b) => a - b)
  const lowRatio = sortedRatios.length > 0 ? quantile(sortedRatios, (1 - intervalCoverage) / 2) : 1
  const highRatio = sortedRatios.length > 0 ? quantile(sortedRatios, (1 + intervalCoverage) / 2) : 1
  const days: VisitorForecastDay[] = model
    ? dates.map((date) => {
        const point = model.predict(date)
        const expected = Math.round(point)
        const day = chinaDay(date)
        return {
          date,
          weekday: day.weekday,
          holiday: day.holiday,
          makeupWorkday: day.makeupWorkday,
          expected,
          low: Math.min(expected, Math.max(0, Math.floor(point * lowRatio))),
          high: Math.max(expected, Math.ceil(point * highRatio)),
        }
      })
    : []
  return {
    method: model?.method ?? 'insufficient_history',
    asOf: input.asOf,
    historyFrom: series[0]?.date ?? null,
    historyDays: series.length,
    level: model?.level ?? null,
    smoothing: model?.smoothing ?? null,
    factors: model?.factors ?? null,
    intervalCoverage,
    provisionalHolidays: days.some((d) => chinaDay(d.date).provisional),
    days,
    backtest: model ? backtest(series, input.holdoutWeeks) : null,
  }
}
