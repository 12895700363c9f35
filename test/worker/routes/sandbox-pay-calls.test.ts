// The sandbox pay step's D1 round trips (issue 22, session 12): the route reads the payment with its order (to
// check whose it is and sign the amount), then handles the signed notification exactly as a provider's webhook is
// handled, which reads its dedupe row and the payment itself. Counted here so a change to either shows.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { countedD1 } from '../../../worker/db/counted-d1.ts'
import { ApiClient } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'
import { pendingShowOrder } from '../../support/orders.ts'

describe('sandbox pay step', () => {
  it('pays an order in four D1 calls: the payment with its order, the notification’s reads, the money, the confirmation', async () => {
    const { buyer, created } = await pendingShowOrder(2, await showOnSale(gridChart(1, 4)))
    const calls = { calls: 0 }
    // The same buyer through the same app, its D1 counted (the publisher run it kicks waits its window: not counted).
    const counted = new ApiClient(buyer.cookie, { DB: countedD1(env.DB, calls) })
    const paid = await ok(
      counted.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }),
    )
    expect(paid.status).toBe('paid')
    expect(calls.calls).toBe(4)
    // Someone else's payment is refused after the one read, before any notification exists.
    const stranger = { calls: 0 }
    const other = new ApiClient(undefined, { DB: countedD1(env.DB, stranger) })
    const refused = await other.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, {
      outcome: 'pay',
    })
    expect(refused.status).toBe(404)
    expect(stranger.calls).toBe(1)
  })
})
