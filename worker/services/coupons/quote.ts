import { eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { scenicSites, shows } from '../../db/schema.ts'
import type { AppEnv } from '../../env.ts'
import { notFound, Problem } from '../../problem.ts'
import { planDiscounts } from '../orders/checkout-discounts.ts'
import { checkoutDiscountProviders } from '../promotions/providers.ts'
import { scenicDay } from '../scenic-day.ts'
import { showInventoryStub } from '../show-inventory-client.ts'

// The shop's live price before ordering: the buyer's hold priced as the order would be, with the checkout
// discounts (a coupon code among them) split over the lines by the very code the order uses. Nothing is reserved:
// the order itself checks the caps again in its batch.

export interface QuoteRequest {
  kind: 'show' | 'scenic'
  showId?: string
  siteId?: string
  visitDate?: string
  holdId: string
  couponCode?: string
}

export interface DiscountQuote {
  currency: string
  lines: { ref: string; price: number; discount: number; pays: number }[]
  subtotal: number
  discount: number
  total: number
  discounts: { source: string; ref: string; label: string; amount: number }[]
}

const holdEnded = () =>
  new Problem({
    code: 'hold_expired',
    status: 409,
    detail: 'The hold has expired or was released; hold again',
  })

export async function quoteDiscounts(
  env: AppEnv['Bindings'],
  db: Database,
  buyer: { buyerId: string; customerId: string | null; channel: string },
  request: QuoteRequest,
): Promise<DiscountQuote> {
  let organizerId: string
  let currency: string
  let lines: { ref: string; price: number; category: string | null; productId: string | null }[]
  if (request.kind === 'show') {
    const [show] = await db
      .select({ id: shows.id, organizerId: shows.organizerId })
      .from(shows)
      .where(eq(shows.id, request.showId ?? ''))
    if (!show) throw notFound(`show ${request.showId}`)
    const held = await showInventoryStub(env.SHOW_INVENTORY, show.id).describeHold(show.id, request.holdId)
    if (!held || held.holderId !== buyer.buyerId) throw notFound(`hold ${request.holdId}`)
    if (held.status !== 'active') throw holdEnded()
    organizerId = show.organizerId
    currency = held.hold.currency
    lines = held.hold.seats.map((seat) => ({
      ref: seat.id,
      price: seat.price,
      category: seat.category,
      productId: null,
    }))
  } else {
    const [site] = await db
      .select({ id: scenicSites.id, organizerId: scenicSites.organizerId })
      .from(scenicSites)
      .where(eq(scenicSites.id, request.siteId ?? ''))
    if (!site || !request.visitDate) throw notFound(`scenic site ${request.siteId}`)
    const held = await scenicDay(env.SCENIC_DAY_INVENTORY, site.id, request.visitDate).describeHold(
      site.id,
      request.visitDate,
      request.holdId,
    )
    if (!held || held.holderId !== buyer.buyerId) throw notFound(`hold ${request.holdId}`)
    if (held.status !== 'active') throw holdEnded()
    organizerId = site.organizerId
    currency = held.hold.currency
    lines = held.hold.lines.map((line) => ({
      ref: line.id,
      price: line.price,
      category: null,
      productId: line.productId,
    }))
  }
  const planned = await planDiscounts(db, checkoutDiscountProviders, {
    orderId: 'quote',
    organizerId,
    customerId: buyer.customerId,
    buyerId: buyer.buyerId,
    channel: buyer.channel,
    kind: request.kind,
    showId: request.showId ?? null,
    siteId: request.siteId ?? null,
    visitDate: request.visitDate ?? null,
    currency,
    request: request.couponCode ? { couponCode: request.couponCode } : {},
    lines: lines.map((line, i) => ({
      id: String(i),
      price: line.price,
      category: line.category,
      productId: line.productId,
    })),
    now: new Date(),
  })
  const subtotal = lines.reduce((sum, line) => sum + line.price, 0)
  const total = planned.prices.reduce((sum, price) => sum + price, 0)
  return {
    currency,
    lines: lines.map((line, i) => ({
      ref: line.ref,
      price: line.price,
      discount: planned.discounts[i]!,
      pays: planned.prices[i]!,
    })),
    subtotal,
    discount: subtotal - total,
    total,
    discounts: planned.applied.map(({ source, ref, label, amount }) => ({ source, ref, label, amount })),
  }
}
