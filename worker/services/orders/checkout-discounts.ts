// The seam where promotions meet the money path. The orders module owns orders and lines; member discounts,
// coupons and points are owned by their own services, which plug in here as providers. At order creation each
// provider, in order, looks at what the lines still cost and claims a discount (or refuses the order with a problem);
// the claim is split over the lines (worker/domain/checkout-discounts.ts) and the provider adds its own reservation
// (a coupon use, a points redemption) to the very batch that creates the order, guarded so that caps hold under any
// concurrency. Nothing is reserved unless the order is.
import type { SQL } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { orderDiscounts } from '../../db/schema.ts'
import { type AppliedDiscount, applyDiscounts, type DiscountClaim } from '../../domain/checkout-discounts.ts'
import { Problem } from '../../problem.ts'
import type { GuardedBatch } from './batch.ts'

/** What the buyer asked for at checkout. */
export interface DiscountRequest {
  couponCode?: string
  /** Points to redeem (积分抵扣); the points provider caps it by its rules. */
  points?: number
}

export interface DiscountLine {
  id: string
  /** What the line costs before this provider's discount (after the providers before it). */
  price: number
  category: string | null
  productId: string | null
}

export interface DiscountContext {
  orderId: string
  organizerId: string
  customerId: string | null
  buyerId: string
  channel: string
  kind: 'show' | 'scenic'
  showId: string | null
  siteId: string | null
  visitDate: string | null
  currency: string
  request: DiscountRequest
  /** What the discounts before this provider took, by source (stacking rules look at it). */
  taken: DiscountClaim[]
  lines: DiscountLine[]
  now: Date
}

/** One provider's discount and how to reserve it in the order's batch. */
export interface DiscountOffer {
  claim: DiscountClaim
  /** Adds the reservation (and its guards) to the batch that creates the order; `applied` is the split claim. */
  reserve?: (batch: GuardedBatch, applied: AppliedDiscount) => void
}

export interface CheckoutDiscountProvider {
  /** A short name for logs and audit rows (`member`, `coupon`, `points`). */
  readonly name: string
  /** The provider's discount for this order, or none; throws a Problem to refuse the order (e.g. a bad coupon). */
  offer(db: Database, context: DiscountContext): Promise<DiscountOffer | null>
  /**
   * An order paid after it expired counts its reservation again: the conditions that must still hold for that (a
   * coupon's caps), as SQL guards for the batch that confirms it. When one fails the payment is refunded instead.
   */
  lateConfirmGuards?(db: Database, orderId: string): Promise<SQL[]>
}

export interface PlannedDiscounts {
  prices: number[]
  discounts: number[]
  applied: AppliedDiscount[]
  reserve: (batch: GuardedBatch, db: Database) => void
}

/** Runs the providers in order over the lines; each sees what the lines cost after the ones before it. */
export async function planDiscounts(
  db: Database,
  providers: readonly CheckoutDiscountProvider[],
  context: Omit<DiscountContext, 'taken'>,
): Promise<PlannedDiscounts> {
  let prices = context.lines.map((line) => line.price)
  const applied: AppliedDiscount[] = []
  const reservations: ((batch: GuardedBatch) => void)[] = []
  for (const provider of providers) {
    const offer = await provider.offer(db, {
      ...context,
      taken: applied.map(({ perLine: _, ...claim }) => claim),
      lines: context.lines.map((line, i) => ({ ...line, price: prices[i]! })),
    })
    if (!offer) continue
    const step = applyDiscounts(prices, [offer.claim])
    const done = step.applied[0]
    if (!done) continue
    prices = step.prices
    applied.push(done)
    const { reserve } = offer
    if (reserve) reservations.push((batch) => reserve(batch, done))
  }
  const original = context.lines.map((line) => line.price)
  if (context.request.couponCode && !applied.some((a) => a.source === 'coupon')) {
    // A code the buyer typed must either take money off or be refused by its provider; never silently dropped.
    throw new Problem({
      code: 'coupon_not_applicable',
      status: 409,
      title: 'Coupon not applicable',
      detail: 'This coupon takes nothing off these tickets',
    })
  }
  return {
    prices,
    discounts: original.map((price, i) => price - prices[i]!),
    applied,
    reserve(batch, database) {
      applied.forEach((discount, position) => {
        batch.add(
          database.insert(orderDiscounts).values({
            // Ordered by id within the order: the position keeps the order they were applied in.
            id: `${context.orderId}/${position}`,
            orderId: context.orderId,
            source: discount.source,
            ref: discount.ref,
            label: discount.label,
            amount: discount.amount,
            perLine: Object.fromEntries(context.lines.map((line, i) => [line.id, discount.perLine[i]!])),
          }),
        )
      })
      for (const reservation of reservations) reservation(batch)
    },
  }
}
