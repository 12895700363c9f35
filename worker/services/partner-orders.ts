import { and, eq } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import {
  auditEvents,
  orderLines,
  orders,
  partnerOrders,
  partnerProducts,
  partnerReservations,
  redemptions,
  refunds,
  scenicSites,
  tickets,
  visitProducts,
} from '../db/schema.ts'
import { maskIdNumber } from '../domain/id-number.ts'
import { ticketedStatuses } from '../domain/order-status.ts'
import { refundReasonText } from '../domain/refund-reason.ts'
import { newId } from '../ids.ts'
import type { Partner } from '../middleware/partner-auth.ts'
import { notFound, Problem } from '../problem.ts'
import { stageVisitorOrigins } from './analytics/store.ts'
import { inventoryProblem } from './inventory-problem.ts'
import {
  addNewOrder,
  audit,
  confirmSettledOrder,
  GuardedBatch,
  type OrderServices,
  outbox,
  requestRefund,
} from './orders/index.ts'
import { SETTLEMENT_PROVIDER } from './payments/settlement.ts'
import { refuseRedeemedLines } from './redemptions.ts'
import { scenicDay } from './scenic-day.ts'
import { ticketsOfOrder } from './tickets.ts'

// The OTA side of the money path: reservation (a hold on the partner's sales channel) → booking
// (an order paid by settlement, confirmed through the ordinary confirm path) → cancel / refund.

const holderOf = (partner: Partner) => `partner:${partner.id}`
const actorOf = (partner: Partner) => `partner:${partner.id}`

export interface ReservationInput {
  date: string
  lines: {
    productId: string
    slot?: string
    visitor?: { name?: string; idNumber?: string; phone?: string }
  }[]
}

/** The partner's products with their prices, keyed by product id (only products it may sell). */
export async function partnerCatalogue(db: Database, partnerId: string) {
  return db
    .select({
      product: visitProducts,
      prices: partnerProducts,
    })
    .from(partnerProducts)
    .innerJoin(visitProducts, eq(visitProducts.id, partnerProducts.productId))
    .where(eq(partnerProducts.partnerId, partnerId))
}

export async function reserve(services: OrderServices, partner: Partner, input: ReservationInput) {
  const { db, env } = services
  const catalogue = await partnerCatalogue(db, partner.id)
  const offered = new Map(catalogue.map((row) => [row.product.id, row]))
  const missing = input.lines.map((l) => l.productId).filter((id) => !offered.get(id))
  if (missing.length) {
    throw new Problem({
      code: 'product_not_available',
      status: 404,
      title: 'Product not available to this partner',
      detail: `Not sold through this partner: ${[...new Set(missing)].join(', ')}`,
    })
  }
  const siteIds = new Set(input.lines.map((l) => offered.get(l.productId)!.product.siteId))
  if (siteIds.size !== 1) {
    throw new Problem({ code: 'validation', detail: 'A reservation covers products of one scenic site' })
  }
  const siteId = [...siteIds][0]!
  const outcome = await scenicDay(env.SCENIC_DAY_INVENTORY, siteId, input.date).hold(siteId, input.date, {
    holderId: holderOf(partner),
    channel: partner.channel,
    lines: input.lines,
    partner: true,
  })
  if (!outcome.ok) throw inventoryProblem(outcome)
  const hold = outcome.hold
  // The partner pays its settlement price, unless a date price or tier names its channel (the actor quoted it).
  const linePrices = Object.fromEntries(
    hold.lines.map((line) => [
      line.id,
      line.channelPriced ? line.price : offered.get(line.productId)!.prices.settlementPrice,
    ]),
  )
  await db.insert(partnerReservations).values({
    id: hold.id,
    partnerId: partner.id,
    siteId,
    visitDate: input.date,
    linePrices,
    expiresAt: hold.expiresAt,
  })
  return {
    reservationId: hold.id,
    siteId,
    date: input.date,
    expiresAt: hold.expiresAt,
    currency: hold.currency,
    total: Object.values(linePrices).reduce((a, b) => a + b, 0),
    lines: hold.lines.map((line) => ({
      lineId: line.id,
      productId: line.productId,
      productName: line.productName,
      slot: line.slot,
      salePrice: offered.get(line.productId)!.prices.salePrice,
      settlementPrice: linePrices[line.id]!,
      visitorName: line.visitor?.name ?? null,
      visitorIdMasked: line.visitor?.idNumber ? maskIdNumber(line.visitor.idNumber) : null,
    })),
  }
}

