import { describe, expect, it } from 'vitest'
import { eventKey, verifyTicket } from '../../../worker/domain/ticket-token.ts'
import { ApiClient } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'

describe('e-tickets', () => {
  it('issues a signed token per seat that verifies with the published keys, as SVG and PNG QR codes, and drops it on refund', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    const hold = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 2) }),
      201,
    )
    const created = await ok(
      buyer.fetch('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `tickets-${Date.now()}` },
        body: JSON.stringify({ kind: 'show', showId: show.showId, holdId: hold.id, email: 't@example.com' }),
      }),
      201,
    )
    expect((await ok(buyer.get(`/api/orders/${created.orderId}/tickets`))).items).toEqual([])
    await ok(buyer.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }))
    const { items } = await ok(buyer.get(`/api/orders/${created.orderId}/tickets`))
    expect(items).toHaveLength(2)
    const { keys } = await ok(new ApiClient().get('/.well-known/jwks.json'))
    expect(
      keys.every((k: Record<string, unknown>) => k.kty === 'OKP' && k.crv === 'Ed25519' && !('d' in k)),
    ).toBe(true)
    const { startsAt } = await ok(new ApiClient().get(`/api/shows/${show.showId}`))
    for (const ticket of items) {
      expect(ticket.token.length).toBeLessThanOrEqual(300)
      // Not valid yet today; valid at the doors on the night.
      expect(await verifyTicket(ticket.token, keys)).toEqual({ ok: false, reason: 'not_yet_valid' })
      const verified = await verifyTicket(ticket.token, keys, Date.parse(startsAt))
      expect(verified).toMatchObject({
        ok: true,
        ticket: { tid: ticket.ticketId, evKey: eventKey(show.showId), it: ticket.seat },
      })
    }
    const svg = await buyer.get(`/api/orders/${created.orderId}/tickets/${items[0].ticketId}/qr`)
    expect(svg.headers.get('content-type')).toBe('image/svg+xml')
    expect(await svg.text()).toMatch(/^<svg[\s\S]*<path/)
    const png = await buyer.get(`/api/orders/${created.orderId}/tickets/${items[0].ticketId}/qr?format=png`)
    expect(png.headers.get('content-type')).toBe('image/png')
    expect([...new Uint8Array(await png.arrayBuffer()).slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])
    expect((await new ApiClient().get(`/api/orders/${created.orderId}/tickets`)).status).toBe(404)

    await ok(
      buyer.fetch(`/api/orders/${created.orderId}/refunds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `tickets-refund-${Date.now()}` },
        body: JSON.stringify({ lineIds: [items[0].lineId] }),
      }),
      201,
    )
    const after = (await ok(buyer.get(`/api/orders/${created.orderId}/tickets`))).items
    expect(after.find((t: { ticketId: string }) => t.ticketId === items[0].ticketId)).toMatchObject({
      status: 'revoked',
      token: null,
    })
    expect((await buyer.get(`/api/orders/${created.orderId}/tickets/${items[0].ticketId}/qr`)).status).toBe(
      404,
    )
  })
})
