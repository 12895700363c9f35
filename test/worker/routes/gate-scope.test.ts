import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ApiClient } from '../../support/api.ts'
import {
  idNumberFor,
  ok,
  type ScenicFixture,
  type ShowFixture,
  scenicSiteOnSale,
  shanghaiDate,
} from '../../support/catalogue.ts'
import { buyTickets, enrollGate, nonce, postWithKey, showTonight } from '../../support/gate.ts'

// A gate admits only what it is enrolled for: an event's shows, or a site's visits on its enrolled days. An
// upload or online check of anything else is recorded as a refusal and redeems nothing.

/** Another published event of the same organizer, with a show on the same hall tonight. */
async function otherEventTonight(show: ShowFixture): Promise<ShowFixture> {
  const event = await ok(
    show.owner.post(`${show.base}/events`, { name: 'Other event', kind: 'concert', status: 'published' }),
    201,
  )
  const now = Date.now()
  const other = await ok(
    show.owner.post(`${show.base}/shows`, {
      eventId: event.id,
      venueId: show.venueId,
      startsAt: new Date(now + 2 * 3600_000).toISOString(),
      saleStartsAt: new Date(now - 3600_000).toISOString(),
      saleEndsAt: new Date(now + 1.5 * 3600_000).toISOString(),
      prices: { A: 10000 },
    }),
    201,
  )
  return { ...show, eventId: event.id, showId: other.id }
}

const admitNow = (scan: string) => ({
  nonce: nonce(),
  scan,
  decision: 'admit',
  scannedAt: new Date().toISOString(),
})
const redemptionOf = (ticketId: string) =>
  env.DB.prepare('SELECT device_id FROM redemptions WHERE ticket_id = ?').bind(ticketId).first()
const scanRow = (deviceId: string, ticketId: string) =>
  env.DB.prepare('SELECT decision, reason FROM gate_scans WHERE device_id = ? AND ticket_id = ?')
    .bind(deviceId, ticketId)
    .first<{ decision: string; reason: string | null }>()

/** One paid gate ticket for a visit to the site on `date`, through the public API. */
async function buyVisit(site: ScenicFixture, date: string, n: number) {
  const buyer = new ApiClient()
  const visitor = { name: 'Han Meimei', idNumber: idNumberFor(n), phone: `138000000${n}` }
  const hold = await ok(
    buyer.post(`/api/scenic-sites/${site.siteId}/days/${date}/holds`, {
      lines: [{ productId: site.childProduct, slot: '10:00', visitor }],
    }),
    201,
  )
  const created = await ok(
    postWithKey(buyer, '/api/orders', {
      kind: 'scenic',
      siteId: site.siteId,
      date,
      holdId: hold.id,
      phone: visitor.phone,
    }),
    201,
  )
  await ok(buyer.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }))
  return (await ok(buyer.get(`/api/orders/${created.orderId}/tickets`))).items[0]
}

describe('gate scope', () => {
  it('security: a device enrolled for event A uploads a valid ticket of event B (same organizer): recorded as refused, not redeemed', async () => {
    const eventA = await showTonight()
    const eventB = await otherEventTonight(eventA)
    const gateA = await enrollGate(eventA.gate, eventA.base, { eventId: eventA.eventId }, 'A gate')
    const { tickets } = await buyTickets(eventB, eventB.seatIds.slice(0, 1))
    const ticket = tickets[0]!
    const upload = await ok(gateA.client.post('/api/gate/scans', { scans: [admitNow(ticket.token)] }))
    expect(upload.items[0]).toEqual({
      nonce: expect.any(String),
      status: 'recorded',
      ticketId: ticket.ticketId,
      refused: 'wrong_gate',
    })
    expect(await redemptionOf(ticket.ticketId)).toBeNull()
    expect(await scanRow(gateA.device.id, ticket.ticketId)).toEqual({
      decision: 'refuse',
      reason: 'wrong_gate',
    })
    expect((await ok(eventA.manager.get(`${eventA.base}/redemptions`))).items).toEqual([])
    // Online too, and the ticket is still unused for event B's own gate.
    const online = await ok(gateA.client.post('/api/gate/check', { scan: ticket.token, nonce: nonce() }))
    expect(online).toMatchObject({ admit: false, reason: 'wrong_gate' })
    const gateB = await enrollGate(eventB.gate, eventB.base, { eventId: eventB.eventId }, 'B gate')
    const own = await ok(gateB.client.post('/api/gate/scans', { scans: [admitNow(ticket.token)] }))
    expect(own.items[0]).toMatchObject({ status: 'recorded', redemption: 'redeemed' })
    expect(own.items[0].refused).toBeUndefined()
    expect(await redemptionOf(ticket.ticketId)).toEqual({ device_id: gateB.device.id })
  })

  it('security: a site gate refuses, per scan, a visit on a day outside its dates and a visit to another site', async () => {
    const site = await scenicSiteOnSale()
    const otherSite = await ok(
      site.owner.post(`${site.base}/scenic-sites`, {
        name: 'Lake',
        city: 'Hangzhou',
        dailyCapacity: 10,
        timeSlots: [{ code: '09:00', start: '09:00', end: '10:00', capacity: 10 }],
      }),
      201,
    )
    const ticket = await buyVisit(site, site.date, 57)
    const today = shanghaiDate(0)
    const todayOnly = await enrollGate(site.gate, site.base, {
      siteId: site.siteId,
      fromDate: today,
      toDate: today,
    })
    const lake = await enrollGate(site.gate, site.base, {
      siteId: otherSite.id,
      fromDate: today,
      toDate: site.date,
    })
    const inRange = await enrollGate(site.gate, site.base, {
      siteId: site.siteId,
      fromDate: today,
      toDate: site.date,
    })
    // One upload, three scans: only the one in scope redeems (the others are refusals, in the same batch).
    const scans = [admitNow(ticket.token)]
    for (const gate of [todayOnly, lake]) {
      const upload = await ok(gate.client.post('/api/gate/scans', { scans: [...scans, admitNow('garbage')] }))
      expect(upload.items[0]).toMatchObject({
        status: 'recorded',
        ticketId: ticket.ticketId,
        refused: 'wrong_gate',
      })
      expect(upload.items[0].redemption).toBeUndefined()
      expect(await scanRow(gate.device.id, ticket.ticketId)).toEqual({
        decision: 'refuse',
        reason: 'wrong_gate',
      })
      scans[0] = admitNow(ticket.token)
    }
    expect(await redemptionOf(ticket.ticketId)).toBeNull()
    const ok1 = await ok(inRange.client.post('/api/gate/scans', { scans: [admitNow(ticket.token)] }))
    expect(ok1.items[0]).toMatchObject({ status: 'recorded', redemption: 'redeemed' })
    expect(await redemptionOf(ticket.ticketId)).toEqual({ device_id: inRange.device.id })
  })

  it('security: online, a site gate enrolled for tomorrow does not admit a visit valid today', async () => {
    const site = await scenicSiteOnSale()
    const ticket = await buyVisit(site, shanghaiDate(0), 58)
    const tomorrow = await enrollGate(site.gate, site.base, {
      siteId: site.siteId,
      fromDate: site.date,
      toDate: site.date,
    })
    const check = await ok(tomorrow.client.post('/api/gate/check', { scan: ticket.token, nonce: nonce() }))
    expect(check).toMatchObject({ admit: false, reason: 'wrong_gate' })
    expect(await redemptionOf(ticket.ticketId)).toBeNull()
  })
})
