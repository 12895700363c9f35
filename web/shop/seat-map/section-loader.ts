// A big house's seats in the shop, a section at a time (issue 22): the overview says where each section is and
// what is left in it; a section's seats are asked for when the buyer opens or pans into it, once, and kept up to
// date by the live deltas like a whole map's. Pure apart from the `fetchSection` it is given (unit-tested).
import type { SeatMapSection } from '../../../worker/routes/contracts/seat-map.ts'
import type { Seat, SeatState } from '../types.ts'

export class SectionLoader {
  /** The newest change counter the loaded seats are known to be at (the overview's, then each delta's). */
  version: number
  private readonly order: readonly string[]
  private readonly loaded = new Map<string, Seat[]>()
  private readonly asking = new Set<string>()
  /** Where each loaded seat is: its section and place in it. */
  private readonly where = new Map<string, { section: string; at: number }>()
  private all: Seat[] | null = []

  constructor(
    overview: { version: number; areas: readonly { key: string }[] },
    private readonly fetchSection: (key: string) => Promise<SeatMapSection>,
    /** Told after each section arrives (the page draws the seats then). */
    private readonly changed: () => void,
  ) {
    this.version = overview.version
    this.order = overview.areas.map((area) => area.key)
  }

  has(key: string): boolean {
    return this.loaded.has(key)
  }

  /** The sections loaded, in the overview's order. */
  keys(): string[] {
    return this.order.filter((key) => this.loaded.has(key))
  }

  /** Asks for the sections not yet loaded nor asked for; a failed ask is tried again at the next need. */
  need(keys: Iterable<string>): void {
    for (const key of keys) {
      if (this.loaded.has(key) || this.asking.has(key) || !this.order.includes(key)) continue
      this.asking.add(key)
      this.fetchSection(key).then(
        (answer) => {
          this.asking.delete(key)
          // Older than deltas already applied: those deltas missed this section, so it is asked for again.
          if (answer.version < this.version) return this.need([key])
          this.loaded.set(key, answer.seats)
          for (const [at, seat] of answer.seats.entries()) this.where.set(seat.id, { section: key, at })
          this.all = null
          this.changed()
        },
        () => this.asking.delete(key),
      )
    }
  }

  /**
   * A live delta: the loaded seats it names take their new state. `outside`: it named seats of sections not
   * loaded, so the overview's counts are behind.
   */
  applyDelta(changes: readonly [string, SeatState][], version: number): { outside: boolean } {
    let outside = false
    for (const [id, state] of changes) {
      const place = this.where.get(id)
      if (!place) {
        outside = true
        continue
      }
      const seats = this.loaded.get(place.section)!
      if (seats[place.at]!.state === state) continue
      const copy = seats.slice()
      copy[place.at] = { ...seats[place.at]!, state }
      this.loaded.set(place.section, copy)
      this.all = null
    }
    this.version = Math.max(this.version, version)
    return { outside }
  }

  /** The loaded seats, section by section in the overview's order (the same array until something changes). */
  seats(): Seat[] {
    this.all ??= this.order.flatMap((key) => this.loaded.get(key) ?? [])
    return this.all
  }
}
