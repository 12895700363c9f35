import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import { orderLines, orders, payments, refunds } from '../../db/schema.ts'
import {
  englishStatusReason,
  type OrderStatusReason,
  statusReasonColumns,
} from '../../domain/order-status-reason.ts'
import { type OrderInventoryRef, orderInventory } from '../order-inventory.ts'
import { audit, GuardedBatch, isUniqueViolation } from './batch.ts'
import { fundingPayments } from './money.ts'
import { claimRefund, finishRefund } from './refund-claims.ts'
import type { Order, OrderServices } from './services.ts'

// Orders that will not get their tickets (late payment that lost its seats, a group buy that failed or was left, a
// rebooking overtaken by a refund) give back everything they hold, once.

/**
 * Gives back everything an order that was never fulfilled holds (late payment that lost its seats, a group buy
 * that failed or was left, a rebooking whose old tickets went): its lines and its money in one guarded claim, so
 * it happens once and never to an order that got its tickets meanwhile. The order ends in `toStatus`.
 */
export async function refundUnfulfilledOrder(
  services: OrderServices,
  order: Order,
  how: {
    actor: string
    why: string
    refundId: string
    requestedBy: string
    reason: OrderStatusReason
    toStatus: 'expired' | 'cancelled'
    action?: string
  },
): Promise<Order> {
  const { db, env } = services
  const held = (await fundingPayments(db, order.id)).reduce((sum, p) => sum + p.amount - p.refundedAmount, 0)
  const active = await db
    .select({ id: orderLines.id })
    .from(orderLines)
    .where(
      and(
        eq(orderLines.orderId, order.id),
        eq(orderLines.status, 'active'),
        isNull(orderLines.rebookOrderId),
      ),
    )
  if (order.status === 'pending') await orderInventory(env, order as OrderInventoryRef).release()
  const now = new Date().toISOString()
  let written = false
  if (held > 0 || active.length) {
    try {
      written = await claimRefund(services, order, {
        refundId: how.refundId,
        lineIds: active.map((l) => l.id),
        amount: held,
        fee: 0,
        reason: englishStatusReason(how.reason),
        requestedBy: how.requestedBy,
        requireTicketed: false,
        extra: (batch) =>
          batch.add(
            db
              .update(orders)
              .set({ status: how.toStatus, ...statusReasonColumns(how.reason), updatedAt: now })
              .where(
                and(eq(orders.id, order.id), inArray(orders.status, ['pending', 'expired', 'cancelled'])),
              ),
            // A rebooking that will not happen lets go of the lines it was to replace.
            db
              .update(orderLines)
              .set({ rebookOrderId: null })
              .where(and(eq(orderLines.rebookOrderId, order.id), eq(orderLines.status, 'active'))),
            audit(db, {
              orderId: order.id,
              actor: how.actor,
              action: how.action ?? 'payment.refunded_automatically',
              from: order.status,
              to: how.toStatus,
              detail: { why: how.why, refundId: how.refundId },
            }),
          ),
      })
    } catch (error) {
      // The same refund id was booked before: this is a retry; finish it below.
      if (!isUniqueViolation(error)) throw error
    }
  }
  if (written) services.logger.warn('captured payment refunded', { orderId: order.id, why: how.why })
  const [refund] = await db.select({ id: refunds.id }).from(refunds).where(eq(refunds.id, how.refundId))
  if (refund) await finishRefund(services, refund.id)
  const [after] = await db.select().from(orders).where(eq(orders.id, order.id))
  return after!
}

/**
 * Cancels a rebooking that is still waiting for its payment, letting go of the lines it claimed: an organizer's
 * refund or a show cancellation comes first. A payment that already arrived is refunded; one that arrives later
 * finds the order cancelled and is refunded then.
 */
export async function cancelPendingRebook(services: OrderServices, rebookOrderId: string, actor: string) {
  const { db, env } = services
  const [order] = await db.select().from(orders).where(eq(orders.id, rebookOrderId))
  if (order?.status !== 'pending') return
  const reason: OrderStatusReason = { code: 'rebook_lines_refunded' }
  const [paid] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orderId, order.id), eq(payments.status, 'succeeded')))
  if (paid) {
    await refundUnfulfilledOrder(services, order, {
      actor,
      why: 'rebooked lines refunded',
      refundId: `rf_auto_${paid.id}`,
      requestedBy: actor,
      reason,
      toStatus: 'cancelled',
    })
    return
  }
  await orderInventory(env, order as OrderInventoryRef).release()
  const now = new Date().toISOString()
  // Guarded: a payment that completed the rebooking meanwhile wins, and its lines are then `rebooked`.
  await new GuardedBatch(db)
    .guard(sql`(SELECT ${orders.status} = 'pending' FROM ${orders} WHERE ${orders.id} = ${order.id})`)
    .add(
      db
        .update(orders)
        .set({ status: 'cancelled', ...statusReasonColumns(reason), updatedAt: now })
        .where(and(eq(orders.id, order.id), eq(orders.status, 'pending'))),
      db
        .update(orderLines)
        .set({ rebookOrderId: null })
        .where(and(eq(orderLines.rebookOrderId, order.id), eq(orderLines.status, 'active'))),
      audit(db, {
        orderId: order.id,
        actor,
        action: 'order.cancelled',
        from: 'pending',
        to: 'cancelled',
        detail: { why: englishStatusReason(reason) },
      }),
    )
    .run()
}
