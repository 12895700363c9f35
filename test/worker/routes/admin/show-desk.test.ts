import { describe, expect, it } from 'vitest'
import { ok } from '../../../support/catalogue.ts'
import { buyTickets, enrollGate, nonce, showTonight } from '../../../support/gate.ts'

// The show's front desk: the door list names every sold ticket and counts admissions; the cancellation quote is
// what cancelling would refund.

const admitNow = (scan: string) => ({
  nonce: nonce(),
  scan,
  decision: 'admit',
  scannedAt: new Date().toISOString(),
})

describe('show desk', () => {
  it('the door list has every paid ticket with seat and order, and counts the one a gate admitted', async () => {
    const show = await showTonight()
    const sold = await buyTickets(show, show.seatIds.slice(0, 2))
    const order = await ok(sold.buyer.get(`/api/orders/${sold.orderId}`))
    const path = `${show.base}/shows/${show.showId}/attendees`

    const before = await ok(show.manager.get(path))
    expect(before).toMatchObject({ valid: 2, admitted: 0 })
    expect(before.items.map((a: { ticketId: string }) => a.ticketId).sort()).toEqual(
      sold.tickets.map((ticket) => ticket.ticketId).sort(),
    )
    for (const item of before.items) {
      expect(item).toMatchObject({ orderId: sold.orderId, orderNumber: order.number, admittedAt: null })
      expect(item.seat).toBeTruthy()
    }

    const gate = await enrollGate(show.gate, show.base, { eventId: show.eventId })
    const admitted = sold.tickets[0]!
    await ok(gate.client.post('/api/gate/scans', { scans: [admitNow(admitted.token)] }))
    const after = await ok(show.gate.get(path))
    expect(after).toMatchObject({ valid: 2, admitted: 1 })
    const row = after.items.find((a: { ticketId: string }) => a.ticketId === admitted.ticketId)
    expect(row.admittedAt).toEqual(expect.any(String))
  })

  it('the cancellation quote sums the paid tickets of the show, and a stranger organizer gets 404', async () => {
    const show = await showTonight()
    const sold = await buyTickets(show, show.seatIds.slice(0, 2))
    const order = await ok(sold.buyer.get(`/api/orders/${sold.orderId}`))
    const quote = await ok(show.owner.get(`${show.base}/shows/${show.showId}/cancel-quote`))
    expect(quote).toMatchObject({ orders: 1, tickets: 2, amount: order.total, openGroupBuys: 0 })

    const other = await showTonight()
    const res = await other.owner.get(`${other.base}/shows/${show.showId}/attendees`)
    expect(res.status).toBe(404)
  })
})
