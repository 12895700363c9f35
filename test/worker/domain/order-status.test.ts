import { describe, expect, it } from 'vitest'
import { orderStatuses } from '../../../worker/db/schema.ts'
import { canTransition } from '../../../worker/domain/order-status.ts'

describe('order state machine', () => {
  it('allows exactly the documented transitions', () => {
    const allowed = orderStatuses.flatMap((from) =>
      orderStatuses.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    )
    expect(allowed.sort()).toEqual(
      [
        'pending→paid',
        'pending→expired',
        'pending→cancelled',
        'expired→paid',
        'paid→partially_refunded',
        'paid→refunded',
        'paid→cancelled',
        'partially_refunded→partially_refunded',
        'partially_refunded→refunded',
        'partially_refunded→cancelled',
        // 定金: the deposit paid (also late, re-acquired), then the balance, a refund of the deposit, or the forfeit.
        'pending→deposit_paid',
        'expired→deposit_paid',
        'deposit_paid→paid',
        'deposit_paid→refunded',
        'deposit_paid→forfeited',
      ].sort(),
    )
    // A forfeited order is over: its balance can no longer make it paid.
    expect(orderStatuses.filter((to) => canTransition('forfeited', to))).toEqual([])
    expect(canTransition('refunded', 'paid')).toBe(false)
    expect(canTransition('cancelled', 'refunded')).toBe(false)
  })
})
