import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { orderLines, orders, payments, refunds } from '../../db/schema.ts'
import { statusReasonColumns } from '../../domain/order-status-reason.ts'
import { afterTaking, allocate } from '../../domain/payment-allocation.ts'
import { refundReasonText } from '../../domain/refund-reason.ts'
import { newId } from '../../ids.ts'
import { type OrderInventoryRef, orderInventory } from '../order-inventory.ts'
import { audit, type GuardedBatch, outbox } from './batch.ts'
import { asFunding, fundingPaymentsRead, takeMoney } from './money.ts'
import type { Order, OrderServices } from './services.ts'
import { revokeTicketsOfLines } from './ticket-revocations.ts'

// 改签, second half: what happens when the new order of a rebooking is paid (see rebook-start.ts for the first).

/** Lines a rebooking may still take when its payment arrives: active, and claimed by it or by nobody. */
function claimableBy(order: Order) {
  return and(
    inArray(orderLines.id, order.rebookLineIds ?? []),
    eq(orderLines.orderId, order.rebookOf!),
    eq(orderLines.status, 'active'),
    or(isNull(orderLines.rebookOrderId), eq(orderLines.rebookOrderId, order.id)),
  )
}

export async function rebookedLinesAvailable(db: Database, order: Order): Promise<boolean> {
  const lines = await db.select({ id: orderLines.id }).from(orderLines).where(claimableBy(order))
  return lines.length === (order.rebookLineIds?.length ?? 0) && lines.length > 0
}

/** What completing a rebooking added to the batch, or that it cannot complete (its replaced lines went). */
export type RebookCompletion = { ok: true; differenceRefund: string | null } | { ok: false }

/**
 * Adds the completion of a rebooking to the batch that marks its new order paid: the old lines become `rebooked`
 * (guarded: all of them, still claimable), their tickets are revoked, the old payments' money is carried over to
 * the new order as `credit` payments, and a cheaper rebooking's difference is booked as a refund of the old order
 * (returned; the caller finishes it after the batch). If a guard fails nothing of the batch is written.
 */
