import { asc, eq, inArray } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { slot, statement } from '../db/prepared.ts'
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

type ByOrder = { orderId: string }
const byOrder = statement<ByOrder>()
const orderSlot = slot('orderId')
const ofOrderLines = (db: Database, column: typeof orderLines.inventoryRef | typeof orderLines.productId) =>
  db.select({ id: column }).from(orderLines).where(eq(orderLines.orderId, orderSlot))

/** The view's reads, prepared once per isolate (the order step of every purchase answers with this view). */
const viewReads = {
  order: byOrder((db) => db.select().from(orders).where(eq(orders.id, orderSlot))),
  lines: byOrder((db) => db.select().from(orderLines).where(eq(orderLines.orderId, orderSlot))),
  tickets: byOrder((db) => db.select().from(tickets).where(eq(tickets.orderId, orderSlot))),
  payments: byOrder((db) => db.select().from(payments).where(eq(payments.orderId, orderSlot))),
  refunds: byOrder((db) => db.select().from(refunds).where(eq(refunds.orderId, orderSlot))),
  deposits: byOrder((db) => db.select().from(orderDeposits).where(eq(orderDeposits.orderId, orderSlot))),
  discounts: byOrder((db) =>
    db
      .select()
      .from(orderDiscounts)
      .where(eq(orderDiscounts.orderId, orderSlot))
      .orderBy(asc(orderDiscounts.id)),
  ),
  // The seats and products of the order's own lines, picked in the database.
  seats: byOrder((db) => seatPlaceRead(db, inArray(seats.id, ofOrderLines(db, orderLines.inventoryRef)))),
  products: byOrder((db) =>
    db
      .select({ id: visitProducts.id, name: visitProducts.name, nameEn: visitProducts.nameEn })
      .from(visitProducts)
      .where(inArray(visitProducts.id, ofOrderLines(db, orderLines.productId))),
  ),
  history: byOrder((db) =>
    db.select().from(auditEvents).where(eq(auditEvents.orderId, orderSlot)).orderBy(asc(auditEvents.at)),
  ),
}

/** The view's reads of one order, in the order `orderViewFrom` takes their rows (one D1 batch, or the end of one). */
export function orderViewReads(db: Database, orderId: string, opts: { withAudit?: boolean } = {}) {
  const id = { orderId }
  const r = viewReads
  return [
    r.order.in(db, id),
    r.lines.in(db, id),
    r.tickets.in(db, id),
    r.payments.in(db, id),
    r.refunds.in(db, id),
    r.deposits.in(db, id),
    r.discounts.in(db, id),
    r.seats.in(db, id),
    r.products.in(db, id),
    ...(opts.withAudit ? [r.history.in(db, id)] : []),
  ] as const
}

/** What an order just written has besides its row, lines and payment: which of the view's other reads can find rows. */
export interface FreshOrderParts {
  deposit: boolean
  discounts: boolean
  /** Lines on seats (a show order): their places. */
  seats: boolean
  /** Lines of visit products (a scenic order): their names. */
  products: boolean
}

/**
 * The view's reads of an order at the end of the batch that creates it. Such an order has no tickets (issued when
 * paid) and no refunds yet, and the parts it was written without cannot exist either, so those reads are left out
 * (each a statement on the one D1 writer, on every purchase): `rows` puts the rows read back in `orderViewFrom`'s
 * places, with no rows for what was not read.
 */
export function freshOrderViewReads(db: Database, orderId: string, parts: FreshOrderParts) {
  const id = { orderId }
  const r = viewReads
  const kept = [true, true, false, true, false, parts.deposit, parts.discounts, parts.seats, parts.products]
  const all = [
    r.order,
    r.lines,
    r.tickets,
    r.payments,
    r.refunds,
    r.deposits,
    r.discounts,
    r.seats,
    r.products,
  ]
  return {
    reads: all.filter((_, i) => kept[i]).map((read) => read.in(db, id)),
    rows(read: readonly unknown[]): unknown[] {
      let at = 0
      return kept.map((k) => (k ? read[at++] : []))
    },
  }
}

/** Each read's rows, as the batch maps them. */
type RowsOf<T> = T extends { execute(): Promise<infer R> } ? R : never
type Reads = typeof viewReads
type ViewRows = [
  RowsOf<ReturnType<Reads['order']['in']>>,
  RowsOf<ReturnType<Reads['lines']['in']>>,
  RowsOf<ReturnType<Reads['tickets']['in']>>,
  RowsOf<ReturnType<Reads['payments']['in']>>,
  RowsOf<ReturnType<Reads['refunds']['in']>>,
  RowsOf<ReturnType<Reads['deposits']['in']>>,
  RowsOf<ReturnType<Reads['discounts']['in']>>,
  RowsOf<ReturnType<Reads['seats']['in']>>,
  RowsOf<ReturnType<Reads['products']['in']>>,
  ...RowsOf<ReturnType<Reads['history']['in']>>[],
]

/** An order as its buyer (or staff) sees it: lines with their tickets, payments, refunds and history. */
export async function orderView(db: Database, orderId: string, opts: { withAudit?: boolean } = {}) {
  // One D1 round trip for all of it.
  return orderViewFrom(await db.batch(orderViewReads(db, orderId, opts)), opts)
}

/** The view from the rows of `orderViewReads` (read alone, or at the end of the batch that wrote the order). */
export function orderViewFrom(rows: readonly unknown[], opts: { withAudit?: boolean } = {}) {
  const [[order], lines, issued, paid, refunded, [deposit], discounts, seatRows, productRows, ...audit] =
    rows as ViewRows
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
