import * as v from 'valibot'
import { type Locale, locales, readerLocale } from '../domain/locale.ts'

/** A body field for the page's language (the shop's or console's `zh-CN` / `en`), which messages are written in. */
export const localeField = { locale: v.optional(v.picklist(locales)) }

/** The reader's language for this request: `explicit` (the body's), else the apps' `lang` cookie, Accept-Language, Chinese. */
export function requestLocale(
  c: { req: { header(name: string): string | undefined } },
  explicit: string | undefined,
): Locale {
  return readerLocale({
    explicit,
    cookie: c.req.header('cookie'),
    acceptLanguage: c.req.header('accept-language'),
  })
}
