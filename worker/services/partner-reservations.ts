// OTA reservations: a hold on the partner's sales channel of one scenic day, priced at the partner's settlement
// price, released or booked (partner-orders.ts) before it expires.
import { and, eq } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { partnerProducts, partnerReservations, visitProducts } from '../db/schema.ts'
import { maskIdNumber } from '../domain/id-number.ts'
import type { Partner } from '../middleware/partner-auth.ts'
import { notFound, Problem } from '../problem.ts'
import { inventoryProblem } from './inventory-problem.ts'
import type { OrderServices } from './orders/index.ts'
import { scenicDay } from './scenic-day.ts'

/** Who holds a partner's quota in the day's actor. */
export const holderOf = (partner: Partner) => `partner:${partner.id}`
/** Who the audit trail says acted: the partner. */
export const actorOf = (partner: Partner) => `partner:${partner.id}`

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

export async function ownReservation(db: Database, partner: Partner, reservationId: string) {
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
