import { and, eq, inArray, isNull, lte } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import type { Database } from '../db/client.ts'
import {
  auditEvents,
  events,
  orderLines,
  orders,
  organizers,
  outboxEvents,
  paymentNotifications,
  payments,
  refunds,
  scenicSites,
  shows,
  tickets,
} from '../db/schema.ts'
import { maskIdNumber } from '../domain/id-number.ts'
import { canTransition } from '../domain/order-status.ts'
import type { Bindings } from '../env.ts'
import { newId, newShortId } from '../ids.ts'
import type { Logger } from '../middleware/logger.ts'
import { conflict, notFound, Problem, validationProblem } from '../problem.ts'
import { groupBuyStub, groupMembershipOfOrder, notAwaitingGroup } from './group-buy-client.ts'
import { type OrderInventoryRef, orderInventory } from './order-inventory.ts'
import type { PaymentEvent, PaymentProvider } from './payments/provider.ts'
import { providerOfPayment } from './payments/settlement.ts'
import { completeRebook } from './rebooking.ts'
import { scenicDay } from './scenic-day.ts'
import { showInventoryStub } from './show-inventory-client.ts'

export interface OrderServices {
  env: Bindings
  db: Database
  logger: Logger
  payments: PaymentProvider
}

type Order = typeof orders.$inferSelect
export type Statement = BatchItem<'sqlite'>

/** An audit row: every state change of an order says who or what caused it. */
export function audit(
  db: Database,
  entry: {
    orderId: string
    actor: string
    action: string
    from?: string | null
    to?: string | null
    detail?: Record<string, unknown>
  },
) {
  return db.insert(auditEvents).values({
    id: newId('aud'),
    orderId: entry.orderId,
    actor: entry.actor,
    action: entry.action,
    fromStatus: entry.from ?? null,
    toStatus: entry.to ?? null,
    detail: entry.detail ?? null,
  })
}

export function outbox(db: Database, topic: string, organizerId: string, payload: Record<string, unknown>) {
  return db.insert(outboxEvents).values({ id: newId('evt'), topic, organizerId, payload })
}

export async function runBatch(db: Database, statements: Statement[]) {
  if (statements.length === 0) return
  await db.batch(statements as [Statement, ...Statement[]])
}

const orderNumber = () => {
  const digits = crypto.getRandomValues(new Uint32Array(2))
  return `ET${new Date().toISOString().slice(2, 10).replaceAll('-', '')}${String(digits[0]! % 1_000_000).padStart(6, '0')}`
}

export interface CreateOrderInput {
  kind: 'show' | 'scenic'
  showId?: string
  siteId?: string
  visitDate?: string
  holdId: string
  buyerId: string
  customerId?: string
  email?: string
  phone?: string
  channel: string
  /** Real-name shows: the ticket holder's name for each held seat, in seat order (their ID numbers came with the hold). */
  holderNames?: string[]
  /** 改签: the new order replaces these lines of `rebookOf` and charges only `amountDue` (the price difference). */
  rebook?: { orderId: string; lineIds: string[]; credit: number }
  /**
   * 团购: the order is priced at the group price per category (minus `discount`, the leader's extra) and must be
   * paid by `payBy`; it is confirmed only when the group succeeds (see finishPaidOrder).
   */
  groupBuy?: { prices: Record<string, number>; discount: number; payBy: string }
}

