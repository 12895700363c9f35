import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm'
import {
  orderLines,
  orders,
  payments,
  refundAllocations,
  refunds,
  scenicSites,
  shows,
  visitProducts,
} from '../../db/schema.ts'
import { canTransition } from '../../domain/order-status.ts'
import { allocate } from '../../domain/payment-allocation.ts'
import { quoteRefund, type RefundQuote } from '../../domain/refund-policy.ts'
import { newId } from '../../ids.ts'
import { conflict, notFound, Problem, validationProblem } from '../../problem.ts'
import { type OrderInventoryRef, orderInventory } from '../order-inventory.ts'
import { providerOfPayment } from '../payments/index.ts'
import { refuseRedeemedLines } from '../redemptions.ts'
import { scenicDay } from '../scenic-day.ts'
import { audit, GuardedBatch, isUniqueViolation, outbox, runBatch } from './batch.ts'
import { asFunding, fundingPayments, moneyHolder, takeMoney } from './money.ts'
import type { Order, OrderServices } from './services.ts'
import { revokeTicketsOfLines } from './ticket-revocations.ts'

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
    /** Buyers cannot refund a ticket already used at a gate; organizers may (e.g. a show cancelled after doors opened). */
    refuseRedeemed?: boolean
    /** Organizers and the system override a pending rebooking of these lines (it is cancelled); buyers are refused. */
    overridePendingRebook?: boolean
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
  const refundId = newId('rf')
  const ids = refundLines.map((l) => l.id)
  const written = await claimRefund(services, order, {
    refundId,
    lineIds: ids,
    amount,
    fee: quote.fee,
    reason: input.reason,
    requestedBy: input.actor,
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
        reason: `Cascaded from the refund of order ${order.number}`,
        waiveFee: true,
        overridePendingRebook: true,
      })
    }
  }
  return done
}

/**
 * The one batch that books a refund: claims `lineIds` (active and not being rebooked), takes `amount` out of the
 * order's payments, records the refund (pending) and its allocations, revokes the lines' tickets. `false` when a
 * guard failed (a line or the money was taken meanwhile): then nothing was written.
 */
async function claimRefund(
  services: OrderServices,
  order: Order,
  claim: {
    refundId: string
    lineIds: string[]
    amount: number
    fee: number
    reason: string
    requestedBy: string
    /** Buyer and organizer refunds need a ticketed order; an unfulfilled order's refund needs one that is not. */
    requireTicketed: boolean
    extra?: (batch: GuardedBatch) => void
  },
): Promise<boolean> {
  const { db } = services
  const funding = (await fundingPayments(db, order.id)).map(asFunding)
  const parts = allocate(funding, claim.amount)
  if (!parts) {
    services.logger.error('refund exceeds what the order holds', { orderId: order.id, amount: claim.amount })
    throw conflict('This refund is more than the order still holds')
  }
  const { refundId, lineIds } = claim
  const batch = new GuardedBatch(db).guard(
    claim.requireTicketed
      ? sql`(SELECT ${orders.status} IN ('paid', 'partially_refunded') FROM ${orders} WHERE ${orders.id} = ${order.id})`
      : sql`(SELECT ${orders.status} NOT IN ('paid', 'partially_refunded', 'refunded') FROM ${orders} WHERE ${orders.id} = ${order.id})`,
  )
  if (lineIds.length) {
    batch
      .add(
        db
          .update(orderLines)
          .set({ status: 'refunded', refundId })
          .where(
            and(
              eq(orderLines.orderId, order.id),
              inArray(orderLines.id, lineIds),
              eq(orderLines.status, 'active'),
              isNull(orderLines.rebookOrderId),
            ),
          ),
      )
      .guard(
        sql`(SELECT count(*) FROM ${orderLines} WHERE ${orderLines.refundId} = ${refundId}) = ${lineIds.length}`,
      )
  }
  batch.add(
    db.insert(refunds).values({
      id: refundId,
      orderId: order.id,
      paymentId: parts[0]?.paymentId ?? null,
      amount: claim.amount,
      fee: claim.fee,
      lineIds,
      reason: claim.reason,
      requestedBy: claim.requestedBy,
      status: 'pending',
    }),
  )
  takeMoney(batch, db, parts, refundId)
  if (lineIds.length) batch.add(...revokeTicketsOfLines(db, lineIds, 'refunded'))
  batch.add(
    audit(db, {
      orderId: order.id,
      actor: claim.requestedBy,
      action: 'refund.requested',
      detail: { refundId, lineIds, amount: claim.amount, fee: claim.fee, reason: claim.reason },
    }),
  )
  claim.extra?.(batch)
  return batch.run()
}

