// zh-CN and English. The choice is remembered in localStorage; every mounted component re-renders on a switch.
import { useEffect, useState } from 'preact/hooks'

export const locales = ['zh-CN', 'en'] as const
export type Locale = (typeof locales)[number]
const storageKey = 'locale'

function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(storageKey)
    if (stored && (locales as readonly string[]).includes(stored)) return stored as Locale
  } catch {
    // storage can be blocked; fall back to the browser's language
  }
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

let current: Locale = initialLocale()
const listeners = new Set<(locale: Locale) => void>()
if (typeof document !== 'undefined') {
  document.documentElement.lang = current
  rememberForServer(current)
}

export const getLocale = () => current

export function setLocale(locale: Locale) {
  current = locale
  try {
    localStorage.setItem(storageKey, locale)
  } catch {
    // not remembered, still switched
  }
  document.documentElement.lang = locale
  rememberForServer(locale)
  for (const listener of listeners) listener(locale)
}

/**
 * Pages the worker renders itself (the sandbox payment page) read the buyer's language from this cookie; without
 * it they fall back to the browser's Accept-Language.
 */
function rememberForServer(locale: Locale) {
  try {
    // biome-ignore lint/suspicious/noDocumentCookie: Safari has no Cookie Store API; the value is a fixed locale code
    document.cookie = `lang=${locale}; path=/; max-age=31536000; samesite=lax`
  } catch {
    // cookies blocked: the server goes by Accept-Language
  }
}

export function useLocale(): Locale {
  const [locale, setState] = useState(current)
  useEffect(() => {
    listeners.add(setState)
    setState(current)
    return () => {
      listeners.delete(setState)
    }
  }, [])
  return locale
}

export type Params = Record<string, string | number>
export type Translate<K extends string> = (key: K, params?: Params) => string

/**
 * Keys a page asked for that its table lacks (e.g. a status the server added): the page shows the key itself, and
 * the browser tests read this list to fail on any untranslated message.
 */
export const missingMessages: string[] = []
if (typeof window !== 'undefined')
  (window as unknown as { __missingMessages: string[] }).__missingMessages = missingMessages

const pluralRules = new Map<string, Intl.PluralRules>()
function pluralCategory(locale: Locale, count: number): string {
  let rules = pluralRules.get(locale)
  if (!rules) {
    rules = new Intl.PluralRules(locale)
    pluralRules.set(locale, rules)
  }
  return rules.select(count)
}

/** `{count, plural, one {# ticket} other {# tickets}}` (ICU's plural form, `=N` exact cases and `#` included). */
function pluralForm(
  locale: Locale,
  text: string,
  start: number,
  params: Params,
): { value: string; end: number } | null {
  const head = /^\{(\w+),\s*plural,\s*/.exec(text.slice(start))
  if (!head) return null
  const count = Number(params[head[1]!])
  const options = new Map<string, string>()
  let at = start + head[0].length
  while (at < text.length && text[at] !== '}') {
    const selector = /^\s*(=\d+|\w+)\s*\{/.exec(text.slice(at))
    if (!selector) return null
    let depth = 1
    let end = at + selector[0].length
    const bodyStart = end
    while (end < text.length && depth > 0) {
      if (text[end] === '{') depth++
      else if (text[end] === '}') depth--
      end++
    }
    options.set(selector[1]!, text.slice(bodyStart, end - 1))
    at = end
    while (text[at] === ' ') at++
  }
  const chosen =
    options.get(`=${count}`) ?? options.get(pluralCategory(locale, count)) ?? options.get('other') ?? ''
  return { value: fill(locale, chosen.replaceAll('#', String(count)), params), end: at + 1 }
}

function fill(locale: Locale, text: string, params?: Params): string {
  if (!params) return text
  let out = ''
  for (let at = 0; at < text.length; ) {
    const open = text.indexOf('{', at)
    if (open < 0) {
      out += text.slice(at)
      break
    }
    out += text.slice(at, open)
    const plural = pluralForm(locale, text, open, params)
    if (plural) {
      out += plural.value
      at = plural.end
      continue
    }
    const simple = /^\{(\w+)\}/.exec(text.slice(open))
    if (simple && simple[1]! in params) out += String(params[simple[1]!])
    else out += simple ? simple[0] : '{'
    at = open + (simple ? simple[0].length : 1)
  }
  return out
}

/**
 * Declares one module's messages in both languages (the zh-CN table must have every English key) and
 * returns a hook giving `t(key, {param})` for the current locale. `{name}` in a message is replaced by params, and
 * `{count, plural, one {…} other {…}}` picks the language's plural form (`#` is the number).
 */
export function defineMessages<K extends string>(messages: {
  en: Record<K, string>
  'zh-CN': Record<K, string>
}) {
  const translate = (locale: Locale, key: K, params?: Params) => {
    const text = messages[locale][key]
    if (text === undefined) {
      if (!missingMessages.includes(`${locale}:${key}`)) missingMessages.push(`${locale}:${key}`)
      return key
    }
    return fill(locale, text, params)
  }
  return {
    useT(): Translate<K> {
      const locale = useLocale()
      return (key, params) => translate(locale, key, params)
    },
    t: (key: K, params?: Params) => translate(current, key, params),
  }
}
