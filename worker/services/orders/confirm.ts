import { and, eq } from 'drizzle-orm'
import { type orderLines, orders, payments } from '../../db/schema.ts'
import { canTransition } from '../../domain/order-status.ts'
import { type OrderStatusReason, statusReasonColumns } from '../../domain/order-status-reason.ts'
import { newShortId } from '../../ids.ts'
import { notFound, Problem } from '../../problem.ts'
import { groupBuyStub } from '../group-buy-client.ts'
import { type OrderInventoryRef, orderInventory } from '../order-inventory.ts'
import type { PaymentEvent } from '../payments/provider.ts'
import { audit, GuardedBatch, isUniqueViolation, outbox } from './batch.ts'
import { confirmDepositStep } from './deposits.ts'
import { commitOrderBatch } from './group-commits.ts'
import { ticketsIssuedNotice } from './order-notices.ts'
import { paymentPathStatements } from './payment-path-statements.ts'
import { addRebookCompletion, rebookedLinesAvailable, returnReplacedLines } from './rebooking.ts'
import { finishRefund } from './refund-claims.ts'
import type { Order, OrderServices } from './services.ts'
import { refundUnfulfilledOrder } from './unfulfilled.ts'

/**
 * A provider notification, verified by the caller with `services.payments`, handled at most once per event id.
 * It is applied only to a payment of that same provider: one provider cannot settle another's payments.
 */
export async function handlePaymentEvent(
  services: OrderServices,
  event: PaymentEvent,
  /**
   * The caller made this event itself a moment ago (the sandbox's checkout page) from this payment, as it just read
   * it: no earlier handling of a new event id to look for, and no read of the payment again. A concurrent twin is
   * still safe: the money's claim and the notification's insert are conditional, and confirming is idempotent.
   */
  made?: { payment: typeof payments.$inferSelect },
): Promise<{ duplicate: boolean; order?: Order }> {
  const { db } = services
  const provider = services.payments.name
  // One round trip for both reads (the order path runs on one D1 writer: every round trip counts).
  const [[seen], [payment]] =
    made && made.payment.id === event.paymentId
      ? [[], [made.payment]]
      : await db.batch([
          paymentPathStatements.notification.in(db, { provider, eventId: event.id }),
          paymentPathStatements.payment.in(db, { paymentId: event.paymentId }),
        ])
  if (seen) {
    // Handled before; if that handling died after recording the money, finishing is still due (and idempotent).
    if (
      event.type === 'payment.succeeded' &&
      payment?.provider === provider &&
      payment.status === 'succeeded'
    )
      return {
        duplicate: true,
        order: await finishPaidOrder(services, payment.orderId, `provider:${provider}`),
      }
    return { duplicate: true }
  }
  if (!payment || payment.provider !== provider) throw notFound(`payment ${event.paymentId}`)
  const received = paymentPathStatements.received.in(db, {
    provider,
    eventId: event.id,
    orderId: payment.orderId,
  })
  if (event.type === 'payment.failed') {
    await db.batch([
      db
        .update(payments)
        .set({ status: 'failed', updatedAt: new Date().toISOString() })
        .where(and(eq(payments.id, payment.id), eq(payments.status, 'created'))),
      audit(db, {
        orderId: payment.orderId,
        actor: `provider:${provider}`,
        action: 'payment.failed',
        detail: { paymentId: payment.id },
      }),
      received,
    ])
    return { duplicate: false }
  }
  if (event.amount !== payment.amount) {
    services.logger.error('payment amount mismatch', {
      paymentId: payment.id,
      expected: payment.amount,
      got: event.amount,
    })
    throw new Problem({ code: 'validation', detail: 'Paid amount does not match the order' })
  }
  // Record that the money arrived (and this notification with it) before touching inventory: reconciliation
  // finishes from here if we die, and a retry of this notification finishes too (see `seen` above). What
  // confirming reads comes back in the same round trip, read after those writes.
  // It claims nothing that can fail (a conditional update, an insert that ignores a repeat), so it goes with the
  // isolate's concurrent order batches (group-commits.ts): one D1 round trip for a burst of payments, not one each.
  const succeeded = { paymentId: payment.id, updatedAt: new Date().toISOString() }
  const money = new GuardedBatch(db)
    .add(
      event.providerRef
        ? paymentPathStatements.succeededWithRef.in(db, { ...succeeded, providerRef: event.providerRef })
        : paymentPathStatements.succeeded.in(db, succeeded),
      received,
    )
    .read(...confirmationReads(db, payment.orderId))
  await commitOrderBatch(money, services.commits)
  const order = await finishWith(
    services,
    factsOf(payment.orderId, money.readRows as ConfirmationRows),
    `provider:${provider}`,
  )
  return { duplicate: false, order }
}