/** Second half of a refund: inventory back, money back per allocation, order updated. Safe to run again. */
export async function finishRefund(services: OrderServices, refundId: string) {
  const { db, env } = services
  const [refund] = await db.select().from(refunds).where(eq(refunds.id, refundId))
  if (!refund) throw notFound(`refund ${refundId}`)
  if (refund.status !== 'pending') return refund
  const [order] = await db.select().from(orders).where(eq(orders.id, refund.orderId))
  if (refund.lineIds.length) {
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
  }
  const parts = await db.select().from(refundAllocations).where(eq(refundAllocations.refundId, refund.id))
  for (const part of parts) {
    if (part.doneAt) continue
    const [payment] = await db.select().from(payments).where(eq(payments.id, part.paymentId))
    const holder = await moneyHolder(db, payment!)
    // The provider refund is idempotent on this key, so a retried finish never pays twice.
    const key = parts.length === 1 ? refund.id : `${refund.id}_${part.paymentId}`
    const providerRef =
      part.amount > 0 && holder.provider !== 'free'
        ? await providerOfPayment(env, services.payments, holder).refund(holder, key, part.amount)
        : null
    await db
      .update(refundAllocations)
      .set({ providerRef, doneAt: new Date().toISOString() })
      .where(
        and(
          eq(refundAllocations.refundId, refund.id),
          eq(refundAllocations.paymentId, part.paymentId),
          isNull(refundAllocations.doneAt),
        ),
      )
  }
  const now = new Date().toISOString()
  const remaining = sql`(SELECT count(*) FROM ${orderLines} WHERE ${orderLines.orderId} = ${order!.id} AND ${orderLines.status} = 'active')`
  try {
    await db.batch([
      db
        .update(refunds)
        .set({
          status: 'succeeded',
          providerRef: parts[0] ? await refundRef(services, refund.id) : null,
          updatedAt: now,
        })
        .where(and(eq(refunds.id, refund.id), eq(refunds.status, 'pending'))),
      db
        .update(orders)
        .set({
          refundedTotal: sql`(SELECT coalesce(sum(${refunds.amount}), 0) FROM ${refunds} WHERE ${refunds.orderId} = ${order!.id} AND ${refunds.status} = 'succeeded')`,
          updatedAt: now,
        })
        .where(eq(orders.id, order!.id)),
      // Only a ticketed order moves to (partially) refunded; an unfulfilled one keeps its expired/cancelled state.
      db
        .update(orders)
        .set({ status: sql`CASE WHEN ${remaining} = 0 THEN 'refunded' ELSE 'partially_refunded' END` })
        .where(and(eq(orders.id, order!.id), inArray(orders.status, ['paid', 'partially_refunded']))),
      audit(db, {
        id: `aud_${refund.id}_done`,
        orderId: order!.id,
        actor: refund.requestedBy,
        action: 'order.refunded',
        from: order!.status,
        detail: { refundId, amount: refund.amount },
      }),
      outbox(
        db,
        'order.refunded',
        order!.organizerId,
        { orderId: order!.id, refundId, amount: refund.amount, lineIds: refund.lineIds },
        `evt_${refund.id}`,
      ),
    ])
  } catch (error) {
    // A concurrent finish of the same refund wrote it first.
    if (!isUniqueViolation(error)) throw error
  }
  const [after] = await db.select().from(refunds).where(eq(refunds.id, refund.id))
  return after!
}

async function refundRef(services: OrderServices, refundId: string) {
  const [first] = await services.db
    .select({ providerRef: refundAllocations.providerRef })
    .from(refundAllocations)
    .where(and(eq(refundAllocations.refundId, refundId), isNotNull(refundAllocations.providerRef)))
  return first?.providerRef ?? null
}

/**
 * Gives back everything an order that was never fulfilled holds (late payment that lost its seats, a group buy
 * that failed or was left, a rebooking whose old tickets went): its lines and its money in one guarded claim, so
 * it happens once and never to an order that got its tickets meanwhile. The order ends in `toStatus`.
 */
