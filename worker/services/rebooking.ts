import { and, eq, inArray } from 'drizzle-orm'
import { orderLines, orders, outboxEvents, payments, refunds, shows } from '../db/schema.ts'
import { canTransition } from '../domain/order-status.ts'
import { newId } from '../ids.ts'
import { notFound, Problem, validationProblem } from '../problem.ts'
import { type OrderInventoryRef, orderInventory } from './order-inventory.ts'
import { audit, createOrderFromHold, type OrderServices } from './orders.ts'
import { refuseRedeemedLines } from './redemptions.ts'
import { scenicDay } from './scenic-day.ts'
import { showInventoryStub } from './show-inventory-client.ts'
import { revokeTicketsOfLines } from './ticket-revocations.ts'

export interface RebookInput {
  orderId: string
  lineIds?: string[]
  /** The buyer's active hold on the new show (same event) or the new visit date (same products). */
  holdId: string
  showId?: string
  date?: string
  buyerId: string
}

/**
 * 改签: moves lines of a paid order to another show of the same event, or another visit date of the same
 * products. The buyer holds the new inventory first; a new order for that hold charges only the price
 * difference (or nothing). Only once the new order is paid are the old tickets revoked and the old
 * inventory returned, and a cheaper rebooking refunds the difference: the buyer is never without tickets.
 */
export async function startRebooking(services: OrderServices, input: RebookInput, origin: string) {
  const { db, env } = services
  const [old] = await db.select().from(orders).where(eq(orders.id, input.orderId))
  if (!old) throw notFound(`order ${input.orderId}`)
  if (!canTransition(old.status, 'cancelled') || old.status === 'pending') {
    throw new Problem({ code: 'conflict', detail: `An order that is ${old.status} cannot be rebooked` })
  }
  const active = await db
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.orderId, old.id), eq(orderLines.status, 'active')))
  const lines = input.lineIds ? active.filter((l) => input.lineIds!.includes(l.id)) : active
  if (lines.length === 0 || (input.lineIds && lines.length !== input.lineIds.length)) {
    throw validationProblem([{ path: 'json.lineIds', message: 'name active lines of this order' }])
  }
  // A ticket already admitted at a gate has been used: moving it would hand out a second admission.
  await refuseRedeemedLines(
    db,
    old.id,
    lines.map((l) => l.id),
    'These tickets were already admitted at a gate and cannot be rebooked',
  )
  const credit = lines.reduce((sum, l) => sum + l.price, 0)
  if (old.kind === 'show') {
    if (!input.showId || input.showId === old.showId)
      throw validationProblem([{ path: 'json.showId', message: 'name another show of the same event' }])
    const [from] = await db.select().from(shows).where(eq(shows.id, old.showId!))
    const [to] = await db.select().from(shows).where(eq(shows.id, input.showId))
    if (!to || to.eventId !== from!.eventId)
      throw validationProblem([{ path: 'json.showId', message: 'must be a show of the same event' }])
    const held = await showInventoryStub(env.SHOW_INVENTORY, to.id).describeHold(to.id, input.holdId)
    if (!held || held.holderId !== input.buyerId || held.status !== 'active')
      throw notFound(`hold ${input.holdId}`)
    if (held.hold.seats.length !== lines.length) {
      throw validationProblem([
        { path: 'json.holdId', message: `hold exactly ${lines.length} seat(s) on the new show` },
      ])
    }
  } else {
    if (!input.date || input.date === old.visitDate)
      throw validationProblem([{ path: 'json.date', message: 'name another visit date' }])
    const held = await scenicDay(env.SCENIC_DAY_INVENTORY, old.siteId!, input.date).describeHold(
      old.siteId!,
      input.date,
      input.holdId,
    )
    if (!held || held.holderId !== input.buyerId || held.status !== 'active')
      throw notFound(`hold ${input.holdId}`)
    const want = lines.map((l) => l.productId).sort()
    const got = held.hold.lines.map((l) => l.productId).sort()
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      throw validationProblem([
        { path: 'json.holdId', message: 'hold the same ticket types for the new date' },
      ])
    }
  }
  return createOrderFromHold(
    services,
    {
      kind: old.kind,
      ...(old.kind === 'show' ? { showId: input.showId! } : { siteId: old.siteId!, visitDate: input.date! }),
      holdId: input.holdId,
      buyerId: input.buyerId,
      ...(old.customerId ? { customerId: old.customerId } : {}),
      ...(old.email ? { email: old.email } : {}),
      ...(old.phone ? { phone: old.phone } : {}),
      channel: old.channel,
      rebook: { orderId: old.id, lineIds: lines.map((l) => l.id), credit },
    },
    origin,
  )
}

