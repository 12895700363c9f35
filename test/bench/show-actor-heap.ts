// `show-actor-heap`: how much of an isolate's 128 MB the show actor's in-memory state takes at a venue's size.
// workerd gives a worker no heap figure, so the actor's own code (store.ts `importShow` and `loadShow`, rules.ts
// `ShowSales.hold`) runs here in Node 22 (the same V8) over node:sqlite standing in for the actor's SQLite, and
// the V8 heap is read after a forced full GC (`--expose-gc`) at each step: the show loaded, nothing sold; the
// load's peak, read each time `loadShow` has a page of rows in hand (the columns built so far, the page, and
// everything loaded before it); and every seat in an active hold of 1–4 seats from its own buyer and network
// (the state at the height of an on-sale).
// Run: node --expose-gc test/bench/show-actor-heap.ts <seats>; prints one JSON line. run.ts runs it per size.
import { DatabaseSync } from 'node:sqlite'
import { migrate } from '../../durable-objects/shared/migrations.ts'
import type { ShowConfig } from '../../durable-objects/show-inventory/contract.ts'
import { importShow, loadShow, SHOW_MIGRATIONS } from '../../durable-objects/show-inventory/store.ts'
import { SHOW_HOLD_CAPS } from '../../worker/domain/hold-caps.ts'

const SEATS_PER_ROW = 50
const ROWS_PER_SECTION = 40
const CATEGORIES = ['A', 'B', 'C', 'D']

type Value = string | number | null

/**
 * The actor's `SqlStorage` over node:sqlite: the calls store.ts and migrations.ts make, nothing more. `onRead`
 * sees each SELECT's rows while they are in hand (the load's peak is read there).
 */
function sqlStorage(db: DatabaseSync, onRead: () => void = () => {}) {
  const bind = (params: unknown[]) => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p)) as Value[]
  return {
    exec<T>(query: string, ...params: unknown[]) {
      const statements = query.split(';').filter((s) => s.trim())
      if (statements.length > 1) {
        db.exec(query)
        const none: T[] = []
        return { toArray: () => none, [Symbol.iterator]: () => none[Symbol.iterator](), rowsWritten: 0 }
      }
      const statement = db.prepare(query)
      if (!/^\s*(SELECT|PRAGMA|WITH)/i.test(query)) {
        const result = statement.run(...bind(params))
        const none: T[] = []
        return {
          toArray: () => none,
          [Symbol.iterator]: () => none[Symbol.iterator](),
          rowsWritten: Number(result.changes),
        }
      }
      const rows = statement.all(...bind(params)) as T[]
      onRead()
      return { toArray: () => rows, [Symbol.iterator]: () => rows[Symbol.iterator](), rowsWritten: 0 }
    },
  }
}

function storage(db: DatabaseSync, onRead?: () => void) {
  const sql = sqlStorage(db, onRead)
  return {
    sql,
    transactionSync<T>(change: () => T): T {
      db.exec('BEGIN')
      try {
        const result = change()
        db.exec('COMMIT')
        return result
      } catch (error) {
        db.exec('ROLLBACK')
        throw error
      }
    },
  }
}

const gc = () => {
  const collect = (globalThis as { gc?: () => void }).gc
  if (!collect) throw new Error('run with --expose-gc')
  for (let i = 0; i < 3; i++) collect()
}
/** The V8 heap and the ArrayBuffers beside it (the layout's typed arrays live there; an isolate's limit counts both). */
const heapMb = () => {
  gc()
  const { heapUsed, arrayBuffers } = process.memoryUsage()
  return (heapUsed + arrayBuffers) / 2 ** 20
}
const round = (mb: number) => Math.round(mb * 10) / 10

function showConfig(): ShowConfig {
  const now = Date.now()
  return {
    showId: 'shw_heap',
    currency: 'CNY',
    holdMinutes: 15,
    saleStartsAt: new Date(now - 3_600_000).toISOString(),
    saleEndsAt: new Date(now + 86_400_000).toISOString(),
    status: 'scheduled',
    maxPerAccount: 6,
    realNameRequired: false,
    prices: Object.fromEntries(CATEGORIES.map((c) => [c, 10_000])),
    categories: CATEGORIES.map((code) => ({ code, name: code, color: '#336699' })),
    stage: { x: 500, y: -100 },
    stamp: 'bench',
  }
}

/** A stadium's seats as the catalogue hands them over: sections of 40 rows of 50, ids as the venue stores them. */
function venueSeats(seats: number) {
  const rows = Math.ceil(seats / SEATS_PER_ROW)
  return Array.from({ length: seats }, (_, i) => {
    const r = Math.floor(i / SEATS_PER_ROW)
    const section = `S${Math.floor(r / ROWS_PER_SECTION) + 1}`
    const number = (i % SEATS_PER_ROW) + 1
    return {
      id: `st_01JBENCH${String(i).padStart(8, '0')}XXXXXXXX`,
      label: `${section}-${r}-${number}`,
      section,
      row: String(r),
      ordinal: number - 1,
      category: CATEGORIES[Math.floor((r * CATEGORIES.length) / rows)]!,
      x: (i % SEATS_PER_ROW) * 20,
      y: r * 25,
      accessible: false,
      companion: false,
      restrictedView: false,
      blocked: false,
    }
  })
}

/** A show of `seats` loaded as the actor loads it, nothing sold (for the seat-map answer probe too). */
export function loadedShow(seats: number) {
  const db = new DatabaseSync(':memory:')
  const store = storage(db)
  migrate(store as never, SHOW_MIGRATIONS)
  importShow(store as never, showConfig(), venueSeats(seats))
  return loadShow(store.sql as never, SHOW_HOLD_CAPS)
}

export function measure(seats: number) {
  const db = new DatabaseSync(':memory:')
  let peak = 0
  let loading = false
  const store = storage(db, () => {
    if (loading) peak = Math.max(peak, heapMb())
  })
  migrate(store as never, SHOW_MIGRATIONS)
  importShow(store as never, showConfig(), venueSeats(seats))
  const before = heapMb()
  loading = true
  const sales = loadShow(store.sql as never, SHOW_HOLD_CAPS)
  loading = false
  const loaded = heapMb()
  // The height of an on-sale: every seat in an active hold, best available, 1–4 seats per buyer.
  const now = Date.now()
  let holds = 0
  for (const category of CATEGORIES) {
    for (
      let free = sales.layout.available()[category] ?? 0;
      free > 0;
      free = sales.layout.available()[category] ?? 0
    ) {
      const i = holds
      const outcome = sales.hold(
        {
          holderId: `buy_${i.toString(36).padStart(10, '0')}`,
          ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          best: { category, quantity: Math.min(free, 1 + (i % 4)), allowSplit: true },
        },
        now,
        now + 15 * 60_000,
        [],
      )
      if (!('id' in outcome)) throw new Error(`cannot fill: ${outcome.code} ${outcome.detail}`)
      holds++
    }
  }
  const held = heapMb()
  return {
    seats,
    holds,
    loadedMb: round(loaded - before),
    loadPeakMb: round(Math.max(peak, loaded) - before),
    allHeldMb: round(held - before),
    heapTotalMb: round(held),
    keep: sales.layout.size,
  }
}

if (import.meta.main) {
  const seats = Number(process.argv[2] ?? 50_000)
  const { keep: _, ...result } = measure(seats)
  console.log(JSON.stringify(result))
}
