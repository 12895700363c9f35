// Coupons (优惠券) and promo codes: the organizer's rules, and what a coupon takes off an order. Pure: the coupons
// service reads the coupon and the order's lines, these functions decide.
//
// Kinds: `amount_off` (满减: `amountOff` off when the eligible lines reach `minSpend`), `percent_off` (`percentOff` %
// of the eligible lines, at most `maxOff`), `ticket_free` (one eligible ticket free: the dearest) and `ticket_price`
// (one eligible ticket, the dearest, at `ticketPrice`). Rounding: a percentage is rounded down to the minor unit
// (percentOf), so the buyer is never given a fraction and never charged one. The discount is spread only over the
// eligible lines (all of them, or the one ticket), so a refund of a line pays back what that line was paid.
import type { FieldError } from './field-errors.ts'

export const couponKinds = ['amount_off', 'percent_off', 'ticket_free', 'ticket_price'] as const
export type CouponKind = (typeof couponKinds)[number]

/** Where a coupon applies; an empty list means "any". A line must pass every non-empty list. */
export interface CouponScope {
  eventIds: string[]
  showIds: string[]
  /** Price categories (zones) of seated shows. */
  categories: string[]
  /** Scenic visit products (gate tickets). */
  productIds: string[]
  channels: string[]
}

export interface CouponRules {
  kind: CouponKind
  amountOff: number | null
  minSpend: number
  percentOff: number | null
  maxOff: number | null
  ticketPrice: number | null
  scope: CouponScope
  startsAt: string | null
  endsAt: string | null
  totalCap: number | null
  perCustomerCap: number | null
  stacksWithMember: boolean
  returnOnRefund: boolean
}

/** A coupon's rules as an organizer typed them (numbers unchecked: couponRuleErrors judges them). */
export type CouponRulesInput = Omit<CouponRules, 'scope'> & { scope?: Partial<CouponScope> }

export const emptyScope = (): CouponScope => ({
  eventIds: [],
  showIds: [],
  categories: [],
  productIds: [],
  channels: [],
})

const MAX_MONEY = 100_000_000

/** Every bad field of a coupon's rules, with paths under `json.` (an empty list: the rules are sound). */
export function couponRuleErrors(rules: CouponRulesInput): FieldError[] {
  const errors: FieldError[] = []
  const money = (name: keyof CouponRulesInput, value: number | null, required: boolean) => {
    if (value === null || value === undefined) {
      if (required) errors.push({ path: `json.${name}`, message: `a ${rules.kind} coupon needs ${name}` })
      return
    }
    if (!Number.isInteger(value) || value < 0 || value > MAX_MONEY)
      errors.push({ path: `json.${name}`, message: 'must be a whole, non-negative amount in minor units' })
  }
  money('amountOff', rules.amountOff, rules.kind === 'amount_off')
  if (rules.kind === 'amount_off' && rules.amountOff === 0)
    errors.push({ path: 'json.amountOff', message: 'must take something off' })
  money('minSpend', rules.minSpend, false)
  money('maxOff', rules.maxOff, false)
  money('ticketPrice', rules.ticketPrice, rules.kind === 'ticket_price')
  const percent = rules.percentOff
  if (rules.kind === 'percent_off' && (percent === null || percent === undefined))
    errors.push({ path: 'json.percentOff', message: 'a percent_off coupon needs percentOff' })
  else if (
    percent !== null &&
    percent !== undefined &&
    (!Number.isInteger(percent) || percent < 1 || percent > 100)
  )
    errors.push({ path: 'json.percentOff', message: 'must be a whole percentage from 1 to 100' })
  for (const cap of ['totalCap', 'perCustomerCap'] as const) {
    const value = rules[cap]
    if (
      value !== null &&
      value !== undefined &&
      (!Number.isInteger(value) || value < 1 || value > 10_000_000)
    )
      errors.push({
        path: `json.${cap}`,
        message: 'must be a whole number of uses, at least 1 (leave empty for no cap)',
      })
  }
  const starts = rules.startsAt ? Date.parse(rules.startsAt) : null
  const ends = rules.endsAt ? Date.parse(rules.endsAt) : null
  if (starts !== null && Number.isNaN(starts))
    errors.push({ path: 'json.startsAt', message: 'must be an ISO-8601 timestamp' })
  if (ends !== null && Number.isNaN(ends))
    errors.push({ path: 'json.endsAt', message: 'must be an ISO-8601 timestamp' })
  if (starts !== null && ends !== null && !Number.isNaN(starts) && !Number.isNaN(ends) && ends <= starts)
    errors.push({ path: 'json.endsAt', message: 'must be after startsAt' })
  return errors
}

/** One order line as a coupon sees it. */
export interface CouponLine {
  price: number
  eventId: string | null
  showId: string | null
  category: string | null
  productId: string | null
}

export type CouponRefusal = {
  ok: false
  code: 'coupon_expired' | 'coupon_not_applicable' | 'discount_not_combinable'
  detail: string
}

export type CouponDecision =
  | {
      ok: true
      amount: number
      /** Per line: whether the discount may be spread over it (in the order's line order). */
      eligible: boolean[]
    }
  | CouponRefusal