/** Turns the buyer's active hold into a pending order with its lines and a payment to complete. */
export async function createOrderFromHold(services: OrderServices, input: CreateOrderInput, origin: string) {
  const { env, db } = services
  let organizerId: string
  let currency: string
  let total: number
  let expiresAt: string
  let lines: (typeof orderLines.$inferInsert)[]
  const orderId = newId('ord')
  if (input.kind === 'show') {
    const [show] = await db
      .select({ id: shows.id, organizerId: shows.organizerId, realNameRequired: events.realNameRequired })
      .from(shows)
      .innerJoin(events, eq(events.id, shows.eventId))
      .where(eq(shows.id, input.showId!))
    if (!show) throw notFound(`show ${input.showId}`)
    const held = await showInventoryStub(env.SHOW_INVENTORY, show.id).describeHold(show.id, input.holdId)
    if (!held || held.holderId !== input.buyerId) throw notFound(`hold ${input.holdId}`)
    if (held.status !== 'active')
      throw new Problem({
        code: 'hold_expired',
        status: 409,
        detail: 'The hold has expired or was released; hold the seats again',
      })
    if (show.realNameRequired && input.holderNames?.length !== held.hold.seats.length) {
      throw validationProblem([
        {
          path: 'json.holderNames',
          message: `this show is real-name: give the holder's name for each of the ${held.hold.seats.length} seat(s)`,
        },
      ])
    }
    organizerId = show.organizerId
    currency = held.hold.currency
    total = held.hold.total
    expiresAt = held.hold.expiresAt
    const group = input.groupBuy
    const seatPrices = held.hold.seats.map((seat) => seat.price)
    if (group) {
      const unpriced = held.hold.seats.filter((seat) => !(seat.category in group.prices))
      if (unpriced.length)
        throw new Problem({
          code: 'not_in_group_buy',
          status: 409,
          detail: `Seats in ${[...new Set(unpriced.map((seat) => seat.category))].join(', ')} are not sold by group`,
        })
      // The leader's discount comes off the first seats, so line prices always add up to the total.
      let discount = group.discount
      held.hold.seats.forEach((seat, i) => {
        const price = group.prices[seat.category]!
        const off = Math.min(price, discount)
        discount -= off
        seatPrices[i] = price - off
      })
      total = seatPrices.reduce((sum, price) => sum + price, 0)
      expiresAt = group.payBy
    }
    lines = held.hold.seats.map((seat, i) => ({
      id: newId('oln'),
      orderId,
      inventoryRef: seat.id,
      description: `${seat.section} row ${seat.row} seat ${seat.label}`,
      seatLabel: seat.label,
      category: seat.category,
      visitorIdMasked: held.idNumbers[i] ? maskIdNumber(held.idNumbers[i]!) : null,
      visitorName: input.holderNames?.[i] ?? null,
      price: seatPrices[i]!,
    }))
  } else {
    const [site] = await db
      .select({ id: scenicSites.id, organizerId: scenicSites.organizerId })
      .from(scenicSites)
      .where(eq(scenicSites.id, input.siteId!))
    if (!site) throw notFound(`scenic site ${input.siteId}`)
    const held = await scenicDay(env.SCENIC_DAY_INVENTORY, site.id, input.visitDate!).describeHold(
      site.id,
      input.visitDate!,
      input.holdId,
    )
    if (!held || held.holderId !== input.buyerId) throw notFound(`hold ${input.holdId}`)
    if (held.status !== 'active')
      throw new Problem({
        code: 'hold_expired',
        status: 409,
        detail: 'The hold has expired or was released; hold the tickets again',
      })
    organizerId = site.organizerId
    currency = held.hold.currency
    total = held.hold.total
    expiresAt = held.hold.expiresAt
    lines = held.hold.lines.map((line) => ({
      id: newId('oln'),
      orderId,
      inventoryRef: line.id,
      description: `${line.productName}${line.slot ? ` ${line.slot}` : ''} on ${input.visitDate}`,
      productId: line.productId,
      slot: line.slot,
      visitorName: line.visitor?.name ?? null,
      visitorIdMasked: line.visitor?.idNumber ? maskIdNumber(line.visitor.idNumber) : null,
      visitorPhone: line.visitor?.phone ?? null,
      price: line.price,
    }))
  }
  if (!input.customerId) {
    const [organizer] = await db
      .select({ allowGuestCheckout: organizers.allowGuestCheckout })
      .from(organizers)
      .where(eq(organizers.id, organizerId))
    if (!organizer?.allowGuestCheckout) {
      throw new Problem({
        code: 'sign_in_required',
        status: 401,
        title: 'Sign in required',
        detail: 'This organizer sells only to signed-in customers; sign in with your email or phone first',
      })
    }
  }
  const [existing] = await db.select({ id: orders.id }).from(orders).where(eq(orders.holdId, input.holdId))
  if (existing) throw conflict(`Order ${existing.id} already uses this hold`, { orderId: existing.id })
  const paymentId = newId('pay')
  const order = {
    id: orderId,
    number: orderNumber(),
    organizerId,
    customerId: input.customerId ?? null,
    buyerId: input.buyerId,
    email: input.email ?? null,
    phone: input.phone ?? null,
    kind: input.kind,
    showId: input.showId ?? null,
    siteId: input.siteId ?? null,
    visitDate: input.visitDate ?? null,
    holdId: input.holdId,
    channel: input.channel,
    status: 'pending' as const,
    total,
    currency,
    expiresAt,
    rebookOf: input.rebook?.orderId ?? null,
    rebookLineIds: input.rebook?.lineIds ?? null,
  }
  // A rebooking pays only the difference; the old lines' price counts as already paid.
  const amountDue = Math.max(0, total - (input.rebook?.credit ?? 0))
  await runBatch(db, [
    db.insert(orders).values(order),
    db.insert(orderLines).values(lines),
    db.insert(payments).values({
      id: paymentId,
      orderId,
      provider: services.payments.name,
      providerRef: paymentId,
      amount: amountDue,
      currency,
      ...(amountDue === 0 ? { status: 'succeeded' as const } : {}),
    }),
    audit(db, {
      orderId,
      actor: `buyer:${input.buyerId}`,
      action: 'order.created',
      to: 'pending',
      detail: {
        holdId: input.holdId,
        total,
        ...(input.rebook ? { rebookOf: input.rebook.orderId, amountDue } : {}),
      },
    }),
  ])
  if (amountDue === 0) {
    // Nothing to pay (a rebooking to an equal or cheaper date): complete at once.
    await finishPaidOrder(services, orderId, `buyer:${input.buyerId}`)
    return { orderId, paymentId, checkoutUrl: null, amountDue }
  }
  const checkoutUrl = await services.payments.checkoutUrl(
    { id: paymentId, orderId, amount: amountDue, currency },
    origin,
  )
  return { orderId, paymentId, checkoutUrl, amountDue }
}

