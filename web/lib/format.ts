// Money and dates through Intl, cached per locale. Amounts are integer minor units (fen for CNY).
import type { Locale } from './i18n.ts'

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let formatter = cache.get(key) as T | undefined
  if (!formatter) {
    formatter = make()
    cache.set(key, formatter)
  }
  return formatter
}

export function formatMoney(minor: number, currency: string, locale: Locale): string {
  const formatter = cached(`money:${locale}:${currency}`, () => {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      // ¥ rather than CN¥ in English too: the buyer knows which country they are buying in.
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: 0,
      maximumFractionDigits: digits,
    })
  })
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2
  return formatter.format(minor / 10 ** digits)
}

type DateInput = string | number | Date
const toDate = (value: DateInput) => (value instanceof Date ? value : new Date(value))

/** The site's wall-clock zone: events are in China, whatever zone the viewer's device is in. */
export const eventTimeZone = 'Asia/Shanghai'

export function formatDate(value: DateInput, locale: Locale, timeZone = eventTimeZone): string {
  return cached(`date:${locale}:${timeZone}`, () =>
    Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }),
  ).format(toDate(value))
}

/** The parts of a moment on the wall clock of `timeZone`: year, month, day, weekday (in `locale`), hh:mm. */
function wallClock(value: DateInput, locale: Locale, timeZone: string) {
  const parts = cached(`parts:${locale}:${timeZone}`, () =>
    Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    }),
  ).formatToParts(toDate(value))
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return {
    year: Number(part('year')),
    month: Number(part('month')),
    day: Number(part('day')),
    weekday: part('weekday'),
    time: `${part('hour')}:${part('minute')}`,
  }
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** A calendar day as people write it on a ticket: 12月12日 周六 / Sat, Dec 12 (the year only when not this year). */
function dayText(
  day: { year: number; month: number; day: number; weekday: string },
  locale: Locale,
  thisYear: number,
) {
  const withYear = day.year !== thisYear
  if (locale === 'zh-CN') return `${withYear ? `${day.year}年` : ''}${day.month}月${day.day}日 ${day.weekday}`
  return `${day.weekday}, ${monthNames[day.month - 1]} ${day.day}${withYear ? `, ${day.year}` : ''}`
}

/**
 * When a show starts, on the venue's clock, in the reader's language: "12月12日 周六 10:00" / "Sat, Dec 12, 10:00"
 * (24-hour, as on Chinese tickets; the year appears only when it is not the current one). `timeZone` is the
 * venue's or site's zone, so a buyer abroad still reads the time printed on the ticket.
 */
export function formatDateTime(
  value: DateInput,
  locale: Locale,
  timeZone = eventTimeZone,
  now: DateInput = Date.now(),
): string {
  const at = wallClock(value, locale, timeZone)
  const day = dayText(at, locale, wallClock(now, locale, timeZone).year)
  return locale === 'zh-CN' ? `${day} ${at.time}` : `${day}, ${at.time}`
}

/** Same as formatDateTime, by the name the shop's pages use for a show's start. */
export const formatShowTime = formatDateTime

export function formatTime(value: DateInput, locale: Locale, timeZone = eventTimeZone): string {
  return wallClock(value, locale, timeZone).time
}

/** A calendar date (YYYY-MM-DD, no time zone) as a readable day: 12月12日 周六 / Sat, Dec 12. */
export function formatDay(isoDate: string, locale: Locale, now: DateInput = Date.now()): string {
  const at = wallClock(`${isoDate}T12:00:00Z`, locale, 'UTC')
  return dayText(at, locale, wallClock(now, locale, eventTimeZone).year)
}

/** mm:ss for countdowns. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const minutes = Math.floor(total / 60)
  return `${minutes}:${String(total % 60).padStart(2, '0')}`
}
