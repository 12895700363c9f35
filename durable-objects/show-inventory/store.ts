import type { HoldCaps } from '../../worker/domain/hold-caps.ts'
import { SEAT_CHUNK, SeatColumns } from '../../worker/domain/seat-columns.ts'
import {
  BLOCKED,
  FREE,
  HELD,
  type LayoutSeat,
  SeatLayout,
  type SeatState,
  SOLD,
} from '../../worker/domain/seat-layout.ts'
import { readMeta, writeMeta } from '../shared/meta.ts'
import { hasColumn, hasTable, type Migration } from '../shared/migrations.ts'
import type { ShowConfig } from './contract.ts'
import { ADMISSION_MIGRATION } from './presale.ts'
import { PRICE_STEP_MIGRATION, restoreStepLevels } from './price-steps.ts'
import { type ActiveHold, ShowSales } from './rules.ts'

// The show actor's own SQLite: its tables as numbered migrations, reading the state back into memory, and
// the writes that follow each decision. A held seat is recorded only in its hold's row (`holds.seats`), not in
// `seats`: a batch of holds then appends a few pages (hold ids are time-ordered) instead of dirtying a page per
// seat across a large seat table, and the commit each batch waits for stays small. `seats.state` keeps
// free/sold/blocked.

export const SHOW_MIGRATIONS: readonly Migration[] = [
  // 1: the layout the actor started with.
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS seats (
     idx INTEGER PRIMARY KEY, id TEXT NOT NULL, label TEXT NOT NULL, section TEXT NOT NULL, row TEXT NOT NULL,
     ordinal INTEGER NOT NULL, category TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL,
     accessible INTEGER NOT NULL, companion INTEGER NOT NULL, restricted_view INTEGER NOT NULL,
     state INTEGER NOT NULL, hold_id TEXT, order_id TEXT, allocation TEXT
   );
   CREATE TABLE IF NOT EXISTS holds (
     id TEXT PRIMARY KEY, holder_id TEXT NOT NULL, id_numbers TEXT NOT NULL, seats TEXT NOT NULL,
     status TEXT NOT NULL, expires_at INTEGER NOT NULL, order_id TEXT, channel TEXT, created_at INTEGER NOT NULL
   );
   CREATE INDEX IF NOT EXISTS holds_status ON holds (status, expires_at);
   CREATE INDEX IF NOT EXISTS seats_order ON seats (order_id);`,
  // 2: held seats live in their hold's row alone; seat rows an earlier version marked held are free.
  `UPDATE seats SET state = ${FREE}, hold_id = NULL WHERE state = ${HELD}`,
  // 3: the client network a hold came from, for per-network caps.
  'ALTER TABLE holds ADD COLUMN ip TEXT',
  // 4: per seat, the price quoted at hold time (tier or flash sale; JSON, null when every seat is at list price).
  'ALTER TABLE holds ADD COLUMN quotes TEXT',
  // 5: how a presale hold got in (`c:<code>` counts a use of the code, `m:<tier>`; null in the general sale).
  ADMISSION_MIGRATION,
  // 6: the log of price steps crossed by sell-through (price-steps.ts).
  PRICE_STEP_MIGRATION,
  // 7: a confirmed hold's sold seats found by index on load, not by a scan of every seat per hold.
  'CREATE INDEX IF NOT EXISTS seats_hold ON seats (hold_id)',
]

/** How far storage from before the migration runner got: none, the first layout, or with `holds.ip`. */
export function adoptShowStorage(sql: SqlStorage): number {
  if (!hasTable(sql, 'holds')) return 0
  return hasColumn(sql, 'holds', 'ip') ? 3 : 1
}

/** A venue seat as the actor imports it (catalogue.ts): its layout data and whether the venue blocks it. */
export type CatalogueSeat = LayoutSeat & { blocked: boolean }

type Row = Record<string, string | number | null>

export const storedConfig = (sql: SqlStorage): ShowConfig | undefined => {
  const value = readMeta(sql, 'config')
  return value === undefined ? undefined : (JSON.parse(value) as ShowConfig)
}

export const storeConfig = (sql: SqlStorage, config: ShowConfig) =>
  writeMeta(sql, 'config', JSON.stringify(config))

/**
 * A page of the venue's seats stored from position `first` on (the catalogue import goes a page at a time, so a
 * 400,000-seat venue is never in memory at once). A page again replaces its rows: an import cut short restarts.
 */
export function importSeats(storage: DurableObjectStorage, seats: CatalogueSeat[], first: number) {
  const { sql } = storage
  storage.transactionSync(() => {
    seats.forEach((s, k) => {
      sql.exec(
        `INSERT OR REPLACE INTO seats (idx, id, label, section, row, ordinal, category, x, y, accessible, companion, restricted_view, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        first + k,
        s.id,
        s.label,
        s.section,
        s.row,
        s.ordinal,
        s.category,
        s.x,
        s.y,
        s.accessible ? 1 : 0,
        s.companion ? 1 : 0,
        s.restrictedView ? 1 : 0,
        s.blocked ? BLOCKED : FREE,
      )
    })
  })
}