/** A provider notification: verified by the caller, handled at most once per event id. */
export async function handlePaymentEvent(
  services: OrderServices,
  event: PaymentEvent,
): Promise<{ duplicate: boolean }> {
  const { db } = services
  const provider = services.payments.name
  const [seen] = await db
    .select()
    .from(paymentNotifications)
    .where(and(eq(paymentNotifications.provider, provider), eq(paymentNotifications.eventId, event.id)))
  if (seen) return { duplicate: true }
  const [payment] = await db.select().from(payments).where(eq(payments.id, event.paymentId))
  if (!payment) throw notFound(`payment ${event.paymentId}`)
  if (event.type === 'payment.failed') {
    await runBatch(db, [
      db
        .update(payments)
        .set({ status: 'failed', updatedAt: new Date().toISOString() })
        .where(and(eq(payments.id, payment.id), eq(payments.status, 'created'))),
      audit(db, {
        orderId: payment.orderId,
        actor: `provider:${provider}`,
        action: 'payment.failed',
        detail: { paymentId: payment.id },
      }),
      db
        .insert(paymentNotifications)
        .values({ provider, eventId: event.id, orderId: payment.orderId })
        .onConflictDoNothing(),
    ])
    return { duplicate: false }
  }
  if (event.amount !== payment.amount) {
    services.logger.error('payment amount mismatch', {
      paymentId: payment.id,
      expected: payment.amount,
      got: event.amount,
    })
    throw new Problem({ code: 'validation', detail: 'Paid amount does not match the order' })
  }
  // Record that the money arrived before touching inventory: reconciliation finishes from here if we die.
  await db
    .update(payments)
    .set({
      status: 'succeeded',
      ...(event.providerRef ? { providerRef: event.providerRef } : {}),
      updatedAt: new Date().toISOString(),
    })
    .where(and(eq(payments.id, payment.id), inArray(payments.status, ['created', 'failed'])))
  await finishPaidOrder(services, payment.orderId, `provider:${provider}`)
  await db
    .insert(paymentNotifications)
    .values({ provider, eventId: event.id, orderId: payment.orderId })
    .onConflictDoNothing()
  return { duplicate: false }
}

/**
 * Completes an order whose payment succeeded: the inventory DO confirms (idempotent per order), then one
 * D1 batch marks the order paid, issues tickets, audits and queues the event. If the inventory is gone
 * (late payment after someone else bought the seats) the money goes back automatically. Safe to repeat.
 * A group-buy member's order is handed to its group's actor instead: it is confirmed only once the group
 * succeeds (at once if it already has), and refunded if the member left or the group failed.
 */
