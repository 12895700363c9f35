import type { SeatColumns } from '../../worker/domain/seat-columns.ts'
import { FREE } from '../../worker/domain/seat-layout.ts'
import type { ShowSales } from './rules.ts'
import { availability, seatMap, seatView } from './views.ts'

// The seat map a section at a time, for houses too big to send whole (issue 22: a 400,000-seat show is ~47 MB of
// columns, but ~80 MB of JSON as one object per seat). The overview carries each section's box and free seats per
// price category, counted over the state column without making a seat object; a section's seats are made only
// when a buyer opens that section. Pure, like the views.

/** From this many seats the seat map is answered as an overview, and each section's seats on request. */
export const SECTIONED_SEAT_MAP_FROM = 5_000

export interface Box {
  x0: number
  y0: number
  x1: number
  y1: number
}

/** A venue's sections from its columns: computed once per loaded layout (the facts never change after load). */
interface SectionIndex {
  /** Section keys by code (first-seen order, the one-shot answer's order). */
  keys: readonly string[]
  /** Each section's seat indexes in layout order. */
  members: Int32Array[]
  /** Each section's box over its seat centres. */
  boxes: Box[]
  bounds: Box
  /** The usual distance between neighbours in a row (a quarter of the way up the gaps, as the shop draws). */
  pitch: number
}

const indexes = new WeakMap<SeatColumns, SectionIndex>()

function sectionIndex(columns: SeatColumns): SectionIndex {
  const known = indexes.get(columns)
  if (known) return known
  const n = columns.size
  const keys = columns.sections.list
  const counts = new Int32Array(keys.length)
  for (let i = 0; i < n; i++) counts[columns.section[i]!]!++
  const members = Array.from(counts, (count) => new Int32Array(count))
  const filled = new Int32Array(keys.length)
  const boxes = keys.map(() => ({ x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity }))
  const bounds = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity }
  const grow = (box: Box, x: number, y: number) => {
    box.x0 = Math.min(box.x0, x)
    box.y0 = Math.min(box.y0, y)
    box.x1 = Math.max(box.x1, x)
    box.y1 = Math.max(box.y1, y)
  }
  // Gaps between seats next to each other in the layout and in the same row, at most ~20,000 of them.
  const stride = Math.max(1, Math.floor(n / 20_000))
  const gaps: number[] = []
  for (let i = 0; i < n; i++) {
    const s = columns.section[i]!
    members[s]![filled[s]!++] = i
    const x = columns.x[i]!
    const y = columns.y[i]!
    grow(boxes[s]!, x, y)
    grow(bounds, x, y)
    if (i % stride === 0 && i > 0 && columns.section[i - 1] === s && columns.row[i - 1] === columns.row[i]) {
      const gap = Math.hypot(x - columns.x[i - 1]!, y - columns.y[i - 1]!)
      if (gap > 0) gaps.push(gap)
    }
  }
  gaps.sort((a, b) => a - b)
  const index = { keys, members, boxes, bounds, pitch: gaps[Math.floor(gaps.length / 4)] ?? 20 }
  indexes.set(columns, index)
  return index
}

/** Whether a show's seat map goes a section at a time. */
export const sectioned = (sales: ShowSales) => sales.layout.size >= SECTIONED_SEAT_MAP_FROM

/**
 * The overview: availability as the show answers it, and per section its box and free seats per price category
 * (a category without a price on the show is not on sale: its seats count as blocked, as on the one-shot map).
 * One pass over the state, category and section columns; no seat object is made.
 */
export function seatMapOverview(sales: ShowSales, now: number) {
  const { config, layout } = sales
  const { columns } = layout
  const index = sectionIndex(columns)
  const categories = columns.categories.list
  const priced = categories.map((code) => code in config.prices)
  const free = new Int32Array(index.keys.length * categories.length)
  const { state } = layout
  for (let i = 0; i < layout.size; i++) {
    if (state[i] !== FREE) continue
    const category = columns.category[i]!
    if (priced[category]) free[columns.section[i]! * categories.length + category]!++
  }
  return {
    layout: 'sections' as const,
    ...availability(sales, now),
    stage: config.stage,
    currency: config.currency,
    seatCount: layout.size,
    pitch: index.pitch,
    bounds: index.bounds,
    areas: index.keys.map((key, s) => {
      const counts: Record<string, number> = {}
      for (let c = 0; c < categories.length; c++)
        if (priced[c] && free[s * categories.length + c]! > 0)
          counts[categories[c]!] = free[s * categories.length + c]!
      return { key, seats: index.members[s]!.length, box: index.boxes[s]!, free: counts }
    }),
  }
}

/** One section's seats as the one-shot answer has them (same order, same fields), or null for no such section. */
export function seatMapSection(sales: ShowSales, section: string) {
  const { columns } = sales.layout
  const code = columns.sections.find(section)
  if (code === undefined) return null
  const members = sectionIndex(columns).members[code]!
  return {
    showId: sales.config.showId,
    version: sales.version,
    section,
    seats: Array.from(members, (i) => seatView(sales, i)),
  }
}

/** What `GET /seat-map` answers: a small house whole (as always), a big one as its overview. */
export function seatMapAnswer(sales: ShowSales, now: number) {
  return sectioned(sales) ? seatMapOverview(sales, now) : { layout: 'whole' as const, ...seatMap(sales, now) }
}