/** The import done: rows past the venue's seats (from an import cut short) go, and the config marks the show ready. */
export function finishImport(storage: DurableObjectStorage, config: ShowConfig, seatCount: number) {
  storage.transactionSync(() => {
    storage.sql.exec('DELETE FROM seats WHERE idx >= ?', seatCount)
    storeConfig(storage.sql, config)
  })
}

/** The show's config and the venue's seats in one go (tests, the heap bench). */
export function importShow(storage: DurableObjectStorage, config: ShowConfig, seats: CatalogueSeat[]) {
  importSeats(storage, seats, 0)
  finishImport(storage, config, seats.length)
}

/**
 * The seats' facts into columns, a page of rows at a time (a 400,000-seat show never has all its rows in
 * memory at once), with each seat's state and channel.
 */
function loadSeats(sql: SqlStorage) {
  const [{ n }] = sql.exec<{ n: number }>('SELECT count(*) AS n FROM seats').toArray() as [{ n: number }]
  const columns = new SeatColumns(n)
  const states = new Uint8Array(n)
  const allocations = new Map<number, string>()
  for (let from = 0; from < n; from += SEAT_CHUNK) {
    const page = sql.exec<Row>(
      `SELECT idx, id, label, section, row, ordinal, category, x, y, accessible, companion, restricted_view, state,
              allocation FROM seats WHERE idx >= ? ORDER BY idx LIMIT ?`,
      from,
      SEAT_CHUNK,
    )
    for (const r of page) {
      const i = columns.size
      // The layout's index is the row's idx (every write addresses a seat by it).
      if (Number(r.idx) !== i) throw new Error(`seat rows out of order at ${i}`)
      columns.push({
        id: String(r.id),
        label: String(r.label),
        section: String(r.section),
        row: String(r.row),
        ordinal: Number(r.ordinal),
        category: String(r.category),
        x: Number(r.x),
        y: Number(r.y),
        accessible: Boolean(r.accessible),
        companion: Boolean(r.companion),
        restrictedView: Boolean(r.restricted_view),
      })
      states[i] = Number(r.state)
      if (r.allocation !== null) allocations.set(i, String(r.allocation))
    }
  }
  return { columns: columns.sealed(), states, allocations }
}

/** The show's state in memory, from what storage holds: seats, active holds, and what each buyer bought. */
export function loadShow(sql: SqlStorage, caps: HoldCaps): ShowSales {
  const config = storedConfig(sql)!
  const { columns, states, allocations } = loadSeats(sql)
  const layout = new SeatLayout(columns, config.stage, config.seatFocus ?? 'stage')
  for (let i = 0; i < states.length; i++) layout.setState(i, states[i] as SeatState)
  for (const [i, channel] of allocations) layout.allocation[i] = channel
  const sales = new ShowSales(config, layout, caps, Number(readMeta(sql, 'version') ?? 0))
  for (const h of sql.exec<Row>("SELECT * FROM holds WHERE status IN ('active', 'confirmed')")) {
    const hold = holdOf(h)
    if (h.status === 'active') sales.restoreHold(hold)
    else {
      // A confirmed hold counts only the seats still sold (refunds return some) and their ID numbers.
      const sold = new Set(
        sql
          .exec<{ idx: number }>('SELECT idx FROM seats WHERE hold_id = ? AND state = ?', hold.id, SOLD)
          .toArray()
          .map((r) => r.idx),
      )
      sales.restoreSold(hold, sold)
    }
  }
  restoreStepLevels(sales, sql)
  return sales
}

function holdOf(h: Row): ActiveHold {
  return {
    id: String(h.id),
    holderId: String(h.holder_id),
    idNumbers: JSON.parse(String(h.id_numbers)),
    seats: JSON.parse(String(h.seats)),
    expiresAt: Number(h.expires_at),
    channel: h.channel === null ? null : String(h.channel),
    ip: h.ip === null || h.ip === undefined ? null : String(h.ip),
    quotes: typeof h.quotes === 'string' ? JSON.parse(h.quotes) : null,
    admission: typeof h.admission === 'string' ? h.admission : null,
    heldAt: Number(h.created_at),
  }
}

/** The change counter after a change viewers are told about. */
export const storeVersion = (sql: SqlStorage, version: number) => writeMeta(sql, 'version', String(version))

/** One statement for a whole batch, whatever its size: the holds' rows, which also say which seats are held. */
export function writeHolds(sql: SqlStorage, created: ActiveHold[], now: number) {
  if (created.length === 0) return
  sql.exec(
    `INSERT INTO holds (id, holder_id, id_numbers, seats, status, expires_at, channel, created_at, ip, quotes, admission)
     SELECT json_extract(value, '$.id'), json_extract(value, '$.holderId'), json_extract(value, '$.idNumbers'),
            json_extract(value, '$.seats'), 'active', json_extract(value, '$.expiresAt'), json_extract(value, '$.channel'), ?,
            json_extract(value, '$.ip'), json_extract(value, '$.quotes'), json_extract(value, '$.admission')
     FROM json_each(?)`,
    now,
    JSON.stringify(
      created.map((h) => ({
        id: h.id,
        holderId: h.holderId,
        idNumbers: JSON.stringify(h.idNumbers),
        seats: JSON.stringify(h.seats),
        expiresAt: h.expiresAt,
        channel: h.channel,
        ip: h.ip,
        // The quote goes in the hold's own row, in the same statement: counters rebuild from it on load.
        quotes: h.quotes ? JSON.stringify(h.quotes) : null,
        admission: h.admission ?? null,
      })),
    ),
  )
}

