import type { WaitingRoomSettings } from '../../worker/domain/waiting-room.ts'
import { readMeta, writeMeta } from '../shared/meta.ts'

// The waiting room's storage: the counters (one JSON row in meta, written with every change) and the places.
// Every statement here reaches rows through an index (buyer_id, ticket, id_hash, (state, pass_expires_at)), so a
// join, a look-up and one admission decision each cost O(log n) whatever the queue's length; the one statement
// that touches many rows is the shuffle at opening, once per on-sale.

export interface QueueCounters {
  seed: number
  settings: WaitingRoomSettings | null
  opened: boolean
  /** Joins so far (a place's `arrival`). */
  arrivals: number
  /** Pre-queue places waiting for the shuffle. */
  preQueued: number
  /** Highest ticket given, and highest decided (admitted or skipped): waiting = lastTicket − cursor once open. */
  lastTicket: number
  cursor: number
  /** Admitted buyers not yet finished (ordered, released) and whose pass has not lapsed; of them, not yet holding. */
  active: number
  choosing: number
  /** Admitted buyers refused and gone quiet (absent in counters saved before migration 3). */
  quiet?: number
  admitted: number
  skipped: number
  soldOut: boolean
  available: number | null
  /** Fixed-rate admissions carried between ticks, the last tick's time and the observed rate per minute. */
  allowance: number
  lastTickAt: number
  ratePerMinute: number
  /** Where the rotating position push continues, and when positions were last pushed. */
  pushFrom: number
  lastPushAt: number
}

export function loadCounters(sql: SqlStorage): QueueCounters {
  const saved = readMeta(sql, 'counters')
  if (saved) return JSON.parse(saved) as QueueCounters
  const seed = crypto.getRandomValues(new Uint32Array(1))[0]!
  return {
    seed,
    settings: null,
    opened: false,
    arrivals: 0,
    preQueued: 0,
    lastTicket: 0,
    cursor: 0,
    active: 0,
    choosing: 0,
    admitted: 0,
    skipped: 0,
    soldOut: false,
    available: null,
    allowance: 0,
    lastTickAt: 0,
    ratePerMinute: 0,
    pushFrom: 0,
    lastPushAt: 0,
  }
}

export const saveCounters = (sql: SqlStorage, counters: QueueCounters) =>
  writeMeta(sql, 'counters', JSON.stringify(counters))

export type PlaceRow = {
  buyer_id: string
  id_hash: string | null
  arrival: number
  ticket: number | null
  state: 'waiting' | 'admitted' | 'expired'
  held: number
  finished: number
  quiet: number
  refused_at: number | null
  last_seen_at: number
  pass_expires_at: number | null
  pass_seen: number
}

const placeColumns =
  'buyer_id, id_hash, arrival, ticket, state, held, finished, quiet, refused_at, last_seen_at, pass_expires_at, pass_seen'

export function placeOf(sql: SqlStorage, buyerId: string): PlaceRow | undefined {
  return sql.exec<PlaceRow>(`SELECT ${placeColumns} FROM places WHERE buyer_id = ?`, buyerId).toArray()[0]
}

/** The buyer whose live place carries this ID hash (expired places give their ID up). */
export function holderOfId(sql: SqlStorage, idHash: string): string | undefined {
  return sql.exec<{ buyer_id: string }>('SELECT buyer_id FROM places WHERE id_hash = ?', idHash).toArray()[0]
    ?.buyer_id
}

/** A new place, or an expired one's buyer back at the end of the queue. */
export function putPlace(
  sql: SqlStorage,
  place: {
    buyerId: string
    idHash: string | null
    arrival: number
    shuffleKey: number | null
    ticket: number | null
  },
  now: number,
) {
  sql.exec(
    `INSERT INTO places (buyer_id, id_hash, arrival, shuffle_key, ticket, state, finished, joined_at, last_seen_at)
     VALUES (?, ?, ?, ?, ?, 'waiting', 0, ?, ?)
     ON CONFLICT (buyer_id) DO UPDATE SET id_hash = excluded.id_hash, arrival = excluded.arrival,
       shuffle_key = excluded.shuffle_key, ticket = excluded.ticket, state = 'waiting', held = 0, finished = 0,
       quiet = 0, refused_at = NULL,
       joined_at = excluded.joined_at, last_seen_at = excluded.last_seen_at, admitted_at = NULL,
       pass_expires_at = NULL, pass_seen = 0`,
    place.buyerId,
    place.idHash,
    place.arrival,
    place.shuffleKey,
    place.ticket,
    now,
    now,
  )
}

