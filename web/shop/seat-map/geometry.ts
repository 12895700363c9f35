// The seat map's geometry, computed once per seat list: the venue's bounds, its sections (each with its rows
// and the box the overview draws), the usual seat pitch (seats are drawn from it, so any venue's spacing
// works), and the view maths (a view is a centre in map units and a scale in CSS pixels per unit).
import type { Seat } from '../types.ts'

export interface Box {
  x0: number
  y0: number
  x1: number
  y1: number
}

export interface RowLine {
  section: string
  row: string
  /** Map position of the row's left and right ends (seat centres) and its middle height. */
  x0: number
  x1: number
  y: number
}

export interface Section {
  name: string
  box: Box
  rows: RowLine[]
}

export interface Geometry {
  bounds: Box
  sections: Section[]
  rows: RowLine[]
  /** Seat radius in map units (a share of the usual distance between neighbours). */
  radius: number
}

export interface View {
  cx: number
  cy: number
  /** CSS pixels per map unit. */
  scale: number
}

/** On screen, a seat is this big once zoomed into a section (a comfortable fingertip, Damai-sized). */
export const READABLE_SEAT_PX = 28
/** Below this on-screen size seats are not picked one by one: the map shows sections to zoom into. */
export const OVERVIEW_BELOW_PX = 16
/** Never zoom in further than seats of this size. */
const MAX_SEAT_PX = 72

export function geometryOf(seats: readonly Seat[], stage: { x: number; y: number } | null): Geometry {
  const bySection = new Map<string, Seat[]>()
  for (const seat of seats) {
    const list = bySection.get(seat.section)
    if (list) list.push(seat)
    else bySection.set(seat.section, [seat])
  }
  const gaps: number[] = []
  const sections: Section[] = []
  for (const [name, members] of bySection) {
    const byRow = new Map<string, Seat[]>()
    for (const seat of members) {
      const list = byRow.get(seat.row)
      if (list) list.push(seat)
      else byRow.set(seat.row, [seat])
    }
    const rows: RowLine[] = []
    for (const [row, list] of byRow) {
      list.sort((a, b) => a.x - b.x)
      for (let i = 1; i < list.length; i++)
        gaps.push(Math.hypot(list[i]!.x - list[i - 1]!.x, list[i]!.y - list[i - 1]!.y))
      const y = list.reduce((sum, seat) => sum + seat.y, 0) / list.length
      rows.push({ section: name, row, x0: list[0]!.x, x1: list[list.length - 1]!.x, y })
    }
    rows.sort((a, b) => a.y - b.y)
    sections.push({ name, rows, box: boxOf(members, 0) })
  }
  gaps.sort((a, b) => a - b)
  const pitch = gaps[Math.floor(gaps.length / 4)] ?? 20
  const radius = pitch * 0.44
  for (const section of sections) section.box = grow(section.box, radius * 1.6)
  // A narrow margin: on a phone every unit of width is seat size.
  const bounds = grow(boxOf(stage ? [...seats, stage] : seats, 0), radius * 1.3)
  return { bounds, sections, rows: sections.flatMap((s) => s.rows), radius }
}

/**
 * A big house's geometry from its overview (worker/routes/contracts/seat-map.ts): the bounds, section boxes and
 * seat size come from the overview; rows only from the sections whose seats are loaded.
 */
export function outlineGeometry(
  outline: { pitch: number; bounds: Box; areas: readonly { key: string; box: Box }[] },
  loaded: readonly Seat[],
  stage: { x: number; y: number } | null,
): Geometry {
  const radius = outline.pitch * 0.44
  const rowsOf = new Map(geometryOf(loaded, stage).sections.map((section) => [section.name, section.rows]))
  const sections = outline.areas.map((area) => ({
    name: area.key,
    box: grow(area.box, radius * 1.6),
    rows: rowsOf.get(area.key) ?? [],
  }))
  const { bounds } = outline
  const corners = [
    { x: bounds.x0, y: bounds.y0 },
    { x: bounds.x1, y: bounds.y1 },
  ]
  return {
    bounds: grow(boxOf(stage ? [...corners, stage] : corners, 0), radius * 1.3),
    sections,
    rows: sections.flatMap((section) => section.rows),
    radius,
  }
}