async function ownReservation(db: Database, partner: Partner, reservationId: string) {
  const [reservation] = await db
    .select()
    .from(partnerReservations)
    .where(and(eq(partnerReservations.id, reservationId), eq(partnerReservations.partnerId, partner.id)))
  if (!reservation) throw notFound(`reservation ${reservationId}`)
  return reservation
}

/** Gives a reservation's quota back before it is booked (idempotent). */
export async function releaseReservation(services: OrderServices, partner: Partner, reservationId: string) {
  const reservation = await ownReservation(services.db, partner, reservationId)
  await scenicDay(services.env.SCENIC_DAY_INVENTORY, reservation.siteId, reservation.visitDate).release(
    reservation.siteId,
    reservation.visitDate,
    reservation.id,
    holderOf(partner),
  )
}

export const reservationExpired = () =>
  new Problem({
    code: 'reservation_expired',
    status: 409,
    title: 'Reservation expired',
    detail: 'The reservation expired or was released before it was booked; reserve again',
  })

async function mappedOrder(db: Database, partner: Partner, partnerOrderId: string) {
  const [row] = await db
    .select()
    .from(partnerOrders)
    .where(and(eq(partnerOrders.partnerId, partner.id), eq(partnerOrders.partnerOrderId, partnerOrderId)))
  return row
}

function reusedOrderId(partnerOrderId: string) {
  return new Problem({
    code: 'partner_order_id_reused',
    status: 409,
    title: 'Partner order id already used',
    detail: `Order id ${partnerOrderId} was already booked with another reservation`,
  })
}

/**
 * Books a reservation as the partner's order `partnerOrderId`. Idempotent: the unique index on
 * (partner, partnerOrderId) lets exactly one concurrent create write the order (in the same batch as
 * the order, its lines, the settlement payment and the audit row); every other create, now or later,
 * answers that same order. The order is then confirmed through the ordinary paid-order path.
 */
export async function book(
  services: OrderServices,
  partner: Partner,
  input: {
    partnerOrderId: string
    reservationId: string
    contact?: { name?: string; phone?: string; email?: string }
  },
): Promise<{ orderId: string; created: boolean }> {
  const { db, env } = services
  const replay = async () => {
    const existing = await mappedOrder(db, partner, input.partnerOrderId)
    if (!existing) return undefined
    if (existing.reservationId !== input.reservationId) throw reusedOrderId(input.partnerOrderId)
    await settled(db, existing.orderId)
    return { orderId: existing.orderId, created: false }
  }
  const earlier = await replay()
  if (earlier) return earlier
  const reservation = await ownReservation(db, partner, input.reservationId)
  const held = await scenicDay(
    env.SCENIC_DAY_INVENTORY,
    reservation.siteId,
    reservation.visitDate,
  ).describeHold(reservation.siteId, reservation.visitDate, reservation.id)
  if (!held || held.holderId !== holderOf(partner)) throw notFound(`reservation ${reservation.id}`)
  if (held.status === 'confirmed') {
    // A concurrent create of this very partner order may have just confirmed it.
    const winner = await replay()
    if (winner) return winner
    throw new Problem({
      code: 'reservation_already_booked',
      status: 409,
      title: 'Reservation already booked',
      detail: 'This reservation was booked under another partner order id',
    })
  }
  if (held.status !== 'active' || Date.parse(held.hold.expiresAt) <= Date.now()) throw reservationExpired()
  const [site] = await db
    .select({ organizerId: scenicSites.organizerId })
    .from(scenicSites)
    .where(eq(scenicSites.id, reservation.siteId))
  const orderId = newId('ord')
  const lines = held.hold.lines.map((line) => ({
    id: newId('oln'),
    orderId,
    inventoryRef: line.id,
    description: `${line.productName}${line.slot ? ` ${line.slot}` : ''} on ${reservation.visitDate}`,
    productId: line.productId,
    slot: line.slot,
    visitorName: line.visitor?.name ?? null,
    visitorIdMasked: line.visitor?.idNumber ? maskIdNumber(line.visitor.idNumber) : null,
    visitorPhone: line.visitor?.phone ?? null,
    price: reservation.linePrices[line.id] ?? line.price,
  }))
  const total = lines.reduce((sum, l) => sum + l.price, 0)
  // The reservation's real-name visitors, as region and age band for the visitor reports (no route captured them):
  // staged before the order exists, so its paid event always finds them.
  await stageVisitorOrigins(
    db,
    reservation.id,
    held.hold.lines.map((line) => line.visitor?.idNumber),
  )
  const digits = crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000
  try {
    const batch = new GuardedBatch(db)
    addNewOrder(batch, db, {
      order: {
        id: orderId,
        number: `OTA${new Date().toISOString().slice(2, 10).replaceAll('-', '')}${String(digits).padStart(6, '0')}`,
        organizerId: site!.organizerId,
        buyerId: holderOf(partner),
        email: input.contact?.email?.toLowerCase() ?? null,
        phone: input.contact?.phone ?? null,
        kind: 'scenic',
        siteId: reservation.siteId,
        visitDate: reservation.visitDate,
        holdId: reservation.id,
        channel: partner.channel,
        status: 'pending',
        total,
        currency: held.hold.currency,
        expiresAt: held.hold.expiresAt,
      },
      lines,
      payment: {
        id: newId('pay'),
        orderId,
        provider: SETTLEMENT_PROVIDER,
        providerRef: `${partner.id}:${input.partnerOrderId}`,
        amount: total,
        currency: held.hold.currency,
        status: 'succeeded',
      },
      actor: actorOf(partner),
      detail: {
        holdId: reservation.id,
        total,
        partnerOrderId: input.partnerOrderId,
        channel: partner.channel,
      },
    })
    batch.add(
      db.insert(partnerOrders).values({
        partnerId: partner.id,
        partnerOrderId: input.partnerOrderId,
        orderId,
        reservationId: reservation.id,
      }),
    )
    await batch.run()
  } catch (error) {
    // Lost the race to a concurrent create of the same partner order (or of the same reservation).
    const winner = await replay()
    if (winner) return winner
    const [booked] = await db.select({ id: orders.id }).from(orders).where(eq(orders.holdId, reservation.id))
    if (booked) {
      throw new Problem({
        code: 'reservation_already_booked',
        status: 409,
        title: 'Reservation already booked',
        detail: 'This reservation was booked under another partner order id',
      })
    }
    throw error
  }
  const order = await confirmSettledOrder(services, orderId, actorOf(partner))
  if (order.status === 'expired') throw reservationExpired()
  return { orderId, created: true }
}

