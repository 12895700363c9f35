import { describe, expect, it } from 'vitest'
import { quoteRefund } from '../../../worker/domain/refund-policy.ts'

const tiers = [
  { minHoursBefore: 72, feePercent: 0 },
  { minHoursBefore: 24, feePercent: 20 },
]
const start = '2026-12-20T12:00:00.000Z'
const hoursBefore = (h: number) => new Date(Date.parse(start) - h * 3_600_000)
const quote = (h: number, extra: Partial<Parameters<typeof quoteRefund>[0]> = {}) =>
  quoteRefund({
    startsAt: start,
    now: hoursBefore(h),
    tiers,
    refundable: true,
    linePrices: [10000, 5001],
    ...extra,
  })

describe('refund policy tiers', () => {
  it('refunds in full at exactly 72 hours and beyond', () => {
    expect(quote(72)).toMatchObject({ allowed: true, amount: 15001, fee: 0, feePercent: 0 })
    expect(quote(200)).toMatchObject({ allowed: true, fee: 0 })
  })

  it('charges 20% just under 72 hours and at exactly 24 hours, rounding each line down', () => {
    expect(quote(71.999)).toMatchObject({
      allowed: true,
      feePercent: 20,
      fee: 2000 + 1000,
      amount: 15001 - 3000,
    })
    expect(quote(24)).toMatchObject({ allowed: true, feePercent: 20 })
  })

  it('refuses under 24 hours, after the start, and for non-refundable products', () => {
    expect(quote(23.999)).toMatchObject({ allowed: false, reason: 'Refunds close 24 hours before the start' })
    expect(quote(-1)).toMatchObject({ allowed: false })
    expect(quote(100, { refundable: false })).toMatchObject({
      allowed: false,
      reason: 'These tickets are not refundable',
    })
    expect(
      quoteRefund({ startsAt: start, now: hoursBefore(100), tiers: [], refundable: true, linePrices: [1] }),
    ).toMatchObject({
      allowed: false,
      reason: 'No refunds for this show',
    })
  })

  it('lets organizers waive the policy', () => {
    expect(quote(1, { waiveFee: true })).toMatchObject({ allowed: true, amount: 15001, fee: 0 })
    expect(quote(1, { refundable: false, waiveFee: true })).toMatchObject({ allowed: true })
  })
})
