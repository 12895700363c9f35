// Checkout discounts (member discount, coupon, points) spread over an order's lines.
//
// An order's lines are what refunds pay back, line by line, so a discount is never an order-level number: it is
// allocated to the lines, to the minor unit, and each line's `price` becomes what the buyer pays for it. A partial
// refund then returns exactly the share that line was paid.
//
// Rounding (integers only): each line gets floor(amount × price / base); the minor units left over go one each to
// the lines with the largest remainders, ties to the earlier line. So the shares sum exactly to the amount, a
// line's share is never more than its price, and the same input always gives the same split.

export type DiscountSource = 'member' | 'coupon' | 'points' | 'referral'

/** A discount as its owner decided it: how much off the order, before it is split over the lines. */
export interface DiscountClaim {
  source: DiscountSource
  /** What it came from: a coupon id, a member tier id, a points redemption id. */
  ref: string
  /** The buyer-facing name (e.g. the coupon's title), in the organizer's main language. */
  label: string
  amount: number
  /**
   * Which lines the discount may be spread over (in line order; absent: all). A coupon scoped to some tickets, or
   * taking one ticket off, lands on those lines only, so refunding another line pays back its full price.
   */
  eligible?: boolean[]
}

export interface AppliedDiscount extends DiscountClaim {
  /** Per line, in the order's line order; sums to `amount`. */
  perLine: number[]
}

/**
 * Splits `amount` over lines in proportion to their prices (see the rounding note above). Throws on a negative or
 * fractional amount or price; an amount above the lines' total is capped at it.
 */
export function allocateDiscount(amount: number, prices: readonly number[]): number[] {
  assertMinorUnits(amount, 'amount')
  for (const [i, price] of prices.entries()) assertMinorUnits(price, `prices[${i}]`)
  const base = prices.reduce((sum, price) => sum + price, 0)
  const take = Math.min(amount, base)
  if (take === 0) return prices.map(() => 0)
  // BigInt keeps amount × price exact for any realistic order (both can exceed 2^26 at scale).
  const shares = prices.map((price) => Number((BigInt(take) * BigInt(price)) / BigInt(base)))
  const remainders = prices.map((price, i) => ({
    i,
    rest: Number((BigInt(take) * BigInt(price)) % BigInt(base)),
  }))
  let left = take - shares.reduce((sum, share) => sum + share, 0)
  remainders.sort((a, b) => b.rest - a.rest || a.i - b.i)
  for (const { i } of remainders) {
    if (left === 0) break
    if (shares[i]! < prices[i]!) {
      shares[i]! += 1
      left -= 1
    }
  }
  return shares
}

/**
 * Applies discounts in the order given (the caller decides the order: member discount, then coupon, then points),
 * each allocated over what the lines still cost after the ones before it. A claim larger than what is left is cut
 * to it; a claim of 0 is dropped.
 */
export function applyDiscounts(
  prices: readonly number[],
  claims: readonly DiscountClaim[],
): { prices: number[]; discounts: number[]; applied: AppliedDiscount[] } {
  const left = [...prices]
  const applied: AppliedDiscount[] = []
  for (const claim of claims) {
    const { eligible } = claim
    const base = eligible ? left.map((price, i) => (eligible[i] ? price : 0)) : left
    const perLine = allocateDiscount(claim.amount, base)
    const amount = perLine.reduce((sum, share) => sum + share, 0)
    if (amount === 0) continue
    perLine.forEach((share, i) => {
      left[i]! -= share
    })
    applied.push({ ...claim, amount, perLine })
  }
  return { prices: left, discounts: prices.map((price, i) => price - left[i]!), applied }
}

/** A percentage of an amount in minor units, rounded down (the buyer never pays a fraction; the shop never gives one). */
export function percentOf(amount: number, percent: number): number {
  assertMinorUnits(amount, 'amount')
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`percent must be a whole number from 0 to 100, got ${percent}`)
  }
  return Math.floor((amount * percent) / 100)
}

function assertMinorUnits(value: number, name: string) {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole, non-negative number of minor units, got ${value}`)
  }
}
