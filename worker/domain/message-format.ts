// Money and moments as a message reader expects them: ¥45 / ¥45.50 from integer minor units, and dates on the
// wall clock of the venue or site, in the reader's language. Pure, so any sender (and a test) gets the same text.
import type { Locale } from './locale.ts'

const fractionDigits = new Map<string, number>()
const symbols = new Map<string, string>()

/** Minor-unit digits of a currency (2 for CNY, 0 for JPY), from Intl's ISO 4217 data. */
function digitsOf(currency: string): number {
  let digits = fractionDigits.get(currency)
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    fractionDigits.set(currency, digits)
  }
  return digits
}

/** ¥ rather than CN¥ in either language: the buyer knows which country they are buying in. */
function symbolOf(currency: string): string {
  let symbol = symbols.get(currency)
  if (symbol === undefined) {
    symbol =
      new Intl.NumberFormat('en', { style: 'currency', currency, currencyDisplay: 'narrowSymbol' })
        .formatToParts(0)
        .find((part) => part.type === 'currency')?.value ?? `${currency} `
    symbols.set(currency, symbol)
  }
  return symbol
}

/**
 * ¥45 for whole amounts, ¥45.50 otherwise, ¥1,280 with thousands grouped. Integer arithmetic on the minor units
 * (quotient and remainder), so nothing is rounded: every minor unit shows.
 */
export function formatMoney(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not an amount in minor units: ${minor}`)
  const digits = digitsOf(currency)
  const unit = 10 ** digits
  const sign = minor < 0 ? '-' : ''
  const whole = Math.floor(Math.abs(minor) / unit)
  const rest = Math.abs(minor) % unit
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${sign}${symbolOf(currency)}${grouped}${rest ? `.${String(rest).padStart(digits, '0')}` : ''}`
}

const wallClocks = new Map<string, Intl.DateTimeFormat>()

function wallClock(iso: string, locale: Locale, timeZone: string) {
  const key = `${locale}:${timeZone}`
  let format = wallClocks.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    })
    wallClocks.set(key, format)
  }
  const parts = format.formatToParts(new Date(iso))
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return {
    year: part('year'),
    month: Number(part('month')),
    day: part('day'),
    weekday: part('weekday'),
    time: `${part('hour')}:${part('minute')}`,
  }
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** 2026年12月12日 周六 19:30 / Sat, Dec 12, 2026, 19:30 on the wall clock of `timeZone` (a message is kept: the year shows). */
export function formatDateTime(iso: string, locale: Locale, timeZone: string): string {
  const at = wallClock(iso, locale, timeZone)
  if (locale === 'zh-CN') return `${at.year}年${at.month}月${at.day}日 ${at.weekday} ${at.time}`
  return `${at.weekday}, ${monthNames[at.month - 1]} ${at.day}, ${at.year}, ${at.time}`
}

/** A visit day `YYYY-MM-DD` (already the site's calendar day): 2026年12月12日 周六 / Sat, Dec 12, 2026. */
export function formatDay(date: string, locale: Locale): string {
  // Noon UTC of that day is the same calendar day in every zone the platform serves.
  const at = wallClock(`${date}T12:00:00Z`, locale, 'UTC')
  if (locale === 'zh-CN') return `${at.year}年${at.month}月${at.day}日 ${at.weekday}`
  return `${at.weekday}, ${monthNames[at.month - 1]} ${at.day}, ${at.year}`
}