/** Runs once the new order is paid: old tickets revoked, old inventory back, any difference refunded. Idempotent. */
export async function completeRebook(services: OrderServices, newOrderId: string) {
  const { db, env } = services
  const [order] = await db.select().from(orders).where(eq(orders.id, newOrderId))
  if (!order?.rebookOf || !order.rebookLineIds?.length) return
  const [old] = await db.select().from(orders).where(eq(orders.id, order.rebookOf))
  const lines = await db
    .select()
    .from(orderLines)
    .where(
      and(
        eq(orderLines.orderId, old!.id),
        inArray(orderLines.id, order.rebookLineIds),
        eq(orderLines.status, 'active'),
      ),
    )
  if (lines.length === 0) return
  const ids = lines.map((l) => l.id)
  const stillActive =
    (
      await db
        .select()
        .from(orderLines)
        .where(and(eq(orderLines.orderId, old!.id), eq(orderLines.status, 'active')))
    ).length - lines.length
  const oldStatus = stillActive === 0 ? 'cancelled' : old!.status
  const now = new Date().toISOString()
  await db.batch([
    db.update(orderLines).set({ status: 'rebooked' }).where(inArray(orderLines.id, ids)),
    ...revokeTicketsOfLines(db, ids, 'rebooked'),
    db
      .update(orders)
      .set({
        status: oldStatus,
        statusReason: stillActive === 0 ? `Rebooked to order ${order.number}` : old!.statusReason,
        updatedAt: now,
      })
      .where(eq(orders.id, old!.id)),
    audit(db, {
      orderId: old!.id,
      actor: `buyer:${order.buyerId}`,
      action: 'order.rebooked',
      from: old!.status,
      to: oldStatus,
      detail: { to: order.id, lineIds: ids },
    }),
    db.insert(outboxEvents).values({
      id: newId('evt'),
      topic: 'order.rebooked',
      organizerId: old!.organizerId,
      payload: { from: old!.id, to: order.id, lineIds: ids },
    }),
    // Every line moved: the old order is cancelled, which partners subscribe to as such.
    ...(oldStatus === 'cancelled'
      ? [
          db.insert(outboxEvents).values({
            id: newId('evt'),
            topic: 'order.cancelled',
            organizerId: old!.organizerId,
            payload: { orderId: old!.id, reason: 'rebooked', replacedBy: order.id },
          }),
        ]
      : []),
  ])
  await orderInventory(env, old as OrderInventoryRef).returnLines(
    old!.id,
    lines.map((l) => l.inventoryRef),
  )
  const difference = lines.reduce((sum, l) => sum + l.price, 0) - order.total
  if (difference > 0) {
    // Cheaper new date: the buyer gets the difference back from the original payment.
    const [payment] = await db
      .select()
      .from(payments)
      .where(
        and(eq(payments.orderId, old!.id), inArray(payments.status, ['succeeded', 'partially_refunded'])),
      )
    const refundId = `rf_rebook_${order.id}`
    const providerRef = payment ? await services.payments.refund(payment, refundId, difference) : null
    await db.batch([
      db
        .insert(refunds)
        .values({
          id: refundId,
          orderId: old!.id,
          paymentId: payment?.id ?? null,
          amount: difference,
          lineIds: [],
          reason: `Price difference after rebooking to order ${order.number}`,
          requestedBy: `buyer:${order.buyerId}`,
          status: 'succeeded',
          providerRef,
        })
        .onConflictDoNothing(),
      db
        .update(orders)
        .set({ refundedTotal: old!.refundedTotal + difference, updatedAt: now })
        .where(eq(orders.id, old!.id)),
      audit(db, {
        orderId: old!.id,
        actor: 'system:rebooking',
        action: 'refund.price_difference',
        detail: { refundId, amount: difference },
      }),
    ])
  }
}
