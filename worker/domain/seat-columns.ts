// A venue's seat facts laid out for a big show in one isolate (128 MB): one typed array per fact instead of an
// object per seat, names a venue repeats (section, row, category) kept once each, and seat ids and labels packed
// into a few long strings with a hash table over them. A seat is then about 60 bytes instead of about 300, and
// a 400,000-seat show loads in pages (store.ts) without its rows all in memory at once. Pure, like the layout.

/** Seats per text chunk (and the page a load reads at a time). */
export const SEAT_CHUNK = 1024

/** Distinct strings numbered in first-seen order: a section name, row name or category is stored once. */
export class Names {
  readonly list: string[] = []
  private readonly codes = new Map<string, number>()

  code(name: string): number {
    let code = this.codes.get(name)
    if (code === undefined) {
      code = this.list.length
      this.list.push(name)
      this.codes.set(name, code)
    }
    return code
  }

  find(name: string): number | undefined {
    return this.codes.get(name)
  }
}

/** FNV-1a over UTF-16 code units: spreads ULID-like ids that differ only in their last characters. */
function hash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5
  for (let k = start; k < end; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193)
  return h >>> 0
}

/**
 * One string per seat, packed: each chunk of SEAT_CHUNK seats is one flat string, and `ends` says where each
 * seat's string ends in its chunk. `indexed` columns (seat ids) also keep an open-addressing table for lookup.
 */
class PackedStrings {
  private readonly chunks: string[] = []
  private readonly ends: Uint32Array
  private readonly table: Int32Array | null
  private pending: string[] = []
  private length = 0
  private offset = 0

  constructor(capacity: number, indexed: boolean) {
    this.ends = new Uint32Array(capacity)
    let size = 16
    while (size < capacity * 2) size *= 2
    this.table = indexed ? new Int32Array(size) : null
  }

  push(text: string) {
    const i = this.length++
    this.offset += text.length
    this.ends[i] = this.offset
    this.pending.push(text)
    if (this.table) {
      const mask = this.table.length - 1
      let slot = hash(text, 0, text.length) & mask
      while (this.table[slot] !== 0) slot = (slot + 1) & mask
      this.table[slot] = i + 1
    }
    if (this.pending.length === SEAT_CHUNK) this.seal()
  }

  /** The chunk being filled becomes one flat string (the seats' own strings can then be collected). */
  seal() {
    if (this.pending.length === 0) return
    this.chunks.push(this.pending.join(''))
    this.pending = []
    this.offset = 0
  }

  private startOf(i: number): number {
    return i % SEAT_CHUNK === 0 ? 0 : this.ends[i - 1]!
  }

  at(i: number): string {
    return this.chunks[Math.floor(i / SEAT_CHUNK)]!.slice(this.startOf(i), this.ends[i])
  }

  indexOf(text: string): number | undefined {
    const table = this.table!
    const mask = table.length - 1
    for (let slot = hash(text, 0, text.length) & mask; table[slot] !== 0; slot = (slot + 1) & mask) {
      const i = table[slot]! - 1
      const start = this.startOf(i)
      if (
        this.ends[i]! - start === text.length &&
        this.chunks[Math.floor(i / SEAT_CHUNK)]!.startsWith(text, start)
      )
        return i
    }
    return undefined
  }
}

/** A seat's facts as the layout is given them (the catalogue's columns; tests build them as objects). */
export interface SeatFacts {
  id: string
  label: string
  section: string
  row: string
  ordinal: number
  category: string
  x: number
  y: number
  accessible: boolean
  companion: boolean
  restrictedView: boolean
}

const ACCESSIBLE = 1
const COMPANION = 2
const RESTRICTED_VIEW = 4

