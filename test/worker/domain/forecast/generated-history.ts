import { addDays } from '../../../../worker/domain/forecast/calendar.ts'
import { chinaDay, type HolidayKey } from '../../../../worker/domain/forecast/china-holidays.ts'

/** A small seeded generator (mulberry32), so a generated history is the same on every run. */
export function seeded(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** Sunday first: a quiet midweek, a busy weekend. */
export const knownWeekday = [1.7, 0.7, 0.65, 0.7, 0.8, 1.0, 1.9]
export const knownHoliday: Record<HolidayKey, number> = {
  new_year: 1.8,
  spring_festival: 2.2,
  qingming: 2.0,
  labour_day: 2.6,
  dragon_boat: 2.0,
  mid_autumn: 2.1,
  national_day: 3.2,
}
/** A make-up working day is visited like the average working day. */
export const knownMakeup =
  (knownWeekday[1]! + knownWeekday[2]! + knownWeekday[3]! + knownWeekday[4]! + knownWeekday[5]!) / 5

/** Visits with no noise: a level of 1,000 growing 10% a year, times the day's factor. */
export function trueVisits(date: string, start: string) {
  const years = (Date.parse(date) - Date.parse(start)) / (365 * 86_400_000)
  const day = chinaDay(date)
  const factor = day.holiday
    ? knownHoliday[day.holiday]
    : day.makeupWorkday
      ? knownMakeup
      : knownWeekday[day.weekday]!
  return 1000 * (1 + 0.1 * years) * factor
}

/** `days` days of visits from `start`, each the true figure times uniform noise of ±`noise`. */
export function generatedHistory(start: string, days: number, noise: number, seed = 23) {
  const random = seeded(seed)
  return Array.from({ length: days }, (_, i) => {
    const date = addDays(start, i)
    return { date, visits: Math.round(trueVisits(date, start) * (1 + noise * (2 * random() - 1))) }
  })
}