/**
 * Completes an order whose payment succeeded: the inventory DO confirms (idempotent per order), then one
 * D1 batch marks the order paid, issues tickets, audits and queues the event. If the inventory is gone
 * (late payment after someone else bought the seats) the money goes back automatically. Safe to repeat.
 * A group-buy member's order is handed to its group's actor instead: it is confirmed only once the group
 * succeeds (at once if it already has), and refunded if the member left or the group failed.
 */
export async function finishPaidOrder(
  services: OrderServices,
  orderId: string,
  actor: string,
): Promise<Order> {
  return finishWith(services, await confirmationFacts(services, orderId), actor)
}

async function finishWith(services: OrderServices, facts: ConfirmationFacts, actor: string): Promise<Order> {
  if (facts.payment && facts.membership && facts.membership.status !== 'confirmed') {
    await groupBuyStub(services.env, facts.membership.groupId).memberPaid(facts.order.id)
    return readOrder(services, facts.order.id)
  }
  return confirmWith(services, facts, actor)
}

/**
 * What confirming an order reads, in one D1 batch (one round trip instead of five): the order, its succeeded
 * payment, its group-buy membership, its deposit terms and its active lines.
 */
async function confirmationFacts(services: OrderServices, orderId: string) {
  const { db } = services
  const [first, ...rest] = confirmationReads(db, orderId)
  return factsOf(orderId, (await db.batch([first, ...rest])) as ConfirmationRows)
}

type ConfirmationRows = [
  (typeof orders.$inferSelect)[],
  (typeof payments.$inferSelect)[],
  { groupId: string; status: string }[],
  { orderId: string }[],
  (typeof orderLines.$inferSelect)[],
]
type ConfirmationFacts = ReturnType<typeof factsOf>

function factsOf(orderId: string, [[order], [payment], [membership], [deposit], lines]: ConfirmationRows) {
  if (!order) throw notFound(`order ${orderId}`)
  return { order, payment, membership, hasDeposit: Boolean(deposit), lines }
}

/** The reads of `confirmationFacts`, for a batch that may write first (the notification's). */
function confirmationReads(db: OrderServices['db'], orderId: string) {
  const id = { orderId }
  const r = paymentPathStatements
  return [
    r.order.in(db, id),
    r.succeededPayment.in(db, id),
    r.membership.in(db, id),
    r.deposit.in(db, id),
    r.activeLines.in(db, id),
  ] as const
}

export async function readOrder(services: OrderServices, orderId: string): Promise<Order> {
  const [order] = await services.db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) throw notFound(`order ${orderId}`)
  return order
}

/** finishPaidOrder without the group-buy hand-off: the group's actor calls this once its group succeeded. */
export async function confirmPaidOrder(
  services: OrderServices,
  orderId: string,
  actor: string,
): Promise<Order> {
  return confirmWith(services, await confirmationFacts(services, orderId), actor)
}