/** The row putPlace leaves for a place (what placeOf would read back). */
export const newPlaceRow = (
  place: { buyerId: string; idHash: string | null; arrival: number; ticket: number | null },
  now: number,
): PlaceRow => ({
  buyer_id: place.buyerId,
  id_hash: place.idHash,
  arrival: place.arrival,
  ticket: place.ticket,
  state: 'waiting',
  held: 0,
  finished: 0,
  quiet: 0,
  refused_at: null,
  last_seen_at: now,
  pass_expires_at: null,
  pass_seen: 0,
})

/** Buyers a tick's `touchAll` writes in one statement (the statement's JSON text stays a few hundred kB). */
const TOUCH_CHUNK = 5_000

/**
 * Last-seen times kept in memory between ticks (see WaitingRoom.seen), written in the caller's transaction: one
 * UPDATE over a JSON list per TOUCH_CHUNK buyers instead of one statement per buyer (a tick behind thousands of
 * reads spent most of its time crossing into SQLite once per buyer).
 */
export function touchAll(sql: SqlStorage, seen: ReadonlyMap<string, number>) {
  const all = [...seen]
  for (let from = 0; from < all.length; from += TOUCH_CHUNK)
    sql.exec(
      `UPDATE places SET last_seen_at = max(places.last_seen_at, seen.value ->> 1)
         FROM json_each(?) AS seen WHERE places.buyer_id = seen.value ->> 0`,
      JSON.stringify(all.slice(from, from + TOUCH_CHUNK)),
    )
}

/**
 * Opening: the pre-queue's places take tickets after `lastTicket` in shuffle-key order (ties by arrival). Once per
 * on-sale; SQLite sorts in C, so 100,000 arrivals take a fraction of a second. Answers how many were ticketed.
 */
export function ticketPreQueue(sql: SqlStorage, lastTicket: number): number {
  // Counted from the rows returned: `rowsWritten` counts index writes too.
  let ticketed = 0
  for (const _ of sql.exec(
    `UPDATE places SET ticket = ranked.n + ?
       FROM (SELECT buyer_id, row_number() OVER (ORDER BY shuffle_key, arrival) AS n
               FROM places WHERE ticket IS NULL AND state = 'waiting') AS ranked
      WHERE places.buyer_id = ranked.buyer_id RETURNING 1`,
    lastTicket,
  ))
    ticketed++
  return ticketed
}

/** The waiting places after `cursor` in queue order (a lazy cursor: the tick stops reading when it is done). */
export function placesAfter(sql: SqlStorage, cursor: number, limit: number) {
  return sql.exec<{ buyer_id: string; ticket: number; last_seen_at: number; joined_at: number }>(
    'SELECT buyer_id, ticket, last_seen_at, joined_at FROM places WHERE ticket > ? ORDER BY ticket LIMIT ?',
    cursor,
    limit,
  )
}

/** When the first undecided place after `cursor` joined (null: nobody waits): the room's head, by the ticket index. */
export function headJoinedAt(sql: SqlStorage, cursor: number): number | null {
  const row = sql
    .exec<{ joined_at: number }>(
      'SELECT joined_at FROM places WHERE ticket > ? ORDER BY ticket LIMIT 1',
      cursor,
    )
    .toArray()[0]
  return row ? row.joined_at : null
}

export function placesBetween(sql: SqlStorage, after: number, upTo: number) {
  return sql
    .exec<{ buyer_id: string; ticket: number }>(
      "SELECT buyer_id, ticket FROM places WHERE ticket > ? AND ticket <= ? AND state = 'waiting'",
      after,
      upTo,
    )
    .toArray()
}

export function admit(sql: SqlStorage, buyerId: string, now: number, passExpiresAt: number) {
  sql.exec(
    "UPDATE places SET state = 'admitted', admitted_at = ?, pass_expires_at = ? WHERE buyer_id = ?",
    now,
    passExpiresAt,
    buyerId,
  )
}

/** An abandoned place skipped at admission; its ID is free again. */
export const skip = (sql: SqlStorage, buyerId: string) =>
  sql.exec("UPDATE places SET state = 'expired', id_hash = NULL WHERE buyer_id = ?", buyerId)

