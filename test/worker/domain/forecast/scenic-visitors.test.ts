import { describe, expect, it } from 'vitest'
import { addDays, daysBetween } from '../../../../worker/domain/forecast/calendar.ts'
import { chinaDay, holidayPeriods } from '../../../../worker/domain/forecast/china-holidays.ts'
import { forecastVisitors } from '../../../../worker/domain/forecast/scenic-visitors.ts'
import { generatedHistory, seeded, trueVisits } from './generated-history.ts'

// The visitor forecast on a generated history whose weekday and holiday pattern is known (generated-history.ts):
// two years up to 2026-10-14, ±10% noise from a seeded generator. The last four weeks hold a make-up working
// Sunday (09-20), Mid-Autumn (09-25…27), National Day (10-01…07) and a make-up working Saturday (10-10).

const start = '2024-10-15'
const asOf = '2026-10-15'
const history = generatedHistory(start, 730, 0.1)

describe('China public holiday table', () => {
  it('knows days off, make-up working days and which years are provisional', () => {
    expect(chinaDay('2025-01-28')).toMatchObject({ holiday: 'spring_festival', makeupWorkday: false })
    expect(chinaDay('2026-10-10')).toMatchObject({ weekday: 6, holiday: null, makeupWorkday: true })
    expect(chinaDay('2024-06-08')).toMatchObject({ holiday: 'dragon_boat' })
    expect(chinaDay('2026-02-23')).toMatchObject({ weekday: 1, holiday: 'spring_festival' })
    expect(chinaDay('2026-12-09')).toEqual({
      weekday: 3,
      holiday: null,
      makeupWorkday: false,
      provisional: false,
    })
    expect(chinaDay('2027-02-06')).toMatchObject({ holiday: 'spring_festival', provisional: true })
  })

  it('has the day counts the State Council notices state (共N天), make-up days only on weekends', () => {
    const length = (key: string, year: string) => {
      const period = holidayPeriods.find((p) => p.key === key && p.from.startsWith(year))!
      return daysBetween(period.from, period.to) + 1
    }
    expect([
      length('spring_festival', '2024'),
      length('labour_day', '2024'),
      length('national_day', '2024'),
    ]).toEqual([8, 5, 7])
    expect([
      length('spring_festival', '2025'),
      length('labour_day', '2025'),
      length('national_day', '2025'),
    ]).toEqual([8, 5, 8])
    expect([
      length('new_year', '2026'),
      length('spring_festival', '2026'),
      length('national_day', '2026'),
    ]).toEqual([3, 9, 7])
    for (const period of holidayPeriods) {
      expect(period.from <= period.to, period.from).toBe(true)
      for (const day of period.workdays) {
        expect([0, 6], day).toContain(chinaDay(day).weekday)
        expect(chinaDay(day).holiday, day).toBeNull()
      }
    }
  })
})

