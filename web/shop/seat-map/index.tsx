// The live seat map, made for a phone. A venue too big to pick from whole (the 2,030-seat hall) opens as an
// overview of its sections (name, price from, seats left); a tap zooms into the section there with seats big
// enough for a finger, row labels at the edge, the section's name and a mini-map of where the view is. Drag
// or pinch pans and zooms, so do the buttons and the wheel. Keyboard: sections are buttons; in a section one
// seat is in the tab order (roving tabindex), arrow keys move to the nearest seat that way, Enter or Space
// picks it, + and - zoom, Escape goes back to the overview. A house of 5,000 seats or more comes as an overview
// (`outline`) whose sections' seats are loaded as they come into view (section-loader.ts).
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks'
import { type SectionNameView, sectionNamed } from '../../../worker/domain/section-names.ts'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName, seatName, withSectionNames } from '../../lib/labels.ts'
import { shopMessages } from '../messages.ts'
import type { CategoryAvailability, Seat, SeatMapOverview } from '../types.ts'
import {
  clampView,
  fitView,
  geometryOf,
  OVERVIEW_BELOW_PX,
  outlineGeometry,
  type Section,
  seatPx,
  sectionAt,
  sectionsIn,
  sectionView,
  type View,
  visibleBox,
} from './geometry.ts'
import { useMapGestures } from './gestures.ts'
import { SeatLegend } from './legend.tsx'
import { MiniMap } from './mini-map.tsx'
import { RowLabels } from './row-labels.tsx'
import { SeatsLayer } from './seats-layer.tsx'
import { type SectionSales, SectionsLayer } from './sections-layer.tsx'

