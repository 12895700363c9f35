import { and, eq } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import {
  orderLines,
  orders,
  partnerOrders,
  redemptions,
  refunds,
  scenicSites,
  tickets,
} from '../db/schema.ts'
import { maskIdNumber } from '../domain/id-number.ts'
import { newId } from '../ids.ts'
import type { Partner } from '../middleware/partner-auth.ts'
import { notFound, Problem } from '../problem.ts'
import { stageVisitorOrigins } from './analytics/store.ts'
import {
  addNewOrder,
  confirmSettledOrder,
  GuardedBatch,
  type OrderServices,
  withNewOrderNumber,
} from './orders/index.ts'
import { actorOf, holderOf, ownReservation, reservationExpired } from './partner-reservations.ts'
import { SETTLEMENT_PROVIDER } from './payments/settlement.ts'
import { scenicDay } from './scenic-day.ts'
import { ticketsOfOrder } from './tickets.ts'

// The OTA side of the money path: reservation (a hold on the partner's sales channel) → booking
// (an order paid by settlement, confirmed through the ordinary confirm path) → cancel / refund.
// Reservations are in partner-reservations.ts, refunds and cancellations in partner-refunds.ts.

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
  try {
    // A number another order of the day already has (rare: order-number.ts) is drawn again.
    await withNewOrderNumber('OTA', (number) => {
      const batch = new GuardedBatch(db)
      addNewOrder(batch, db, {
        order: {
          id: orderId,
          number,
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
      return batch.run()
    })
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
