import { and, eq, inArray } from 'drizzle-orm'
import { orderLines, orders, type refunds, scenicSites, shows, visitProducts } from '../../db/schema.ts'
import { canTransition } from '../../domain/order-status.ts'
import { quoteRefund, type RefundQuote } from '../../domain/refund-policy.ts'
import { refundReasonText } from '../../domain/refund-reason.ts'
import { newId } from '../../ids.ts'
import { conflict, notFound, Problem, validationProblem } from '../../problem.ts'
import { refuseRedeemedLines } from '../redemptions.ts'
import { scenicDay } from '../scenic-day.ts'
import { depositOf } from './deposits.ts'
import { claimRefund, finishRefund } from './refund-claims.ts'
import type { Order, OrderServices } from './services.ts'
import { cancelPendingRebook } from './unfulfilled.ts'

type Line = typeof orderLines.$inferSelect

/** Scenic visits: free refunds until the site opens on the visit day, when the product allows refunds. */
const scenicTiers = [{ minHoursBefore: 0, feePercent: 0 }]

const rebookPending = (lineIds: string[]) =>
  new Problem({
    code: 'rebook_pending',
    status: 409,
    title: 'Tickets being moved',
    detail: 'These tickets are being rebooked (改签); pay or let that rebooking lapse first',
    extensions: { lineIds },
  })

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
  if (order.status === 'deposit_paid' && lines.length !== active.length)
    throw new Problem({
      code: 'conflict',
      detail: 'An order with only its deposit paid is refunded whole; refund all its tickets',
    })
  return { order, lines }
}

/**
 * 定金: a refund applies to what was paid. With only the deposit paid, each line's share of the deposit stands in
 * for its price (the policy's fee is taken from that), so the refund never exceeds the deposit.
 */
async function depositShares(services: OrderServices, order: Order, lines: Line[]): Promise<number[]> {
  const deposit = (await depositOf(services, order.id))?.deposit ?? 0
  const each = Math.floor(deposit / lines.length)
  return lines.map((_, i) => each + (i === 0 ? deposit - each * lines.length : 0))
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
  const linePrices =
    order.status === 'deposit_paid' ? await depositShares(services, order, lines) : lines.map((l) => l.price)
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
 * Refunds lines of an order. One guarded D1 batch claims the lines (still active, not being rebooked), takes the
 * amount out of the order's payments (never more than each holds), records the refund as pending and revokes the
 * tickets; a concurrent refund or rebooking of any of the lines makes the whole batch write nothing (409). Then
 * the inventory gets the seats back and the money goes back (finishRefund). Reconciliation finishes a refund whose
 * worker died in between.
 */
export async function requestRefund(
  services: OrderServices,
  input: {
    orderId: string
    lineIds?: string[]
    actor: string
    reason: string
    waiveFee?: boolean
    /** Refund as coupon: the coupon the buyer chose on the quote (worker/services/coupons/compensation.ts). */
    compensationCouponId?: string | null
    /** Buyers cannot refund a ticket already used at a gate; organizers may (e.g. a show cancelled after doors opened). */
    refuseRedeemed?: boolean
    /** Organizers and the system override a pending rebooking of these lines (it is cancelled); buyers are refused. */
    overridePendingRebook?: boolean
    /** The refund's id, when the caller records it elsewhere before the money moves (a box-office shift). */
    refundId?: string
  },
): Promise<typeof refunds.$inferSelect> {
  const { db, env } = services
  let { order, lines, quote } = await refundQuote(services, input.orderId, input.lineIds, {
    waiveFee: input.waiveFee,
  })
  const moving = lines.filter((l) => l.rebookOrderId)
  if (moving.length) {
    if (!input.overridePendingRebook) throw rebookPending(moving.map((l) => l.id))
    for (const rebookOrderId of new Set(moving.map((l) => l.rebookOrderId!)))
      await cancelPendingRebook(services, rebookOrderId, input.actor)
    ;({ order, lines, quote } = await refundQuote(services, input.orderId, input.lineIds, {
      waiveFee: input.waiveFee,
    }))
    const still = lines.filter((l) => l.rebookOrderId)
    if (still.length) throw rebookPending(still.map((l) => l.id))
  }
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
        if (line && line.status === 'active' && !refundLines.some((l) => l.id === line.id))
          refundLines = [...refundLines, line]
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
  const refundId = input.refundId ?? newId('rf')
  const ids = refundLines.map((l) => l.id)
  const written = await claimRefund(services, order, {
    refundId,
    lineIds: ids,
    amount,
    fee: quote.fee,
    reason: input.reason,
    requestedBy: input.actor,
    compensationCouponId: input.compensationCouponId ?? null,
    requireTicketed: true,
  })
  if (!written)
    throw conflict('Some of these tickets were refunded or moved meanwhile; reload the order and try again', {
      lineIds: ids,
    })
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
        reason: refundReasonText.cascaded(order.number),
        waiveFee: true,
        overridePendingRebook: true,
      })
    }
  }
  return done
}
