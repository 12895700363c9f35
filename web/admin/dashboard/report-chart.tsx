// One dashboard chart drawn by Chart.js (axes, legend, tooltips, numbers in the page's language) with its figures
// in a table under it: the canvas is an image to a screen reader, the table is what a keyboard or screen-reader user
// reads (a focusable region), and both come from the same series.
import type { Chart as ChartType } from 'chart.js'
import { useEffect, useRef } from 'preact/hooks'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { adminMessages } from '../messages.ts'

export type ValueKind = 'count' | 'money' | 'percent'

export interface Series {
  label: string
  data: (number | null)[]
  /** Drawn as a line over bars (e.g. forecast interval, cumulative share). */
  line?: boolean
  /** This column's format, when not the chart's (an amount beside ticket counts). */
  kind?: ValueKind
  /** A column of the table only, not drawn (figures on another scale than the chart's axis). */
  tableOnly?: boolean
  /** The table's text for each row, instead of formatting `data` (e.g. "120/400" beside a share). */
  cells?: string[]
}

export interface ChartSpec {
  type: 'bar' | 'line'
  labels: string[]
  series: Series[]
  kind: ValueKind
  /** Bars run sideways (long names: shows, products). */
  horizontal?: boolean
  stacked?: boolean
}

const palette = ['#b3261e', '#1f5aa6', '#2e7d32', '#8e5b00', '#6a3fa0', '#00707a']

export function useValueFormat(kind: ValueKind, currency: string) {
  const locale = useLocale()
  const whole = new Intl.NumberFormat(locale)
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 })
  const compact = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    notation: 'compact',
    maximumFractionDigits: 1,
  })
  return {
    full: (value: number | null) =>
      value === null
        ? '—'
        : kind === 'money'
          ? formatMoney(value, currency, locale)
          : kind === 'percent'
            ? percent.format(value)
            : whole.format(value),
    tick: (value: number) =>
      kind === 'money'
        ? compact.format(value / 100)
        : kind === 'percent'
          ? percent.format(value)
          : whole.format(value),
  }
}

export function ReportChart(props: { title: string; spec: ChartSpec; currency: string; testId: string }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const canvas = useRef<HTMLCanvasElement>(null)
  const chart = useRef<ChartType | null>(null)
  const { spec } = props
  const formats: Record<ValueKind, ReturnType<typeof useValueFormat>> = {
    count: useValueFormat('count', props.currency),
    money: useValueFormat('money', props.currency),
    percent: useValueFormat('percent', props.currency),
  }
  const format = formats[spec.kind]
  const plotted = spec.series.filter((s) => !s.tableOnly)
  const cell = (s: Series, row: number) =>
    s.cells?.[row] ?? formats[s.kind ?? spec.kind].full(s.data[row] ?? null)
  useEffect(() => {
    let cancelled = false
    if (!spec.labels.length) return
    import('./chartjs.ts').then(({ Chart }) => {
      if (cancelled || !canvas.current) return
      chart.current?.destroy()
      const valueAxis = spec.horizontal ? 'x' : 'y'
      chart.current = new Chart(canvas.current, {
        type: spec.type,
        data: {
          labels: spec.labels,
          datasets: plotted.map((s, i) => ({
            type: s.line ? 'line' : spec.type,
            label: s.label,
            data: s.data,
            backgroundColor: palette[i % palette.length],
            borderColor: palette[i % palette.length],
            borderWidth: spec.type === 'line' || s.line ? 2 : 0,
            pointRadius: spec.labels.length > 40 ? 0 : 2,
          })) as never,
        },
        options: {
          locale,
          animation: false,
          maintainAspectRatio: false,
          indexAxis: spec.horizontal ? 'y' : 'x',
          plugins: {
            legend: { display: plotted.length > 1, position: 'bottom' },
            tooltip: {
              callbacks: {
                label: (item) =>
                  `${item.dataset.label}: ${cell(plotted[item.datasetIndex]!, item.dataIndex)}`,
              },
            },
          },
          scales: {
            [valueAxis]: {
              beginAtZero: true,
              stacked: spec.stacked ?? false,
              ticks: { callback: (value: string | number) => format.tick(Number(value)) },
            },
            [valueAxis === 'x' ? 'y' : 'x']: { stacked: spec.stacked ?? false },
          },
        },
      })
      // What was drawn, for a reader of the DOM (tests): how many labels each axis shows and at what size.
      const drawn = chart.current
      const index = drawn.scales[valueAxis === 'x' ? 'y' : 'x']
      const value = drawn.scales[valueAxis]
      canvas.current.dataset.indexTicks = String(index?.ticks.length ?? 0)
      canvas.current.dataset.valueTicks = String(value?.ticks.length ?? 0)
      const font = (index?.options as { ticks?: { font?: { size?: number } } } | undefined)?.ticks?.font
      canvas.current.dataset.tickFontPx = String(font?.size ?? Chart.defaults.font.size)
    })
    return () => {
      cancelled = true
      chart.current?.destroy()
      chart.current = null
    }
  }, [spec, locale])
  const height = spec.horizontal ? Math.max(180, spec.labels.length * 28 + 60) : 260
  return (
    <figure class="report-chart card" data-testid={props.testId}>
      <figcaption>
        <h3>{props.title}</h3>
      </figcaption>
      {spec.labels.length === 0 ? (
        <p class="muted" data-testid="chart-empty">
          {t('dashNoData')}
        </p>
      ) : (
        <>
          <div class="chart-canvas" style={{ height: `${height}px` }}>
            <canvas ref={canvas} role="img" aria-label={t('dashChartOf', { title: props.title })} />
          </div>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users reach the figures behind the chart */}
          <section class="table-scroll" tabIndex={0} aria-label={t('dashTableOf', { title: props.title })}>
            <table data-testid="chart-table">
              <caption class="visually-hidden">{props.title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('item')}</th>
                  {spec.series.map((s) => (
                    <th key={s.label} scope="col" class="numeric">
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {spec.labels.map((label, row) => (
                  <tr key={`${label}-${row}`}>
                    <th scope="row">{label}</th>
                    {spec.series.map((s) => (
                      <td key={s.label} class="numeric">
                        {cell(s, row)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </figure>
  )
}