export async function refundUnfulfilledOrder(
  services: OrderServices,
  order: Order,
  how: {
    actor: string
    why: string
    refundId: string
    requestedBy: string
    reason: string
    toStatus: 'expired' | 'cancelled'
    action?: string
  },
): Promise<Order> {
  const { db, env } = services
  const held = (await fundingPayments(db, order.id)).reduce((sum, p) => sum + p.amount - p.refundedAmount, 0)
  const active = await db
    .select({ id: orderLines.id })
    .from(orderLines)
    .where(
      and(
        eq(orderLines.orderId, order.id),
        eq(orderLines.status, 'active'),
        isNull(orderLines.rebookOrderId),
      ),
    )
  if (order.status === 'pending') await orderInventory(env, order as OrderInventoryRef).release()
  const now = new Date().toISOString()
  let written = false
  if (held > 0 || active.length) {
    try {
      written = await claimRefund(services, order, {
        refundId: how.refundId,
        lineIds: active.map((l) => l.id),
        amount: held,
        fee: 0,
        reason: how.reason,
        requestedBy: how.requestedBy,
        requireTicketed: false,
        extra: (batch) =>
          batch.add(
            db
              .update(orders)
              .set({ status: how.toStatus, statusReason: how.reason, updatedAt: now })
              .where(
                and(eq(orders.id, order.id), inArray(orders.status, ['pending', 'expired', 'cancelled'])),
              ),
            // A rebooking that will not happen lets go of the lines it was to replace.
            db
              .update(orderLines)
              .set({ rebookOrderId: null })
              .where(and(eq(orderLines.rebookOrderId, order.id), eq(orderLines.status, 'active'))),
            audit(db, {
              orderId: order.id,
              actor: how.actor,
              action: how.action ?? 'payment.refunded_automatically',
              from: order.status,
              to: how.toStatus,
              detail: { why: how.why, refundId: how.refundId },
            }),
          ),
      })
    } catch (error) {
      // The same refund id was booked before: this is a retry; finish it below.
      if (!isUniqueViolation(error)) throw error
    }
  }
  if (written) services.logger.warn('captured payment refunded', { orderId: order.id, why: how.why })
  const [refund] = await db.select({ id: refunds.id }).from(refunds).where(eq(refunds.id, how.refundId))
  if (refund) await finishRefund(services, refund.id)
  const [after] = await db.select().from(orders).where(eq(orders.id, order.id))
  return after!
}

/** Cron: refunds whose worker died between steps are finished; one that fails does not stop the others. */
export async function reconcilePendingRefunds(services: OrderServices): Promise<number> {
  const pending = await services.db
    .select({ id: refunds.id })
    .from(refunds)
    .where(eq(refunds.status, 'pending'))
    .limit(200)
  let finished = 0
  for (const { id } of pending) {
    try {
      await finishRefund(services, id)
      finished++
    } catch (error) {
      services.logger.error('pending refund could not be finished', { refundId: id, error: String(error) })
    }
  }
  return finished
}

/**
 * Cancels a rebooking that is still waiting for its payment, letting go of the lines it claimed: an organizer's
 * refund or a show cancellation comes first. A payment that already arrived is refunded; one that arrives later
 * finds the order cancelled and is refunded then.
 */
async function cancelPendingRebook(services: OrderServices, rebookOrderId: string, actor: string) {
  const { db, env } = services
  const [order] = await db.select().from(orders).where(eq(orders.id, rebookOrderId))
  if (order?.status !== 'pending') return
  const reason = 'The tickets to be rebooked were refunded by the organizer'
  const [paid] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orderId, order.id), eq(payments.status, 'succeeded')))
  if (paid) {
    await refundUnfulfilledOrder(services, order, {
      actor,
      why: 'rebooked lines refunded',
      refundId: `rf_auto_${paid.id}`,
      requestedBy: actor,
      reason,
      toStatus: 'cancelled',
    })
    return
  }
  await orderInventory(env, order as OrderInventoryRef).release()
  const now = new Date().toISOString()
  // Guarded: a payment that completed the rebooking meanwhile wins, and its lines are then `rebooked`.
  await new GuardedBatch(db)
    .guard(sql`(SELECT ${orders.status} = 'pending' FROM ${orders} WHERE ${orders.id} = ${order.id})`)
    .add(
      db
        .update(orders)
        .set({ status: 'cancelled', statusReason: reason, updatedAt: now })
        .where(and(eq(orders.id, order.id), eq(orders.status, 'pending'))),
      db
        .update(orderLines)
        .set({ rebookOrderId: null })
        .where(and(eq(orderLines.rebookOrderId, order.id), eq(orderLines.status, 'active'))),
      audit(db, {
        orderId: order.id,
        actor,
        action: 'order.cancelled',
        from: 'pending',
        to: 'cancelled',
        detail: { why: reason },
      }),
    )
    .run()
}
