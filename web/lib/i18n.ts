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
if (typeof document !== 'undefined') document.documentElement.lang = current

export const getLocale = () => current

export function setLocale(locale: Locale) {
  current = locale
  try {
    localStorage.setItem(storageKey, locale)
  } catch {
    // not remembered, still switched
  }
  document.documentElement.lang = locale
  for (const listener of listeners) listener(locale)
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

const fill = (text: string, params?: Params) =>
  params ? text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole)) : text

/**
 * Declares one module's messages in both languages (the zh-CN table must have every English key) and
 * returns a hook giving `t(key, {param})` for the current locale. `{name}` in a message is replaced by params.
 */
export function defineMessages<K extends string>(messages: {
  en: Record<K, string>
  'zh-CN': Record<K, string>
}) {
  const translate = (locale: Locale, key: K, params?: Params) => fill(messages[locale][key] ?? key, params)
  return {
    useT(): Translate<K> {
      const locale = useLocale()
      return (key, params) => translate(locale, key, params)
    },
    t: (key: K, params?: Params) => translate(current, key, params),
  }
}
