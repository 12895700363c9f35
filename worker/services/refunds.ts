import { and, eq, inArray, sql } from 'drizzle-orm'
import {
  orderLines,
  orders,
  outboxEvents,
  payments,
  refunds,
  scenicSites,
  shows,
  visitProducts,
} from '../db/schema.ts'
import { canTransition } from '../domain/order-status.ts'
import { quoteRefund, type RefundQuote } from '../domain/refund-policy.ts'
import { newId } from '../ids.ts'
import { notFound, Problem, validationProblem } from '../problem.ts'
import { type OrderInventoryRef, orderInventory } from './order-inventory.ts'
import { audit, type OrderServices } from './orders.ts'
import { providerOfPayment } from './payments/settlement.ts'
import { refuseRedeemedLines } from './redemptions.ts'
import { scenicDay } from './scenic-day.ts'
import { revokeTicketsOfLines } from './ticket-revocations.ts'

type Order = typeof orders.$inferSelect
type Line = typeof orderLines.$inferSelect

/** Scenic visits: free refunds until the site opens on the visit day, when the product allows refunds. */
const scenicTiers = [{ minHoursBefore: 0, feePercent: 0 }]

async function loadRefundable(services: OrderServices, orderId: string, lineIds?: string[]) {
  const { db } = services
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) throw notFound(`order ${orderId}`)
  if (!canTransition(order.status, 'refunded')) {
    throw new Problem({ code: 'conflict', detail: `An order that is ${order.status} cannot be refunded` })
  }
  const active = await db
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.orderId, orderId), eq(orderLines.status, 'active')))
  const lines = lineIds ? active.filter((l) => lineIds.includes(l.id)) : active
  const unknown = (lineIds ?? []).filter((id) => !active.some((l) => l.id === id))
  if (unknown.length) {
    throw validationProblem(
      unknown.map((id) => ({ path: 'json.lineIds', message: `${id} is not an active line of this order` })),
    )
  }
  if (lines.length === 0)
    throw new Problem({ code: 'conflict', detail: 'Nothing left to refund on this order' })
  return { order, lines }
}

/** The refund quote shown before the buyer confirms: amount, fee and the tier that applies. */
export async function refundQuote(
  services: OrderServices,
  orderId: string,
  lineIds?: string[],
  opts: { waiveFee?: boolean; now?: Date } = {},
): Promise<{ order: Order; lines: Line[]; quote: RefundQuote }> {
  const { db } = services
  const { order, lines } = await loadRefundable(services, orderId, lineIds)
  const now = opts.now ?? new Date()
  const linePrices = lines.map((l) => l.price)
  let quote: RefundQuote
  if (order.kind === 'show') {
    const [show] = await db.select().from(shows).where(eq(shows.id, order.showId!))
    quote = quoteRefund({
      startsAt: show!.startsAt,
      now,
      tiers: show!.refundTiers,
      refundable: true,
      linePrices,
      waiveFee: opts.waiveFee,
    })
  } else {
    const [site] = await db.select().from(scenicSites).where(eq(scenicSites.id, order.siteId!))
    const productIds = [...new Set(lines.map((l) => l.productId!))]
    const products = await db.select().from(visitProducts).where(inArray(visitProducts.id, productIds))
    // The visit day starts when the site opens (sites keep Beijing time unless configured otherwise).
    const startsAt = new Date(`${order.visitDate}T${site!.opensAt}:00+08:00`).toISOString()
    quote = quoteRefund({
      startsAt,
      now,
      tiers: scenicTiers,
      refundable: products.every((p) => p.refundable),
      linePrices,
      waiveFee: opts.waiveFee,
    })
  }
  return { order, lines, quote }
}

/**
 * Refunds lines of an order. Tickets are revoked and the refund recorded (pending) first, in one D1
 * batch, so a seat can never be resold while its ticket is still valid; then the inventory gets the
 * seats back and the money goes back; then the refund is marked done. Each step is idempotent and a
 * pending refund is finished by reconciliation if the worker dies in between.
 */
