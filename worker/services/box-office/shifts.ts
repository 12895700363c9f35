import { and, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import {
  type BoxOfficeTender,
  boxOfficeEntries,
  boxOfficeShifts,
  boxOfficeTenders,
  organizers,
} from '../../db/schema.ts'
import { newId } from '../../ids.ts'
import { notFound, Problem } from '../../problem.ts'
import { isUniqueViolation } from '../orders/batch.ts'

// A clerk's shift: the float at opening, every sale and refund by tender, the count at closing. An entry counts
// once its payment or refund succeeded (read from the money tables, which stay the truth of what moved).

export type Shift = typeof boxOfficeShifts.$inferSelect
export type TenderTotals = Record<BoxOfficeTender, number>

export interface ShiftTotals {
  /** Money in by tender (sales), out by tender (refunds), and net. */
  sales: TenderTotals
  refunds: TenderTotals
  net: TenderTotals
  /** Counted sales and refunds. */
  salesCount: number
  refundsCount: number
  /** What the drawer should hold: float + net cash. */
  expectedCash: number
}

const zero = (): TenderTotals => ({ cash: 0, card: 0, payment_code: 0 })

/** Net of one tender in a shift, as SQL: succeeded sales minus succeeded refunds (used in the closing update). */
function netOf(shiftId: SQL | string, tender: BoxOfficeTender): SQL {
  return sql`(SELECT coalesce(sum(CASE
      WHEN e.kind = 'sale' AND p.status IN ('succeeded', 'refunded', 'partially_refunded') THEN p.amount
      WHEN e.kind = 'refund' AND r.status = 'succeeded' THEN -r.amount
      ELSE 0 END), 0)
    FROM box_office_entries e
    LEFT JOIN payments p ON p.id = e.payment_id
    LEFT JOIN refunds r ON r.id = e.refund_id
    WHERE e.shift_id = ${shiftId} AND e.tender = ${tender})`
}

export async function openShift(
  db: Database,
  input: { organizerId: string; clerkId: string; openingFloat: number },
): Promise<Shift> {
  const [organizer] = await db
    .select({ currency: organizers.currency })
    .from(organizers)
    .where(eq(organizers.id, input.organizerId))
  if (!organizer) throw notFound(`organizer ${input.organizerId}`)
  try {
    const [shift] = await db
      .insert(boxOfficeShifts)
      .values({ id: newId('shf'), ...input, currency: organizer.currency })
      .returning()
    return shift!
  } catch (error) {
    // The partial unique index allows one open shift per clerk: a second open, even a racing one, lands here.
    if (!isUniqueViolation(error)) throw error
    throw new Problem({
      code: 'shift_open',
      status: 409,
      title: 'Shift already open',
      detail: 'You already have an open shift; close it first',
    })
  }
}

/** The clerk's open shift in this organizer, or undefined. */
export async function openShiftOf(db: Database, organizerId: string, clerkId: string) {
  const [shift] = await db
    .select()
    .from(boxOfficeShifts)
    .where(
      and(
        eq(boxOfficeShifts.clerkId, clerkId),
        eq(boxOfficeShifts.organizerId, organizerId),
        eq(boxOfficeShifts.status, 'open'),
      ),
    )
  return shift
}

export async function requireOpenShift(db: Database, organizerId: string, clerkId: string) {
  const shift = await openShiftOf(db, organizerId, clerkId)
  if (!shift)
    throw new Problem({
      code: 'shift_required',
      status: 409,
      title: 'No open shift',
      detail: 'Open a shift first: sales and refunds at the window are counted in a shift',
    })
  return shift
}

/** The clerk's shifts in this organizer, newest first. */
export function shiftsOf(db: Database, organizerId: string, clerkId: string, limit = 20) {
  return db
    .select()
    .from(boxOfficeShifts)
    .where(and(eq(boxOfficeShifts.organizerId, organizerId), eq(boxOfficeShifts.clerkId, clerkId)))
    .orderBy(desc(boxOfficeShifts.openedAt))
    .limit(limit)
}

export async function shiftTotals(db: Database, shift: Shift): Promise<ShiftTotals> {
  const rows = await db.all<{ kind: 'sale' | 'refund'; tender: BoxOfficeTender; amount: number; n: number }>(
    sql`SELECT e.kind AS kind, e.tender AS tender,
        sum(CASE WHEN e.kind = 'sale' THEN p.amount ELSE r.amount END) AS amount, count(*) AS n
      FROM box_office_entries e
      LEFT JOIN payments p ON p.id = e.payment_id
      LEFT JOIN refunds r ON r.id = e.refund_id
      WHERE e.shift_id = ${shift.id}
        AND ((e.kind = 'sale' AND p.status IN ('succeeded', 'refunded', 'partially_refunded'))
          OR (e.kind = 'refund' AND r.status = 'succeeded'))
      GROUP BY e.kind, e.tender`,
  )
  const sales = zero()
  const refunds = zero()
  let salesCount = 0
  let refundsCount = 0
  for (const row of rows) {
    if (row.kind === 'sale') {
      sales[row.tender] += Number(row.amount)
      salesCount += Number(row.n)
    } else {
      refunds[row.tender] += Number(row.amount)
      refundsCount += Number(row.n)
    }
  }
  const net = zero()
  for (const tender of boxOfficeTenders) net[tender] = sales[tender] - refunds[tender]
  return { sales, refunds, net, salesCount, refundsCount, expectedCash: shift.openingFloat + net.cash }
}

/**
 * Closes the clerk's open shift with the cash counted. One conditional update of the open row computes the totals
 * by tender, the expected cash and the difference as they stand, so a second close (or a racing one) changes nothing.
 */
export async function closeShift(
  db: Database,
  input: { organizerId: string; clerkId: string; shiftId: string; countedCash: number },
): Promise<Shift> {
  const expected = sql`${boxOfficeShifts.openingFloat} + ${netOf(input.shiftId, 'cash')}`
  const [closed] = await db
    .update(boxOfficeShifts)
    .set({
      status: 'closed',
      closedAt: new Date().toISOString(),
      countedCash: input.countedCash,
      expectedCash: expected,
      difference: sql`${input.countedCash} - (${expected})`,
      closingTotals: sql`json_object('cash', ${netOf(input.shiftId, 'cash')}, 'card', ${netOf(input.shiftId, 'card')}, 'payment_code', ${netOf(input.shiftId, 'payment_code')})`,
    })
    .where(
      and(
        eq(boxOfficeShifts.id, input.shiftId),
        eq(boxOfficeShifts.organizerId, input.organizerId),
        eq(boxOfficeShifts.clerkId, input.clerkId),
        eq(boxOfficeShifts.status, 'open'),
      ),
    )
    .returning()
  if (!closed)
    throw new Problem({
      code: 'shift_required',
      status: 409,
      title: 'No open shift',
      detail: 'This shift is not open (closed already, or not yours)',
    })
  return closed
}

type NewEntry = Omit<typeof boxOfficeEntries.$inferInsert, 'id' | 'shiftId'>

/**
 * Records money about to cross the window in the clerk's shift, only while that shift is open (an insert that
 * selects the open shift row): false when the shift was closed meanwhile.
 */
export async function recordEntry(
  db: Database,
  shift: { id: string; clerkId: string },
  entry: NewEntry,
): Promise<boolean> {
  const id = newId('boe')
  const result = await db.run(
    sql`INSERT INTO box_office_entries (id, shift_id, kind, tender, order_id, payment_id, refund_id, amount, tendered, change, reference)
      SELECT ${id}, s.id, ${entry.kind}, ${entry.tender}, ${entry.orderId}, ${entry.paymentId ?? null},
        ${entry.refundId ?? null}, ${entry.amount}, ${entry.tendered ?? null}, ${entry.change ?? null},
        ${entry.reference ?? null}
      FROM box_office_shifts s WHERE s.id = ${shift.id} AND s.clerk_id = ${shift.clerkId} AND s.status = 'open'`,
  )
  return result.meta.changes === 1
}

/** The entries of a shift, newest first (the clerk's list of today's sales to refund or reprint from). */
export function entriesOf(db: Database, shiftId: string, limit = 50) {
  return db
    .select()
    .from(boxOfficeEntries)
    .where(eq(boxOfficeEntries.shiftId, shiftId))
    .orderBy(desc(boxOfficeEntries.createdAt))
    .limit(limit)
}

/** A refund entry whose refund was never written (refused before any money moved). */
export async function forgetRefundEntry(db: Database, refundId: string) {
  await db.delete(boxOfficeEntries).where(eq(boxOfficeEntries.refundId, refundId))
}

/** The refund's amount, known once the refund is written (the totals read it from the refund itself). */
export async function noteRefundAmount(db: Database, refundId: string, amount: number) {
  await db.update(boxOfficeEntries).set({ amount }).where(eq(boxOfficeEntries.refundId, refundId))
}
