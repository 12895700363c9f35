// The seat map of one show as the inventory actor sees it: seat geometry, adjacency and live state,
// with the indexes best-available needs so a pick touches a few rows, not every seat.
// Pure: no bindings, so the show inventory DO and unit tests share it. Seat facts live in columns
// (seat-columns.ts), so a 400,000-seat show fits one isolate.

import { SeatColumns, type SeatFacts, type SeatList, seatList } from './seat-columns.ts'

export const FREE = 0
export const HELD = 1
export const SOLD = 2
export const BLOCKED = 3
export type SeatState = typeof FREE | typeof HELD | typeof SOLD | typeof BLOCKED
export const stateNames = ['free', 'held', 'sold', 'blocked'] as const
export type SeatStateName = (typeof stateNames)[number]

export type LayoutSeat = SeatFacts

interface Row {
  /** Seat indexes in ordinal (left-to-right) order. */
  seats: Int32Array
  /** `adjacent[i]` (1): seats[i] and seats[i+1] sit side by side (no aisle between them). */
  adjacent: Uint8Array
  /** Distance from the focus to the row's nearest seat: no window in the row can score better. */
  bound: number
  free: Map<string, number>
}

export interface BestRequest {
  category: string
  quantity: number
  /** Wheelchair places the party needs; the rest sit on companion seats where possible. */
  accessible?: number
  /** Allow seats across rows when no row has enough adjacent seats. */
  allowSplit?: boolean
  /** Sales channel asking; seats allocated to another channel are not offered. */
  channel?: string
}

/**
 * Where the best seats are. `stage`: nearest the stage (concerts, theatre). `screen`: a cinema's sweet spot,
 * centred about two thirds of the way back from the screen, as cinema buyers prefer (never row A under it).
 */
export type SeatFocus = 'stage' | 'screen'

/** How far back from the front row (as a share of the hall's depth) a cinema's best seats are. */
export const SCREEN_SWEET_SPOT = 0.65

/** Ranks a wheelchair party's window by companion seats first, distance second (no hall is this wide). */
const COMPANION_MISSING = 1e9

export class SeatLayout {
  /** Every seat's facts, one column each: the hot paths read these. */
  readonly columns: SeatColumns
  /** Seat `i` as an object, made when read (views, tests). */
  readonly seats: SeatList
  readonly state: Uint8Array
  /** Channel a seat is set aside for (null = any channel). */
  readonly allocation: (string | null)[]
  private readonly rows: Row[] = []
  private readonly rowOf: Int32Array
  private readonly posInRow: Int32Array
  private readonly freeByCategory = new Map<string, number>()
  /** Seats per category, and blocked ones: with the free count, the share taken (price steps) without a scan. */
  private readonly totalByCategory = new Map<string, number>()
  private readonly blockedByCategory = new Map<string, number>()
  private readonly focus: { x: number; y: number }
  private readonly rowOrder: number[]
  /** Each row's position in `rowOrder`. */
  private readonly orderOf: Int32Array
  /**
   * Per category, a position in `rowOrder` before which no row has a free seat of it: as a big venue
   * sells front to back, best-available skips the sold-out front instead of walking it every time.
   */
  private readonly firstOpen = new Map<string, number>()

  constructor(
    seats: readonly LayoutSeat[] | SeatColumns,
    stage: { x: number; y: number } | null,
    focus: SeatFocus = 'stage',
  ) {
    const columns = seats instanceof SeatColumns ? seats : SeatColumns.of(seats)
    const n = columns.size
    const { x, y } = columns
    this.columns = columns
    this.seats = seatList(columns)
    this.state = new Uint8Array(n)
    this.allocation = new Array(n).fill(null)
    this.rowOf = new Int32Array(n)
    this.posInRow = new Int32Array(n)
    // One point ranks every seat (rows are walked nearest it first), so a cinema only moves the point: the
    // hot path stays the same.
    this.focus = focus === 'screen' ? screenSweetSpot(x, y, stage) : (stage ?? frontCentre(x, y))
    // Rows by (section, row) codes, in first-seen order as before.
    const rowNames = columns.rows.list.length
    const byRow = new Map<number, number[]>()
    for (let i = 0; i < n; i++) {
      const key = columns.section[i]! * rowNames + columns.row[i]!
      const list = byRow.get(key)
      if (list) list.push(i)
      else byRow.set(key, [i])
    }
    const gap = (a: number, b: number) => Math.hypot(x[a]! - x[b]!, y[a]! - y[b]!)
    for (const members of byRow.values()) {
      members.sort((a, b) => columns.ordinal[a]! - columns.ordinal[b]!)
      const gaps = members.slice(1).map((s, i) => gap(s, members[i]!))
      const typical = median(gaps)
      const rowIndex = this.rows.length
      let bound = Number.POSITIVE_INFINITY
      members.forEach((s, i) => {
        this.rowOf[s] = rowIndex
        this.posInRow[s] = i
        bound = Math.min(bound, Math.hypot(x[s]! - this.focus.x, y[s]! - this.focus.y))
      })
      this.rows.push({
        seats: Int32Array.from(members),
        // A gap much wider than the row's usual spacing is an aisle: seats across it are not together.
        adjacent: Uint8Array.from(gaps, (g) => (g <= typical * 1.6 ? 1 : 0)),
        bound,
        free: new Map(),
      })
    }
    this.rowOrder = this.rows.map((_, i) => i).sort((a, b) => this.rows[a]!.bound - this.rows[b]!.bound)
    this.orderOf = new Int32Array(this.rows.length)
    this.rowOrder.forEach((r, position) => {
      this.orderOf[r] = position
    })
    for (let i = 0; i < n; i++) {
      this.countFree(i, 1)
      const category = columns.categoryOf(i)
      this.totalByCategory.set(category, (this.totalByCategory.get(category) ?? 0) + 1)
    }
  }

