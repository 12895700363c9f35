// Small SVG charts with text alternatives: each chart is an image with a one-line summary for screen
// readers, and the exact figures follow in a table anyone can open.
import { adminMessages } from './messages.ts'

export interface Datum {
  label: string
  value: number
  /** The value as people read it (money, percent). */
  display: string
}

function FiguresTable({ title, data, valueHeader }: { title: string; data: Datum[]; valueHeader: string }) {
  const t = adminMessages.useT()
  return (
    <details class="chart-table">
      <summary>{t('showFigures')}</summary>
      <table>
        <caption class="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('item')}</th>
            <th scope="col" class="numeric">
              {valueHeader}
            </th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.label}>
              <th scope="row">{d.label}</th>
              <td class="numeric">{d.display}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  )
}

const summaryOf = (title: string, data: Datum[]) =>
  `${title}: ${data.map((d) => `${d.label} ${d.display}`).join('; ')}`

/** Horizontal bars, one per datum (label above its bar), scaled to `max` (default: the largest value). */
export function BarChart(props: {
  title: string
  data: Datum[]
  valueHeader: string
  max?: number
  testId?: string
}) {
  const t = adminMessages.useT()
  const max = props.max ?? Math.max(1, ...props.data.map((d) => d.value))
  const rowHeight = 40
  const width = 480
  const barSpace = width - 150
  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      {props.data.length === 0 ? (
        <p class="muted">{t('noData')}</p>
      ) : (
        <>
          <svg
            width={width}
            viewBox={`0 0 ${width} ${props.data.length * rowHeight}`}
            role="img"
            aria-label={summaryOf(props.title, props.data)}
          >
            {props.data.map((d, i) => {
              const y = i * rowHeight
              const w = Math.max(2, (Math.min(d.value, max) / max) * barSpace)
              return (
                <g key={d.label}>
                  <text x={0} y={y + 14} font-size="13" fill="#1d1b1a">
                    {d.label.length > 60 ? `${d.label.slice(0, 59)}…` : d.label}
                  </text>
                  <rect x={0} y={y + 20} width={w} height={14} rx={3} fill="#b3261e" />
                  <text x={w + 6} y={y + 32} font-size="13" fill="#1d1b1a">
                    {d.display}
                  </text>
                </g>
              )
            })}
          </svg>
          <FiguresTable title={props.title} data={props.data} valueHeader={props.valueHeader} />
        </>
      )}
    </figure>
  )
}

/** One column per day (an empty day is a gap), with the first and last day labelled. */
export function DayChart(props: { title: string; data: Datum[]; valueHeader: string; testId?: string }) {
  const t = adminMessages.useT()
  const width = 480
  const height = 180
  const bottom = 24
  const top = 18
  const max = Math.max(1, ...props.data.map((d) => d.value))
  const slot = width / Math.max(props.data.length, 7)
  const barWidth = Math.max(2, slot * 0.7)
  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      {props.data.length === 0 ? (
        <p class="muted">{t('noData')}</p>
      ) : (
        <>
          <svg
            width={width}
            viewBox={`0 0 ${width} ${height}`}
            role="img"
            aria-label={summaryOf(props.title, props.data)}
          >
            <line x1={0} x2={width} y1={height - bottom} y2={height - bottom} stroke="#8a8482" />
            {props.data.map((d, i) => {
              const h = (d.value / max) * (height - bottom - top)
              return (
                <rect
                  key={d.label}
                  x={i * slot + (slot - barWidth) / 2}
                  y={height - bottom - h}
                  width={barWidth}
                  height={h}
                  rx={2}
                  fill="#b3261e"
                />
              )
            })}
            <text x={width} y={12} font-size="12" text-anchor="end" fill="#5c5755">
              {props.data.reduce((best, d) => (d.value > best.value ? d : best)).display}
            </text>
            <text x={0} y={height - 6} font-size="12" fill="#5c5755">
              {props.data[0]!.label}
            </text>
            {props.data.length > 1 && (
              <text x={width} y={height - 6} font-size="12" text-anchor="end" fill="#5c5755">
                {props.data[props.data.length - 1]!.label}
              </text>
            )}
          </svg>
          <FiguresTable title={props.title} data={props.data} valueHeader={props.valueHeader} />
        </>
      )}
    </figure>
  )
}