export async function finishPaidOrder(
  services: OrderServices,
  orderId: string,
  actor: string,
): Promise<Order> {
  const { db, env } = services
  const [payment] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orderId, orderId), eq(payments.status, 'succeeded')))
  if (payment) {
    const membership = await groupMembershipOfOrder(db, orderId)
    if (membership && membership.status !== 'confirmed') {
      await groupBuyStub(env, membership.groupId).memberPaid(membership.groupId, orderId)
      const [after] = await db.select().from(orders).where(eq(orders.id, orderId))
      if (!after) throw notFound(`order ${orderId}`)
      return after
    }
  }
  return confirmPaidOrder(services, orderId, actor)
}

/** finishPaidOrder without the group-buy hand-off: the group's actor calls this once its group succeeded. */
export async function confirmPaidOrder(
  services: OrderServices,
  orderId: string,
  actor: string,
): Promise<Order> {
  const { db, env } = services
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) throw notFound(`order ${orderId}`)
  const [payment] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), eq(payments.status, 'succeeded')))
  if (!payment) return order
  if (!canTransition(order.status, 'paid')) return order
  const confirmed = await orderInventory(env, order as OrderInventoryRef).confirm(order.id)
  if (!confirmed.ok) {
    return refundCapturedPayment(services, order, payment, {
      actor,
      why: confirmed.detail,
      refundId: `rf_auto_${payment.id}`,
      requestedBy: 'system:late-payment',
      toStatus: 'expired',
      reason:
        'The payment arrived after the hold expired and the tickets were no longer available; it was refunded in full',
    })
  }
  const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order.id))
  const now = new Date().toISOString()
  const reason = confirmed.reacquired
    ? 'Paid after the hold expired; the same tickets were still free and are yours'
    : null
  await runBatch(db, [
    db
      .update(orders)
      .set({ status: 'paid', paidAt: now, statusReason: reason, updatedAt: now })
      .where(and(eq(orders.id, order.id), inArray(orders.status, ['pending', 'expired']))),
    ...lines.map((line) =>
      db
        .insert(tickets)
        .values({ id: newShortId('tkt'), orderId: order.id, orderLineId: line.id })
        .onConflictDoNothing(),
    ),
    audit(db, {
      orderId: order.id,
      actor,
      action: 'order.paid',
      from: order.status,
      to: 'paid',
      detail: { paymentId: payment.id, reacquired: confirmed.reacquired },
    }),
    outbox(db, 'order.confirmed', order.organizerId, {
      orderId: order.id,
      number: order.number,
      total: order.total,
    }),
  ])
  if (order.rebookOf) await completeRebook(services, order.id)
  const [after] = await db.select().from(orders).where(eq(orders.id, order.id))
  return after!
}

/**
 * Gives a captured payment back in full for an order that was never fulfilled (late payment that lost its
 * seats, a group buy that failed or was left). One refund per payment: `refundId` is fixed by the caller, the
 * provider call is idempotent on it and the row is inserted at most once. The order ends in `toStatus`.
 */
export async function refundCapturedPayment(
  services: OrderServices,
  order: Order,
  payment: typeof payments.$inferSelect,
  how: {
    actor: string
    why: string
    refundId: string
    requestedBy: string
    reason: string
    toStatus: 'expired' | 'cancelled'
    action?: string
    extra?: Statement[]
  },
): Promise<Order> {
  const { db } = services
  const { refundId, reason } = how
  const providerRef = await providerOfPayment(services.payments, payment).refund(
    payment,
    refundId,
    payment.amount,
  )
  const now = new Date().toISOString()
  await runBatch(db, [
    db
      .insert(refunds)
      .values({
        id: refundId,
        orderId: order.id,
        paymentId: payment.id,
        amount: payment.amount,
        lineIds: [],
        reason,
        requestedBy: how.requestedBy,
        status: 'succeeded',
        providerRef,
      })
      .onConflictDoNothing(),
    db.update(payments).set({ status: 'refunded', updatedAt: now }).where(eq(payments.id, payment.id)),
    db
      .update(orders)
      .set({ status: how.toStatus, statusReason: reason, refundedTotal: payment.amount, updatedAt: now })
      .where(and(eq(orders.id, order.id), inArray(orders.status, ['pending', 'expired']))),
    audit(db, {
      orderId: order.id,
      actor: how.actor,
      action: how.action ?? 'payment.refunded_automatically',
      from: order.status,
      to: how.toStatus,
      detail: { why: how.why, refundId },
    }),
    outbox(db, 'order.refunded', order.organizerId, {
      orderId: order.id,
      amount: payment.amount,
      automatic: true,
    }),
    ...(how.extra ?? []),
  ])
  services.logger.warn('captured payment refunded', {
    orderId: order.id,
    paymentId: payment.id,
    why: how.why,
  })
  const [after] = await db.select().from(orders).where(eq(orders.id, order.id))
  return after!
}

