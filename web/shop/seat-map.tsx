// The live seat map: SVG seats coloured by price zone, zoom and pan by wheel, drag and pinch (pointer events
// cover mouse and touch), and a keyboard model: one seat is in the tab order (roving tabindex), arrow keys
// move to the nearest seat in that direction, Enter or Space picks it, + and - zoom.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks'
import { formatMoney } from '../lib/format.ts'
import { useLocale } from '../lib/i18n.ts'
import { shopMessages } from './messages.ts'
import type { CategoryAvailability, Seat } from './types.ts'

interface View {
  x: number
  y: number
  w: number
  h: number
}

const SEAT_R = 8
const TAKEN = '#bdb6b3'

export const seatNumber = (seat: Seat) => seat.label.split('-').pop() ?? seat.label

export function SeatMap(props: {
  seats: Seat[]
  categories: CategoryAvailability[]
  currency: string
  stage: { x: number; y: number } | null
  isCinema: boolean
  selected: ReadonlySet<string>
  onToggle: (seat: Seat) => void
}) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const svgRef = useRef<SVGSVGElement>(null)
  const categories = useMemo(() => new Map(props.categories.map((c) => [c.code, c])), [props.categories])

  const home = useMemo<View>(() => {
    const xs = props.seats.map((s) => s.x)
    const ys = props.seats.map((s) => s.y)
    if (props.stage) {
      xs.push(props.stage.x)
      ys.push(props.stage.y)
    }
    const pad = 30
    const minX = Math.min(...xs) - pad
    const minY = Math.min(...ys) - pad
    return { x: minX, y: minY, w: Math.max(...xs) + pad - minX, h: Math.max(...ys) + pad - minY }
  }, [props.seats, props.stage])
  const [view, setView] = useState<View>(home)
  useEffect(() => setView(home), [home])

  const [focusedId, setFocusedId] = useState<string | null>(null)
  const focused = props.seats.find((s) => s.id === focusedId) ?? props.seats[0]

  /** Zoom by `factor` around a point in map coordinates (the view's centre by default). */
  const zoom = (factor: number, cx = view.x + view.w / 2, cy = view.y + view.h / 2) => {
    const w = Math.min(home.w * 1.5, Math.max(home.w / 12, view.w / factor))
    const ratio = w / view.w
    setView({ x: cx - (cx - view.x) * ratio, y: cy - (cy - view.y) * ratio, w, h: view.h * ratio })
  }

  const toMap = (clientX: number, clientY: number) => {
    const rect = svgRef.current!.getBoundingClientRect()
    const scale = Math.max(view.w / rect.width, view.h / rect.height)
    const offsetX = (rect.width * scale - view.w) / 2
    const offsetY = (rect.height * scale - view.h) / 2
    return {
      x: view.x - offsetX + (clientX - rect.left) * scale,
      y: view.y - offsetY + (clientY - rect.top) * scale,
      scale,
    }
  }

  // Pointers currently down: one drags, two pinch.
  const pointers = useRef(new Map<number, { x: number; y: number }>())
  const dragged = useRef(0)
  const onPointerDown = (event: PointerEvent) => {
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY })
    dragged.current = 0
  }
  const onPointerMove = (event: PointerEvent) => {
    const previous = pointers.current.get(event.pointerId)
    if (!previous) return
    const now = { x: event.clientX, y: event.clientY }
    if (pointers.current.size === 1) {
      const { scale } = toMap(now.x, now.y)
      const dx = now.x - previous.x
      const dy = now.y - previous.y
      dragged.current += Math.abs(dx) + Math.abs(dy)
      if (dragged.current > 6) {
        ;(event.currentTarget as Element).setPointerCapture?.(event.pointerId)
        setView((v) => ({ ...v, x: v.x - dx * scale, y: v.y - dy * scale }))
      }
    } else if (pointers.current.size === 2) {
      const [other] = [...pointers.current.entries()].filter(([id]) => id !== event.pointerId)
      if (other) {
        const before = Math.hypot(previous.x - other[1].x, previous.y - other[1].y)
        const after = Math.hypot(now.x - other[1].x, now.y - other[1].y)
        const centre = toMap((now.x + other[1].x) / 2, (now.y + other[1].y) / 2)
        if (before > 0) zoom(after / before, centre.x, centre.y)
        dragged.current = 100
      }
    }
    pointers.current.set(event.pointerId, now)
  }
  const onPointerUp = (event: PointerEvent) => {
    pointers.current.delete(event.pointerId)
  }
  const onWheel = (event: WheelEvent) => {
    event.preventDefault()
    const point = toMap(event.clientX, event.clientY)
    zoom(event.deltaY < 0 ? 1.2 : 1 / 1.2, point.x, point.y)
  }

  /** The nearest seat from `from` in a direction, favouring the same line (row or column). */
  const nearest = (from: Seat, dx: number, dy: number) => {
    let best: Seat | undefined
    let bestScore = Number.POSITIVE_INFINITY
    for (const seat of props.seats) {
      const along = (seat.x - from.x) * dx + (seat.y - from.y) * dy
      if (along <= 1) continue
      const across = Math.abs((seat.x - from.x) * dy) + Math.abs((seat.y - from.y) * dx)
      const score = along + across * 3
      if (score < bestScore) {
        bestScore = score
        best = seat
      }
    }
    return best
  }

  const moveFocus = (seat: Seat) => {
    setFocusedId(seat.id)
    // Keep the focused seat inside the visible part of the map.
    setView((v) =>
      seat.x < v.x || seat.x > v.x + v.w || seat.y < v.y || seat.y > v.y + v.h
        ? { ...v, x: seat.x - v.w / 2, y: seat.y - v.h / 2 }
        : v,
    )
  }

  // Layout effect: focus follows the arrow key before the next paint, not a frame later.
  useLayoutEffect(() => {
    if (!focusedId || !svgRef.current?.contains(document.activeElement)) return
    const element = svgRef.current.querySelector<SVGElement>(`[data-seat-id="${focusedId}"]`)
    if (element && document.activeElement !== element) element.focus()
  }, [focusedId])

  const onKeyDown = (event: KeyboardEvent) => {
    if (!focused) return
    const moves: Record<string, [number, number]> = {
      ArrowRight: [1, 0],
      ArrowLeft: [-1, 0],
      ArrowDown: [0, 1],
      ArrowUp: [0, -1],
    }
    const move = moves[event.key]
    if (move) {
      event.preventDefault()
      const next = nearest(focused, move[0], move[1])
      if (next) moveFocus(next)
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      if (focused.state === 'free' || props.selected.has(focused.id)) props.onToggle(focused)
    } else if (event.key === '+' || event.key === '=') zoom(1.25)
    else if (event.key === '-') zoom(1 / 1.25)
  }

  const stateText = (seat: Seat) => t(props.selected.has(seat.id) ? 'state_selected' : `state_${seat.state}`)
  const label = (seat: Seat) => {
    const zone = categories.get(seat.category)
    const extras = [
      seat.accessible && t('accessibleSeat'),
      seat.companion && t('companionSeat'),
      seat.restrictedView && t('restrictedSeat'),
    ].filter(Boolean)
    return (
      t('seatLabel', {
        row: seat.row,
        number: seatNumber(seat),
        zone: zone?.name ?? seat.category,
        price: zone ? formatMoney(zone.price, props.currency, locale) : '',
        state: stateText(seat),
      }) + (extras.length ? `, ${extras.join(', ')}` : '')
    )
  }

  const stage = props.stage ?? { x: home.x + home.w / 2, y: home.y + 10 }
  return (
    <div class="seat-map">
      <p id="seat-map-help" class="muted small">
        {t('seatMapHelp')}
      </p>
      <div class="row seat-map-tools">
        <button type="button" class="button" onClick={() => zoom(1.25)} aria-label={t('zoomIn')}>
          +
        </button>
        <button type="button" class="button" onClick={() => zoom(1 / 1.25)} aria-label={t('zoomOut')}>
          −
        </button>
        <button type="button" class="button" onClick={() => setView(home)}>
          {t('resetView')}
        </button>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG drawing cannot be a fieldset; the group names the seats */}
      <svg
        ref={svgRef}
        class="seat-map-svg"
        viewBox={`${view.x} ${view.y} ${view.w} ${view.h}`}
        role="group"
        aria-label={t('seatMap')}
        aria-describedby="seat-map-help"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onWheel={onWheel}
        onKeyDown={onKeyDown}
        data-testid="seat-map"
      >
        <g>
          <rect x={stage.x - 80} y={stage.y - 12} width={160} height={16} rx={4} fill="#4a4543" />
          <text x={stage.x} y={stage.y + 1} text-anchor="middle" font-size="11" fill="#fff">
            {t(props.isCinema ? 'screen' : 'stage')}
          </text>
        </g>
        {props.seats.map((seat) => {
          const selected = props.selected.has(seat.id)
          const available = seat.state === 'free' || selected
          const fill = selected
            ? '#1d1b1a'
            : available
              ? (categories.get(seat.category)?.color ?? '#777')
              : TAKEN
          const common = {
            'data-seat-id': seat.id,
            'data-state': selected ? 'selected' : seat.state,
            role: 'checkbox' as const,
            'aria-checked': selected,
            'aria-disabled': !available,
            'aria-label': label(seat),
            tabIndex: seat.id === focused?.id ? 0 : -1,
            class: `seat${selected ? ' seat-selected' : ''}${available ? '' : ' seat-taken'}`,
            fill,
            onFocus: () => setFocusedId(seat.id),
            onClick: () => {
              setFocusedId(seat.id)
              if (dragged.current <= 6 && available) props.onToggle(seat)
            },
          }
          return seat.accessible ? (
            <rect
              key={seat.id}
              {...common}
              x={seat.x - SEAT_R}
              y={seat.y - SEAT_R}
              width={SEAT_R * 2}
              height={SEAT_R * 2}
              rx={3}
            />
          ) : (
            <circle key={seat.id} {...common} cx={seat.x} cy={seat.y} r={SEAT_R} />
          )
        })}
      </svg>
      <ul class="legend plain-list row" aria-label={t('priceZones')}>
        {props.categories.map((category) => (
          <li key={category.code}>
            <span class="swatch" style={{ background: category.color }} aria-hidden="true" />
            {category.name} {formatMoney(category.price, props.currency, locale)} ·{' '}
            {t('seatsLeft', { count: category.available })}
          </li>
        ))}
        <li>
          <span class="swatch" style={{ background: '#1d1b1a' }} aria-hidden="true" />
          {t('legendSelected')}
        </li>
        <li>
          <span class="swatch" style={{ background: TAKEN }} aria-hidden="true" />
          {t('legendTaken')}
        </li>
        <li>
          <span class="swatch swatch-square" aria-hidden="true" />
          {t('legendAccessible')}
        </li>
      </ul>
    </div>
  )
}
