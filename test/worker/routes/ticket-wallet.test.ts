import { describe, expect, it } from 'vitest'
import { ApiClient } from '../../support/api.ts'
import { idNumberFor, ok, scenicSiteOnSale } from '../../support/catalogue.ts'
import { buyTickets, enrollGate, nonce, postWithKey, showTonight } from '../../support/gate.ts'
import { payForHold } from '../../support/orders.ts'

describe('the buyer’s ticket wallet', () => {
  it('lists each ticket with event, venue, start, time zone and seat; a used and a refunded one say so; nobody else sees them', async () => {
    const show = await showTonight()
    const { buyer, orderId, tickets } = await buyTickets(show, show.seatIds.slice(0, 3))
    const gate = await enrollGate(show.manager, show.base, { eventId: show.eventId })
    await ok(gate.client.post('/api/gate/check', { scan: tickets[0]!.token, nonce: nonce() }))
    await ok(postWithKey(buyer, `/api/orders/${orderId}/refunds`, { lineIds: [tickets[1]!.lineId] }), 201)

    const wallet = await ok(buyer.get('/api/tickets'))
    expect(wallet.nextCursor).toBeNull()
    expect(wallet.items).toHaveLength(3)
    // biome-ignore lint/suspicious/noExplicitAny: test JSON
    const byId = new Map<string, any>(wallet.items.map((t: { ticketId: string }) => [t.ticketId, t]))
    expect(byId.get(tickets[0]!.ticketId)).toMatchObject({
      orderId,
      kind: 'show',
      title: 'Gala',
      venue: 'Hall',
      city: 'Shanghai',
      place: { section: 'Main', row: 'R1', number: '1' },
      category: 'Zone A',
      timeZone: 'Asia/Shanghai',
      visitDate: null,
      state: 'used',
      redeemedAt: expect.any(String),
    })
    expect(Date.parse(byId.get(tickets[0]!.ticketId).startsAt)).toBeGreaterThan(Date.now())
    expect(Date.parse(byId.get(tickets[0]!.ticketId).validUntil)).toBeGreaterThan(
      Date.parse(byId.get(tickets[0]!.ticketId).startsAt),
    )
    expect(byId.get(tickets[1]!.ticketId)).toMatchObject({ state: 'refunded', place: { number: '2' } })
    expect(byId.get(tickets[2]!.ticketId)).toMatchObject({ state: 'valid', redeemedAt: null })
    // Only the upcoming valid ticket carries its pass (to open offline), with the order page's very token;
    // the used and the refunded one carry none.
    expect(byId.get(tickets[2]!.ticketId).pass).toEqual({ token: tickets[2]!.token, rotatingCode: null })
    expect(byId.get(tickets[0]!.ticketId).pass).toBeNull()
    expect(byId.get(tickets[1]!.ticketId).pass).toBeNull()

    // The order's own ticket list carries the same facts beside the token.
    const own = await ok(buyer.get(`/api/orders/${orderId}/tickets`))
    expect(own.items.find((t: { ticketId: string }) => t.ticketId === tickets[2]!.ticketId)).toMatchObject({
      place: { section: 'Main', row: 'R1', number: '3' },
      state: 'valid',
      timeZone: 'Asia/Shanghai',
      token: tickets[2]!.token,
    })

    expect((await ok(new ApiClient().get('/api/tickets'))).items).toEqual([])
  })

  it('gives a rotating-code ticket its own code secret, the one its order page shows, never the event’s', async () => {
    const show = await showTonight()
    await ok(show.owner.patch(`${show.base}/events/${show.eventId}`, { rotatingCode: true }))
    const { buyer, tickets } = await buyTickets(show, show.seatIds.slice(0, 2))
    const gate = await enrollGate(show.gate, show.base, { eventId: show.eventId })
    const wallet = await ok(buyer.get('/api/tickets'))
    const passes = new Map(
      wallet.items.map((t: { ticketId: string; pass: unknown }) => [t.ticketId, t.pass] as [string, unknown]),
    )
    expect(passes).toEqual(
      new Map(tickets.map((t) => [t.ticketId, { token: t.token, rotatingCode: t.rotatingCode }])),
    )
    expect(tickets[0]!.rotatingCode!.secret).not.toBe(tickets[1]!.rotatingCode!.secret)
    // The event's gate secret (what an enrolled gate receives) appears nowhere in the buyer's wallet.
    const eventSecret = gate.body.profile.eventSecrets[show.eventId]
    expect(eventSecret).toMatch(/^[\w-]{40,}$/)
    expect(JSON.stringify(wallet)).not.toContain(eventSecret)
  })

  it('gives a scenic visit its pass with the order page’s token, and no code secret', async () => {
    const site = await scenicSiteOnSale()
    const buyer = new ApiClient()
    const visitor = { name: 'Han Meimei', idNumber: idNumberFor(412), phone: '13800000412' }
    const hold = await ok(
      buyer.post(`/api/scenic-sites/${site.siteId}/days/${site.date}/holds`, {
        lines: [{ productId: site.gateProduct, slot: '10:00', visitor }],
      }),
      201,
    )
    const order = await payForHold(buyer, {
      kind: 'scenic',
      siteId: site.siteId,
      date: site.date,
      holdId: hold.id,
    })
    const own = await ok(buyer.get(`/api/orders/${order.id}/tickets`))
    const wallet = await ok(buyer.get('/api/tickets'))
    expect(wallet.items).toHaveLength(1)
    expect(wallet.items[0]).toMatchObject({
      kind: 'scenic',
      visitDate: site.date,
      state: 'valid',
      pass: { token: own.items[0].token, rotatingCode: null },
    })
  })

  it('pages by orders and refuses a bad limit with problem+json', async () => {
    const show = await showTonight()
    const buyer = new ApiClient()
    await buyTickets(show, show.seatIds.slice(0, 1), buyer)
    await buyTickets(show, show.seatIds.slice(1, 2), buyer)
    const first = await ok(buyer.get('/api/tickets?limit=1'))
    expect(first.items).toHaveLength(1)
    expect(first.nextCursor).toBeTruthy()
    const second = await ok(buyer.get(`/api/tickets?limit=1&cursor=${first.nextCursor}`))
    expect(second.items).toHaveLength(1)
    expect(second.items[0].ticketId).not.toBe(first.items[0].ticketId)
    const bad = await buyer.get('/api/tickets?limit=0')
    expect(bad.status).toBe(400)
    expect(bad.headers.get('content-type')).toContain('application/problem+json')
  })
})