/** The ID numbers of confirmed holds' seats, by seat id (a hold lists its numbers in the order of its seats). */
export function soldIdNumbers(sql: SqlStorage, holdIds: string[]): [seatId: string, idNumber: string][] {
  const holds = sql
    .exec<{ seats: string; id_numbers: string }>(
      `SELECT seats, id_numbers FROM holds WHERE status = 'confirmed' AND id_numbers != '[]'
       AND id IN (SELECT value FROM json_each(?))`,
      JSON.stringify(holdIds),
    )
    .toArray()
  const numberOfSeat = new Map<number, string>()
  for (const hold of holds) {
    const numbers: string[] = JSON.parse(hold.id_numbers)
    ;(JSON.parse(hold.seats) as number[]).forEach((idx, k) => {
      if (numbers[k]) numberOfSeat.set(idx, numbers[k])
    })
  }
  if (numberOfSeat.size === 0) return []
  return sql
    .exec<{ idx: number; id: string }>(
      'SELECT idx, id FROM seats WHERE idx IN (SELECT value FROM json_each(?))',
      JSON.stringify([...numberOfSeat.keys()]),
    )
    .toArray()
    .map((seat) => [seat.id, numberOfSeat.get(seat.idx)!])
}

export const endHoldRow = (sql: SqlStorage, holdId: string, status: 'released' | 'expired') =>
  sql.exec('UPDATE holds SET status = ? WHERE id = ?', status, holdId)

export const writeHoldIdNumbers = (sql: SqlStorage, holdId: string, idNumbers: string[]) =>
  sql.exec('UPDATE holds SET id_numbers = ? WHERE id = ?', JSON.stringify(idNumbers), holdId)

export const extendHoldRow = (sql: SqlStorage, holdId: string, until: number) =>
  sql.exec('UPDATE holds SET expires_at = ? WHERE id = ?', until, holdId)

/** A hold as stored, whatever its status (confirm and describe look at ended holds too). */
export function readHold(sql: SqlStorage, holdId: string) {
  const [row] = sql.exec<Row>('SELECT * FROM holds WHERE id = ?', holdId).toArray()
  if (!row) return null
  return {
    ...holdOf(row),
    status: String(row.status),
    orderId: row.order_id === null ? null : String(row.order_id),
  }
}

/** A hold's seats become sold for `orderId`. */
export function writeSale(sql: SqlStorage, holdId: string, orderId: string, seats: number[]) {
  sql.exec("UPDATE holds SET status = 'confirmed', order_id = ? WHERE id = ?", orderId, holdId)
  for (const i of seats)
    sql.exec('UPDATE seats SET state = ?, hold_id = ?, order_id = ? WHERE idx = ?', SOLD, holdId, orderId, i)
}

/** An order's sold seats, each with the hold it was bought through. */
export const soldSeatsOf = (sql: SqlStorage, orderId: string) =>
  sql
    .exec<{ idx: number; id: string; hold_id: string }>(
      'SELECT idx, id, hold_id FROM seats WHERE order_id = ?',
      orderId,
    )
    .toArray()

/** Seats of a hold still sold (a refund gives a code's use back only once none is). */
export const soldCountOf = (sql: SqlStorage, holdId: string) =>
  sql
    .exec<{ n: number }>('SELECT count(*) AS n FROM seats WHERE hold_id = ? AND state = ?', holdId, SOLD)
    .one().n

export const writeReturn = (sql: SqlStorage, idx: number) =>
  sql.exec('UPDATE seats SET state = ?, hold_id = NULL, order_id = NULL WHERE idx = ?', FREE, idx)

export const writeSeatState = (sql: SqlStorage, idx: number, state: number) =>
  sql.exec('UPDATE seats SET state = ? WHERE idx = ?', state, idx)

export const writeAllocation = (sql: SqlStorage, idx: number, channel: string | null) =>
  sql.exec('UPDATE seats SET allocation = ? WHERE idx = ?', channel, idx)

/** Seats per state as storage has them (held seats are the active holds' seats; in `seats` they are free). */
export function storedCounts(sql: SqlStorage) {
  const [stored] = sql
    .exec<Record<string, number>>(
      `WITH held AS (SELECT coalesce(sum(json_array_length(seats)), 0) AS n FROM holds WHERE status = 'active')
       SELECT sum(state = ${FREE}) - (SELECT n FROM held) AS free, (SELECT n FROM held) AS held,
              sum(state = ${SOLD}) AS sold, sum(state = ${BLOCKED}) AS blocked FROM seats`,
    )
    .toArray()
  return stored!
}