async function confirmWith(
  services: OrderServices,
  { order, payment, hasDeposit, lines }: ConfirmationFacts,
  actor: string,
): Promise<Order> {
  const { db, env } = services
  // 定金 orders go deposit → balance in their own steps (deposits.ts).
  if (hasDeposit) return confirmDepositStep(services, order, actor)
  if (!payment) return order
  const unfulfilled = (why: string, reason: OrderStatusReason, toStatus: 'expired' | 'cancelled') =>
    refundUnfulfilledOrder(services, order, {
      actor,
      why,
      refundId: `rf_auto_${payment.id}`,
      requestedBy: 'system:late-payment',
      reason,
      toStatus,
    })
  if (order.status === 'cancelled') {
    // Money for an order already cancelled (e.g. a rebooking overtaken by a refund): it goes straight back.
    return unfulfilled(
      'paid after the order was cancelled',
      { code: 'paid_after_cancel_refunded' },
      'cancelled',
    )
  }
  if (!canTransition(order.status, 'paid')) return order
  if (order.rebookOf && !(await rebookedLinesAvailable(db, order))) {
    return unfulfilled(
      'the tickets to be replaced were refunded or moved meanwhile',
      { code: 'rebook_replaced_gone_refunded' },
      'cancelled',
    )
  }
  // A late payment takes its coupon use again only within the caps as they stand now (checked in the batch below).
  const offerGuards =
    order.status === 'expired'
      ? (
          await Promise.all(
            (services.discounts ?? []).map((provider) => provider.lateConfirmGuards?.(db, order.id) ?? []),
          )
        ).flat()
      : []
  const inventory = orderInventory(env, order as OrderInventoryRef)
  const confirmed = await inventory.confirm(order.id)
  if (!confirmed.ok) {
    return unfulfilled(confirmed.detail, { code: 'paid_late_refunded' }, 'expired')
  }
  const now = new Date().toISOString()
  const paidColumns = {
    status: 'paid' as const,
    paidAt: now,
    ...statusReasonColumns(confirmed.reacquired ? { code: 'paid_late_tickets_kept' } : null),
    updatedAt: now,
  }
  // The order must still be waiting for this confirmation when the batch runs: a cancellation or a refund of the
  // unfulfilled order that got in between wins, and nothing here is written (the money goes back below).
  const batch = new GuardedBatch(db)
    .guardWith((guardId) => paymentPathStatements.stillUnpaid.in(db, { guardId, orderId: order.id }))
    .add(
      paymentPathStatements.paid.in(db, {
        orderId: order.id,
        paidAt: now,
        statusReason: paidColumns.statusReason,
        statusReasonCode: paidColumns.statusReasonCode,
        statusReasonParams:
          paidColumns.statusReasonParams === null
            ? null
            : (orders.statusReasonParams.mapToDriverValue(paidColumns.statusReasonParams) as string),
      }),
      ...lines.map((line) =>
        paymentPathStatements.ticket.in(db, {
          id: newShortId('tkt'),
          orderId: order.id,
          orderLineId: line.id,
        }),
      ),
      // Fixed ids: an order is paid once, so a concurrent second confirmation fails here and writes nothing.
      audit(db, {
        id: `aud_${order.id}_paid`,
        orderId: order.id,
        actor,
        action: 'order.paid',
        from: order.status,
        to: 'paid',
        detail: { paymentId: payment.id, reacquired: confirmed.reacquired },
      }),
      outbox(
        db,
        'order.confirmed',
        order.organizerId,
        { orderId: order.id, number: order.number, total: order.total },
        `evt_${order.id}_confirmed`,
      ),
      // The buyer's confirmation message, sent by the outbox's subscriber: written once, with the order paid.
      ...ticketsIssuedNotice(db, order, payment.amount, actor),
    )
  for (const guard of offerGuards) batch.guard(guard)
  const completion = order.rebookOf ? await addRebookCompletion(batch, services, order) : null
  const differenceRefund = completion?.ok ? completion.differenceRefund : null
  let written = false
  // A rebooking whose replaced lines went since the check above writes nothing: handled as a guard that failed.
  if (completion?.ok !== false) {
    try {
      written = await commitOrderBatch(batch, services.commits)
    } catch (error) {
      if (isUniqueViolation(error)) return readOrder(services, order.id)
      throw error
    }
  }
  if (!written) {
    // The order was ended meanwhile, or the replaced lines went between the check above and this batch: give the
    // new seats back and the money with them.
    const current = await readOrder(services, order.id)
    if (current.status === 'paid') return current
    // The actor sold the seats to this order above; whoever ended the order may have returned them before that.
    await inventory.returnLines(
      order.id,
      lines.map((line) => line.inventoryRef),
    )
    if (current.status === 'expired' && offerGuards.length)
      return unfulfilled('the coupon was used up meanwhile', { code: 'paid_late_offer_gone' }, 'expired')
    return unfulfilled(
      'the tickets to be replaced were refunded or moved meanwhile',
      { code: 'rebook_replaced_gone_refunded' },
      'cancelled',
    )
  }
  if (order.rebookOf) await returnReplacedLines(services, order)
  if (differenceRefund) await finishRefund(services, differenceRefund)
  // The order as the batch above wrote it (no read back on the path); a rebooking's completion wrote more.
  return order.rebookOf ? readOrder(services, order.id) : { ...order, ...paidColumns }
}

/**
 * OTA partners pay by settlement: their order is written with a `settlement` payment already succeeded
 * (see worker/services/payments/settlement.ts), so booking confirms it through the same path as a paid
 * order: inventory confirm, tickets, audit and `order.confirmed` in one batch; the cron finishes it too.
 */
export function confirmSettledOrder(services: OrderServices, orderId: string, actor: string) {
  return finishPaidOrder(services, orderId, actor)
}
