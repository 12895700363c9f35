// The seat map as SVG with selection: click a seat to toggle it, drag a box to select every seat inside
// (shift keeps the current selection), or pick a whole row from the list (keyboard and screen readers).
import { useMemo, useRef, useState } from 'preact/hooks'
import type { SectionNameView } from '../../worker/domain/section-names.ts'
import { useLocale } from '../lib/i18n.ts'
import { localName, seatName, sectionTitle, withSectionNames } from '../lib/labels.ts'
import { adminMessages } from './messages.ts'

export interface MapSeat {
  id: string
  label: string
  section: string
  row: string
  category: string
  x: number
  y: number
  accessible?: boolean
  companion?: boolean
  restrictedView?: boolean
  blocked?: boolean
  /** Live state on a show's map. */
  state?: 'free' | 'held' | 'sold' | 'blocked'
}

export interface MapCategory {
  code: string
  name: string
  nameEn?: string | null
  color: string
}

const radius = 8
const pad = 24

interface Box {
  x0: number
  y0: number
  x1: number
  y1: number
}

export function SeatMap(props: {
  seats: MapSeat[]
  categories: MapCategory[]
  stage?: { x: number; y: number } | null
  selected: Set<string>
  onSelect: (next: Set<string>) => void
  title: string
  /** The venue's section names (池座 / Stalls) by key; a section missing here reads as its key. */
  sections?: SectionNameView[] | undefined
}) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const svg = useRef<SVGSVGElement>(null)
  const [box, setBox] = useState<(Box & { add: boolean }) | null>(null)
  const colors = useMemo(() => new Map(props.categories.map((c) => [c.code, c.color])), [props.categories])
  const names = useMemo(
    () => new Map(props.categories.map((c) => [c.code, localName(c, locale)])),
    [props.categories, locale],
  )
  const live = props.seats.some((seat) => seat.state)
  const bounds = useMemo(() => {
    const xs = props.seats.map((s) => s.x)
    const ys = props.seats.map((s) => s.y)
    if (props.stage) {
      xs.push(props.stage.x)
      ys.push(props.stage.y)
    }
    if (xs.length === 0) return { x: 0, y: 0, width: 100, height: 100 }
    const minX = Math.min(...xs) - pad
    const minY = Math.min(...ys) - pad
    return { x: minX, y: minY, width: Math.max(...xs) + pad - minX, height: Math.max(...ys) + pad - minY }
  }, [props.seats, props.stage])
  const rows = useMemo(() => {
    const byRow = new Map<string, string[]>()
    for (const seat of props.seats) {
      const key = `${seat.section}\u0000${seat.row}`
      byRow.set(key, [...(byRow.get(key) ?? []), seat.id])
    }
    return byRow
  }, [props.seats])
  /** A row as people read it: 池座 A排 / Stalls, row A. */
  const rowName = (key: string) => {
    const [section = '', row = ''] = key.split('\u0000')
    const title = sectionTitle(withSectionNames({ section, row }, props.sections), locale)
    return locale === 'zh-CN' ? `${title} ${row}排` : `${title}, row ${row}`
  }
  const [rowKey, setRowKey] = useState('')

  const toPlane = (event: PointerEvent) => {
    const matrix = svg.current!.getScreenCTM()!.inverse()
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix)
    return { x: point.x, y: point.y }
  }
  const down = (event: PointerEvent) => {
    if ((event.target as Element).closest('[data-seat]')) return
    const { x, y } = toPlane(event)
    ;(event.currentTarget as Element).setPointerCapture?.(event.pointerId)
    setBox({ x0: x, y0: y, x1: x, y1: y, add: event.shiftKey })
  }
  const move = (event: PointerEvent) => {
    if (!box) return
    const { x, y } = toPlane(event)
    setBox({ ...box, x1: x, y1: y })
  }
  const up = () => {
    if (!box) return
    const [left, right] = [Math.min(box.x0, box.x1), Math.max(box.x0, box.x1)]
    const [top, bottom] = [Math.min(box.y0, box.y1), Math.max(box.y0, box.y1)]
    const inside = props.seats.filter((s) => s.x >= left && s.x <= right && s.y >= top && s.y <= bottom)
    // A click on empty space (no drag) clears the selection unless shift is held.
    const next = new Set(box.add ? props.selected : [])
    for (const seat of inside) next.add(seat.id)
    setBox(null)
    props.onSelect(next)
  }
  const toggle = (id: string) => {
    const next = new Set(props.selected)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    props.onSelect(next)
  }
  const fill = (seat: MapSeat) => {
    if (seat.blocked || seat.state === 'blocked') return '#8a8581'
    if (seat.state === 'sold') return '#3b3634'
    if (seat.state === 'held') return '#b06d00'
    return colors.get(seat.category) ?? '#555'
  }

  return (
    <div class="seat-map">
      <div class="seat-map-tools">
        <label for="seat-row-picker">{t('selectRow')}</label>
        <select
          id="seat-row-picker"
          value={rowKey}
          onChange={(e) => setRowKey((e.target as HTMLSelectElement).value)}
        >
          <option value="">—</option>
          {[...rows.keys()].map((key) => (
            <option key={key} value={key}>
              {rowName(key)}
            </option>
          ))}
        </select>
        <button
          type="button"
          class="button button-secondary"
          disabled={!rowKey}
          onClick={() => props.onSelect(new Set([...props.selected, ...(rows.get(rowKey) ?? [])]))}
        >
          {t('addRow')}
        </button>
        <button
          type="button"
          class="button button-secondary"
          onClick={() => props.onSelect(new Set(props.seats.map((s) => s.id)))}
        >
          {t('selectAll')}
        </button>
        <button type="button" class="button button-secondary" onClick={() => props.onSelect(new Set())}>
          {t('clearSelection')}
        </button>
        <output class="selection-count" data-testid="selection-count" aria-live="polite">
          {t('selectedCount', { n: props.selected.size })}
        </output>
      </div>
      <div class="seat-map-frame">
        <svg
          ref={svg}
          data-testid="seat-map"
          viewBox={`${bounds.x} ${bounds.y} ${bounds.width} ${bounds.height}`}
          // Small maps are not blown up past a comfortable seat size; big ones open whole, fitted to the frame.
          style={{ maxWidth: `${Math.max(320, bounds.width * 2.5)}px` }}
          preserveAspectRatio="xMidYMin meet"
          role="img"
          aria-label={t('seatMapSummary', {
            title: props.title,
            n: props.seats.length,
            selected: props.selected.size,
          })}
          onPointerDown={down}
          onPointerMove={move}
          onPointerUp={up}
          onPointerCancel={() => setBox(null)}
        >
          <rect x={bounds.x} y={bounds.y} width={bounds.width} height={bounds.height} fill="transparent" />
          {props.stage && (
            <g>
              <rect
                x={props.stage.x - 60}
                y={props.stage.y - 10}
                width={120}
                height={20}
                rx={4}
                fill="#e4dfdc"
              />
              <text
                x={props.stage.x}
                y={props.stage.y + 5}
                text-anchor="middle"
                font-size="12"
                fill="#1d1b1a"
              >
                {t('stage')}
              </text>
            </g>
          )}
          {props.seats.map((seat) => {
            const isSelected = props.selected.has(seat.id)
            return (
              // biome-ignore lint/a11y/noStaticElementInteractions: pointer shortcut; keyboard users select rows with the row picker
              <circle
                key={seat.id}
                data-seat={seat.id}
                cx={seat.x}
                cy={seat.y}
                r={radius}
                fill={fill(seat)}
                stroke={isSelected ? '#0b57d0' : seat.accessible ? '#1e6b3a' : 'none'}
                stroke-width={isSelected ? 4 : 2}
                onClick={(event) => {
                  event.stopPropagation()
                  toggle(seat.id)
                }}
              >
                <title>
                  {[
                    seatName(withSectionNames(seat, props.sections), locale, { section: true }),
                    names.get(seat.category) ?? seat.category,
                    seat.state ? t(`seatState_${seat.state}`) : '',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </title>
              </circle>
            )
          })}
          {box && (
            <rect
              x={Math.min(box.x0, box.x1)}
              y={Math.min(box.y0, box.y1)}
              width={Math.abs(box.x1 - box.x0)}
              height={Math.abs(box.y1 - box.y0)}
              fill="rgba(11,87,208,0.12)"
              stroke="#0b57d0"
              stroke-dasharray="4 2"
            />
          )}
        </svg>
      </div>
      <ul class="legend" data-testid="seat-legend">
        {props.categories.map((category) => (
          <li key={category.code}>
            <span class="swatch" style={{ background: category.color }} aria-hidden="true" />{' '}
            {localName(category, locale)}
          </li>
        ))}
        {live && (
          <>
            <li>
              <span class="swatch" style={{ background: '#b06d00' }} aria-hidden="true" />{' '}
              {t('seatState_held')}
            </li>
            <li>
              <span class="swatch" style={{ background: '#3b3634' }} aria-hidden="true" />{' '}
              {t('seatState_sold')}
            </li>
          </>
        )}
        <li>
          <span class="swatch" style={{ background: '#8a8581' }} aria-hidden="true" /> {t('blocked')}
        </li>
      </ul>
    </div>
  )
}
