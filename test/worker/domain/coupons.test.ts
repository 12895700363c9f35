import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyDiscounts } from '../../../worker/domain/checkout-discounts.ts'
import {
  CODE_ALPHABET,
  type CouponLine,
  type CouponRules,
  couponDiscount,
  couponRuleErrors,
  displayCode,
  emptyScope,
  normalizeCouponCode,
  singleUseCode,
  useIsLive,
} from '../../../worker/domain/coupons.ts'

// The coupon rules a buyer meets at checkout, decided without a database.

const rules = (over: Partial<CouponRules> = {}): CouponRules => ({
  kind: 'amount_off',
  amountOff: 2000,
  minSpend: 0,
  percentOff: null,
  maxOff: null,
  ticketPrice: null,
  scope: emptyScope(),
  startsAt: null,
  endsAt: null,
  totalCap: null,
  perCustomerCap: null,
  stacksWithMember: false,
  returnOnRefund: false,
  ...over,
})
const line = (price: number, over: Partial<CouponLine> = {}): CouponLine => ({
  price,
  eventId: 'evt_1',
  showId: 'shw_1',
  category: 'A',
  productId: null,
  ...over,
})
const order = (
  lines: CouponLine[],
  over: { channel?: string; now?: Date; memberDiscount?: boolean } = {},
) => ({
  lines,
  channel: over.channel ?? 'web',
  now: over.now ?? new Date('2026-12-05T00:00:00Z'),
  memberDiscount: over.memberDiscount ?? false,
})

describe('coupon rules an organizer types', () => {
  it('refuses negative amounts, a percentage over 100 and caps below one, each on its field', () => {
    const errors = couponRuleErrors({
      ...rules({ kind: 'percent_off', percentOff: 120, maxOff: -5, totalCap: -1, perCustomerCap: 0 }),
      minSpend: -100,
    })
    expect(errors.map((e) => e.path).sort()).toEqual(
      ['json.maxOff', 'json.minSpend', 'json.percentOff', 'json.perCustomerCap', 'json.totalCap'].sort(),
    )
    expect(couponRuleErrors(rules({ amountOff: -1 })).map((e) => e.path)).toEqual(['json.amountOff'])
    expect(couponRuleErrors(rules({ kind: 'ticket_price' })).map((e) => e.path)).toEqual(['json.ticketPrice'])
    expect(
      couponRuleErrors(rules({ startsAt: '2026-12-10T00:00:00Z', endsAt: '2026-12-01T00:00:00Z' })).map(
        (e) => e.path,
      ),
    ).toEqual(['json.endsAt'])
    expect(couponRuleErrors(rules())).toEqual([])
  })
})

