// Pages loaded on first use. The build splits each dynamic import into its own file, so an app's first load carries
// only its shell and the page a visitor lands on most (the shop's home), and every other page arrives when it is
// opened. A file that fails to arrive (no signal) says so and offers to try again, rather than leaving a blank page.
import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { useLocale } from './i18n.ts'
import { problemTexts } from './problem-messages.ts'

export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined
  let loading: Promise<ComponentType<P>> | undefined
  const fetchPage = () => {
    loading ??= load().then(
      (component) => {
        loaded = component
        return component
      },
      (error: unknown) => {
        loading = undefined
        throw error
      },
    )
    return loading
  }
  return function LazyPage(props: P) {
    const locale = useLocale()
    const [Page, setPage] = useState<ComponentType<P> | undefined>(() => loaded)
    const [failed, setFailed] = useState(false)
    const [attempt, setAttempt] = useState(0)
    useEffect(() => {
      if (Page) return
      let live = true
      fetchPage().then(
        (component) => live && setPage(() => component),
        () => live && setFailed(true),
      )
      return () => {
        live = false
      }
    }, [attempt])
    if (Page) return <Page {...props} />
    if (failed)
      return (
        <section role="alert">
          <p>{problemTexts[locale].network}</p>
          <button
            type="button"
            aria-label={locale === 'zh-CN' ? '重试' : 'Try again'}
            onClick={() => {
              setFailed(false)
              setAttempt((n) => n + 1)
            }}
          >
            ↻
          </button>
        </section>
      )
    return <div class="page-loading" aria-busy="true" />
  }
}
