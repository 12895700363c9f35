import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiClient } from '../../support/api.ts'
import { gridChart, idNumberFor, ok, showOnSale } from '../../support/catalogue.ts'

const inventory = (showId: string) => env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))
let keys = 0

/** Holds `seatIds` for `buyer` and opens a pending order on the hold. */
async function orderFor(buyer: ApiClient, showId: string, seatIds: string[], idNumbers?: string[]) {
  const hold = await ok(
    buyer.post(`/api/shows/${showId}/holds`, { seatIds, ...(idNumbers ? { idNumbers } : {}) }),
    201,
  )
  const res = await buyer.fetch('/api/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `late-limits-${Date.now()}-${keys++}` },
    body: JSON.stringify({
      kind: 'show',
      showId,
      holdId: hold.id,
      email: 'buyer@example.com',
      ...(idNumbers ? { holderNames: idNumbers.map((_, i) => `Holder ${i}`) } : {}),
    }),
  })
  return ok<{ orderId: string; paymentId: string }>(res, 201)
}

const pay = (buyer: ApiClient, paymentId: string) =>
  ok(buyer.post(`/api/payments/sandbox/checkout/${paymentId}/complete`, { outcome: 'pay' }))

/** Lets every hold of the show run out (as the expiry alarm does a minute later). */
async function expireHolds(showId: string) {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(Date.now() + 61_000)
  await runDurableObjectAlarm(inventory(showId))
  vi.useRealTimers()
}

afterEach(() => vi.useRealTimers())

describe('late payments re-acquire only within the limits a new hold has', () => {
  it('security: a buyer at the per-buyer maximum cannot get more seats through a late payment; it is refunded', async () => {
    const show = await showOnSale(gridChart(2, 10), { maxTicketsPerBuyer: 2, holdMinutes: 1 })
    const buyer = new ApiClient()
    const first = await orderFor(buyer, show.showId, show.seatIds.slice(0, 2))
    await expireHolds(show.showId)
    // The hold lapsed, so the buyer holds the maximum again and buys it.
    const second = await orderFor(buyer, show.showId, show.seatIds.slice(2, 4))
    expect(await pay(buyer, second.paymentId)).toMatchObject({ status: 'paid' })
    // Then the first payment arrives: its seats are still free, but taking them would make 4 of 2.
    const late = await pay(buyer, first.paymentId)
    expect(late.status).toBe('expired')
    const order = await ok(buyer.get(`/api/orders/${first.orderId}`))
    expect(order.refunds).toMatchObject([
      { amount: 20000, status: 'succeeded', requestedBy: 'system:late-payment' },
    ])
    expect(order.lines.every((line: { ticket: unknown }) => line.ticket === null)).toBe(true)
    const counts = await inventory(show.showId).counts(show.showId)
    expect(counts.memory).toMatchObject({ sold: 2, held: 0 })
  })

  it('security: a late payment cannot sell a second ticket to an ID number that has one; it is refunded', async () => {
    const show = await showOnSale(gridChart(2, 10), { realNameRequired: true, holdMinutes: 1 })
    const visitor = idNumberFor(77)
    const first = new ApiClient()
    const lapsed = await orderFor(first, show.showId, [show.seatIds[0]!], [visitor])
    await expireHolds(show.showId)
    // Someone else buys for the same ID number meanwhile.
    const other = new ApiClient()
    const bought = await orderFor(other, show.showId, [show.seatIds[5]!], [visitor])
    expect(await pay(other, bought.paymentId)).toMatchObject({ status: 'paid' })
    expect((await pay(first, lapsed.paymentId)).status).toBe('expired')
    const counts = await inventory(show.showId).counts(show.showId)
    expect(counts.memory).toMatchObject({ sold: 1, held: 0 })
  })

  it('still re-acquires a lapsed hold when the buyer stays within the limits', async () => {
    const show = await showOnSale(gridChart(2, 10), { maxTicketsPerBuyer: 4, holdMinutes: 1 })
    const buyer = new ApiClient()
    const first = await orderFor(buyer, show.showId, show.seatIds.slice(0, 2))
    await expireHolds(show.showId)
    const second = await orderFor(buyer, show.showId, show.seatIds.slice(2, 4))
    expect(await pay(buyer, second.paymentId)).toMatchObject({ status: 'paid' })
    const late = await pay(buyer, first.paymentId)
    expect(late.status).toBe('paid')
    expect(late.statusReason).toMatch(/after the hold expired/)
    expect((await inventory(show.showId).counts(show.showId)).memory.sold).toBe(4)
  })
})