/** A replayed create waits briefly for the winning request to finish confirming, so it can answer the tickets. */
async function settled(db: Database, orderId: string) {
  for (let i = 0; i < 40; i++) {
    const [order] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId))
    if (order?.status !== 'pending') return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export async function partnerOrderOf(db: Database, partner: Partner, partnerOrderId: string) {
  const mapping = await mappedOrder(db, partner, partnerOrderId)
  if (!mapping) throw notFound(`order ${partnerOrderId}`)
  return mapping
}

/** The order as the partner sees it: lines with ticket codes (signed tokens) to deliver and their use, refunds. */
export async function partnerOrderView(services: OrderServices, partnerOrderId: string, orderId: string) {
  const { db, env } = services
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  const [lines, issued, refunded, used] = await Promise.all([
    db.select().from(orderLines).where(eq(orderLines.orderId, orderId)),
    ticketsOfOrder(db, env.TICKET_SIGNING_KEYS, orderId),
    db.select().from(refunds).where(eq(refunds.orderId, orderId)),
    db
      .select({ ticketId: redemptions.ticketId, redeemedAt: redemptions.redeemedAt })
      .from(redemptions)
      .innerJoin(tickets, eq(tickets.id, redemptions.ticketId))
      .where(eq(tickets.orderId, orderId)),
  ])
  const ticketOf = new Map(issued.map((t) => [t.lineId, t]))
  const redeemedAt = new Map(used.map((r) => [r.ticketId, r.redeemedAt]))
  return {
    orderId: order!.id,
    partnerOrderId,
    number: order!.number,
    status: order!.status,
    statusReason: order!.statusReason,
    channel: order!.channel,
    siteId: order!.siteId,
    visitDate: order!.visitDate,
    total: order!.total,
    refundedTotal: order!.refundedTotal,
    currency: order!.currency,
    createdAt: order!.createdAt,
    paidAt: order!.paidAt,
    lines: lines.map((line) => {
      const ticket = ticketOf.get(line.id)
      return {
        lineId: line.id,
        productId: line.productId,
        description: line.description,
        slot: line.slot,
        visitorName: line.visitorName,
        visitorIdMasked: line.visitorIdMasked,
        price: line.price,
        status: line.status,
        ticket: ticket
          ? {
              ticketId: ticket.ticketId,
              status: ticket.status,
              code: ticket.token,
              validFrom: ticket.validFrom,
              validUntil: ticket.validUntil,
              /** When the gate admitted it (核销), or null while unused. */
              redeemedAt: redeemedAt.get(ticket.ticketId) ?? null,
            }
          : null,
      }
    }),
    refunds: refunded.map((r) => ({
      refundId: r.id,
      amount: r.amount,
      fee: r.fee,
      lineIds: r.lineIds,
      reason: r.reason,
      status: r.status,
      createdAt: r.createdAt,
    })),
  }
}