describe('forecastVisitors', () => {
  const forecast = forecastVisitors({ history, asOf, days: 30, holdoutWeeks: 4 })

  it('back-tests on the last four weeks within 10% mean absolute percentage error', () => {
    expect(forecast.method).toBe('weekday_holiday_smoothing')
    expect(forecast.historyDays).toBe(730)
    const backtest = forecast.backtest!
    expect(backtest).toMatchObject({
      method: 'weekday_holiday_smoothing',
      from: '2026-09-17',
      to: '2026-10-14',
    })
    expect(backtest.days).toHaveLength(28)
    expect(backtest.mape).toBeGreaterThan(0)
    expect(backtest.mape).toBeLessThan(10)
    // The figure is the mean of the day errors the answer lists.
    const errors = backtest.days.map((d) => Math.abs(d.actual - d.forecast) / d.actual)
    expect(backtest.mape).toBeCloseTo((errors.reduce((a, b) => a + b, 0) / errors.length) * 100, 0)
  })

  it('finds the holiday effect on the held-out National Day and treats a make-up Saturday as a working day', () => {
    const day = (date: string) => forecast.backtest!.days.find((d) => d.date === date)!
    const nationalDay = day('2026-10-03')
    expect(nationalDay.holiday).toBe('national_day')
    expect(Math.abs(nationalDay.forecast - nationalDay.actual) / nationalDay.actual).toBeLessThan(0.15)
    // A Saturday of Golden Week draws far more than an ordinary Saturday, which draws more than a make-up one.
    const ordinarySaturday = day('2026-09-19').forecast
    expect(nationalDay.forecast).toBeGreaterThan(1.4 * ordinarySaturday)
    const makeupSaturday = day('2026-10-10')
    expect(makeupSaturday.forecast).toBeLessThan(0.6 * ordinarySaturday)
    expect(Math.abs(makeupSaturday.forecast - makeupSaturday.actual) / makeupSaturday.actual).toBeLessThan(
      0.2,
    )
    // The learned factors are the generated ones, up to noise (weekday factors are relative to their mean).
    const factors = forecast.factors!
    expect(factors.weekday[6]! / factors.weekday[2]!).toBeCloseTo(1.9 / 0.65, 0)
    expect(factors.holidays.find((h) => h.key === 'national_day')).toMatchObject({ seenInHistory: true })
  })

  it('forecasts 30 days from asOf whose 90% interval holds most real days', () => {
    expect(forecast.days).toHaveLength(30)
    expect(forecast.days[0]!.date).toBe(asOf)
    expect(forecast.days[29]!.date).toBe(addDays(asOf, 29))
    const random = seeded(99)
    let inside = 0
    for (const day of forecast.days) {
      expect(day.low).toBeLessThanOrEqual(day.expected)
      expect(day.high).toBeGreaterThanOrEqual(day.expected)
      const actual = trueVisits(day.date, start) * (1 + 0.1 * (2 * random() - 1))
      if (actual >= day.low && actual <= day.high) inside++
      expect(Math.abs(day.expected - trueVisits(day.date, start)) / trueVisits(day.date, start)).toBeLessThan(
        0.12,
      )
    }
    expect(inside).toBeGreaterThanOrEqual(24)
  })

  it('falls back to last week repeated when the history is under eight weeks', () => {
    const short = generatedHistory('2026-11-01', 30, 0.05)
    const naive = forecastVisitors({ history: short, asOf: '2026-12-01', days: 14, holdoutWeeks: 1 })
    expect(naive.method).toBe('seasonal_naive')
    expect(naive.factors).toBeNull()
    const lastWeek = short.slice(-7)
    for (const day of naive.days) {
      const sameWeekday = lastWeek.find((d) => new Date(d.date).getUTCDay() === day.weekday)!
      expect(day.expected).toBe(sameWeekday.visits)
    }
    expect(naive.backtest).toMatchObject({ method: 'seasonal_naive', holdoutWeeks: 1, from: '2026-11-24' })
    expect(naive.backtest!.mape).toBeLessThan(15)
  })

  it('says there is not enough history below two weeks, and counts a missing day as no visitors', () => {
    const few = forecastVisitors({
      history: [
        { date: '2026-11-20', visits: 300 },
        { date: '2026-11-25', visits: 200 },
      ],
      asOf: '2026-12-01',
      days: 30,
      holdoutWeeks: 4,
    })
    expect(few).toMatchObject({
      method: 'insufficient_history',
      historyFrom: '2026-11-20',
      historyDays: 11,
      days: [],
      backtest: null,
    })
    // Days before the first visitor are not history: the site was not selling here yet.
    const closed = [{ date: '2026-10-01', visits: 0 }, ...generatedHistory('2026-11-01', 30, 0.05)]
    expect(forecastVisitors({ history: closed, asOf: '2026-12-01', days: 7, holdoutWeeks: 1 })).toMatchObject(
      {
        method: 'seasonal_naive',
        historyFrom: '2026-11-01',
        historyDays: 30,
      },
    )
    const none = forecastVisitors({ history: [], asOf: '2026-12-01', days: 30, holdoutWeeks: 4 })
    expect(none).toMatchObject({ method: 'insufficient_history', historyFrom: null, historyDays: 0 })
  })
})
