import { describe, expect, it, vi } from 'vitest'
import { ApiClient, problemOf } from '../../support/api.ts'
import { ok } from '../../support/catalogue.ts'
import { buyTickets, enrollGate, postWithKey, showTonight } from '../../support/gate.ts'

// A venue's sections and city named in two languages: the organizer names them, every response that shows a
// section carries the names beside its key, and the key in seat labels and tickets stays as it was.

const named = [{ key: 'Main', name: '池座', nameEn: 'Stalls' }]

describe('section and city names', () => {
  it('reads a section as its key until the organizer names it, then in both languages everywhere', async () => {
    const show = await showTonight()
    const venuePath = `${show.base}/venues/${show.venueId}`
    const before = await ok(new ApiClient().get(`/api/shows/${show.showId}/seat-map`))
    expect(before.sections).toEqual([{ key: 'Main', name: 'Main' }])

    const venue = await ok(
      show.owner.patch(venuePath, { city: '上海', cityEn: 'Shanghai', sectionNames: named }),
    )
    expect(venue).toMatchObject({ city: '上海', cityEn: 'Shanghai', sectionNames: named })
    // Blank English clears it; the names are the venue's, read back as saved.
    expect(await ok(show.owner.get(venuePath))).toMatchObject({ sectionNames: named })

    // Public reads are cached a few seconds per isolate: the names show once that has passed.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 6_000)
    const map = await ok(new ApiClient().get(`/api/shows/${show.showId}/seat-map`))
    vi.useRealTimers()
    expect(map.sections).toEqual(named)
    expect(map.seats[0]).toMatchObject({ section: 'Main', label: 'Main-R1-1' })
    expect(await ok(new ApiClient().get(`/api/shows/${show.showId}`))).toMatchObject({
      city: '上海',
      cityEn: 'Shanghai',
    })

    const sold = await buyTickets(show, show.seatIds.slice(0, 2))
    const place = { section: 'Main', sectionName: '池座', sectionNameEn: 'Stalls', row: 'R1', number: '1' }
    const order = await ok(sold.buyer.get(`/api/orders/${sold.orderId}`))
    expect(order.lines[0]).toMatchObject({ seatLabel: 'Main-R1-1', place })
    const tickets = await ok(sold.buyer.get(`/api/orders/${sold.orderId}/tickets`))
    expect(tickets.items.find((t: { seat: string }) => t.seat === 'Main-R1-1')).toMatchObject({ place })

    const doors = await ok(show.manager.get(`${show.base}/shows/${show.showId}/attendees`))
    expect(doors.items.find((a: { seat: string }) => a.seat === 'Main-R1-2')).toMatchObject({
      place: { ...place, number: '2' },
      category: 'Zone A',
      categoryEn: null,
    })

    const gate = await enrollGate(show.gate, show.base, { eventId: show.eventId })
    expect(gate.body).toMatchObject({ sections: ['Main'], sectionNames: named })
  })

  it('refuses two names for one section key and leaves the saved ones as they were', async () => {
    const show = await showTonight()
    const venuePath = `${show.base}/venues/${show.venueId}`
    await ok(show.owner.patch(venuePath, { sectionNames: named }))
    const res = await show.owner.patch(venuePath, {
      sectionNames: [...named, { key: 'Main', name: '楼座' }],
    })
    expect(res.status).toBe(400)
    expect((await problemOf(res)).code).toBe('validation')
    const blank = await show.owner.patch(venuePath, { sectionNames: [{ key: 'Main', name: ' ' }] })
    expect(blank.status).toBe(400)
    expect(await ok(show.owner.get(venuePath))).toMatchObject({ sectionNames: named })
  })

  it('says why each refund was made as a code: the buyer asked, or staff gave their own words', async () => {
    const show = await showTonight()
    const bought = await buyTickets(show, show.seatIds.slice(0, 1))
    const asked = await ok(postWithKey(bought.buyer, `/api/orders/${bought.orderId}/refunds`, {}), 201)
    expect(asked.refund).toMatchObject({
      reason: 'Requested by the buyer',
      reasonCode: 'buyer_request',
      reasonParams: {},
    })

    const staffRefunded = await buyTickets(show, show.seatIds.slice(1, 2))
    const path = `${show.base}/orders/${staffRefunded.orderId}/refunds`
    const typed = await ok(show.owner.post(path, { reason: '观众临时有事', waiveFee: true }), 201)
    expect(typed.refund).toMatchObject({ reasonCode: 'note', reasonParams: { note: '观众临时有事' } })
    expect(typed.order.refunds).toMatchObject([{ reasonCode: 'note' }])
  })
})