export async function requestRefund(
  services: OrderServices,
  input: {
    orderId: string
    lineIds?: string[]
    actor: string
    reason: string
    waiveFee?: boolean
    /** Buyers cannot refund a ticket already used at a gate; organizers may (e.g. a show cancelled after doors opened). */
    refuseRedeemed?: boolean
  },
): Promise<typeof refunds.$inferSelect> {
  const { db, env } = services
  const { order, lines, quote } = await refundQuote(services, input.orderId, input.lineIds, {
    waiveFee: input.waiveFee,
  })
  if (!quote.allowed)
    throw new Problem({
      code: 'refund_not_allowed',
      status: 409,
      title: 'Refund not allowed',
      detail: quote.reason,
    })
  let refundLines = lines
  const otherOrders: { orderId: string; lineId: string }[] = []
  if (order.kind === 'scenic') {
    const preview = await scenicDay(env.SCENIC_DAY_INVENTORY, order.siteId!, order.visitDate!).previewReturn(
      order.siteId!,
      order.visitDate!,
      order.id,
      lines.map((l) => l.inventoryRef),
    )
    if (!preview.ok) {
      throw new Problem({
        code: preview.code,
        status: 409,
        title: 'Unused child tickets',
        detail: preview.detail,
        extensions: { unavailable: preview.unavailable ?? [] },
      })
    }
    // Children that go with their parent (cascade rule): same order here, other orders separately below.
    for (const child of preview.cascaded) {
      if (child.orderId === order.id) {
        const [line] = await db
          .select()
          .from(orderLines)
          .where(and(eq(orderLines.orderId, order.id), eq(orderLines.inventoryRef, child.lineId)))
        if (line && !refundLines.some((l) => l.id === line.id)) refundLines = [...refundLines, line]
      } else if (child.orderId) otherOrders.push({ orderId: child.orderId, lineId: child.lineId })
    }
  }
  if (input.refuseRedeemed) {
    await refuseRedeemedLines(
      db,
      order.id,
      refundLines.map((l) => l.id),
      'These tickets were already admitted at a gate and cannot be refunded',
    )
  }
  const cascadedHere = refundLines.slice(lines.length)
  const amount = quote.amount + cascadedHere.reduce((sum, l) => sum + l.price, 0)
  const [payment] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, order.id), inArray(payments.status, ['succeeded', 'partially_refunded'])))
  const refundId = newId('rf')
  const ids = refundLines.map((l) => l.id)
  await db.batch([
    db.insert(refunds).values({
      id: refundId,
      orderId: order.id,
      paymentId: payment?.id ?? null,
      amount,
      fee: quote.fee,
      lineIds: ids,
      reason: input.reason,
      requestedBy: input.actor,
      status: 'pending',
    }),
    db.update(orderLines).set({ status: 'refunded' }).where(inArray(orderLines.id, ids)),
    ...revokeTicketsOfLines(db, ids, 'refunded'),
    audit(db, {
      orderId: order.id,
      actor: input.actor,
      action: 'refund.requested',
      detail: { refundId, lineIds: ids, amount, fee: quote.fee, reason: input.reason },
    }),
  ])
  const done = await finishRefund(services, refundId)
  for (const other of otherOrders) {
    const [line] = await db
      .select()
      .from(orderLines)
      .where(and(eq(orderLines.orderId, other.orderId), eq(orderLines.inventoryRef, other.lineId)))
    if (line?.status === 'active') {
      await requestRefund(services, {
        orderId: other.orderId,
        lineIds: [line.id],
        actor: input.actor,
        reason: `Cascaded from the refund of order ${order.number}`,
        waiveFee: true,
      })
    }
  }
  return done
}

/** Second half of a refund: inventory back, money back, order updated. Safe to run again. */
export async function finishRefund(services: OrderServices, refundId: string) {
  const { db, env } = services
  const [refund] = await db.select().from(refunds).where(eq(refunds.id, refundId))
  if (!refund) throw notFound(`refund ${refundId}`)
  if (refund.status !== 'pending') return refund
  const [order] = await db.select().from(orders).where(eq(orders.id, refund.orderId))
  const lines = await db.select().from(orderLines).where(inArray(orderLines.id, refund.lineIds))
  const returned = await orderInventory(env, order as OrderInventoryRef).returnLines(
    order!.id,
    lines.map((l) => l.inventoryRef),
  )
  if (!returned.ok)
    services.logger.warn('inventory refused a return; the refund goes ahead', {
      refundId,
      code: returned.code,
    })
  const [payment] = refund.paymentId
    ? await db.select().from(payments).where(eq(payments.id, refund.paymentId))
    : []
  const providerRef =
    payment && refund.amount > 0
      ? await providerOfPayment(services.payments, payment).refund(payment, refund.id, refund.amount)
      : null
  const now = new Date().toISOString()
  const [left] = await db
    .select({ n: sql<number>`count(*)` })
    .from(orderLines)
    .where(and(eq(orderLines.orderId, order!.id), eq(orderLines.status, 'active')))
  const toStatus = left?.n === 0 ? 'refunded' : 'partially_refunded'
  const remaining = sql`(SELECT count(*) FROM ${orderLines} WHERE ${orderLines.orderId} = ${order!.id} AND ${orderLines.status} = 'active')`
  await db.batch([
    db
      .update(refunds)
      .set({ status: 'succeeded', providerRef, updatedAt: now })
      .where(and(eq(refunds.id, refund.id), eq(refunds.status, 'pending'))),
    db
      .update(orders)
      .set({
        status: sql`CASE WHEN ${remaining} = 0 THEN 'refunded' ELSE 'partially_refunded' END`,
        refundedTotal: sql`(SELECT coalesce(sum(${refunds.amount}), 0) FROM ${refunds} WHERE ${refunds.orderId} = ${order!.id} AND ${refunds.status} = 'succeeded')`,
        updatedAt: now,
      })
      .where(eq(orders.id, order!.id)),
    ...(payment
      ? [
          db
            .update(payments)
            .set({
              status: sql`CASE WHEN ${remaining} = 0 THEN 'refunded' ELSE 'partially_refunded' END`,
              updatedAt: now,
            })
            .where(eq(payments.id, payment.id)),
        ]
      : []),
    audit(db, {
      orderId: order!.id,
      actor: refund.requestedBy,
      action: 'order.refunded',
      from: order!.status,
      to: toStatus,
      detail: { refundId, amount: refund.amount },
    }),
    db.insert(outboxEvents).values({
      id: newId('evt'),
      topic: 'order.refunded',
      organizerId: order!.organizerId,
      payload: { orderId: order!.id, refundId, amount: refund.amount, lineIds: refund.lineIds },
    }),
  ])
  const [after] = await db.select().from(refunds).where(eq(refunds.id, refund.id))
  return after!
}

/** Cron: refunds whose worker died between steps are finished. */
export async function reconcilePendingRefunds(services: OrderServices): Promise<number> {
  const pending = await services.db
    .select({ id: refunds.id })
    .from(refunds)
    .where(eq(refunds.status, 'pending'))
    .limit(200)
  for (const { id } of pending) await finishRefund(services, id)
  return pending.length
}