  get size() {
    return this.columns.size
  }

  indexOf(id: string): number | undefined {
    return this.columns.indexOf(id)
  }

  idOf(i: number): string {
    return this.columns.id(i)
  }

  categoryOf(i: number): string {
    return this.columns.categoryOf(i)
  }

  /** Seats per category, blocked ones included. */
  totals(): Map<string, number> {
    return this.totalByCategory
  }

  /** Free seats per price category, kept up to date on every change (no scan on read). */
  available(): Record<string, number> {
    return Object.fromEntries(this.freeByCategory)
  }

  availableIn(category: string): number {
    return this.freeByCategory.get(category) ?? 0
  }

  /** Seats of a category on sale: all of it but the blocked ones. */
  onSaleIn(category: string): number {
    return (this.totalByCategory.get(category) ?? 0) - (this.blockedByCategory.get(category) ?? 0)
  }

  /** Seats of a category held or sold. */
  takenIn(category: string): number {
    return this.onSaleIn(category) - this.availableIn(category)
  }

  setState(i: number, next: SeatState) {
    const before = this.state[i]!
    if (before === next) return
    if (before === FREE) this.countFree(i, -1)
    if (before === BLOCKED || next === BLOCKED) {
      const category = this.columns.categoryOf(i)
      const n = (this.blockedByCategory.get(category) ?? 0) + (next === BLOCKED ? 1 : -1)
      this.blockedByCategory.set(category, n)
    }
    this.state[i] = next
    if (next === FREE) this.countFree(i, 1)
  }

  /** Whether the seat can be sold through `channel` right now. */
  isOpenFor(i: number, channel?: string): boolean {
    if (this.state[i] !== FREE) return false
    const reserved = this.allocation[i]
    return reserved === null || reserved === channel
  }

  private countFree(i: number, delta: number) {
    const category = this.columns.categoryOf(i)
    this.freeByCategory.set(category, (this.freeByCategory.get(category) ?? 0) + delta)
    const row = this.rows[this.rowOf[i]!]!
    row.free.set(category, (row.free.get(category) ?? 0) + delta)
    if (delta > 0) {
      const position = this.orderOf[this.rowOf[i]!]!
      if (position < (this.firstOpen.get(category) ?? 0)) this.firstOpen.set(category, position)
    }
  }

  /**
   * Best available: `quantity` adjacent seats of one category in one row, nearest the stage, never
   * leaving a single stranded seat beside the party when any other choice exists. Falls back to seats
   * over several rows only when `allowSplit`. Returns seat indexes, or null when nothing fits.
   */
  findBest(request: BestRequest): number[] | null {
    const { category, quantity } = request
    const wheelchairs = request.accessible ?? 0
    if (quantity < 1 || this.availableIn(category) < quantity) return null
    type Pick = { seats: number[]; score: number }
    const found: { best: Pick | null; orphaning: Pick | null } = { best: null, orphaning: null }
    let start = this.firstOpen.get(category) ?? 0
    while (start < this.rowOrder.length && (this.rows[this.rowOrder[start]!]!.free.get(category) ?? 0) === 0)
      start++
    this.firstOpen.set(category, start)
    for (let position = start; position < this.rowOrder.length; position++) {
      const row = this.rows[this.rowOrder[position]!]!
      // Rows come nearest first: once a row cannot beat the best clean window, none after it can.
      if (found.best && row.bound > found.best.score) break
      if ((row.free.get(category) ?? 0) < quantity) continue
      this.scanRow(row, request, wheelchairs, (seats, score, orphaning) => {
        const slot = orphaning ? 'orphaning' : 'best'
        const current = found[slot]
        if (!current || score < current.score) found[slot] = { seats, score }
      })
    }
    const chosen = found.best ?? found.orphaning
    if (chosen) return chosen.seats
    return request.allowSplit && wheelchairs === 0 ? this.splitAcrossRows(request) : null
  }

