// The points ledger in D1. Every row is appended by one INSERT … SELECT that reads the member's current sums in the
// same statement (D1 runs statements one at a time), so a reversal never takes the balance below zero and the
// sequence numbers never collide; ids are keyed on what caused the row, so a replayed event writes nothing.
import { asc, eq, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { memberPoints } from '../../db/schema.ts'
import {
  expiredPoints,
  ledgerState,
  type PointsEntry,
  type PointsEntryKind,
  type PointsState,
} from '../../domain/points-ledger.ts'

interface NewEntry {
  id: string
  memberId: string
  kind: PointsEntryKind
  /** A number, or SQL over `s.balance` / `s.debt` (the member's sums before this row). */
  points: number | SQL
  debt?: number | SQL
  spend?: number
  orderId?: string | null
  expiresAt?: string | null
  at: Date
  /** Written only when this holds (SQL over `s.last`, `s.balance`, `s.debt`). */
  when?: SQL
}

/** One ledger row as a statement (for a batch); writes nothing when its id exists or `when` is false. */
export function appendEntry(db: Database, entry: NewEntry) {
  // Columns in the table's order (drizzle inserts a SELECT into every column).
  return db
    .insert(memberPoints)
    .select(
      sql`SELECT ${entry.id}, ${entry.memberId}, s.last + 1, ${entry.kind}, ${entry.points}, ${entry.debt ?? 0},
      ${entry.spend ?? 0}, ${entry.orderId ?? null}, ${entry.expiresAt ?? null}, ${entry.at.toISOString()}
    FROM (SELECT coalesce(max(seq), 0) AS last, coalesce(sum(points), 0) AS balance, coalesce(sum(debt), 0) AS debt
          FROM member_points WHERE member_id = ${entry.memberId}) AS s
    WHERE ${entry.when ?? sql`1 = 1`}`,
    )
    .onConflictDoNothing()
}

/**
 * Takes `amount` points off the balance as far as it goes and records the rest as debt (a refund reversing points
 * already spent): the balance never goes below zero.
 */
export const takeOrOwe = (amount: number) => ({
  points: sql`-min(${amount}, s.balance)`,
  debt: sql`${amount} - min(${amount}, s.balance)`,
})

/** Pays the debt off from the balance, as far as it goes (after points came in). */
export const settleDebt = () => ({
  points: sql`-min(s.balance, s.debt)`,
  debt: sql`-min(s.balance, s.debt)`,
  when: sql`s.debt > 0 AND s.balance > 0`,
})

/** Guard condition for a batch: the member's balance is not below zero (a redemption was covered). */
export const balanceCovered = (memberId: string) =>
  sql`(SELECT coalesce(sum(points), 0) FROM member_points WHERE member_id = ${memberId}) >= 0`

export async function readEntries(db: Database, memberId: string) {
  return db
    .select()
    .from(memberPoints)
    .where(eq(memberPoints.memberId, memberId))
    .orderBy(asc(memberPoints.seq))
}

export const asEntry = (row: typeof memberPoints.$inferSelect): PointsEntry => ({
  id: row.id,
  seq: row.seq,
  kind: row.kind,
  points: row.points,
  debt: row.debt,
  expiresAt: row.expiresAt,
})

/**
 * Lazy expiry: writes one `expire` row for the points whose date has passed, then answers the state. The row is
 * written only if nothing was appended since the ledger was read (else it is worked out again), so an expiry
 * never takes points a concurrent redemption already took.
 */
export async function settledState(
  db: Database,
  memberId: string,
  now: Date,
): Promise<{ state: PointsState; rows: (typeof memberPoints.$inferSelect)[] }> {
  for (let attempt = 0; ; attempt++) {
    const rows = await readEntries(db, memberId)
    const state = ledgerState(rows.map(asEntry))
    const due = expiredPoints(state, now)
    if (due === 0 || attempt === 3) return { state, rows }
    const last = rows.at(-1)?.seq ?? 0
    await appendEntry(db, {
      id: `exp_${memberId}_${last}`,
      memberId,
      kind: 'expire',
      points: -due,
      at: now,
      when: sql`s.last = ${last} AND s.balance >= ${due}`,
    })
  }
}
