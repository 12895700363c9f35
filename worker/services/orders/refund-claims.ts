import { and, eq, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm'
import { orderLines, orders, payments, refundAllocations, refunds } from '../../db/schema.ts'
import { allocate } from '../../domain/payment-allocation.ts'
import { conflict, notFound } from '../../problem.ts'
import { type OrderInventoryRef, orderInventory } from '../order-inventory.ts'
import { providerOfPayment } from '../payments/index.ts'
import { audit, GuardedBatch, isUniqueViolation, outbox } from './batch.ts'
import { asFunding, fundingPayments, moneyHolder, takeMoney } from './money.ts'
import { tellRefunded } from './order-notices.ts'
import type { Order, OrderServices } from './services.ts'
import { revokeTicketsOfLines } from './ticket-revocations.ts'

// A refund in two halves: the claim (one guarded batch: lines, money, the pending refund, revoked tickets) and the
// finish (inventory back, each payment's provider refund, the order's totals), which reconciliation can repeat.

/**
 * The one batch that books a refund: claims `lineIds` (active and not being rebooked), takes `amount` out of the
 * order's payments, records the refund (pending) and its allocations, revokes the lines' tickets. `false` when a
 * guard failed (a line or the money was taken meanwhile): then nothing was written.
 */
export async function claimRefund(
  services: OrderServices,
  order: Order,
  claim: {
    refundId: string
    lineIds: string[]
    amount: number
    fee: number
    reason: string
    requestedBy: string
    /** Refund as coupon: the coupon the buyer chose, granted (order.refunded subscriber) once this refund succeeds. */
    compensationCouponId?: string | null
    /** Buyer and organizer refunds need a ticketed order; an unfulfilled order's refund needs one that is not. */
    requireTicketed: boolean
    /** Take the money from these payments only (a 定金 order's late balance goes back, its deposit stays). */
    fromPaymentIds?: string[]
    /** Replaces the order-status guard `requireTicketed` picks (a late 定金 balance goes back from any ended order). */
    orderGuard?: SQL
    extra?: (batch: GuardedBatch) => void
  },
): Promise<boolean> {
  const { db } = services
  const funding = (await fundingPayments(db, order.id))
    .filter((p) => !claim.fromPaymentIds || claim.fromPaymentIds.includes(p.id))
    .map(asFunding)
  const parts = allocate(funding, claim.amount)
  if (!parts) {
    services.logger.error('refund exceeds what the order holds', { orderId: order.id, amount: claim.amount })
    throw conflict('This refund is more than the order still holds')
  }
  const { refundId, lineIds } = claim
  const batch = new GuardedBatch(db).guard(
    claim.orderGuard ??
      (claim.requireTicketed
        ? // A 定金 order with only its deposit paid is refunded whole, like a ticketed one (see refunds.ts).
          sql`(SELECT ${orders.status} IN ('paid', 'partially_refunded', 'deposit_paid') FROM ${orders} WHERE ${orders.id} = ${order.id})`
        : sql`(SELECT ${orders.status} NOT IN ('paid', 'partially_refunded', 'refunded') FROM ${orders} WHERE ${orders.id} = ${order.id})`),
  )
  if (lineIds.length) {
    batch
      .add(
        db
          .update(orderLines)
          .set({ status: 'refunded', refundId })
          .where(
            and(
              eq(orderLines.orderId, order.id),
              inArray(orderLines.id, lineIds),
              eq(orderLines.status, 'active'),
              isNull(orderLines.rebookOrderId),
            ),
          ),
      )
      .guard(
        sql`(SELECT count(*) FROM ${orderLines} WHERE ${orderLines.refundId} = ${refundId}) = ${lineIds.length}`,
      )
  }
  batch.add(
    db.insert(refunds).values({
      id: refundId,
      orderId: order.id,
      paymentId: parts[0]?.paymentId ?? null,
      amount: claim.amount,
      fee: claim.fee,
      lineIds,
      reason: claim.reason,
      requestedBy: claim.requestedBy,
      compensationCouponId: claim.compensationCouponId ?? null,
      status: 'pending',
    }),
  )
  takeMoney(batch, db, parts, refundId)
  if (lineIds.length) batch.add(...revokeTicketsOfLines(db, lineIds, 'refunded'))
  batch.add(
    audit(db, {
      orderId: order.id,
      actor: claim.requestedBy,
      action: 'refund.requested',
      detail: { refundId, lineIds, amount: claim.amount, fee: claim.fee, reason: claim.reason },
    }),
  )
  claim.extra?.(batch)
  return batch.run()
}

/** Second half of a refund: inventory back, money back per allocation, order updated. Safe to run again. */
export async function finishRefund(services: OrderServices, refundId: string) {
  const { db, env } = services
  const [refund] = await db.select().from(refunds).where(eq(refunds.id, refundId))
  if (!refund) throw notFound(`refund ${refundId}`)
  if (refund.status !== 'pending') return refund
  const [order] = await db.select().from(orders).where(eq(orders.id, refund.orderId))
  if (refund.lineIds.length) {
    const lines = await db.select().from(orderLines).where(inArray(orderLines.id, refund.lineIds))
    const returned = await orderInventory(env, order as OrderInventoryRef).returnLines(
      order!.id,
      lines.map((l) => l.inventoryRef),
    )
    if (!returned.ok)
      services.logger.warn('inventory refused a return; the refund goes ahead', {
        refundId,
        code: returned.code,
      })
  }
  const parts = await db.select().from(refundAllocations).where(eq(refundAllocations.refundId, refund.id))
  for (const part of parts) {
    if (part.doneAt) continue
    const [payment] = await db.select().from(payments).where(eq(payments.id, part.paymentId))
    const holder = await moneyHolder(db, payment!)
    // The provider refund is idempotent on this key, so a retried finish never pays twice.
    const key = parts.length === 1 ? refund.id : `${refund.id}_${part.paymentId}`
    const providerRef =
      part.amount > 0 && holder.provider !== 'free'
        ? await providerOfPayment(env, services.payments, holder).refund(holder, key, part.amount)
        : null
    await db
      .update(refundAllocations)
      .set({ providerRef, doneAt: new Date().toISOString() })
      .where(
        and(
          eq(refundAllocations.refundId, refund.id),
          eq(refundAllocations.paymentId, part.paymentId),
          isNull(refundAllocations.doneAt),
        ),
      )
  }
  const providerRef = await refundRef(services, refund.id)
  const now = new Date().toISOString()
  const remaining = sql`(SELECT count(*) FROM ${orderLines} WHERE ${orderLines.orderId} = ${order!.id} AND ${orderLines.status} = 'active')`
  let recorded = false
  try {
    await db.batch([
      db
        .update(refunds)
        .set({
          status: 'succeeded',
          providerRef,
          updatedAt: now,
        })
        .where(and(eq(refunds.id, refund.id), eq(refunds.status, 'pending'))),
      db
        .update(orders)
        .set({
          refundedTotal: sql`(SELECT coalesce(sum(${refunds.amount}), 0) FROM ${refunds} WHERE ${refunds.orderId} = ${order!.id} AND ${refunds.status} = 'succeeded')`,
          updatedAt: now,
        })
        .where(eq(orders.id, order!.id)),
      // Only a ticketed order moves to (partially) refunded; an unfulfilled one keeps its expired/cancelled state.
      db
        .update(orders)
        .set({ status: sql`CASE WHEN ${remaining} = 0 THEN 'refunded' ELSE 'partially_refunded' END` })
        .where(
          and(
            eq(orders.id, order!.id),
            inArray(orders.status, ['paid', 'partially_refunded', 'deposit_paid']),
          ),
        ),
      audit(db, {
        id: `aud_${refund.id}_done`,
        orderId: order!.id,
        actor: refund.requestedBy,
        action: 'order.refunded',
        from: order!.status,
        detail: { refundId, amount: refund.amount },
      }),
      outbox(
        db,
        'order.refunded',
        order!.organizerId,
        { orderId: order!.id, refundId, amount: refund.amount, lineIds: refund.lineIds },
        `evt_${refund.id}`,
      ),
    ])
    recorded = true
  } catch (error) {
    // A concurrent finish of the same refund wrote it first.
    if (!isUniqueViolation(error)) throw error
  }
  const [after] = await db.select().from(refunds).where(eq(refunds.id, refund.id))
  // The buyer hears of it once: from the finish whose batch (with its fixed audit id) recorded the refund.
  if (recorded) {
    try {
      await tellRefunded(services, after!)
    } catch (error) {
      services.logger.error('refund notice not sent', { refundId, error: String(error) })
    }
  }
  return after!
}

async function refundRef(services: OrderServices, refundId: string) {
  const [first] = await services.db
    .select({ providerRef: refundAllocations.providerRef })
    .from(refundAllocations)
    .where(and(eq(refundAllocations.refundId, refundId), isNotNull(refundAllocations.providerRef)))
  return first?.providerRef ?? null
}

/** Cron: refunds whose worker died between steps are finished; one that fails does not stop the others. */
export async function reconcilePendingRefunds(services: OrderServices): Promise<number> {
  const pending = await services.db
    .select({ id: refunds.id })
    .from(refunds)
    .where(eq(refunds.status, 'pending'))
    .limit(200)
  let finished = 0
  for (const { id } of pending) {
    try {
      await finishRefund(services, id)
      finished++
    } catch (error) {
      services.logger.error('pending refund could not be finished', { refundId: id, error: String(error) })
    }
  }
  return finished
}