  /** Calls `offer` for each window of `quantity` open seats in one run of adjacent free seats. */
  private scanRow(
    row: Row,
    request: BestRequest,
    wheelchairs: number,
    offer: (seats: number[], score: number, orphaning: boolean) => void,
  ) {
    const { category, quantity, channel } = request
    const seats = row.seats
    const columns = this.columns
    // Compared as a code: no category string is read per seat. A category the venue lacks matches nothing.
    const code = columns.categories.find(category) ?? -1
    let runStart = 0
    while (runStart < seats.length) {
      // A run: consecutive adjacent seats that are free (whatever their category).
      if (this.state[seats[runStart]!] !== FREE) {
        runStart++
        continue
      }
      let runEnd = runStart
      while (runEnd + 1 < seats.length && row.adjacent[runEnd] && this.state[seats[runEnd + 1]!] === FREE)
        runEnd++
      for (let start = runStart; start + quantity - 1 <= runEnd; start++) {
        const end = start + quantity - 1
        let fits = true
        let accessibleCount = 0
        let companionCount = 0
        let x = 0
        let y = 0
        for (let p = start; p <= end; p++) {
          const s = seats[p]!
          if (columns.category[s] !== code || !this.isOpenFor(s, channel)) {
            fits = false
            break
          }
          if (columns.accessible(s)) accessibleCount++
          else if (columns.companion(s)) companionCount++
          x += columns.x[s]!
          y += columns.y[s]!
        }
        if (!fits) continue
        if (wheelchairs > 0 ? accessibleCount < wheelchairs : accessibleCount > 0) continue
        const distance = Math.hypot(x / quantity - this.focus.x, y / quantity - this.focus.y)
        const orphaning = start - runStart === 1 || runEnd - end === 1
        if (wheelchairs > 0) {
          // Whoever comes with a wheelchair user sits on the companion seats beside them where possible:
          // each companion missing ranks a window behind every window with one more.
          const missing = Math.max(0, quantity - wheelchairs - companionCount)
          offer(Array.from(seats.subarray(start, end + 1)), distance + missing * COMPANION_MISSING, orphaning)
        } else {
          // Companion seats are kept for wheelchair parties: others get them only when nothing else fits.
          offer(Array.from(seats.subarray(start, end + 1)), distance, orphaning || companionCount > 0)
        }
      }
      runStart = runEnd + 1
    }
  }

  private splitAcrossRows(request: BestRequest): number[] | null {
    const picked: number[] = []
    for (const r of this.rowOrder) {
      const row = this.rows[r]!
      if ((row.free.get(request.category) ?? 0) === 0) continue
      // Take this row's open seats of the category nearest the focus, as one block where possible.
      const { columns, focus } = this
      const open = Array.from(row.seats).filter(
        (s) =>
          columns.categoryOf(s) === request.category &&
          this.isOpenFor(s, request.channel) &&
          !columns.accessible(s),
      )
      const away = (s: number) => Math.hypot(columns.x[s]! - focus.x, columns.y[s]! - focus.y)
      open.sort((a, b) => away(a) - away(b))
      for (const s of open.slice(0, request.quantity - picked.length)) picked.push(s)
      if (picked.length === request.quantity) return picked
    }
    return null
  }
}

function median(values: number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  // The lower middle: in a short row with one aisle (two gaps) the seat spacing, not the aisle, is the norm.
  return sorted[Math.floor((sorted.length - 1) / 2)]!
}

/**
 * A cinema's best point: the middle of the seats across, SCREEN_SWEET_SPOT of the depth back from the row
 * nearest the screen (the screen is the stage point, or the front edge of the map without one).
 */
function screenSweetSpot(xs: Float64Array, ys: Float64Array, screen: { x: number; y: number } | null) {
  if (xs.length === 0) return screen ?? { x: 0, y: 0 }
  let minX = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  for (let i = 0; i < xs.length; i++) {
    minX = Math.min(minX, xs[i]!)
    maxX = Math.max(maxX, xs[i]!)
    minY = Math.min(minY, ys[i]!)
    maxY = Math.max(maxY, ys[i]!)
  }
  const depth = maxY - minY
  // A screen below the seats (a map drawn with the screen at the bottom) counts rows upwards.
  const screenBelow = screen !== null && screen.y > maxY
  const y = screenBelow ? maxY - depth * SCREEN_SWEET_SPOT : minY + depth * SCREEN_SWEET_SPOT
  return { x: (minX + maxX) / 2, y }
}

/** Without a stage position, aim for the middle of the front edge of the map. */
function frontCentre(xs: Float64Array, ys: Float64Array) {
  if (xs.length === 0) return { x: 0, y: 0 }
  let minX = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  for (let i = 0; i < xs.length; i++) {
    minX = Math.min(minX, xs[i]!)
    maxX = Math.max(maxX, xs[i]!)
    minY = Math.min(minY, ys[i]!)
  }
  return { x: (minX + maxX) / 2, y: minY }
}