/**
 * OTA partners pay by settlement: their order is written with a `settlement` payment already succeeded
 * (see worker/services/payments/settlement.ts), so booking confirms it through the same path as a paid
 * order: inventory confirm, tickets, audit and `order.confirmed` in one batch; the cron finishes it too.
 */
export function confirmSettledOrder(services: OrderServices, orderId: string, actor: string) {
  return finishPaidOrder(services, orderId, actor)
}

/** Cron: unpaid orders past their hold become expired and their inventory goes back. */
export async function expireUnpaidOrders(services: OrderServices, now = new Date()): Promise<number> {
  const { db, env } = services
  const due = await db
    .select()
    .from(orders)
    .where(and(eq(orders.status, 'pending'), lte(orders.expiresAt, now.toISOString())))
    .limit(200)
  for (const order of due) {
    // A payment may already have succeeded: finish that instead of expiring.
    const [paid] = await db
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.orderId, order.id), eq(payments.status, 'succeeded')))
    if (paid) {
      await finishPaidOrder(services, order.id, 'system:expiry')
      continue
    }
    await orderInventory(env, order as OrderInventoryRef).release()
    await runBatch(db, [
      db
        .update(orders)
        .set({
          status: 'expired',
          statusReason: 'Not paid before the hold expired',
          updatedAt: now.toISOString(),
        })
        .where(and(eq(orders.id, order.id), eq(orders.status, 'pending'))),
      audit(db, {
        orderId: order.id,
        actor: 'system:expiry',
        action: 'order.expired',
        from: 'pending',
        to: 'expired',
      }),
    ])
  }
  return due.length
}

/** Cron: finishes orders whose payment succeeded but whose confirmation never completed (a crash between steps). */
export async function reconcilePaidOrders(services: OrderServices): Promise<number> {
  const { db } = services
  const stuck = await db
    .select({ orderId: orders.id })
    .from(orders)
    .innerJoin(payments, and(eq(payments.orderId, orders.id), eq(payments.status, 'succeeded')))
    // Paid group-buy members waiting for their group are not stuck: their group's actor confirms them.
    .where(and(inArray(orders.status, ['pending', 'expired']), notAwaitingGroup(orders.id)))
    .limit(200)
  for (const { orderId } of stuck) await finishPaidOrder(services, orderId, 'system:reconciliation')
  return stuck.length
}

/** Cron: a reminder to pay a few minutes before the hold runs out. */
export async function remindUnpaidOrders(
  services: OrderServices,
  send: (to: string, subject: string, body: string) => Promise<void>,
  now = new Date(),
  aheadMinutes = 5,
): Promise<number> {
  const { db } = services
  const soon = new Date(now.getTime() + aheadMinutes * 60_000).toISOString()
  const due = await db
    .select()
    .from(orders)
    .where(and(eq(orders.status, 'pending'), isNull(orders.reminderSentAt), lte(orders.expiresAt, soon)))
    .limit(200)
  for (const order of due) {
    const to = order.email ?? order.phone
    if (to) {
      await send(
        to,
        `Order ${order.number}: pay before ${order.expiresAt}`,
        `Your tickets are held until ${order.expiresAt}. Complete the payment to keep them.`,
      )
    }
    await db
      .update(orders)
      .set({ reminderSentAt: now.toISOString() })
      .where(and(eq(orders.id, order.id), isNull(orders.reminderSentAt)))
  }
  return due.length
}