export function SeatMap(props: {
  seats: Seat[]
  categories: CategoryAvailability[]
  currency: string
  stage: { x: number; y: number } | null
  isCinema: boolean
  selected: ReadonlySet<string>
  onToggle: (seat: Seat) => void
  /** The seat map's sections with their names (池座 / Stalls); a section missing here reads as its key. */
  sections?: SectionNameView[]
  /**
   * A big house's overview: `seats` are then only the sections loaded so far, and the map asks for the others
   * (`onNeedSections`) as the buyer opens or pans into them.
   */
  outline?: SeatMapOverview | null
  onNeedSections?: (keys: string[]) => void
}) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const svgRef = useRef<SVGSVGElement>(null)
  const categories = useMemo(() => new Map(props.categories.map((c) => [c.code, c])), [props.categories])
  const sectionTitleOf = (key: string) => localName(sectionNamed(key, props.sections), locale)

  // Seats only change state once loaded: the geometry follows the layout, not each live update.
  const layoutKey = `${props.seats.length}|${props.seats[0]?.id}|${props.seats.at(-1)?.id}`
  // A reload of the map (after a missed live update) brings a new stage object with the same place: keyed on
  // the place, so a buyer inside a section stays there.
  const stageKey = props.stage ? `${props.stage.x},${props.stage.y}` : ''
  const outline = props.outline ?? null
  const outlineKey = outline ? `${outline.showId}|${outline.seatCount}|${JSON.stringify(outline.bounds)}` : ''
  const geometry = useMemo(
    () =>
      outline ? outlineGeometry(outline, props.seats, props.stage) : geometryOf(props.seats, props.stage),
    [layoutKey, stageKey, outlineKey],
  )
  const sales = useMemo(() => {
    const bySection = new Map<string, SectionSales>()
    // A big house: the overview's counts, until a section's own seats are loaded (they are fresher).
    for (const area of outline?.areas ?? []) {
      let free = 0
      let from: number | null = null
      for (const [code, count] of Object.entries(area.free)) {
        free += count
        const price = categories.get(code)?.current.price
        if (count > 0 && price !== undefined && (from === null || price < from)) from = price
      }
      bySection.set(area.key, { free, from })
    }
    const loaded = new Set(props.seats.map((seat) => seat.section))
    for (const key of loaded) bySection.delete(key)
    for (const seat of props.seats) {
      const entry = bySection.get(seat.section) ?? { free: 0, from: null }
      if (seat.state === 'free') {
        entry.free++
        const price = categories.get(seat.category)?.current.price
        if (price !== undefined && (entry.from === null || price < entry.from)) entry.from = price
      }
      bySection.set(seat.section, entry)
    }
    return bySection
  }, [props.seats, categories, outline])

  const [size, setSize] = useState({ w: 0, h: 0 })
  useLayoutEffect(() => {
    const svg = svgRef.current
    if (!svg) return
    const measure = () => {
      const rect = svg.getBoundingClientRect()
      setSize((old) =>
        old.w === rect.width && old.h === rect.height ? old : { w: rect.width, h: rect.height },
      )
    }
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(svg)
    return () => observer.disconnect()
  }, [])

  const home = size.w > 0 ? fitView(geometry.bounds, size) : null
  const [view, setViewState] = useState<View | null>(null)
  // A new layout starts from the whole venue; a resize (a scroll bar, a rotated phone) keeps what the buyer
  // looks at, clamped to the new frame.
  useEffect(() => setViewState(null), [outline ? outlineKey : `${layoutKey}|${stageKey}`])
  useEffect(() => setViewState((v) => (v && size.w > 0 ? clampView(geometry, size, v) : v)), [size.w, size.h])
  const current = view ?? home ?? { cx: 0, cy: 0, scale: 1 }
  const setView = (update: (v: View) => View) =>
    setViewState((v) => clampView(geometry, size, update(v ?? current)))
  /** The venue is too big to pick from whole: it opens on sections. */
  const hasOverview = home !== null && seatPx(geometry, home) < OVERVIEW_BELOW_PX
  const overview = hasOverview && seatPx(geometry, current) < OVERVIEW_BELOW_PX
  const visible = visibleBox(current, size)
  const inSection = sectionAt(geometry, current.cx, current.cy)

  const [focusedId, setFocusedId] = useState<string | null>(null)
  const focused = props.seats.find((s) => s.id === focusedId) ?? props.seats[0]
  const gestures = useMapGestures({ svg: svgRef, view: current, setView })

  // A big house: the sections in view are asked for whenever the buyer looks at seats.
  const needSections = props.onNeedSections
  useEffect(() => {
    if (!outline || !needSections || overview || size.w === 0) return
    needSections(sectionsIn(geometry, visible).map((section) => section.name))
  }, [outline, overview, geometry, visible.x0, visible.y0, visible.x1, visible.y1])

  // Opened from the keyboard before its seats were loaded: focus goes to a seat once they are.
  const pendingFocus = useRef<{ section: string; x: number; y: number } | null>(null)
  useEffect(() => {
    const pending = pendingFocus.current
    if (!pending) return
    const seat = nearestSeat(props.seats, pending.section, pending.x, pending.y)
    if (!seat) return
    pendingFocus.current = null
    setFocusedId(seat.id)
    requestAnimationFrame(() =>
      svgRef.current?.querySelector<SVGElement>(`[data-seat-id="${seat.id}"]`)?.focus(),
    )
  }, [props.seats])

  const openSection = (section: Section, at?: { x: number; y: number }, focusSeat = false) => {
    const next = sectionView(geometry, section, size, at)
    setViewState(next)
    if (outline) needSections?.([section.name])
    if (focusSeat && outline && !props.seats.some((seat) => seat.section === section.name)) {
      pendingFocus.current = { section: section.name, x: next.cx, y: next.cy }
    } else if (focusSeat) {
      // Keyboard users land on the free seat nearest the middle of what they now see.
      const seat = nearestSeat(props.seats, section.name, next.cx, next.cy)
      if (seat) {
        setFocusedId(seat.id)
        requestAnimationFrame(() =>
          svgRef.current?.querySelector<SVGElement>(`[data-seat-id="${seat.id}"]`)?.focus(),
        )
      }
    }
  }
  const zoomBy = (factor: number) => {
    if (overview && factor > 1) {
      const section = sectionAt(geometry, current.cx, current.cy)
      if (section) return openSection(section, { x: current.cx, y: current.cy })
    }
    setView((v) => ({ ...v, scale: v.scale * factor }))
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
    setView((v) => {
      const box = visibleBox(v, size)
      const inside = seat.x > box.x0 && seat.x < box.x1 && seat.y > box.y0 && seat.y < box.y1
      return inside ? v : { ...v, cx: seat.x, cy: seat.y }
    })
  }

  // Layout effect: focus follows the arrow key before the next paint, not a frame later.
  useLayoutEffect(() => {
    if (!focusedId || !svgRef.current?.contains(document.activeElement)) return
    const element = svgRef.current.querySelector<SVGElement>(`[data-seat-id="${focusedId}"]`)
    if (element && document.activeElement !== element) element.focus()
  }, [focusedId])

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === '+' || event.key === '=') return zoomBy(1.25)
    if (event.key === '-') return zoomBy(1 / 1.25)
    if (event.key === 'Escape' && hasOverview && !overview) return setViewState(null)
    if (!focused || overview || !(event.target as Element).hasAttribute('data-seat-id')) return
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
    }
  }

  const label = (seat: Seat) => {
    const zone = categories.get(seat.category)
    const extras = [
      seat.accessible && t('accessibleSeat'),
      seat.companion && t('companionSeat'),
      seat.restrictedView && t('restrictedSeat'),
    ].filter(Boolean)
    const state = t(props.selected.has(seat.id) ? 'state_selected' : `state_${seat.state}`)
    return (
      t('seatLabel', {
        // Worded as tickets word it ("池座 C排9座" / "Stalls, row C, seat 9"); the section only where there are several.
        seat: seatName(withSectionNames(seat, props.sections), locale, { section: hasOverview }),
        zone: zone ? localName(zone, locale) : '',
        price: zone ? formatMoney(zone.current.price, props.currency, locale) : '',
        state,
      }) + (extras.length ? `, ${extras.join(', ')}` : '')
    )
  }

  const seatsLayer = useMemo(
    () => (
      <SeatsLayer
        seats={props.seats}
        radius={geometry.radius}
        categories={categories}
        selected={props.selected}
        focusedId={focused?.id}
        interactive={!overview}
        label={label}
        onFocus={(seat) => setFocusedId(seat.id)}
        onPick={(seat) => {
          setFocusedId(seat.id)
          const available = seat.state === 'free' || props.selected.has(seat.id)
          if (gestures.wasTap() && available) props.onToggle(seat)
        }}
      />
    ),
    [props.seats, props.selected, focused?.id, overview, geometry, categories, locale, props.onToggle],
  )

  const stageFont = Math.max(11, 12 / current.scale)
  const stage = props.stage ?? {
    x: (geometry.bounds.x0 + geometry.bounds.x1) / 2,
    y: geometry.bounds.y0 + stageFont,
  }
  const stageWidth = Math.max(160, stageFont * 8)
  return (
    <div class="seat-map">
      <p id="seat-map-help" class="muted small">
        {t(overview ? 'seatMapOverviewHelp' : 'seatMapHelp')}
      </p>
      <div class="row seat-map-tools">
        <button type="button" class="button" onClick={() => zoomBy(1.5)} aria-label={t('zoomIn')}>
          +
        </button>
        <button type="button" class="button" onClick={() => zoomBy(1 / 1.5)} aria-label={t('zoomOut')}>
          −
        </button>
        {(view !== null || !hasOverview) && (
          <button type="button" class="button" onClick={() => setViewState(null)} data-testid="whole-venue">
            {t(hasOverview ? 'allSections' : 'resetView')}
          </button>
        )}
        {hasOverview && !overview && inSection && (
          <span class="section-chip" data-testid="current-section">
            {sectionTitleOf(inSection.name)}
          </span>
        )}
      </div>
      <div class={`seat-map-frame${overview ? ' seat-map-overview' : ''}`}>
        <RowLabels rows={overview ? [] : geometry.rows} view={current} size={size} visible={visible} />
        {/* biome-ignore lint/a11y/useSemanticElements: an SVG drawing cannot be a fieldset; the group names the seats */}
        <svg
          ref={svgRef}
          class="seat-map-svg"
          viewBox={
            size.w > 0
              ? `${visible.x0} ${visible.y0} ${visible.x1 - visible.x0} ${visible.y1 - visible.y0}`
              : undefined
          }
          role="group"
          aria-label={t('seatMap')}
          aria-describedby="seat-map-help"
          {...gestures.handlers}
          onClick={(event) => {
            // In the overview a tap anywhere opens the section there, at that spot.
            if (!overview || !gestures.wasTap()) return
            const point = gestures.toMap(event.clientX, event.clientY)
            const section = sectionAt(geometry, point.x, point.y)
            if (section) openSection(section, point)
          }}
          onKeyDown={onKeyDown}
          data-testid="seat-map"
          data-mode={overview ? 'overview' : 'seats'}
          data-layout={outline ? 'sections' : 'whole'}
        >
          <g class="seat-map-stage">
            <rect
              x={stage.x - stageWidth / 2}
              y={stage.y - stageFont}
              width={stageWidth}
              height={stageFont * 1.6}
              rx={stageFont / 3}
              fill="#4a4543"
            />
            <text
              x={stage.x}
              y={stage.y - stageFont * 0.2}
              text-anchor="middle"
              dominant-baseline="middle"
              font-size={stageFont}
              fill="#fff"
            >
              {t(props.isCinema ? 'screen' : 'stage')}
            </text>
          </g>
          {seatsLayer}
          {overview && (
            <SectionsLayer
              sections={geometry.sections}
              sales={sales}
              currency={props.currency}
              scale={current.scale}
              titleOf={sectionTitleOf}
              onOpen={(section, event) => {
                if (!event) return openSection(section, undefined, true)
                if (gestures.wasTap()) openSection(section, gestures.toMap(event.clientX, event.clientY))
              }}
            />
          )}
        </svg>
        {hasOverview && !overview && (
          <MiniMap
            geometry={geometry}
            sales={sales}
            visible={visible}
            onCentre={(x, y) => setView((v) => ({ ...v, cx: x, cy: y }))}
          />
        )}
      </div>
      <SeatLegend categories={props.categories} currency={props.currency} />
    </div>
  )
}

function nearestSeat(seats: Seat[], section: string, x: number, y: number) {
  let best: Seat | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const seat of seats) {
    if (seat.section !== section || seat.state !== 'free') continue
    const distance = Math.hypot(seat.x - x, seat.y - y)
    if (distance < bestDistance) {
      bestDistance = distance
      best = seat
    }
  }
  return best
}
