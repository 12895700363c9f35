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

export function formatDateTime(value: DateInput, locale: Locale, timeZone = eventTimeZone): string {
  return cached(`datetime:${locale}:${timeZone}`, () =>
    Intl.DateTimeFormat(locale, {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
    }),
  ).format(toDate(value))
}

export function formatTime(value: DateInput, locale: Locale, timeZone = eventTimeZone): string {
  return cached(`time:${locale}:${timeZone}`, () =>
    Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone }),
  ).format(toDate(value))
}

/** A calendar date (YYYY-MM-DD, no time zone) as a readable day. */
export function formatDay(isoDate: string, locale: Locale): string {
  return formatDate(`${isoDate}T00:00:00Z`, locale, 'UTC')
}

/** mm:ss for countdowns. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const minutes = Math.floor(total / 60)
  return `${minutes}:${String(total % 60).padStart(2, '0')}`
}
