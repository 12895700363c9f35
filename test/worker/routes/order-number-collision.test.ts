// Two orders of one day drew the same number (the unique index refuses the second): the second order is made with
// a number drawn again, not refused as a conflict with the buyer's seats still held.
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiClient } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'
import { postWithKey } from '../../support/orders.ts'

afterEach(() => vi.restoreAllMocks())

const real = crypto.getRandomValues.bind(crypto)

/** The next order-number draws (two-number Uint32Array draws) answer `fixed`; every other draw is random. */
function drawNumbersAs(fixed: number[], times: number) {
  let left = times
  vi.spyOn(crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
    if (left > 0 && array instanceof Uint32Array && array.length === 2) {
      left--
      array.set(fixed)
      return array
    }
    return real(array as never) as T
  })
}

describe('order numbers taken', () => {
  it('draws a new number when the one drawn is another order’s, and never refuses the buyer for it', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const order = async () => {
      const buyer = new ApiClient()
      const hold = await ok(
        buyer.post(`/api/shows/${show.showId}/holds`, { best: { category: 'A', quantity: 1 } }),
        201,
      )
      return postWithKey(buyer, '/api/orders', {
        kind: 'show',
        showId: show.showId,
        holdId: hold.id,
        email: 'n@example.com',
      })
    }
    drawNumbersAs([12_345, 67_890], 1)
    const first = await ok(await order(), 201)
    expect(first.order.number).toMatch(/^ET\d{6}1234567890$/)
    // The second order's first draw is the same number: the unique index refuses that batch, the next draw wins.
    drawNumbersAs([12_345, 67_890], 1)
    const second = await ok(await order(), 201)
    expect(second.order.number).not.toBe(first.order.number)
    expect(second.order.number).toMatch(/^ET\d{16}$/)
    const { results } = await env.DB.prepare('SELECT number FROM orders WHERE show_id = ?')
      .bind(show.showId)
      .all<{ number: string }>()
    expect(results.map((r) => r.number).sort()).toEqual([first.order.number, second.order.number].sort())
    // Drawn taken every time: after three draws the order is refused (no endless loop), and nothing is written.
    drawNumbersAs([12_345, 67_890], 3)
    const third = await order()
    expect(third.status).toBe(409)
    const { results: after } = await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE show_id = ?')
      .bind(show.showId)
      .all<{ n: number }>()
    expect(after[0]!.n).toBe(2)
  })
})
