// A dashboard section: fetched only once it scrolls near the screen (the first view stays light), with its
// loading, error and empty states, and links to download the report it shows as CSV or XLSX.
import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { api } from '../../lib/api.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { adminMessages } from '../messages.ts'

export interface Filters {
  from: string
  to: string
  showId?: string | undefined
  siteId?: string | undefined
  channel?: string | undefined
}

/** Query of a report: the filters it accepts, without the empty ones. */
export function reportQuery(filters: Filters, accepts: (keyof Filters)[]) {
  const query: Record<string, string> = {}
  for (const key of accepts) if (filters[key]) query[key] = filters[key] as string
  return query
}

/** True once the element has come within a screen of the viewport. */
function useNearScreen() {
  const ref = useRef<HTMLElement>(null)
  const [near, setNear] = useState(false)
  useEffect(() => {
    const element = ref.current
    if (!element || near) return
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setNear(true)
      },
      { rootMargin: '400px' },
    )
    observer.observe(element)
    return () => observer.disconnect()
  }, [near])
  return { ref, near }
}

export function ExportLinks(props: {
  base: string
  report: string
  query: Record<string, string>
  table?: string
}) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const href = (format: 'csv' | 'xlsx') => {
    const params = new URLSearchParams({ ...props.query, format, lang: locale })
    if (props.table && format === 'csv') params.set('table', props.table)
    return `${props.base}/exports/reports/${props.report}?${params}`
  }
  return (
    <p class="export-bar">
      <a class="button" href={href('csv')} download data-testid={`export-${props.report}-csv`}>
        {t('dashExportCsv')}
      </a>
      <a class="button" href={href('xlsx')} download data-testid={`export-${props.report}-xlsx`}>
        {t('dashExportXlsx')}
      </a>
    </p>
  )
}

export function ReportSection<T>(props: {
  id: string
  title: string
  url: string | null
  query: Record<string, string>
  /** Why there is nothing to load yet (e.g. pick a site). */
  waiting?: string
  children: (data: T) => ComponentChildren
}) {
  const { ref, near } = useNearScreen()
  const key = props.url ? `${props.url}?${new URLSearchParams(props.query)}` : ''
  const report = useResource(
    (signal) =>
      near && props.url ? api<T>(props.url, { signal, query: props.query }) : Promise.resolve(undefined),
    [near, key],
  )
  return (
    <section
      ref={ref}
      class="stack dash-section"
      aria-labelledby={`${props.id}-heading`}
      data-testid={props.id}
    >
      <h2 id={`${props.id}-heading`}>{props.title}</h2>
      {!props.url && props.waiting ? <p class="muted">{props.waiting}</p> : null}
      {props.url && report.error ? <ProblemAlert error={report.error} onRetry={report.reload} /> : null}
      {/* Below the fold nothing is asked yet, so nothing says loading until it is. */}
      {props.url && near && report.loading && !report.data ? <Loading /> : null}
      {props.url && report.data ? props.children(report.data) : null}
    </section>
  )
}