describe('what a coupon takes off', () => {
  it('满减: the amount off once the covered tickets reach the minimum spend', () => {
    const off = rules({ amountOff: 3000, minSpend: 20000 })
    expect(couponDiscount(off, order([line(10000), line(10000)]))).toMatchObject({ ok: true, amount: 3000 })
    expect(couponDiscount(off, order([line(10000), line(9999)]))).toMatchObject({
      ok: false,
      code: 'coupon_not_applicable',
    })
  })

  it('percent off, rounded down and capped', () => {
    const pct = rules({ kind: 'percent_off', amountOff: null, percentOff: 15, maxOff: 4000 })
    expect(couponDiscount(pct, order([line(9999)]))).toMatchObject({ ok: true, amount: 1499 })
    expect(couponDiscount(pct, order([line(30000), line(30000)]))).toMatchObject({ ok: true, amount: 4000 })
  })

  it('one ticket free or at a set price: the dearest covered one, and only that line', () => {
    const free = rules({
      kind: 'ticket_free',
      amountOff: null,
      scope: { ...emptyScope(), categories: ['B'] },
    })
    const decided = couponDiscount(
      free,
      order([line(30000), line(12000, { category: 'B' }), line(15000, { category: 'B' })]),
    )
    expect(decided).toEqual({ ok: true, amount: 15000, eligible: [false, false, true] })
    const at = rules({ kind: 'ticket_price', amountOff: null, ticketPrice: 9900 })
    expect(couponDiscount(at, order([line(12000), line(30000)]))).toEqual({
      ok: true,
      amount: 20100,
      eligible: [false, true],
    })
    expect(couponDiscount(at, order([line(9000)]))).toMatchObject({
      ok: false,
      code: 'coupon_not_applicable',
    })
  })

  it('scope: events, shows, categories, products and channels; the discount lands only on covered lines', () => {
    const vip = rules({ amountOff: 1000, scope: { ...emptyScope(), categories: ['VIP'] } })
    const decided = couponDiscount(vip, order([line(10000), line(20000, { category: 'VIP' })]))
    expect(decided).toEqual({ ok: true, amount: 1000, eligible: [false, true] })
    if (!decided.ok) throw new Error('unreachable')
    const split = applyDiscounts(
      [10000, 20000],
      [{ source: 'coupon', ref: 'c', label: 'x', amount: 1000, eligible: decided.eligible }],
    )
    expect(split.prices).toEqual([10000, 19000])
    expect(couponDiscount(vip, order([line(10000)]))).toMatchObject({
      ok: false,
      code: 'coupon_not_applicable',
    })
    const otherEvent = rules({ scope: { ...emptyScope(), eventIds: ['evt_2'] } })
    expect(couponDiscount(otherEvent, order([line(10000)]))).toMatchObject({ code: 'coupon_not_applicable' })
    const product = rules({ scope: { ...emptyScope(), productIds: ['prd_adult'] } })
    expect(
      couponDiscount(
        product,
        order([line(5000, { eventId: null, showId: null, category: null, productId: 'prd_adult' })]),
      ),
    ).toMatchObject({ ok: true, amount: 2000 })
    const kiosk = rules({ scope: { ...emptyScope(), channels: ['kiosk'] } })
    expect(couponDiscount(kiosk, order([line(10000)]))).toMatchObject({ code: 'coupon_not_applicable' })
  })

  it('validity window and the member discount rule', () => {
    const window = rules({ startsAt: '2026-12-01T00:00:00Z', endsAt: '2026-12-05T00:00:00Z' })
    expect(couponDiscount(window, order([line(10000)]))).toMatchObject({ code: 'coupon_expired' })
    expect(
      couponDiscount(window, order([line(10000)], { now: new Date('2026-11-30T23:59:59Z') })),
    ).toMatchObject({
      code: 'coupon_expired',
    })
    expect(
      couponDiscount(window, order([line(10000)], { now: new Date('2026-12-04T23:59:59Z') })),
    ).toMatchObject({ ok: true })
    expect(couponDiscount(rules(), order([line(10000)], { memberDiscount: true }))).toMatchObject({
      code: 'discount_not_combinable',
    })
    expect(
      couponDiscount(rules({ stacksWithMember: true }), order([line(10000)], { memberDiscount: true })),
    ).toMatchObject({
      ok: true,
    })
  })

  it('a use counts until its unpaid order ends, and after a full refund only if the coupon keeps it', () => {
    expect(useIsLive('pending', false)).toBe(true)
    expect(useIsLive('expired', false)).toBe(false)
    expect(useIsLive('cancelled', false)).toBe(false)
    expect(useIsLive('refunded', false)).toBe(true)
    expect(useIsLive('refunded', true)).toBe(false)
    expect(useIsLive('partially_refunded', true)).toBe(true)
  })
})

describe('codes', () => {
  it('single-use codes are 12 unambiguous characters; buyers may type them in any case with dashes', () => {
    const code = singleUseCode(crypto.getRandomValues(new Uint8Array(12)))
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/)
    expect(CODE_ALPHABET).not.toMatch(/[ILOU]/)
    expect(normalizeCouponCode(displayCode(code).toLowerCase())).toBe(code)
    expect(displayCode(code)).toMatch(/^.{4}-.{4}-.{4}$/)
  })
})

describe('money adds up: a discounted order refunded line by line', () => {
  it('each line refunds at most its paid share, refunds never pass what was paid, and the uses follow the rules', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 8 }),
        fc.oneof(
          fc.record({
            kind: fc.constant('amount_off' as const),
            amountOff: fc.integer({ min: 1, max: 500_000 }),
          }),
          fc.record({
            kind: fc.constant('percent_off' as const),
            percentOff: fc.integer({ min: 1, max: 100 }),
          }),
          fc.record({ kind: fc.constant('ticket_free' as const) }),
        ),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        fc.boolean(),
        (prices, coupon, refundMask, returnOnRefund) => {
          const decided = couponDiscount(
            rules({ amountOff: null, ...coupon, returnOnRefund }),
            order(prices.map((p) => line(p))),
          )
          if (!decided.ok) return
          const { prices: paid, applied } = applyDiscounts(prices, [
            { source: 'coupon', ref: 'c', label: 'x', amount: decided.amount, eligible: decided.eligible },
          ])
          expect(applied[0]!.perLine.reduce((a, b) => a + b, 0)).toBe(decided.amount)
          const total = paid.reduce((a, b) => a + b, 0)
          expect(total).toBe(prices.reduce((a, b) => a + b, 0) - decided.amount)
          // Refund a random subset of lines, each paying back what that line was paid.
          const refunded = paid.filter((_, i) => refundMask[i])
          const sum = refunded.reduce((a, b) => a + b, 0)
          expect(sum).toBeLessThanOrEqual(total)
          paid.forEach((p, i) => {
            expect(p).toBeGreaterThanOrEqual(0)
            expect(p).toBeLessThanOrEqual(prices[i]!)
          })
          const all = paid.every((_, i) => refundMask[i])
          expect(useIsLive(all ? 'refunded' : 'partially_refunded', returnOnRefund)).toBe(
            !(all && returnOnRefund),
          )
        },
      ),
      { numRuns: 500 },
    )
  })
})
