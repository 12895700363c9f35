import { readMeta, writeMeta } from '../shared/meta.ts'
import type { DayConfig } from './rules/day-config.ts'
import type { LineRow, LineStatus } from './rules/lines.ts'
import type { NewRows } from './rules/new-hold.ts'
import type { EndedHold } from './rules/reacquire.ts'

// The day actor's SQLite (tables in migrations.ts): every statement it runs, and nothing else. Callers run
// writes inside one storage transaction (inventory.ts `write`).

/** Lines with their hold's buyer, who owns them for parent-child rules and caps. */
const LINES = 'SELECT l.*, h.holder_id FROM lines l JOIN holds h ON h.id = l.hold_id'
const TAKEN = "('held', 'sold')"

export type HoldStatus = 'active' | 'released' | 'expired' | 'confirmed'

/** A hold as stored. */
export type HoldRecord = EndedHold & {
  id: string
  status: HoldStatus
  expires_at: number
  order_id: string | null
}

/** A buyer's active hold, for the caps' tallies. */
export type ActiveHold = {
  holder_id: string
  client_network: string | null
  expires_at: number
  n: number
}

export class DayStore {
  constructor(private readonly sql: SqlStorage) {}

  /** The day's settings as last saved (a config of an older shape included), or undefined. */
  savedConfig(): DayConfig | undefined {
    const value = readMeta(this.sql, 'config')
    return value === undefined ? undefined : (JSON.parse(value) as DayConfig)
  }

  saveConfig(config: DayConfig) {
    writeMeta(this.sql, 'config', JSON.stringify(config))
  }

  /** Every held or sold line: what the counters count. */
  takenLines(): LineRow[] {
    return this.sql.exec<LineRow>(`${LINES} WHERE l.status IN ${TAKEN}`).toArray()
  }

  /**
   * Tier places per counter: lines held, sold or returned (a refunded tier place does not reopen, the
   * schedules' default).
   */
  tierPlaces(): Map<string, number> {
    const rows = this.sql
      .exec<{ tier_key: string; n: number }>(
        `SELECT tier_key, count(*) AS n FROM lines
         WHERE tier_key IS NOT NULL AND status IN ('held', 'sold', 'returned') GROUP BY tier_key`,
      )
      .toArray()
    return new Map(rows.map((r) => [r.tier_key, r.n]))
  }

  /**
   * The ID numbers of these sold (or since returned) lines that have one, for a gate's keyed ID index: the caller
   * hashes them at once and keeps none (a returned line's gate answer is "revoked", not "no ticket"). One JSON
   * parameter, so any number of ids fits one statement.
   */
  soldIdNumbers(lineIds: string[]): [lineId: string, idNumber: string][] {
    return this.sql
      .exec<{ id: string; id_number: string }>(
        `SELECT id, id_number FROM lines
         WHERE status IN ('sold', 'returned') AND id_number IS NOT NULL AND id IN (SELECT value FROM json_each(?))`,
        JSON.stringify(lineIds),
      )
      .toArray()
      .map((row) => [row.id, row.id_number])
  }

  /** A held or sold line by id (a parent a child line names). */
  takenLine(id: string): LineRow | undefined {
    return this.sql.exec<LineRow>(`${LINES} WHERE l.id = ? AND l.status IN ${TAKEN}`, id).toArray()[0]
  }

  activeHolds(): ActiveHold[] {
    return this.sql
      .exec<ActiveHold>(
        `SELECT h.holder_id, h.client_network, h.expires_at, count(*) AS n FROM holds h JOIN lines l ON l.hold_id = h.id
         WHERE h.status = 'active' GROUP BY h.id`,
      )
      .toArray()
  }

  /** A batch's new holds and lines: two statements, whatever its size. */
  writeHolds(rows: NewRows, expiresAt: number, now: number) {
    if (rows.holds.length === 0) return
    this.sql.exec(
      `INSERT INTO holds (id, holder_id, channel, package_id, client_network, partner, status, expires_at, created_at)
       SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, 'active', ?, ?
       FROM json_each(?)`,
      expiresAt,
      now,
      JSON.stringify(rows.holds),
    )
    this.sql.exec(
      `INSERT INTO lines (id, hold_id, product_id, slot, channel, id_number, phone, name, status, price, parent_line_id,
                          list_price, tier, tier_key, channel_priced)
       SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
              'held', value ->> 8, value ->> 9, value ->> 10, value ->> 11, value ->> 12, value ->> 13
       FROM json_each(?)`,
      JSON.stringify(rows.lines),
    )
  }

