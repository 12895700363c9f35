import { and, eq, inArray, isNull, like, lt, lte, or, sql } from 'drizzle-orm'
import { orderLines, orders, outboxEvents, payments } from '../../db/schema.ts'
import {
  englishStatusReason,
  type OrderStatusReason,
  statusReasonColumns,
} from '../../domain/order-status-reason.ts'
import { newId } from '../../ids.ts'
import { notAwaitingGroup } from '../group-buy-client.ts'
import { notifyBuyer } from '../messages/buyer-notices.ts'
import { type OrderInventoryRef, orderInventory } from '../order-inventory.ts'
import { audit, GuardedBatch, type Statement } from './batch.ts'
import { finishPaidOrder } from './confirm.ts'
import { eachOrder } from './each-order.ts'
import type { OrderServices } from './services.ts'

// Unpaid orders over time: reminders, expiry, cancellation, and paid orders a crash left unconfirmed. The cron
// steps handle each order on its own (eachOrder), so one that fails is logged and retried next minute.

/**
 * Ends a pending order (expired or cancelled), guarded so that an order paid or ended meanwhile is left as it
 * is; a rebooking lets go of the lines it claimed.
 */
async function endUnpaid(
  services: OrderServices,
  orderId: string,
  end: {
    status: 'expired' | 'cancelled'
    reason: OrderStatusReason
    actor: string
    action: string
    at: string
  },
): Promise<boolean> {
  const { db } = services
  return new GuardedBatch(db)
    .guard(sql`(SELECT ${orders.status} = 'pending' FROM ${orders} WHERE ${orders.id} = ${orderId})`)
    .add(
      db
        .update(orders)
        .set({ status: end.status, ...statusReasonColumns(end.reason), updatedAt: end.at })
        .where(and(eq(orders.id, orderId), eq(orders.status, 'pending'))),
      db
        .update(orderLines)
        .set({ rebookOrderId: null })
        .where(and(eq(orderLines.rebookOrderId, orderId), eq(orderLines.status, 'active'))),
      audit(db, {
        orderId,
        actor: end.actor,
        action: end.action,
        from: 'pending',
        to: end.status,
        detail: { why: englishStatusReason(end.reason) },
      }),
      // What was reserved with the order (coupon uses, points) is given back by the subscribers of this event.
      db
        .insert(outboxEvents)
        .select(
          sql`SELECT ${newId('evt')}, ${`order.${end.status}`}, ${orders.organizerId}, json_object('orderId', ${orders.id}, 'number', ${orders.number}), ${orders.channel}, strftime('%Y-%m-%dT%H:%M:%fZ','now'), NULL FROM ${orders} WHERE ${orders.id} = ${orderId}`,
        ),
    )
    .run()
}

/** Cron: unpaid orders past their hold become expired and their inventory goes back. */
export async function expireUnpaidOrders(services: OrderServices, now = new Date()): Promise<number> {
  const { db, env } = services
  const due = await db
    .select()
    .from(orders)
    .where(and(eq(orders.status, 'pending'), lte(orders.expiresAt, now.toISOString())))
    .limit(200)
  await eachOrder(services, 'expiry', due, async (order) => {
    // A payment may already have succeeded: finish that instead of expiring.
    const [paid] = await db
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.orderId, order.id), eq(payments.status, 'succeeded')))
    if (paid) {
      await finishPaidOrder(services, order.id, 'system:expiry')
      return
    }
    await orderInventory(env, order as OrderInventoryRef).release()
    await endUnpaid(services, order.id, {
      status: 'expired',
      reason: { code: 'hold_expired' },
      actor: 'system:expiry',
      action: 'order.expired',
      at: now.toISOString(),
    })
  })
  return due.length
}

/** The sandbox's "pay late": an unpaid order's hold runs out now, as if its buyer took too long. */
export async function lapseUnpaidOrder(services: OrderServices, orderId: string) {
  const now = new Date()
  const [order] = await services.db.select().from(orders).where(eq(orders.id, orderId))
  if (order?.status !== 'pending') return
  await orderInventory(services.env, order as OrderInventoryRef).release()
  await endUnpaid(services, orderId, {
    status: 'expired',
    reason: { code: 'hold_expired' },
    actor: 'system:expiry',
    action: 'order.expired',
    at: now.toISOString(),
  })
}

/** A group buy gives up an unpaid member's order (left, lapsed, or the group failed). Its seats are the group's to release. */
export async function cancelUnpaidOrder(
  services: OrderServices,
  orderId: string,
  why: OrderStatusReason,
  actor: string,
) {
  await endUnpaid(services, orderId, {
    status: 'cancelled',
    reason: why,
    actor,
    action: 'order.cancelled',
    at: new Date().toISOString(),
  })
}

/** A paid group-buy member waits for the group, not for the payment window: the order lives until `until`. */
export function extendPaymentWindow(services: OrderServices, orderId: string, until: string): Statement {
  return services.db
    .update(orders)
    .set({ expiresAt: until })
    .where(and(eq(orders.id, orderId), eq(orders.status, 'pending')))
}

/** Cron: finishes orders whose payment succeeded but whose confirmation never completed (a crash between steps). */
export async function reconcilePaidOrders(services: OrderServices): Promise<number> {
  const { db } = services
  const stuck = await db
    .select({ id: orders.id })
    .from(orders)
    .innerJoin(payments, and(eq(payments.orderId, orders.id), eq(payments.status, 'succeeded')))
    // Paid group-buy members waiting for their group are not stuck: their group's actor confirms them.
    // A cancelled order holding money (paid after it was cancelled) is refunded by the same path.
    .where(
      and(
        or(
          inArray(orders.status, ['pending', 'expired']),
          and(eq(orders.status, 'cancelled'), lt(payments.refundedAmount, payments.amount)),
          // 定金: a balance that arrived but was not turned into tickets, or reached a forfeited order and kept money.
          and(eq(orders.status, 'deposit_paid'), like(payments.id, 'pay_bal_%')),
          and(
            inArray(orders.status, ['forfeited', 'refunded']),
            isNull(orders.paidAt),
            like(payments.id, 'pay_bal_%'),
            lt(payments.refundedAmount, payments.amount),
          ),
        ),
        notAwaitingGroup(orders.id),
      ),
    )
    .limit(200)
  return eachOrder(services, 'reconciliation', stuck, async ({ id }) => {
    await finishPaidOrder(services, id, 'system:reconciliation')
  })
}

/** Cron: a reminder to pay a few minutes before the hold runs out. */
export async function remindUnpaidOrders(
  services: OrderServices,
  now = new Date(),
  aheadMinutes = 5,
): Promise<number> {
  const { db } = services
  const soon = new Date(now.getTime() + aheadMinutes * 60_000).toISOString()
  const due = await db
    .select()
    .from(orders)
    .where(and(eq(orders.status, 'pending'), isNull(orders.reminderSentAt), lte(orders.expiresAt, soon)))
    .limit(200)
  return eachOrder(services, 'reminder', due, async (order) => {
    await notifyBuyer(db, services.logger, order, { kind: 'payment_reminder', heldUntil: order.expiresAt })
    await db
      .update(orders)
      .set({ reminderSentAt: now.toISOString() })
      .where(and(eq(orders.id, order.id), isNull(orders.reminderSentAt)))
  })
}