export async function addRebookCompletion(
  batch: GuardedBatch,
  services: OrderServices,
  order: Order,
): Promise<RebookCompletion> {
  const { db } = services
  const ids = order.rebookLineIds ?? []
  // One read of the replaced order, its lines this rebooking may take, its money and its active lines: a refund
  // of those lines commits its lines and its money together, so reads made one after another could see the lines
  // still active and the money already gone.
  const [[old], lines, fundingRows, active] = await db.batch([
    db.select().from(orders).where(eq(orders.id, order.rebookOf!)),
    db.select().from(orderLines).where(claimableBy(order)),
    fundingPaymentsRead(db, order.rebookOf!),
    db
      .select({ id: orderLines.id })
      .from(orderLines)
      .where(and(eq(orderLines.orderId, order.rebookOf!), eq(orderLines.status, 'active'))),
  ])
  // The lines went meanwhile (refunded, or taken by another rebooking): the batch's guard would refuse it anyway.
  if (!old || ids.length === 0 || lines.length !== ids.length) return { ok: false }
  const credit = lines.reduce((sum, l) => sum + l.price, 0)
  const carried = Math.min(credit, order.total)
  const difference = credit - carried
  const funding = fundingRows.map(asFunding)
  const carriedParts = allocate(funding, carried)
  const differenceParts = carriedParts && allocate(afterTaking(funding, carriedParts), difference)
  // The replaced order's payments hold at least its active lines' price; if not, nothing is carried over and the
  // rebooking is refunded like one whose lines went, never paid for out of money that is no longer there.
  if (!carriedParts || !differenceParts) {
    services.logger.error(
      'rebooking not completed: the replaced order holds less than the credit of its lines',
      {
        orderId: order.id,
        replaced: old.id,
        credit,
      },
    )
    return { ok: false }
  }
  const now = new Date().toISOString()
  const remaining = sql`(SELECT count(*) FROM ${orderLines} WHERE ${orderLines.orderId} = ${old.id} AND ${orderLines.status} = 'active')`
  batch
    .add(db.update(orderLines).set({ status: 'rebooked', rebookOrderId: order.id }).where(claimableBy(order)))
    .guard(
      sql`(SELECT count(*) FROM ${orderLines} WHERE ${orderLines.rebookOrderId} = ${order.id} AND ${orderLines.status} = 'rebooked') = ${ids.length}`,
    )
    .add(...revokeTicketsOfLines(db, ids, 'rebooked'))
  takeMoney(batch, db, carriedParts)
  for (const part of carriedParts) {
    batch.add(
      db.insert(payments).values({
        id: newId('pay'),
        orderId: order.id,
        provider: 'credit',
        providerRef: `${order.id}:${part.paymentId}`,
        sourcePaymentId: part.paymentId,
        amount: part.amount,
        currency: order.currency,
        status: 'succeeded',
      }),
    )
  }
  const rebookedTo = statusReasonColumns({ code: 'rebooked_to', order: order.number })
  batch.add(
    db
      .update(orders)
      .set({
        status: sql`CASE WHEN ${remaining} = 0 THEN 'cancelled' ELSE ${orders.status} END`,
        // The reason changes only with the status: an order keeping some tickets keeps its reason.
        statusReason: sql`CASE WHEN ${remaining} = 0 THEN ${rebookedTo.statusReason} ELSE ${orders.statusReason} END`,
        statusReasonCode: sql`CASE WHEN ${remaining} = 0 THEN ${rebookedTo.statusReasonCode} ELSE ${orders.statusReasonCode} END`,
        statusReasonParams: sql`CASE WHEN ${remaining} = 0 THEN ${JSON.stringify(rebookedTo.statusReasonParams)} ELSE ${orders.statusReasonParams} END`,
        updatedAt: now,
      })
      .where(eq(orders.id, old.id)),
    audit(db, {
      orderId: old.id,
      actor: `buyer:${order.buyerId}`,
      action: 'order.rebooked',
      from: old.status,
      detail: { to: order.id, lineIds: ids, credit: carried },
    }),
    outbox(db, 'order.rebooked', old.organizerId, { from: old.id, to: order.id, lineIds: ids }),
  )
  if (lines.length === active.length) {
    // Every line moved: the old order is cancelled, which partners subscribe to as such.
    batch.add(
      outbox(db, 'order.cancelled', old.organizerId, {
        orderId: old.id,
        reason: 'rebooked',
        replacedBy: order.id,
      }),
    )
  }
  let differenceRefund: string | null = null
  if (difference > 0) {
    // Cheaper new date: the buyer gets the difference back from the original payment.
    differenceRefund = `rf_rebook_${order.id}`
    batch.add(
      db.insert(refunds).values({
        id: differenceRefund,
        orderId: old.id,
        paymentId: differenceParts[0]?.paymentId ?? null,
        amount: difference,
        lineIds: [],
        reason: refundReasonText.rebookDifference(order.number),
        requestedBy: `buyer:${order.buyerId}`,
        status: 'pending',
      }),
      audit(db, {
        orderId: old.id,
        actor: 'system:rebooking',
        action: 'refund.price_difference',
        detail: { refundId: differenceRefund, amount: difference },
      }),
    )
    takeMoney(batch, db, differenceParts, differenceRefund)
  }
  return { ok: true, differenceRefund }
}

/** After a rebooking was paid: the replaced seats or tickets go back on sale (idempotent, like every return). */
export async function returnReplacedLines(services: OrderServices, order: Order) {
  const { db, env } = services
  const [old] = await db.select().from(orders).where(eq(orders.id, order.rebookOf!))
  const lines = await db
    .select({ inventoryRef: orderLines.inventoryRef })
    .from(orderLines)
    .where(and(eq(orderLines.rebookOrderId, order.id), eq(orderLines.status, 'rebooked')))
  if (!old || lines.length === 0) return
  await orderInventory(env, old as OrderInventoryRef).returnLines(
    old.id,
    lines.map((l) => l.inventoryRef),
  )
}
