// The window's seat pick, its pure parts (unit-tested in test/tools/box-seat-pick.test.ts): a big house's sections
// as the clerk chooses among them (free seats in the zone, and in the others), one section's seats by row, and
// what a sale refused for seats taken meanwhile leaves picked.
import type { SeatMapArea } from '../../worker/routes/contracts/seat-map.ts'
import type { Seat } from '../../worker/routes/contracts/shows.ts'
import { ApiError } from '../lib/api.ts'
import type { SeatPlace } from '../lib/labels.ts'

/** A seat the clerk picked, with its section's names (the picks are listed by name, whichever section is shown). */
export type PickedSeat = Seat & Pick<SeatPlace, 'sectionName' | 'sectionNameEn'>

/** A section to choose: its free seats in the zone being sold, and in each other zone that has some. */
export interface SectionChoice {
  key: string
  free: number
  others: [category: string, free: number][]
}

export function sectionChoices(areas: readonly SeatMapArea[], category: string): SectionChoice[] {
  return areas.map((area) => ({
    key: area.key,
    free: area.free[category] ?? 0,
    others: Object.entries(area.free).filter(([code, n]) => code !== category && n > 0),
  }))
}

/**
 * The section to open before the clerk chooses: the only one with free seats in the zone (a zone that is one
 * tier, as in most arenas), else none.
 */
export function soleSection(areas: readonly SeatMapArea[], category: string): string | null {
  const open = areas.filter((area) => (area.free[category] ?? 0) > 0)
  return open.length === 1 ? open[0]!.key : null
}

/** One row of a section: its seats in the zone that are free, or that the last sale found taken. */
export interface SeatRow {
  section: string
  row: string
  seats: Seat[]
}

/** The seats of `category` worth listing (free ones, and the `taken` ones marked as such), row by row in map order. */
export function seatRows(seats: readonly Seat[], category: string, taken: ReadonlySet<string>): SeatRow[] {
  const rows = new Map<string, SeatRow>()
  for (const seat of seats) {
    if (seat.category !== category || (seat.state !== 'free' && !taken.has(seat.id))) continue
    const key = `${seat.section}\u0000${seat.row}`
    const row = rows.get(key) ?? { section: seat.section, row: seat.row, seats: [] }
    rows.set(key, row)
    row.seats.push(seat)
  }
  return [...rows.values()]
}

/**
 * A sale refused (409): the picked seats the refusal names as taken, and the rest, kept (the inventory found them
 * free, or refused for another reason: a limit, not on sale). A refusal naming no seats takes none.
 */
export function afterRefusal<T extends { id: string }>(picked: readonly T[], failure: unknown) {
  const named =
    failure instanceof ApiError && failure.code === 'seats_unavailable'
      ? failure.problem.unavailable
      : undefined
  const unavailable = new Set(Array.isArray(named) ? named.filter((id) => typeof id === 'string') : [])
  return {
    taken: picked.filter((seat) => unavailable.has(seat.id)),
    kept: picked.filter((seat) => !unavailable.has(seat.id)),
  }
}
