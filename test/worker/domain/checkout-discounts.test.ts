import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { allocateDiscount, applyDiscounts, percentOf } from '../../../worker/domain/checkout-discounts.ts'

const prices = fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 1, maxLength: 12 })

describe('allocateDiscount', () => {
  it('splits in proportion to price, remainders to the largest fractions, ties to the earlier line', () => {
    expect(allocateDiscount(1000, [4500, 4500])).toEqual([500, 500])
    expect(allocateDiscount(1001, [4500, 4500])).toEqual([501, 500])
    // 1000 × 3000 / 9000 = 333.3, 1000 × 6000 / 9000 = 666.6: the second line's larger remainder takes the unit.
    expect(allocateDiscount(1000, [3000, 6000])).toEqual([333, 667])
    expect(allocateDiscount(10, [0, 100])).toEqual([0, 10])
  })

  it('caps at the lines’ total and gives nothing to free lines', () => {
    expect(allocateDiscount(99_999, [100, 0, 50])).toEqual([100, 0, 50])
    expect(allocateDiscount(0, [100, 200])).toEqual([0, 0])
    expect(allocateDiscount(5, [0, 0])).toEqual([0, 0])
  })

  it('refuses negative or fractional money', () => {
    expect(() => allocateDiscount(-1, [100])).toThrow(RangeError)
    expect(() => allocateDiscount(1.5, [100])).toThrow(RangeError)
    expect(() => allocateDiscount(10, [100, -5])).toThrow(RangeError)
  })

  it('always sums exactly, never exceeds a line, and is deterministic (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), prices, (amount, lines) => {
        const shares = allocateDiscount(amount, lines)
        const total = lines.reduce((a, b) => a + b, 0)
        expect(shares.reduce((a, b) => a + b, 0)).toBe(Math.min(amount, total))
        shares.forEach((share, i) => {
          expect(Number.isInteger(share)).toBe(true)
          expect(share).toBeGreaterThanOrEqual(0)
          expect(share).toBeLessThanOrEqual(lines[i]!)
        })
        expect(allocateDiscount(amount, lines)).toEqual(shares)
      }),
    )
  })
})

describe('applyDiscounts', () => {
  it('applies claims in order over what is left, cutting the last to what remains', () => {
    const result = applyDiscounts(
      [4500, 4500],
      [
        { source: 'member', ref: 'tier_gold', label: 'Gold 10%', amount: 900 },
        { source: 'coupon', ref: 'cpn_1', label: '满80减20', amount: 2000 },
        { source: 'points', ref: 'pts_1', label: 'Points', amount: 99_999 },
      ],
    )
    expect(result.applied.map((a) => [a.source, a.amount, a.perLine])).toEqual([
      ['member', 900, [450, 450]],
      ['coupon', 2000, [1000, 1000]],
      ['points', 6100, [3050, 3050]],
    ])
    expect(result.prices).toEqual([0, 0])
    expect(result.discounts).toEqual([4500, 4500])
  })

  it('drops a claim that takes nothing', () => {
    expect(applyDiscounts([100], [{ source: 'coupon', ref: 'c', label: 'x', amount: 0 }]).applied).toEqual([])
  })

  it('keeps every line’s price plus its discounts equal to what it cost (property)', () => {
    const claims = fc.array(
      fc.record({
        source: fc.constantFrom('member' as const, 'coupon' as const, 'points' as const),
        ref: fc.string(),
        label: fc.string(),
        amount: fc.integer({ min: 0, max: 2_000_000 }),
      }),
      { maxLength: 4 },
    )
    fc.assert(
      fc.property(prices, claims, (lines, list) => {
        const result = applyDiscounts(lines, list)
        lines.forEach((price, i) => {
          const fromClaims = result.applied.reduce((sum, a) => sum + a.perLine[i]!, 0)
          expect(result.prices[i]! + fromClaims).toBe(price)
          expect(result.discounts[i]).toBe(fromClaims)
          expect(result.prices[i]).toBeGreaterThanOrEqual(0)
        })
        for (const a of result.applied) expect(a.perLine.reduce((x, y) => x + y, 0)).toBe(a.amount)
      }),
    )
  })
})

describe('percentOf', () => {
  it('rounds down and refuses a percent outside 0–100', () => {
    expect(percentOf(4599, 10)).toBe(459)
    expect(percentOf(4500, 100)).toBe(4500)
    expect(() => percentOf(100, 101)).toThrow(RangeError)
    expect(() => percentOf(100, 12.5)).toThrow(RangeError)
  })
})
