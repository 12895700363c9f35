// The reader's language, as the platform writes to buyers and staff: the shop and console offer Chinese and English.

export const locales = ['zh-CN', 'en'] as const
export type Locale = (typeof locales)[number]

/** Chinese unless the reader chose otherwise: the events are in China. */
export const defaultLocale: Locale = 'zh-CN'

/** `zh`, `zh-Hans-CN`, `en-GB`, … read as one of the two languages; anything else is not a choice. */
export function localeOf(value: string | null | undefined): Locale | undefined {
  const lower = value?.trim().toLowerCase()
  if (!lower) return undefined
  if (lower.startsWith('zh')) return 'zh-CN'
  if (lower.startsWith('en')) return 'en'
  return undefined
}

/**
 * The reader's language from what a request carries, most explicit first: a value the page sent (`locale` in
 * the body, `?lang=`), the apps' `lang` cookie, then the first of the browser's Accept-Language it can read.
 */
export function readerLocale(from: {
  explicit?: string | null
  cookie?: string | null
  acceptLanguage?: string | null
}): Locale {
  const fromCookie = /(?:^|;\s*)lang=([^;]+)/.exec(from.cookie ?? '')?.[1]
  const fromAccept = (from.acceptLanguage ?? '')
    .split(',')
    .map((part) => localeOf(part.split(';')[0]))
    .find(Boolean)
  return localeOf(from.explicit) ?? localeOf(fromCookie) ?? fromAccept ?? defaultLocale
}
