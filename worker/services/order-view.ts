import { asc, eq, inArray } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import {
  auditEvents,
  orderDeposits,
  orderDiscounts,
  orderLines,
  orders,
  payments,
  refunds,
  tickets,
  visitProducts,
} from '../db/schema.ts'
import { balanceWindow } from '../domain/deposit-terms.ts'
import { refundReasonOf } from '../domain/refund-reason.ts'
import { seatPlacesOf } from './ticket-facts.ts'

/** An order as its buyer (or staff) sees it: lines with their tickets, payments, refunds and history. */
export async function orderView(db: Database, orderId: string, opts: { withAudit?: boolean } = {}) {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) return null
  const [lines, issued, paid, refunded, history, [deposit], discounts] = await Promise.all([
    db.select().from(orderLines).where(eq(orderLines.orderId, orderId)),
    db.select().from(tickets).where(eq(tickets.orderId, orderId)),
    db.select().from(payments).where(eq(payments.orderId, orderId)),
    db.select().from(refunds).where(eq(refunds.orderId, orderId)),
    opts.withAudit
      ? db.select().from(auditEvents).where(eq(auditEvents.orderId, orderId)).orderBy(asc(auditEvents.at))
      : Promise.resolve([]),
    db.select().from(orderDeposits).where(eq(orderDeposits.orderId, orderId)),
    db
      .select()
      .from(orderDiscounts)
      .where(eq(orderDiscounts.orderId, orderId))
      .orderBy(asc(orderDiscounts.id)),
  ])
  const ticketByLine = new Map(issued.map((t) => [t.orderLineId, t]))
  // Money that reached the order (refunded payments included): with `refundedTotal`, what the buyer is out of pocket.
  const amountPaid = paid
    .filter((p) => p.status === 'succeeded' || p.status === 'partially_refunded' || p.status === 'refunded')
    .reduce((sum, p) => sum + p.amount, 0)
  // Structured names for the apps, which build the line in the reader's language (never from `description`).
  const seatRefs = lines.filter((l) => l.seatLabel).map((l) => l.inventoryRef)
  const productIds = [...new Set(lines.map((l) => l.productId).filter((id): id is string => Boolean(id)))]
  const [seatById, productRows] = await Promise.all([
    seatPlacesOf(db, seatRefs),
    productIds.length
      ? db
          .select({ id: visitProducts.id, name: visitProducts.name, nameEn: visitProducts.nameEn })
          .from(visitProducts)
          .where(inArray(visitProducts.id, productIds))
      : [],
  ])
  const productById = new Map(productRows.map((p) => [p.id, p]))
  return {
    ...order,
    amountPaid,
    deposit: deposit
      ? {
          deposit: deposit.deposit,
          balance: order.total - deposit.deposit,
          balanceOpensAt: deposit.balanceOpensAt,
          balanceDueAt: deposit.balanceDueAt,
          forfeit: deposit.forfeit,
          window: balanceWindow(deposit, Date.now()),
        }
      : null,
    discounts: discounts.map(({ source, ref, label, amount, perLine }) => ({
      source,
      ref,
      label,
      amount,
      perLine,
    })),
    lines: lines.map((line) => {
      const ticket = ticketByLine.get(line.id)
      const product = line.productId ? productById.get(line.productId) : undefined
      return {
        ...line,
        ticket: ticket ? { id: ticket.id, status: ticket.status } : null,
        place: line.seatLabel ? (seatById.get(line.inventoryRef) ?? null) : null,
        product: product?.name ?? null,
        productEn: product?.nameEn ?? null,
      }
    }),
    payments: paid.map(({ id, provider, amount, currency, status, createdAt }) => ({
      id,
      provider,
      amount,
      currency,
      status,
      createdAt,
    })),
    // The reason as a code apps word in their language (the stored text stays English for partners).
    refunds: refunded.map((refund) => {
      const why = refundReasonOf(refund.reason, order.statusReason)
      return { ...refund, reasonCode: why.code, reasonParams: why.params }
    }),
    ...(opts.withAudit ? { history } : {}),
  }
}
