// OTA refunds and cancellations of booked orders, decided by the ordinary refund policy; a rejection is recorded
// and told to the partner with the rule that refused it.
import { and, eq } from 'drizzle-orm'
import { auditEvents, orderLines, orders, refunds } from '../db/schema.ts'
import { ticketedStatuses } from '../domain/order-status.ts'
import { refundReasonText } from '../domain/refund-reason.ts'
import type { Partner } from '../middleware/partner-auth.ts'
import { notFound, Problem } from '../problem.ts'
import { audit, type OrderServices, outbox, requestRefund } from './orders/index.ts'
import { actorOf } from './partner-reservations.ts'
import { refuseRedeemedLines } from './redemptions.ts'

/**
 * A refund request for some lines (or all), decided by the ordinary refund policy. Approved: refunded
 * (credit on the settlement statement), tickets revoked, quota back, `order.refunded` queued. Rejected:
 * a `refund.rejected` event and audit row with the reason, then `refund_rejected` for the partner.
 */
export async function partnerRefund(
  services: OrderServices,
  partner: Partner,
  orderId: string,
  input: { lineIds?: string[]; reason: string },
) {
  const { db } = services
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) throw notFound(`order ${orderId}`)
  // A retried request for lines already refunded answers the refund that took them.
  if (input.lineIds?.length) {
    const earlier = await db.select().from(refunds).where(eq(refunds.orderId, orderId))
    const match = earlier.find(
      (r) => r.status !== 'failed' && input.lineIds!.every((id) => r.lineIds.includes(id)),
    )
    if (match) return { refund: match, replayed: true }
  }
  if (!ticketedStatuses.includes(order.status)) {
    throw new Problem({
      code: 'conflict',
      detail: `An order that is ${order.status} cannot be refunded`,
    })
  }
  const active = await db
    .select({ id: orderLines.id })
    .from(orderLines)
    .where(and(eq(orderLines.orderId, orderId), eq(orderLines.status, 'active')))
  await refuseRedeemedLines(
    db,
    orderId,
    input.lineIds ?? active.map((l) => l.id),
    'Tickets already used at the gate cannot be refunded',
  )
  try {
    const refund = await requestRefund(services, {
      orderId,
      ...(input.lineIds ? { lineIds: input.lineIds } : {}),
      actor: actorOf(partner),
      reason: input.reason,
    })
    return { refund, replayed: false }
  } catch (error) {
    if (
      !(error instanceof Problem) ||
      !['refund_not_allowed', 'children_unused'].includes(String(error.code))
    )
      throw error
    const why = error.message
    await db.batch([
      audit(db, {
        orderId,
        actor: actorOf(partner),
        action: 'refund.rejected',
        detail: { lineIds: input.lineIds ?? null, requested: input.reason, rule: error.code, reason: why },
      }),
      outbox(db, 'refund.rejected', order.organizerId, {
        orderId,
        channel: order.channel,
        lineIds: input.lineIds ?? null,
        reason: why,
        rule: error.code,
      }),
    ])
    throw new Problem({
      code: 'refund_rejected',
      status: 409,
      title: 'Refund rejected by policy',
      detail: why,
      extensions: { reason: why, rule: error.code, ...error.extensions },
    })
  }
}

/**
 * Cancels a booked order before use: every remaining line is refunded under the refund policy, then the
 * cancellation itself is recorded (`order.cancelled` audit + outbox). The refund's own batch already
 * queued `order.refunded`; a retried cancel of an order already refunded records the cancellation if a
 * crash lost it, and never twice.
 */
export async function cancelPartnerOrder(
  services: OrderServices,
  partner: Partner,
  orderId: string,
  reason: string,
) {
  const { db } = services
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) throw notFound(`order ${orderId}`)
  if (order.status !== 'refunded') {
    await partnerRefund(services, partner, orderId, { reason: refundReasonText.partnerCancelled(reason) })
  }
  const [recorded] = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(and(eq(auditEvents.orderId, orderId), eq(auditEvents.action, 'order.cancelled')))
  if (!recorded) {
    const [after] = await db.select().from(orders).where(eq(orders.id, orderId))
    await db.batch([
      audit(db, {
        orderId,
        actor: actorOf(partner),
        action: 'order.cancelled',
        from: order.status,
        to: after!.status,
        detail: { reason },
      }),
      outbox(db, 'order.cancelled', order.organizerId, {
        orderId,
        channel: order.channel,
        refundedTotal: after!.refundedTotal,
        reason,
      }),
    ])
  }
}