/** Every seat's static facts, one column each, filled seat by seat in layout order. */
export class SeatColumns {
  readonly x: Float64Array
  readonly y: Float64Array
  readonly ordinal: Int32Array
  /** Codes into `categories`, `sections`, `rows`. */
  readonly category: Uint16Array
  readonly section: Uint32Array
  readonly row: Uint32Array
  private readonly flags: Uint8Array
  readonly categories = new Names()
  readonly sections = new Names()
  readonly rows = new Names()
  private readonly ids: PackedStrings
  private readonly labels: PackedStrings
  size = 0

  constructor(readonly capacity: number) {
    this.x = new Float64Array(capacity)
    this.y = new Float64Array(capacity)
    this.ordinal = new Int32Array(capacity)
    this.category = new Uint16Array(capacity)
    this.section = new Uint32Array(capacity)
    this.row = new Uint32Array(capacity)
    this.flags = new Uint8Array(capacity)
    this.ids = new PackedStrings(capacity, true)
    this.labels = new PackedStrings(capacity, false)
  }

  static of(seats: readonly SeatFacts[]): SeatColumns {
    const columns = new SeatColumns(seats.length)
    for (const seat of seats) columns.push(seat)
    return columns.sealed()
  }

  push(seat: SeatFacts) {
    const i = this.size++
    if (i >= this.capacity) throw new Error('more seats than the layout was sized for')
    this.x[i] = seat.x
    this.y[i] = seat.y
    this.ordinal[i] = seat.ordinal
    this.category[i] = this.categories.code(seat.category)
    this.section[i] = this.sections.code(seat.section)
    this.row[i] = this.rows.code(seat.row)
    this.flags[i] =
      (seat.accessible ? ACCESSIBLE : 0) |
      (seat.companion ? COMPANION : 0) |
      (seat.restrictedView ? RESTRICTED_VIEW : 0)
    this.ids.push(seat.id)
    this.labels.push(seat.label)
  }

  /** Done filling: the last chunk's strings are packed too. */
  sealed(): this {
    if (this.size !== this.capacity) throw new Error(`expected ${this.capacity} seats, got ${this.size}`)
    this.ids.seal()
    this.labels.seal()
    return this
  }

  id(i: number): string {
    return this.ids.at(i)
  }

  label(i: number): string {
    return this.labels.at(i)
  }

  indexOf(id: string): number | undefined {
    return this.ids.indexOf(id)
  }

  categoryOf(i: number): string {
    return this.categories.list[this.category[i]!]!
  }

  accessible(i: number): boolean {
    return (this.flags[i]! & ACCESSIBLE) !== 0
  }

  companion(i: number): boolean {
    return (this.flags[i]! & COMPANION) !== 0
  }

  restrictedView(i: number): boolean {
    return (this.flags[i]! & RESTRICTED_VIEW) !== 0
  }

  /** Seat `i` as one object (views and tests; the hot paths read the columns). */
  seat(i: number): SeatFacts {
    return {
      id: this.id(i),
      label: this.label(i),
      section: this.sections.list[this.section[i]!]!,
      row: this.rows.list[this.row[i]!]!,
      ordinal: this.ordinal[i]!,
      category: this.categoryOf(i),
      x: this.x[i]!,
      y: this.y[i]!,
      accessible: this.accessible(i),
      companion: this.companion(i),
      restrictedView: this.restrictedView(i),
    }
  }
}

/** Read-only seats by index, made on demand from the columns (`layout.seats[i]`, `for … of layout.seats`). */
export interface SeatList extends Iterable<SeatFacts> {
  readonly [i: number]: SeatFacts
  readonly length: number
}

export function seatList(columns: SeatColumns): SeatList {
  const each = function* () {
    for (let i = 0; i < columns.size; i++) yield columns.seat(i)
  }
  return new Proxy({} as SeatList, {
    get(_, key) {
      if (key === 'length') return columns.size
      if (key === Symbol.iterator) return each
      if (typeof key === 'string') {
        const i = Number(key)
        if (Number.isInteger(i) && i >= 0 && i < columns.size && String(i) === key) return columns.seat(i)
      }
      return undefined
    },
  })
}