export interface CouponOrder {
  lines: CouponLine[]
  channel: string
  now: Date
  /** A member discount was already taken off this order. */
  memberDiscount: boolean
}

const inList = (list: readonly string[], value: string | null) =>
  list.length === 0 || (value !== null && list.includes(value))

/** Whether a line is in the coupon's scope (channel aside). */
export function lineInScope(scope: CouponScope, line: CouponLine): boolean {
  return (
    inList(scope.eventIds, line.eventId) &&
    inList(scope.showIds, line.showId) &&
    inList(scope.categories, line.category) &&
    inList(scope.productIds, line.productId)
  )
}

/** What a coupon takes off an order, or why it takes nothing (the problem code the buyer gets). */
export function couponDiscount(rules: CouponRules, order: CouponOrder): CouponDecision {
  const now = order.now.getTime()
  if (rules.startsAt && now < Date.parse(rules.startsAt))
    return { ok: false, code: 'coupon_expired', detail: `This coupon is valid from ${rules.startsAt}` }
  if (rules.endsAt && now >= Date.parse(rules.endsAt))
    return { ok: false, code: 'coupon_expired', detail: `This coupon ended at ${rules.endsAt}` }
  if (order.memberDiscount && !rules.stacksWithMember)
    return {
      ok: false,
      code: 'discount_not_combinable',
      detail: 'This coupon cannot be combined with your member discount',
    }
  if (!inList(rules.scope.channels, order.channel))
    return {
      ok: false,
      code: 'coupon_not_applicable',
      detail: 'This coupon is not valid on this sales channel',
    }
  const inScope = order.lines.map((line) => line.price > 0 && lineInScope(rules.scope, line))
  const base = order.lines.reduce((sum, line, i) => sum + (inScope[i] ? line.price : 0), 0)
  if (base === 0)
    return { ok: false, code: 'coupon_not_applicable', detail: 'This coupon does not apply to these tickets' }
  if (base < rules.minSpend)
    return {
      ok: false,
      code: 'coupon_not_applicable',
      detail: `This coupon needs a spend of at least ${rules.minSpend} (minor units) on the tickets it covers`,
    }
  if (rules.kind === 'amount_off' || rules.kind === 'percent_off') {
    const amount =
      rules.kind === 'amount_off'
        ? Math.min(rules.amountOff ?? 0, base)
        : Math.min(Math.floor((base * (rules.percentOff ?? 0)) / 100), rules.maxOff ?? base)
    if (amount <= 0)
      return {
        ok: false,
        code: 'coupon_not_applicable',
        detail: 'This coupon takes nothing off these tickets',
      }
    return { ok: true, amount, eligible: inScope }
  }
  // One ticket free or at a set price: the dearest eligible one (the buyer's best), the earliest of equals.
  let best = -1
  order.lines.forEach((line, i) => {
    if (inScope[i] && (best < 0 || line.price > order.lines[best]!.price)) best = i
  })
  const price = order.lines[best]!.price
  const amount = rules.kind === 'ticket_free' ? price : Math.max(0, price - (rules.ticketPrice ?? price))
  if (amount <= 0)
    return {
      ok: false,
      code: 'coupon_not_applicable',
      detail: 'These tickets already cost less than this coupon’s price',
    }
  return { ok: true, amount, eligible: order.lines.map((_, i) => i === best) }
}

// Crockford's base32 without I, L, O, U: nothing to misread when read out or typed from a message.
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
/** Single-use codes: 12 characters of 5 random bits each (60 bits; 10,000 codes leave ~1e-10 odds to guess one). */
export const SINGLE_USE_CODE_LENGTH = 12

/** A single-use code from random bytes (one byte per character; 256 is a multiple of 32, so unbiased). */
export function singleUseCode(random: Uint8Array): string {
  if (random.length < SINGLE_USE_CODE_LENGTH) throw new RangeError('need 12 random bytes')
  let code = ''
  for (let k = 0; k < SINGLE_USE_CODE_LENGTH; k++) code += CODE_ALPHABET[random[k]! & 31]
  return code
}

/** A code as buyers type it: case, spaces and dashes do not matter. */
export const normalizeCouponCode = (typed: string) => typed.toUpperCase().replace(/[\s-]/g, '')

/** An organizer's own public code (SPRING2026): 4-32 letters and digits once normalized. */
export const isPublicCode = (code: string) => /^[A-Z0-9]{4,32}$/.test(code)

/** A code in groups of four for reading (ABCD-EFGH-JKMN); buyers may type it either way. */
export const displayCode = (code: string) =>
  code.length === SINGLE_USE_CODE_LENGTH ? code.match(/.{4}/g)!.join('-') : code

/**
 * Whether a coupon use still counts against the caps, from the order's state: an unpaid order that expired or was
 * cancelled gives it back, a fully refunded one only when the coupon returns uses on refund.
 */
export function useIsLive(orderStatus: string, returnOnRefund: boolean): boolean {
  if (orderStatus === 'expired' || orderStatus === 'cancelled') return false
  return !(returnOnRefund && orderStatus === 'refunded')
}
