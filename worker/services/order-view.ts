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
  seats,
  tickets,
  visitProducts,
} from '../db/schema.ts'
import { balanceWindow } from '../domain/deposit-terms.ts'
import { refundReasonOf } from '../domain/refund-reason.ts'
import { seatPlaceRead, seatPlacesFrom } from './ticket-facts.ts'

/** An order as its buyer (or staff) sees it: lines with their tickets, payments, refunds and history. */
export async function orderView(db: Database, orderId: string, opts: { withAudit?: boolean } = {}) {
  // One D1 round trip for all of it (the order step of every purchase answers with this view): the seats and
  // products are those of the order's own lines, picked in the database.
  const ofOrderLines = <T extends typeof orderLines.inventoryRef | typeof orderLines.productId>(column: T) =>
    db.select({ id: column }).from(orderLines).where(eq(orderLines.orderId, orderId))
  const [[order], lines, issued, paid, refunded, [deposit], discounts, seatRows, productRows, ...audit] =
    await db.batch([
      db.select().from(orders).where(eq(orders.id, orderId)),
      db.select().from(orderLines).where(eq(orderLines.orderId, orderId)),
      db.select().from(tickets).where(eq(tickets.orderId, orderId)),
      db.select().from(payments).where(eq(payments.orderId, orderId)),
      db.select().from(refunds).where(eq(refunds.orderId, orderId)),
      db.select().from(orderDeposits).where(eq(orderDeposits.orderId, orderId)),
      db
        .select()
        .from(orderDiscounts)
        .where(eq(orderDiscounts.orderId, orderId))
        .orderBy(asc(orderDiscounts.id)),
      seatPlaceRead(db, inArray(seats.id, ofOrderLines(orderLines.inventoryRef))),
      db
        .select({ id: visitProducts.id, name: visitProducts.name, nameEn: visitProducts.nameEn })
        .from(visitProducts)
        .where(inArray(visitProducts.id, ofOrderLines(orderLines.productId))),
      ...(opts.withAudit
        ? [db.select().from(auditEvents).where(eq(auditEvents.orderId, orderId)).orderBy(asc(auditEvents.at))]
        : []),
    ])
  if (!order) return null
  const history = (audit[0] ?? []) as (typeof auditEvents.$inferSelect)[]
  const seatById = seatPlacesFrom(seatRows)
  const ticketByLine = new Map(issued.map((t) => [t.orderLineId, t]))
  // Money that reached the order (refunded payments included): with `refundedTotal`, what the buyer is out of pocket.
  const amountPaid = paid
    .filter((p) => p.status === 'succeeded' || p.status === 'partially_refunded' || p.status === 'refunded')
    .reduce((sum, p) => sum + p.amount, 0)
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
