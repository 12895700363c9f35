// A rebooking and a partial refund through the real order path (orders, payments, the order-event subscribers that
// capture paid, refund and rebook events into the rollups), read back through the sales and channel reports.
import { describe, expect, it, vi } from 'vitest'
import { localDayOf } from '../../../../worker/domain/analytics-events.ts'
import { ApiClient } from '../../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../../support/catalogue.ts'
import { rebookToBest, sameEventShow } from '../../../support/orders.ts'

let keys = 0
const postWithKey = (client: ApiClient, path: string, body: unknown) =>
  client.fetch(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': `rebook-report-${Date.now()}-${keys++}`,
    },
    body: JSON.stringify(body),
  })

describe('sales report after a partial refund and a rebooking', () => {
  it('counts what the buyer kept: one ticket, the new price, the old order replaced', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    const hold = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 2) }),
      201,
    )
    const created = await ok(
      postWithKey(buyer, '/api/orders', {
        kind: 'show',
        showId: show.showId,
        holdId: hold.id,
        email: 'r@example.com',
      }),
      201,
    )
    await ok(buyer.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }))
    const original = await ok(buyer.get(`/api/orders/${created.orderId}`))
    // The organizer refunds one of the two 10,000 seats.
    await ok(
      show.owner.post(`${show.base}/orders/${original.id}/refunds`, {
        lineIds: [original.lines[0].id],
        reason: 'asked',
      }),
      201,
    )
    // The other seat moves to a cheaper show of the same event (6,000): 4,000 comes back.
    const later = await sameEventShow(show, 6000)
    const rebooked = await rebookToBest(buyer, original.id, later, 1)
    expect(rebooked.amountDue).toBe(0)
    const today = localDayOf(new Date(), 'Asia/Shanghai')
    const reports = `${show.base}/reports/analytics`
    // Paid 20,000 + 6,000, less the 6,000 carried over by the rebooking; refunded 10,000 + 4,000.
    await vi.waitFor(
      async () => {
        const r = await ok(show.manager.get(`${reports}/sales?from=${today}&to=${today}`))
        expect(r.totals).toEqual({
          gross: 20_000,
          refunds: 14_000,
          net: 6_000,
          tickets: 1,
          refundedTickets: 1,
          orders: 1,
          averageOrderValue: 20_000,
        })
      },
      { timeout: 25_000, interval: 250 },
    )
    const r = await ok(show.manager.get(`${reports}/sales?from=${today}&to=${today}`))
    // The performances: the first show keeps nothing, the later one holds the ticket.
    expect(r.topShows.map((s: Record<string, unknown>) => [s.showId, s.tickets, s.net])).toEqual([
      [later, 1, 6_000],
      [show.showId, 0, 0],
    ])
    const channels = await ok(show.manager.get(`${reports}/channels?from=${today}&to=${today}`))
    expect(channels.byChannel).toMatchObject([
      { channel: 'web', net: 6_000, tickets: 1, revenueShare: 1, ticketShare: 1 },
    ])
  })
})