/**
 * A refund request for some lines (or all), decided by the ordinary refund policy. Approved: refunded
 * (credit on the settlement statement), tickets revoked, quota back, `order.refunded` queued. Rejected:
 * a `refund.rejected` event and audit row with the reason, then `refund_rejected` for the partner.
 */
export async function partnerRefund(
  services: OrderServices,
  partner: Partner,
  orderId: string,
  input: { lineIds?: string[]; reason: string },
) {
  const { db } = services
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) throw notFound(`order ${orderId}`)
  // A retried request for lines already refunded answers the refund that took them.
  if (input.lineIds?.length) {
    const earlier = await db.select().from(refunds).where(eq(refunds.orderId, orderId))
    const match = earlier.find(
      (r) => r.status !== 'failed' && input.lineIds!.every((id) => r.lineIds.includes(id)),
    )
    if (match) return { refund: match, replayed: true }
  }
  if (!ticketedStatuses.includes(order.status)) {
    throw new Problem({
      code: 'conflict',
      detail: `An order that is ${order.status} cannot be refunded`,
    })
  }
  const active = await db
    .select({ id: orderLines.id })
    .from(orderLines)
    .where(and(eq(orderLines.orderId, orderId), eq(orderLines.status, 'active')))
  await refuseRedeemedLines(
    db,
    orderId,
    input.lineIds ?? active.map((l) => l.id),
    'Tickets already used at the gate cannot be refunded',
  )
  try {
    const refund = await requestRefund(services, {
      orderId,
      ...(input.lineIds ? { lineIds: input.lineIds } : {}),
      actor: actorOf(partner),
      reason: input.reason,
    })
    return { refund, replayed: false }
  } catch (error) {
    if (
      !(error instanceof Problem) ||
      !['refund_not_allowed', 'children_unused'].includes(String(error.code))
    )
      throw error
    const why = error.message
    await db.batch([
      audit(db, {
        orderId,
        actor: actorOf(partner),
        action: 'refund.rejected',
        detail: { lineIds: input.lineIds ?? null, requested: input.reason, rule: error.code, reason: why },
      }),
      outbox(db, 'refund.rejected', order.organizerId, {
        orderId,
        channel: order.channel,
        lineIds: input.lineIds ?? null,
        reason: why,
        rule: error.code,
      }),
    ])
    throw new Problem({
      code: 'refund_rejected',
      status: 409,
      title: 'Refund rejected by policy',
      detail: why,
      extensions: { reason: why, rule: error.code, ...error.extensions },
    })
  }
}

/**
 * Cancels a booked order before use: every remaining line is refunded under the refund policy, then the
 * cancellation itself is recorded (`order.cancelled` audit + outbox). The refund's own batch already
 * queued `order.refunded`; a retried cancel of an order already refunded records the cancellation if a
 * crash lost it, and never twice.
 */
export async function cancelPartnerOrder(
  services: OrderServices,
  partner: Partner,
  orderId: string,
  reason: string,
) {
  const { db } = services
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) throw notFound(`order ${orderId}`)
  if (order.status !== 'refunded') {
    await partnerRefund(services, partner, orderId, { reason: refundReasonText.partnerCancelled(reason) })
  }
  const [recorded] = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(and(eq(auditEvents.orderId, orderId), eq(auditEvents.action, 'order.cancelled')))
  if (!recorded) {
    const [after] = await db.select().from(orders).where(eq(orders.id, orderId))
    await db.batch([
      audit(db, {
        orderId,
        actor: actorOf(partner),
        action: 'order.cancelled',
        from: order.status,
        to: after!.status,
        detail: { reason },
      }),
      outbox(db, 'order.cancelled', order.organizerId, {
        orderId,
        channel: order.channel,
        refundedTotal: after!.refundedTotal,
        reason,
      }),
    ])
  }
}
