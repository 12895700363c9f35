import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { afterTaking, allocate, type FundingPayment } from '../../../worker/domain/payment-allocation.ts'

const pay = (
  id: string,
  provider: string,
  amount: number,
  refundedAmount = 0,
  createdAt = '2026-01-01',
): FundingPayment => ({
  id,
  provider,
  amount,
  refundedAmount,
  createdAt,
})

describe('refund allocation across payments', () => {
  it('draws on money paid directly before credit carried from a rebooking, each up to what it holds', () => {
    const payments = [pay('credit', 'credit', 10000), pay('card', 'sandbox', 6500, 0, '2026-02-01')]
    expect(allocate(payments, 8000)).toEqual([
      { paymentId: 'card', amount: 6500 },
      { paymentId: 'credit', amount: 1500 },
    ])
    expect(allocate(payments, 16500)).toEqual([
      { paymentId: 'card', amount: 6500 },
      { paymentId: 'credit', amount: 10000 },
    ])
    expect(allocate(payments, 16501)).toBeNull()
    expect(allocate([pay('card', 'sandbox', 9000, 4500)], 4501)).toBeNull()
    expect(allocate(payments, 0)).toEqual([])
  })

  it('never takes more than a payment holds, and the parts sum to the amount exactly (property)', () => {
    const funding = fc.array(
      fc.record({
        provider: fc.constantFrom('sandbox', 'credit', 'settlement'),
        amount: fc.integer({ min: 0, max: 100_000 }),
        taken: fc.integer({ min: 0, max: 100_000 }),
      }),
      { maxLength: 5 },
    )
    fc.assert(
      fc.property(funding, fc.integer({ min: 0, max: 300_000 }), (raw, amount) => {
        const payments = raw.map((p, i) => pay(`p${i}`, p.provider, p.amount, Math.min(p.taken, p.amount)))
        const held = payments.reduce((sum, p) => sum + p.amount - p.refundedAmount, 0)
        const parts = allocate(payments, amount)
        if (amount > held) return parts === null
        if (!parts) return false
        const after = afterTaking(payments, parts)
        return (
          parts.reduce((sum, p) => sum + p.amount, 0) === amount &&
          parts.every((p) => Number.isInteger(p.amount) && p.amount > 0) &&
          after.every((p) => p.refundedAmount <= p.amount)
        )
      }),
    )
  })
})
