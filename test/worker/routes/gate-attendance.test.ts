import { describe, expect, it } from 'vitest'
import { ApiClient } from '../../support/api.ts'
import { idNumberFor, ok, scenicSiteOnSale, shanghaiDate } from '../../support/catalogue.ts'
import { buyTickets, enrollGate, nonce, postWithKey, showTonight } from '../../support/gate.ts'

// What a gate shows beside its decisions: the scope named without raw timestamps, admitted / expected per
// show or site-day, and scenic product names for the short codes tickets carry.

describe('gate sync: attendance, scope names and product names', () => {
  it('counts expected and admitted tickets per show; a refunded ticket is no longer expected', async () => {
    const show = await showTonight()
    const { buyer, orderId, tickets } = await buyTickets(show, show.seatIds.slice(0, 4))
    const gate = await enrollGate(show.gate, show.base, { eventId: show.eventId })
    const entry = gate.body.profile.scope[0]
    // The label is the event's name; the start travels apart, for the gate to show in its own words.
    expect(entry.label).toBe('Gala')
    expect(entry.startsAt).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(gate.body.attendance.entries).toEqual([{ id: show.showId, expected: 4, admitted: 0 }])
    expect(gate.body.products).toEqual([])
    // The seat map's sections, so the gate names a ticket's seat (its label) as section, row and number.
    const seat = tickets[0]!.seat as string
    expect(gate.body.sections.filter((section: string) => seat.startsWith(`${section}-`))).toHaveLength(1)

    await ok(gate.client.post('/api/gate/check', { scan: tickets[0]!.token, nonce: nonce() }))
    await ok(postWithKey(buyer, `/api/orders/${orderId}/refunds`, { lineIds: [tickets[3]!.lineId] }), 201)
    const sync = await ok(gate.client.get('/api/gate/sync?cursor=0'))
    expect(sync.attendance.entries).toEqual([{ id: show.showId, expected: 3, admitted: 1 }])
    expect(Date.parse(sync.attendance.countedAt)).toBeGreaterThan(
      Date.parse(gate.body.attendance.countedAt) - 1,
    )
  })

  it('a site gate gets its products’ names by the code in tickets and counts per day', async () => {
    const site = await scenicSiteOnSale()
    const today = shanghaiDate(0)
    const buyer = new ApiClient()
    const visitor = { name: 'Han Meimei', idNumber: idNumberFor(311), phone: '13800000311' }
    const hold = await ok(
      buyer.post(`/api/scenic-sites/${site.siteId}/days/${today}/holds`, {
        lines: [{ productId: site.childProduct, slot: '10:00', visitor }],
      }),
      201,
    )
    const created = await ok(
      postWithKey(buyer, '/api/orders', {
        kind: 'scenic',
        siteId: site.siteId,
        date: today,
        holdId: hold.id,
        phone: visitor.phone,
      }),
      201,
    )
    await ok(buyer.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }))
    const gate = await enrollGate(site.gate, site.base, {
      siteId: site.siteId,
      fromDate: today,
      toDate: site.date,
    })
    expect(gate.body.profile.scope.map((e: { label: string }) => e.label)).toEqual(['Mountain', 'Mountain'])
    expect(gate.body.attendance.entries).toEqual([
      { id: `${site.siteId}:${today}`, expected: 1, admitted: 0 },
    ])
    expect(gate.body.products).toEqual(
      expect.arrayContaining([
        { code: site.childProduct.slice(-8), name: 'Gate child', nameEn: null },
        { code: site.gateProduct.slice(-8), name: 'Gate adult', nameEn: null },
        { code: site.cableCarProduct.slice(-8), name: 'Cable car', nameEn: null },
      ]),
    )
    expect(gate.body.sections).toEqual([])
  })
})
