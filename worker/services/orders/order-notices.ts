// What the orders module tells a buyer after a transition it recorded once: tickets issued, money refunded.
import { eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { orders, type refunds, shows } from '../../db/schema.ts'
import type { OrderStatusReasonCode } from '../../domain/order-status-reason.ts'
import { jsonLogger } from '../../middleware/logger.ts'
import { buyerNoticeMessage, notifyBuyer } from '../messages/buyer-notices.ts'
import type { RefundCause } from '../messages/catalogue.ts'
import { logQueued, messageInsert } from '../messages/outbox.ts'
import { asWrite, noWrites, planned } from '../order-events/subscriber.ts'
import { outbox, type Statement } from './batch.ts'
import type { Order, OrderServices } from './services.ts'

type Refund = typeof refunds.$inferSelect

/** The outbox topic of a buyer's confirmation message (internal: no webhook endpoint subscribes to it). */
export const TICKETS_ISSUED_NOTICE = 'buyer.tickets_issued'

/**
 * The buyer's confirmation, once: an outbox event written in the batch that marks the order paid (so only the
 * confirmation that paid it tells), sent by `ticketsIssuedSubscriber` right after the request or by the cron. The
 * message's reads and write stay off the order path. A group's member hears it in the group's success notice, and
 * a partner's buyer from the partner.
 */
export function ticketsIssuedNotice(db: Database, order: Order, charged: number, actor: string): Statement[] {
  if (actor.startsWith('group:') || order.channel !== 'web') return []
  return [
    outbox(
      db,
      TICKETS_ISSUED_NOTICE,
      order.organizerId,
      { orderId: order.id, paid: charged },
      `evt_${order.id}_tickets_told`,
    ),
  ]
}

/**
 * Sends the confirmation queued by `ticketsIssuedNotice`. Keyed on the event: a retried event finds its message
 * already written and sends nothing more. A message that cannot be composed is logged; the order stays paid.
 * Planned: a publisher run composes every order's message from its shared reads and writes them in one batch.
 */
export const ticketsIssuedSubscriber = planned({
  name: 'tickets-issued-notice',
  topics: [TICKETS_ISSUED_NOTICE],
  async plan(db, event, reads) {
    const orderId = String(event.payload.orderId)
    const order = await reads.order(orderId)
    if (!order) return noWrites
    const logger = jsonLogger({ component: 'order-notices' })
    try {
      const message = await buyerNoticeMessage(
        db,
        order,
        { kind: 'order_confirmed', paid: Number(event.payload.paid) },
        undefined,
        `msg_${event.id}`,
        reads,
      )
      if (!message) return noWrites
      const { id, insert } = await messageInsert(db, message)
      return {
        writes: [asWrite(insert)],
        // Logged when new (a retried event's insert writes nothing).
        written: (results) => {
          if (results[0]?.results.length) logQueued(logger, id, message)
        },
      }
    } catch (error) {
      logger.error('order confirmation not sent', { orderId, error: String(error) })
      return noWrites
    }
  },
})

/** Refunds told by a message of their own: a group's member hears it from the group, a forfeit from its notice. */
const toldElsewhere = (refund: Refund) =>
  refund.requestedBy.startsWith('group:') || refund.id.startsWith('rf_forfeit_')

/** Why an order that never got its tickets was refunded, from the reason it was ended with. */
const unfulfilledCause: Partial<Record<OrderStatusReasonCode, RefundCause>> = {
  paid_late_refunded: 'paid_late',
  paid_late_offer_gone: 'paid_late',
  deposit_late_refunded: 'paid_late',
  paid_after_cancel_refunded: 'paid_after_cancel',
  rebook_replaced_gone_refunded: 'rebooking_void',
  rebook_lines_refunded: 'rebooking_void',
}

/**
 * Tells the buyer a refund went through, in the order's language, with why: the show was cancelled (staff refund
 * of a cancelled show), the payment came too late, the organizer refunded, or they asked. Called once per refund,
 * by the finish that recorded it as succeeded.
 */
export async function tellRefunded(services: OrderServices, refund: Refund) {
  if (toldElsewhere(refund)) return
  const { db } = services
  const [order] = await db.select().from(orders).where(eq(orders.id, refund.orderId))
  if (!order) return
  const [show] = order.showId
    ? await db.select({ status: shows.status }).from(shows).where(eq(shows.id, order.showId))
    : []
  const fromUnfulfilled = order.statusReasonCode
    ? unfulfilledCause[order.statusReasonCode as OrderStatusReasonCode]
    : undefined
  const byStaff = refund.requestedBy.startsWith('staff:')
  const cause: RefundCause = refund.id.startsWith('rf_rebook_')
    ? 'rebook_difference'
    : refund.requestedBy === 'system:late-balance'
      ? 'balance_late'
      : (fromUnfulfilled ??
        (byStaff && show?.status === 'cancelled' ? 'show_cancelled' : byStaff ? 'organizer' : 'requested'))
  // The tickets the refund took; a refund of money alone (a price difference, a late balance) names none, and
  // an unfulfilled order's refund names what it was for.
  const named = refund.lineIds.length
    ? refund.lineIds
    : cause === 'rebook_difference' || cause === 'balance_late'
      ? []
      : undefined
  await notifyBuyer(
    db,
    services.logger,
    order,
    { kind: 'refunded', amount: refund.amount, cause, tickets: refund.lineIds.length },
    named,
  )
}