/** Admitted places whose pass lapsed by `now` become expired; answers how many were still active and choosing. */
export function lapsePasses(
  sql: SqlStorage,
  now: number,
): { lapsed: string[]; wereActive: number; wereChoosing: number; wereQuiet: number } {
  const rows = sql
    .exec<{ buyer_id: string; held: number; finished: number; quiet: number }>(
      `UPDATE places SET state = 'expired', id_hash = NULL, refused_at = NULL
        WHERE state = 'admitted' AND pass_expires_at <= ? RETURNING buyer_id, held, finished, quiet`,
      now,
    )
    .toArray()
  const counted = rows.filter((r) => !r.finished && !r.quiet)
  return {
    lapsed: rows.map((r) => r.buyer_id),
    wereActive: counted.length,
    wereChoosing: counted.filter((r) => !r.held).length,
    wereQuiet: rows.filter((r) => !r.finished && r.quiet).length,
  }
}

/**
 * Admitted buyers refused at or before `refusedBy` who hold nothing and have not tried since go quiet (see
 * wentQuiet in worker/domain/waiting-room.ts); answers how many. Reaches them by the partial index on refused_at.
 */
export function quietRefused(sql: SqlStorage, refusedBy: number): number {
  let quieted = 0
  for (const _ of sql.exec(
    `UPDATE places SET quiet = 1, refused_at = NULL
      WHERE refused_at IS NOT NULL AND refused_at <= ? AND state = 'admitted' AND finished = 0 AND held = 0
        AND quiet = 0 RETURNING 1`,
    refusedBy,
  ))
    quieted++
  return quieted
}

/** Whether this place's pass is live and its buyer has not seen it yet (see seePass). */
export const passUnseen = (row: PlaceRow, now: number) =>
  row.state === 'admitted' && !row.pass_seen && row.pass_expires_at !== null && row.pass_expires_at > now

/**
 * The buyer sees their pass for the first time: it runs `passMs` from now (never shorter than it was). One write
 * per admitted buyer (callers check passUnseen first), whatever they read after.
 */
export function seePass(sql: SqlStorage, row: PlaceRow, now: number, passMs: number) {
  row.pass_seen = 1
  row.pass_expires_at = Math.max(row.pass_expires_at ?? 0, now + passMs)
  sql.exec(
    'UPDATE places SET pass_seen = 1, pass_expires_at = ? WHERE buyer_id = ?',
    row.pass_expires_at,
    row.buyer_id,
  )
}

/** An admitted place's progress after a buyer's step (worker/domain/waiting-room.ts afterStep). */
export function saveProgress(
  sql: SqlStorage,
  buyerId: string,
  p: { held: boolean; finished: boolean; quiet: boolean; refusedAt: number | null },
) {
  sql.exec(
    'UPDATE places SET held = ?, finished = ?, quiet = ?, refused_at = ? WHERE buyer_id = ?',
    Number(p.held),
    Number(p.finished),
    Number(p.quiet),
    p.refusedAt,
    buyerId,
  )
}

/**
 * Admitted buyers in admission order with their arrival numbers (tests and the bench's fairness figure): a page
 * from `offset`. Sorting by admission time reads every admitted row; only for reports, never on a tick.
 */
export function admissionOrder(sql: SqlStorage, offset: number, limit: number) {
  return sql
    .exec<{ buyer_id: string; arrival: number; pre_queued: number; admitted_at: number }>(
      `SELECT buyer_id, arrival, shuffle_key IS NOT NULL AS pre_queued, admitted_at FROM places
        WHERE admitted_at IS NOT NULL ORDER BY admitted_at, ticket LIMIT ? OFFSET ?`,
      limit,
      offset,
    )
    .toArray()
    .map((r) => ({
      buyerId: r.buyer_id,
      arrival: r.arrival,
      preQueued: !!r.pre_queued,
      admittedAt: r.admitted_at,
    }))
}

/**
 * Places ticketed at their join (after the opening; the pre-queue's drawn places are left out), in ticket order
 * (the room's own admission order), with what became of each: a page from `offset`. Reads by the ticket index;
 * only for reports (the bench's fairness over everyone who joined after the opening), never on a tick.
 */
export function queueOrder(sql: SqlStorage, offset: number, limit: number) {
  return sql
    .exec<{
      buyer_id: string
      arrival: number
      ticket: number
      joined_at: number
      state: PlaceRow['state']
      admitted_at: number | null
    }>(
      `SELECT buyer_id, arrival, ticket, joined_at, state, admitted_at FROM places
        WHERE ticket IS NOT NULL AND shuffle_key IS NULL ORDER BY ticket LIMIT ? OFFSET ?`,
      limit,
      offset,
    )
    .toArray()
}
