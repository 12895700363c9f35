import { and, eq, inArray, sql } from 'drizzle-orm'
import { slot, statement } from '../../db/prepared.ts'
import {
  batchGuards,
  groupBuyMembers,
  orderDeposits,
  orderLines,
  orders,
  paymentNotifications,
  payments,
  tickets,
} from '../../db/schema.ts'

// The payment notification's statements (every paid order runs them), prepared once per isolate: the same SQL and
// row mapping as the builders they come from (worker/db/prepared.ts), without building them per order.

const byOrder = statement<{ orderId: string }>()

export const paymentPathStatements = {
  /** The notification's dedupe row. */
  notification: statement<{ provider: string; eventId: string }>()((db) =>
    db
      .select()
      .from(paymentNotifications)
      .where(
        and(
          eq(paymentNotifications.provider, slot('provider')),
          eq(paymentNotifications.eventId, slot('eventId')),
        ),
      ),
  ),
  payment: statement<{ paymentId: string }>()((db) =>
    db
      .select()
      .from(payments)
      .where(eq(payments.id, slot('paymentId'))),
  ),
  /** The notification recorded (once per provider and event id). */
  received: statement<{ provider: string; eventId: string; orderId: string }>()((db) =>
    db
      .insert(paymentNotifications)
      .values({ provider: slot('provider'), eventId: slot('eventId'), orderId: slot('orderId') })
      .onConflictDoNothing(),
  ),
  /** The money arrived: a payment still waiting for it (or failed before) claims it. */
  succeeded: statement<{ paymentId: string; updatedAt: string }>()((db) =>
    db
      .update(payments)
      .set({ status: 'succeeded', updatedAt: sql`${slot('updatedAt')}` })
      .where(and(eq(payments.id, slot('paymentId')), inArray(payments.status, ['created', 'failed']))),
  ),
  succeededWithRef: statement<{ paymentId: string; updatedAt: string; providerRef: string }>()((db) =>
    db
      .update(payments)
      .set({
        status: 'succeeded',
        providerRef: sql`${slot('providerRef')}`,
        updatedAt: sql`${slot('updatedAt')}`,
      })
      .where(and(eq(payments.id, slot('paymentId')), inArray(payments.status, ['created', 'failed']))),
  ),
  // What confirming an order reads: the order, its succeeded payment, group-buy membership, deposit terms, active lines.
  order: byOrder((db) =>
    db
      .select()
      .from(orders)
      .where(eq(orders.id, slot('orderId'))),
  ),
  succeededPayment: byOrder((db) =>
    db
      .select()
      .from(payments)
      .where(and(eq(payments.orderId, slot('orderId')), eq(payments.status, 'succeeded'))),
  ),
  membership: byOrder((db) =>
    db
      .select({ groupId: groupBuyMembers.groupId, status: groupBuyMembers.status })
      .from(groupBuyMembers)
      .where(eq(groupBuyMembers.orderId, slot('orderId'))),
  ),
  deposit: byOrder((db) =>
    db
      .select({ orderId: orderDeposits.orderId })
      .from(orderDeposits)
      .where(eq(orderDeposits.orderId, slot('orderId'))),
  ),
  activeLines: byOrder((db) =>
    db
      .select()
      .from(orderLines)
      .where(and(eq(orderLines.orderId, slot('orderId')), eq(orderLines.status, 'active'))),
  ),
  /** Guard: the order is still waiting for this confirmation (pending, or expired and paid late). */
  stillUnpaid: statement<{ guardId: string; orderId: string }>()((db) =>
    db
      .insert(batchGuards)
      .select(
        sql`SELECT ${slot('guardId')}, CASE WHEN (SELECT ${orders.status} IN ('pending', 'expired') FROM ${orders} WHERE ${orders.id} = ${slot('orderId')}) THEN 1 ELSE 0 END`,
      ),
  ),
  /** The order marked paid, claimed only from pending or expired. */
  paid: statement<{
    orderId: string
    paidAt: string
    statusReason: string | null
    statusReasonCode: string | null
    /** Encoded as the column encodes it (JSON), or null. */
    statusReasonParams: string | null
  }>()((db) =>
    db
      .update(orders)
      .set({
        status: 'paid',
        paidAt: sql`${slot('paidAt')}`,
        statusReason: sql`${slot('statusReason')}`,
        statusReasonCode: sql`${slot('statusReasonCode')}`,
        statusReasonParams: sql`${slot('statusReasonParams')}`,
        updatedAt: sql`${slot('paidAt')}`,
      })
      .where(and(eq(orders.id, slot('orderId')), inArray(orders.status, ['pending', 'expired']))),
  ),
  /** A line's ticket (once per line). */
  ticket: statement<{ id: string; orderId: string; orderLineId: string }>()((db) =>
    db
      .insert(tickets)
      .values({ id: slot('id'), orderId: slot('orderId'), orderLineId: slot('orderLineId') })
      .onConflictDoNothing(),
  ),
}
