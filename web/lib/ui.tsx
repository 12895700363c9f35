// Small UI primitives shared by the apps: page shell, language switch, problem alerts, loading, fields.
import type { ButtonHTMLAttributes, ComponentChildren } from 'preact'
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { ApiError } from './api.ts'
import { defineMessages, type Locale, locales, setLocale, useLocale } from './i18n.ts'
import { problemMessage } from './problem-messages.ts'

const common = defineMessages({
  en: {
    language: 'Language',
    loading: 'Loading…',
    retry: 'Try again',
    requestId: 'Request id',
    skip: 'Skip to content',
    dismiss: 'Dismiss',
    unexpected: 'Something went wrong.',
  },
  'zh-CN': {
    language: '语言',
    loading: '加载中…',
    retry: '重试',
    requestId: '请求编号',
    skip: '跳到正文',
    dismiss: '关闭',
    unexpected: '出错了。',
  },
})

const localeNames: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' }

export function LanguageSwitch() {
  const locale = useLocale()
  const t = common.useT()
  return (
    <label class="language-switch">
      <span class="visually-hidden">{t('language')}</span>
      <select
        value={locale}
        onChange={(event) => setLocale((event.target as HTMLSelectElement).value as Locale)}
        data-testid="language-switch"
      >
        {locales.map((code) => (
          <option key={code} value={code} lang={code}>
            {localeNames[code]}
          </option>
        ))}
      </select>
    </label>
  )
}

/** The page frame: header (brand, nav, language), main landmark, optional footer. */
export function Shell(props: {
  brand: ComponentChildren
  nav?: ComponentChildren
  children: ComponentChildren
  footer?: ComponentChildren
}) {
  const t = common.useT()
  return (
    <>
      <a class="skip-link" href="#main">
        {t('skip')}
      </a>
      <header class="app-header">
        <div class="brand">{props.brand}</div>
        {props.nav && <nav class="app-nav">{props.nav}</nav>}
        <LanguageSwitch />
      </header>
      <main id="main" class="app-main" tabIndex={-1}>
        {props.children}
      </main>
      {props.footer && <footer class="app-footer">{props.footer}</footer>}
    </>
  )
}

/**
 * Shows an API failure in the page's language: the text for the problem's code (the app's own wording first,
 * then the shared catalogue), each invalid field, and the request id for support. The server's English title and
 * detail appear only for a code the client does not know.
 */
export function ProblemAlert({
  error,
  onRetry,
  messages,
}: {
  error: unknown
  onRetry?: () => void
  /** Per-code texts in the current language, preferred over the shared catalogue's. */
  messages?: Partial<Record<string, string>>
}) {
  const t = common.useT()
  const locale = useLocale()
  if (!error) return null
  const problem = error instanceof ApiError ? error.problem : undefined
  const own = problem && messages?.[problem.code]
  const shared = problemMessage(error, locale)
  const known = own ?? (shared.known ? shared.text : undefined)
  return (
    <div class="alert alert-error" role="alert" data-code={problem?.code}>
      <strong>{known ?? problem?.title ?? t('unexpected')}</strong>
      {!known && problem?.detail && <p>{problem.detail}</p>}
      {problem?.errors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((field) => (
            <li key={`${field.path}:${field.row ?? ''}`}>
              {field.row !== undefined && `#${field.row} `}
              {field.path && <code>{field.path}</code>} {field.message}
            </li>
          ))}
        </ul>
      )}
      {!problem && error instanceof Error && <p>{error.message}</p>}
      {problem?.requestId && (
        <p class="muted small">
          {t('requestId')}: <code translate={false}>{problem.requestId}</code>
        </p>
      )}
      {onRetry && (
        <button type="button" class="button" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  )
}

export function Loading() {
  const t = common.useT()
  return (
    <p class="loading" role="status" aria-live="polite">
      {t('loading')}
    </p>
  )
}

export interface Resource<T> {
  data: T | undefined
  error: unknown
  loading: boolean
  reload: () => void
}

/** Loads data when the deps change (stale answers are dropped); `reload()` fetches again. */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true })
  const [version, setVersion] = useState(0)
  // The caller lists what the loader depends on (deps), as with useEffect.
  useEffect(() => {
    const controller = new AbortController()
    setState((previous) => ({ data: previous.data, loading: true }))
    load(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, loading: false }),
      (error) => !controller.signal.aborted && setState({ error, loading: false }),
    )
    return () => controller.abort()
  }, [...deps, version])
  const reload = useCallback(() => setVersion((v) => v + 1), [])
  return { data: state.data, error: state.error, loading: state.loading, reload }
}

/** The current time, re-rendering every `intervalMs` (for countdowns). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}

/** A labelled form field; the hint and error are tied to the control for screen readers. */
export function Field(props: {
  label: ComponentChildren
  error?: string | null
  hint?: ComponentChildren
  children: (ids: { id: string; describedBy?: string; invalid: boolean }) => ComponentChildren
}) {
  const id = useRef(`f${Math.random().toString(36).slice(2, 9)}`).current
  const describedBy = [props.hint && `${id}-hint`, props.error && `${id}-error`].filter(Boolean).join(' ')
  return (
    <div class={`field${props.error ? ' field-invalid' : ''}`}>
      <label for={id}>{props.label}</label>
      {props.children({ id, describedBy: describedBy || undefined, invalid: Boolean(props.error) })}
      {props.hint && (
        <small id={`${id}-hint`} class="muted">
          {props.hint}
        </small>
      )}
      {props.error && (
        <small id={`${id}-error`} class="field-error">
          {props.error}
        </small>
      )}
    </div>
  )
}

export function Button(
  props: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' },
) {
  const { variant = 'secondary', class: className, ...rest } = props
  return <button type="button" {...rest} class={`button button-${variant} ${className ?? ''}`} />
}
