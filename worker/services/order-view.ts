import { asc, eq } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { auditEvents, orderLines, orders, payments, refunds, tickets } from '../db/schema.ts'

/** An order as its buyer (or staff) sees it: lines with their tickets, payments, refunds and history. */
export async function orderView(db: Database, orderId: string, opts: { withAudit?: boolean } = {}) {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) return null
  const [lines, issued, paid, refunded, history] = await Promise.all([
    db.select().from(orderLines).where(eq(orderLines.orderId, orderId)),
    db.select().from(tickets).where(eq(tickets.orderId, orderId)),
    db.select().from(payments).where(eq(payments.orderId, orderId)),
    db.select().from(refunds).where(eq(refunds.orderId, orderId)),
    opts.withAudit
      ? db.select().from(auditEvents).where(eq(auditEvents.orderId, orderId)).orderBy(asc(auditEvents.at))
      : Promise.resolve([]),
  ])
  const ticketByLine = new Map(issued.map((t) => [t.orderLineId, t]))
  return {
    ...order,
    lines: lines.map((line) => {
      const ticket = ticketByLine.get(line.id)
      return { ...line, ticket: ticket ? { id: ticket.id, status: ticket.status } : null }
    }),
    payments: paid.map(({ id, provider, amount, currency, status, createdAt }) => ({
      id,
      provider,
      amount,
      currency,
      status,
      createdAt,
    })),
    refunds: refunded,
    ...(opts.withAudit ? { history } : {}),
  }
}
