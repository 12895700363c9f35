// Dashboard charts as plain SVG drawn at the size they are shown (never scaled down, so labels stay 12–13 px on a
// phone), with axes, gridlines and names; each is an image with a one-line summary for screen readers, and the
// exact figures follow in a table anyone can open. No chart library: two chart shapes do not need one, and DOM text
// stays selectable, translatable and testable.
import type { RefObject } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { adminMessages } from './messages.ts'

export interface Datum {
  label: string
  value: number
  /** The value as people read it (money, percent). */
  display: string
}

const ink = '#1d1b1a'
const muted = '#5c5755'
const grid = '#e4dfdc'
const bar = '#b3261e'
const fontSize = 12

/** The rendered width of an element, following resizes (phones rotate, sidebars open). */
function useWidth(ref: RefObject<HTMLElement | null>, fallback = 480) {
  const [width, setWidth] = useState(fallback)
  useEffect(() => {
    const element = ref.current
    if (!element) return
    const measure = () => setWidth(Math.max(240, Math.floor(element.clientWidth)))
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(element)
    return () => observer.disconnect()
  }, [])
  return width
}

/** Round axis steps (1, 2, 5 × 10ⁿ) so gridlines fall on numbers people read at a glance. */
export function axisTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0, 1]
  const raw = max / count
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw
  const ticks: number[] = []
  for (let value = 0; value <= max + step * 0.001; value += step) ticks.push(value)
  if (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + step)
  return ticks
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

const clip = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars - 1)}…` : text)

/** Horizontal bars, one per named datum, on a value axis with gridlines, scaled to `max` (default: the largest). */
export function BarChart(props: {
  title: string
  data: Datum[]
  valueHeader: string
  max?: number
  /** How an axis value reads (money, percent). */
  tick?: (value: number) => string
  testId?: string
}) {
  const t = adminMessages.useT()
  const frame = useRef<HTMLDivElement>(null)
  const width = useWidth(frame)
  const labelWidth = Math.min(180, Math.round(width * 0.36))
  const valueRoom = 96
  const plot = Math.max(60, width - labelWidth - valueRoom)
  const rowHeight = 34
  const axisHeight = 26
  const ticks = props.max
    ? axisTicks(props.max, 4)
    : axisTicks(Math.max(...props.data.map((d) => d.value), 1), 4)
  const max = ticks[ticks.length - 1]!
  const height = props.data.length * rowHeight + axisHeight
  const labelChars = Math.max(6, Math.floor(labelWidth / 7.5))
  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <div ref={frame}>
        {props.data.length === 0 ? (
          <p class="muted">{t('noData')}</p>
        ) : (
          <>
            <svg width={width} height={height} role="img" aria-label={summaryOf(props.title, props.data)}>
              {ticks.map((value) => {
                const x = labelWidth + (value / max) * plot
                return (
                  <g key={value}>
                    <line x1={x} x2={x} y1={0} y2={height - axisHeight} stroke={grid} />
                    <text x={x} y={height - 8} font-size={fontSize} text-anchor="middle" fill={muted}>
                      {props.tick ? props.tick(value) : String(value)}
                    </text>
                  </g>
                )
              })}
              <line x1={labelWidth} x2={labelWidth} y1={0} y2={height - axisHeight} stroke={muted} />
              {props.data.map((d, i) => {
                const y = i * rowHeight
                const w = Math.max(2, (Math.min(d.value, max) / max) * plot)
                return (
                  <g key={d.label} data-bar={d.label}>
                    <text x={labelWidth - 8} y={y + 21} font-size={13} text-anchor="end" fill={ink}>
                      <title>{d.label}</title>
                      {clip(d.label, labelChars)}
                    </text>
                    <rect x={labelWidth} y={y + 8} width={w} height={18} rx={3} fill={bar} />
                    <text x={labelWidth + w + 6} y={y + 21} font-size={13} fill={ink}>
                      {d.display}
                    </text>
                  </g>
                )
              })}
            </svg>
            <FiguresTable title={props.title} data={props.data} valueHeader={props.valueHeader} />
          </>
        )}
      </div>
    </figure>
  )
}

/** One column per day on a value axis with gridlines; dates along the bottom as often as they fit. */
export function DayChart(props: {
  title: string
  data: Datum[]
  valueHeader: string
  tick?: (value: number) => string
  testId?: string
}) {
  const t = adminMessages.useT()
  const frame = useRef<HTMLDivElement>(null)
  const width = useWidth(frame)
  const height = 230
  const left = 64
  const bottom = 28
  const top = 10
  const plotHeight = height - bottom - top
  const plotWidth = width - left - 8
  const ticks = axisTicks(Math.max(...props.data.map((d) => d.value), 1), 4)
  const max = ticks[ticks.length - 1]!
  const slot = plotWidth / Math.max(props.data.length, 1)
  const barWidth = Math.max(2, slot * 0.7)
  // A date label needs about 56 px; show every n-th so they never overlap.
  const every = Math.max(1, Math.ceil(56 / slot))
  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <div ref={frame}>
        {props.data.length === 0 ? (
          <p class="muted">{t('noData')}</p>
        ) : (
          <>
            <svg width={width} height={height} role="img" aria-label={summaryOf(props.title, props.data)}>
              {ticks.map((value) => {
                const y = top + plotHeight - (value / max) * plotHeight
                return (
                  <g key={value} data-tick={value}>
                    <line x1={left} x2={width - 8} y1={y} y2={y} stroke={grid} />
                    <text x={left - 6} y={y + 4} font-size={fontSize} text-anchor="end" fill={muted}>
                      {props.tick ? props.tick(value) : String(value)}
                    </text>
                  </g>
                )
              })}
              <line x1={left} x2={width - 8} y1={top + plotHeight} y2={top + plotHeight} stroke={muted} />
              {props.data.map((d, i) => {
                const h = (d.value / max) * plotHeight
                const x = left + i * slot + (slot - barWidth) / 2
                return (
                  <g key={d.label}>
                    <rect x={x} y={top + plotHeight - h} width={barWidth} height={h} rx={2} fill={bar}>
                      <title>{`${d.label} ${d.display}`}</title>
                    </rect>
                    {(i % every === 0 || i === props.data.length - 1) &&
                      (i === props.data.length - 1 || props.data.length - 1 - i >= every) && (
                        <text
                          x={left + i * slot + slot / 2}
                          y={height - 8}
                          font-size={fontSize}
                          text-anchor="middle"
                          fill={muted}
                          data-axis="x"
                        >
                          {d.label}
                        </text>
                      )}
                  </g>
                )
              })}
            </svg>
            <FiguresTable title={props.title} data={props.data} valueHeader={props.valueHeader} />
          </>
        )}
      </div>
    </figure>
  )
}