/** The sections a view shows (their boxes meet the visible box). */
export const sectionsIn = (geometry: Geometry, visible: Box) =>
  geometry.sections.filter(
    ({ box }) => box.x0 <= visible.x1 && box.x1 >= visible.x0 && box.y0 <= visible.y1 && box.y1 >= visible.y0,
  )

function boxOf(points: readonly { x: number; y: number }[], pad: number): Box {
  let x0 = Number.POSITIVE_INFINITY
  let y0 = Number.POSITIVE_INFINITY
  let x1 = Number.NEGATIVE_INFINITY
  let y1 = Number.NEGATIVE_INFINITY
  for (const p of points) {
    x0 = Math.min(x0, p.x)
    y0 = Math.min(y0, p.y)
    x1 = Math.max(x1, p.x)
    y1 = Math.max(y1, p.y)
  }
  if (!Number.isFinite(x0)) return { x0: 0, y0: 0, x1: 100, y1: 100 }
  return grow({ x0, y0, x1, y1 }, pad)
}

const grow = (box: Box, by: number): Box => ({
  x0: box.x0 - by,
  y0: box.y0 - by,
  x1: box.x1 + by,
  y1: box.y1 + by,
})

export const contains = (box: Box, x: number, y: number) =>
  x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1

/** The whole venue in a viewport of `size` CSS pixels. */
export function fitView(box: Box, size: { w: number; h: number }): View {
  const scale = Math.min(size.w / (box.x1 - box.x0), size.h / (box.y1 - box.y0))
  return { cx: (box.x0 + box.x1) / 2, cy: (box.y0 + box.y1) / 2, scale }
}

export const scaleLimits = (geometry: Geometry, size: { w: number; h: number }) => ({
  min: fitView(geometry.bounds, size).scale,
  max: MAX_SEAT_PX / (geometry.radius * 2),
})

/** On-screen seat diameter at a view. */
export const seatPx = (geometry: Geometry, view: View) => geometry.radius * 2 * view.scale

/**
 * Zoomed into a section at the point tapped: seats at least READABLE_SEAT_PX (more when the whole section
 * fits larger), centred on the section where it fits, else on the tap kept inside the section.
 */
export function sectionView(
  geometry: Geometry,
  section: Section,
  size: { w: number; h: number },
  at?: { x: number; y: number },
): View {
  const { box } = section
  const fit = fitView(box, size).scale
  const readable = READABLE_SEAT_PX / (geometry.radius * 2)
  const scale = Math.min(scaleLimits(geometry, size).max, Math.max(readable, fit))
  const axis = (lo: number, hi: number, span: number, wanted: number) => {
    const half = span / 2 / scale
    if (hi - lo <= 2 * half) return (lo + hi) / 2
    return Math.min(hi - half, Math.max(lo + half, wanted))
  }
  const target = at ?? { x: (box.x0 + box.x1) / 2, y: box.y0 }
  return {
    scale,
    cx: axis(box.x0, box.x1, size.w, target.x),
    cy: axis(box.y0, box.y1, size.h, target.y),
  }
}

/** Keeps the view's centre over the venue, so a drag never loses the map. */
export function clampView(geometry: Geometry, size: { w: number; h: number }, view: View): View {
  const { min, max } = scaleLimits(geometry, size)
  const scale = Math.min(max, Math.max(min, view.scale))
  const { bounds } = geometry
  return {
    scale,
    cx: Math.min(bounds.x1, Math.max(bounds.x0, view.cx)),
    cy: Math.min(bounds.y1, Math.max(bounds.y0, view.cy)),
  }
}

/** The map area a view shows. */
export function visibleBox(view: View, size: { w: number; h: number }): Box {
  const hw = size.w / 2 / view.scale
  const hh = size.h / 2 / view.scale
  return { x0: view.cx - hw, y0: view.cy - hh, x1: view.cx + hw, y1: view.cy + hh }
}

/** The section whose box holds the point, else the nearest one. */
export function sectionAt(geometry: Geometry, x: number, y: number): Section | undefined {
  let best: Section | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const section of geometry.sections) {
    const { box } = section
    const dx = Math.max(box.x0 - x, 0, x - box.x1)
    const dy = Math.max(box.y0 - y, 0, y - box.y1)
    const distance = Math.hypot(dx, dy)
    if (distance < bestDistance) {
      bestDistance = distance
      best = section
    }
  }
  return best
}
