import type { ConfirmOutcome } from './contract.ts'
import type { ShowSales } from './rules.ts'
import * as store from './store.ts'
import { heldSeat, showHold } from './views.ts'

// What the order path asks of a show's holds once money is involved: a hold described for pricing, a hold
// turned into sold seats for an order (re-acquired if it expired and may be), and sold seats returned on
// refund or cancellation. Each reads the hold from storage (ended holds too), asks the rules, and writes
// through `change` (one transaction; the actor's change counter, alarm and viewers follow).

/** Runs a decision and its writes as one change of the show (see ShowInventory.change). */
export type Change = <T>(changed: number[], decide: () => T) => T

/** A hold as the order service needs it: seats, prices and state. */
export function describeHold(sales: ShowSales, sql: SqlStorage, holdId: string) {
  const hold = store.readHold(sql, holdId)
  if (!hold) return null
  return {
    hold: showHold(sales, hold),
    holderId: hold.holderId,
    status: hold.status,
    idNumbers: hold.idNumbers,
  }
}

/**
 * Turns a hold into sold seats for `orderId`. Idempotent per order: confirming again returns the same seats.
 * A hold that expired or was released is re-acquired if it passes what a new hold would (rules.ts).
 */
export function confirmHold(
  sales: ShowSales,
  sql: SqlStorage,
  change: Change,
  holdId: string,
  orderId: string,
): ConfirmOutcome {
  const hold = store.readHold(sql, holdId)
  if (!hold) return { ok: false, code: 'hold_not_found', detail: `No hold ${holdId}` }
  const seats = () => hold.seats.map((i, k) => heldSeat(sales, i, hold.quotes?.[k]))
  if (hold.status === 'confirmed') {
    if (hold.orderId !== orderId)
      return { ok: false, code: 'order_mismatch', detail: 'The hold was confirmed for another order' }
    return { ok: true, orderId, seats: seats(), reacquired: false, alreadyConfirmed: true }
  }
  const active = sales.holds.get(holdId)
  const refused = active ? null : sales.reacquireRefusal(hold, hold.seats, Date.now())
  if (refused) return { ok: false, ...refused }
  const changed: number[] = []
  change(changed, () => {
    store.writeSale(sql, holdId, orderId, hold.seats)
    sales.sell(hold.seats, hold, active, changed)
  })
  return { ok: true, orderId, seats: seats(), reacquired: !active, alreadyConfirmed: false }
}

/** Returns an order's sold seats (all, or `seatIds`) to sale. Idempotent: seats already returned are skipped. */
export function returnSeats(
  sales: ShowSales,
  sql: SqlStorage,
  change: Change,
  orderId: string,
  seatIds?: string[],
): { returned: string[] } {
  const wanted = seatIds ? new Set(seatIds) : null
  const returning = store.soldSeatsOf(sql, orderId).filter((s) => !wanted || wanted.has(s.id))
  if (returning.length === 0) return { returned: [] }
  const changed: number[] = []
  change(changed, () => {
    const holds = new Map<string, ReturnType<typeof store.readHold>>()
    for (const seat of returning) {
      store.writeReturn(sql, seat.idx)
      if (!holds.has(seat.hold_id)) holds.set(seat.hold_id, store.readHold(sql, seat.hold_id))
      const hold = holds.get(seat.hold_id)
      // ID numbers are listed in the same order as the hold's seats: free the one this seat used.
      const k = hold ? hold.seats.indexOf(seat.idx) : -1
      sales.returnSeat(seat.idx, hold?.holderId ?? '', hold?.idNumbers[k], hold?.quotes?.[k], changed)
    }
    // A presale hold refunded in full gives its code's use back when its phase says so (once: the seats it
    // returns are skipped the next time).
    for (const [holdId, hold] of holds)
      if (
        hold?.admission &&
        store.soldCountOf(sql, holdId) === 0 &&
        sales.gate.returnsOnRefund(hold.admission, hold.heldAt)
      )
        sales.gate.count(hold.admission, -1)
  })
  return { returned: returning.map((s) => s.id) }
}