  hold(id: string): HoldRecord | undefined {
    return this.sql.exec<HoldRecord>('SELECT * FROM holds WHERE id = ?', id).toArray()[0]
  }

  /** A hold's lines in the order they were held, whatever became of them. */
  linesOfHold(holdId: string): LineRow[] {
    return this.sql.exec<LineRow>(`${LINES} WHERE l.hold_id = ? ORDER BY l.rowid`, holdId).toArray()
  }

  /** A hold's lines still held. */
  heldLines(holdId: string): LineRow[] {
    return this.sql.exec<LineRow>(`${LINES} WHERE l.hold_id = ? AND l.status = 'held'`, holdId).toArray()
  }

  /**
   * A hold stops being active. The client's address is kept only while it is (for the caps); '' still marks a
   * public hold.
   */
  endHold(holdId: string, status: Exclude<HoldStatus, 'active'>, orderId: string | null) {
    this.sql.exec(
      `UPDATE holds SET status = ?, order_id = coalesce(?, order_id),
         client_network = CASE WHEN client_network IS NULL THEN NULL ELSE '' END WHERE id = ?`,
      status,
      orderId,
      holdId,
    )
  }

  /** A hold confirmed for an order after it ended (a late payment re-acquired it). */
  confirmEnded(holdId: string, orderId: string) {
    this.sql.exec("UPDATE holds SET status = 'confirmed', order_id = ? WHERE id = ?", orderId, holdId)
  }

  /** Lines of a hold become sold for an order: those still held, or all of them (`all`, a re-acquire). */
  sell(holdId: string, orderId: string, all: boolean) {
    this.sql.exec(
      `UPDATE lines SET status = 'sold', order_id = ? WHERE hold_id = ?${all ? '' : " AND status = 'held'"}`,
      orderId,
      holdId,
    )
  }

  setLineStatus(lineId: string, status: LineStatus) {
    this.sql.exec('UPDATE lines SET status = ? WHERE id = ?', status, lineId)
  }

  /** An order's sold lines, in the order they were held. */
  soldLinesOfOrder(orderId: string): LineRow[] {
    return this.sql
      .exec<LineRow>(`${LINES} WHERE l.order_id = ? AND l.status = 'sold' ORDER BY l.rowid`, orderId)
      .toArray()
  }

  /** Every sold line of one buyer, in the order they were held. */
  soldLinesOf(holderId: string): LineRow[] {
    return this.sql
      .exec<LineRow>(`${LINES} WHERE l.status = 'sold' AND h.holder_id = ? ORDER BY l.rowid`, holderId)
      .toArray()
  }

  /** Marks a sold line used at the gate; whether it was one. */
  markRedeemed(lineId: string): boolean {
    return (
      this.sql.exec("UPDATE lines SET redeemed = 1 WHERE id = ? AND status = 'sold'", lineId).rowsWritten > 0
    )
  }

  /** Lines per status and product, straight from storage (tests compare them with the counters). */
  countsByStatus() {
    return this.sql
      .exec<{ status: string; product_id: string; n: number }>(
        'SELECT status, product_id, count(*) AS n FROM lines GROUP BY status, product_id',
      )
      .toArray()
  }

  /** Active holds whose deadline has passed. */
  dueHolds(now: number): string[] {
    return this.sql
      .exec<{ id: string }>("SELECT id FROM holds WHERE status = 'active' AND expires_at <= ?", now)
      .toArray()
      .map((h) => h.id)
  }

  /** The earliest deadline of an active hold, or null. */
  nextExpiry(): number | null {
    const [next] = this.sql
      .exec<{ at: number | null }>("SELECT min(expires_at) AS at FROM holds WHERE status = 'active'")
      .toArray()
    return next?.at ?? null
  }
}
