import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { payments, refundAllocations } from '../../db/schema.ts'
import type { Allocation, FundingPayment } from '../../domain/payment-allocation.ts'
import type { GuardedBatch } from './batch.ts'

// Money taken out of a payment (a refund, or credit carried to a rebooking) is a claim on `refunded_amount`,
// guarded in the same batch so that it never exceeds what the payment received.

export type Payment = typeof payments.$inferSelect

/** The read of an order's payments that hold money (for a batch of reads; `fundingPayments` runs it alone). */
export const fundingPaymentsRead = (db: Database, orderId: string) =>
  db
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), inArray(payments.status, ['succeeded', 'partially_refunded'])))

/** Payments of an order that hold money: succeeded, possibly partly refunded. */
export async function fundingPayments(db: Database, orderId: string): Promise<Payment[]> {
  return fundingPaymentsRead(db, orderId)
}

export const asFunding = (p: Payment): FundingPayment => ({
  id: p.id,
  provider: p.provider,
  amount: p.amount,
  refundedAmount: p.refundedAmount,
  createdAt: p.createdAt,
})

/**
 * Adds the statements that take `parts` out of their payments, each guarded to stay within what the payment
 * received. A refund's parts are recorded as its allocations and set the payment's status; credit carried to a
 * rebooking (`refundId` absent) only counts against the payment.
 */
export function takeMoney(
  batch: GuardedBatch,
  db: Database,
  parts: readonly Allocation[],
  refundId?: string,
) {
  const now = new Date().toISOString()
  for (const part of parts) {
    batch.add(
      db
        .update(payments)
        .set({
          refundedAmount: sql`${payments.refundedAmount} + ${part.amount}`,
          ...(refundId
            ? {
                status: sql`CASE WHEN ${payments.refundedAmount} + ${part.amount} >= ${payments.amount} THEN 'refunded' ELSE 'partially_refunded' END`,
              }
            : {}),
          updatedAt: now,
        })
        .where(eq(payments.id, part.paymentId)),
    )
    batch.guard(
      sql`(SELECT ${payments.refundedAmount} <= ${payments.amount} FROM ${payments} WHERE ${payments.id} = ${part.paymentId})`,
    )
    if (refundId)
      batch.add(
        db.insert(refundAllocations).values({ refundId, paymentId: part.paymentId, amount: part.amount }),
      )
  }
}

/** The payment that really holds a credit payment's money: credit is followed back to the charge it came from. */
export async function moneyHolder(db: Database, payment: Payment): Promise<Payment> {
  let current = payment
  for (let depth = 0; current.provider === 'credit' && current.sourcePaymentId && depth < 20; depth++) {
    const [source] = await db.select().from(payments).where(eq(payments.id, current.sourcePaymentId))
    if (!source) break
    current = source
  }
  return current
}
