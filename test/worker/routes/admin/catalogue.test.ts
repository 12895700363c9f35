import { describe, expect, it } from 'vitest'
import { ApiClient, organizerWithStaff, problemOf } from '../../../support/api.ts'
import { gridChart, ok } from '../../../support/catalogue.ts'

async function venueWithChart(org: Awaited<ReturnType<typeof organizerWithStaff>>, categories = ['A', 'B']) {
  const venue = await ok(
    org.owner.post(`${org.base}/venues`, { name: 'Hall', kind: 'concert_hall', city: 'Shanghai' }),
    201,
  )
  await ok(org.owner.put(`${org.base}/venues/${venue.id}/seat-map`, gridChart(2, 4, categories)))
  return venue
}

const showBody = (eventId: string, venueId: string, extra: Record<string, unknown> = {}) => ({
  eventId,
  venueId,
  startsAt: '2027-03-01T19:30:00+08:00',
  saleStartsAt: '2026-11-01T00:00:00+08:00',
  saleEndsAt: '2027-03-01T19:00:00+08:00',
  prices: { A: 28000, B: 18000 },
  ...extra,
})

describe('events and shows', () => {
  it('creates shows for the organizer’s own event and venue, normalises times and filters by date', async () => {
    const org = await organizerWithStaff()
    const venue = await venueWithChart(org)
    const event = await ok(
      org.manager.post(`${org.base}/events`, { name: 'Swan Lake', kind: 'theatre', status: 'published' }),
      201,
    )
    expect(event).toMatchObject({ status: 'published', realNameRequired: false, maxTicketsPerBuyer: 6 })
    const show = await ok(org.manager.post(`${org.base}/shows`, showBody(event.id, venue.id)), 201)
    expect(show).toMatchObject({ startsAt: '2027-03-01T11:30:00.000Z', holdMinutes: 15, status: 'scheduled' })
    expect(show.refundTiers).toEqual([
      { minHoursBefore: 72, feePercent: 0 },
      { minHoursBefore: 24, feePercent: 20 },
    ])
    await ok(
      org.manager.post(
        `${org.base}/shows`,
        showBody(event.id, venue.id, {
          startsAt: '2027-04-01T12:00:00Z',
          saleEndsAt: '2027-04-01T11:00:00Z',
        }),
      ),
      201,
    )
    const march = await ok(
      org.manager.get(`${org.base}/shows?from=2027-03-01T00:00:00Z&to=2027-03-31T23:59:59Z`),
    )
    expect(march.items.map((s: { id: string }) => s.id)).toEqual([show.id])
    expect((await ok(org.gate.get(`${org.base}/shows?eventId=${event.id}`))).items).toHaveLength(2)
    expect(
      (await ok(org.manager.get(`${org.base}/events?status=published&kind=theatre`))).items,
    ).toHaveLength(1)
  })

  it('refuses prices that do not match the venue’s categories, inverted windows and foreign references', async () => {
    const org = await organizerWithStaff()
    const other = await organizerWithStaff()
    const venue = await venueWithChart(org)
    const foreignVenue = await venueWithChart(other)
    const event = await ok(org.manager.post(`${org.base}/events`, { name: 'E', kind: 'concert' }), 201)
    const prices = await org.manager.post(
      `${org.base}/shows`,
      showBody(event.id, venue.id, { prices: { A: 100, Z: 5 } }),
    )
    expect((await problemOf(prices)).errors?.map((e) => e.path).sort()).toEqual([
      'json.prices.B',
      'json.prices.Z',
    ])
    const windows = await org.manager.post(
      `${org.base}/shows`,
      showBody(event.id, venue.id, { endsAt: '2027-03-01T10:00:00Z', saleEndsAt: '2026-10-01T00:00:00Z' }),
    )
    expect((await problemOf(windows)).errors?.map((e) => e.path).sort()).toEqual([
      'json.endsAt',
      'json.saleEndsAt',
    ])
    const foreign = await org.manager.post(`${org.base}/shows`, showBody(event.id, foreignVenue.id))
    expect((await problemOf(foreign)).errors).toEqual([
      { path: 'json.venueId', message: `no venue ${foreignVenue.id} in this organizer` },
    ])
    const badTime = await org.manager.post(
      `${org.base}/shows`,
      showBody(event.id, venue.id, { startsAt: 'tomorrow' }),
    )
    expect((await problemOf(badTime)).errors?.[0]?.path).toBe('json.startsAt')
    const badQuery = await org.manager.get(`${org.base}/shows?limit=0`)
    expect((await problemOf(badQuery)).errors?.[0]?.path).toBe('query.limit')
  })
})

describe('scenic catalogue', () => {
  it('builds a site with slots, ticket types, a parent-child rule and a package', async () => {
    const org = await organizerWithStaff()
    const site = await ok(
      org.manager.post(`${org.base}/scenic-sites`, {
        name: 'Lake',
        city: 'Hangzhou',
        dailyCapacity: 1000,
        timeSlots: [{ code: '09:00', start: '09:00', end: '10:00', capacity: 300 }],
        channelQuotas: { ctrip: 200 },
      }),
      201,
    )
    const product = (body: Record<string, unknown>) =>
      org.manager.post(`${org.base}/visit-products`, { siteId: site.id, ...body })
    const gate = await ok(
      product({
        name: 'Adult',
        kind: 'entry',
        ticketType: 'adult',
        price: 10000,
        timed: true,
        eligibility: { minAge: 18 },
      }),
      201,
    )
    const child = await ok(
      product({
        name: 'Child',
        kind: 'entry',
        ticketType: 'child',
        price: 5000,
        eligibility: { minHeightCm: 120, maxHeightCm: 150 },
      }),
      201,
    )
    const boat = await ok(
      product({ name: 'Boat', kind: 'attraction', ticketType: 'general', price: 6000, dailyCapacity: 100 }),
      201,
    )
    const rule = await ok(
      org.manager.post(`${org.base}/parent-child-rules`, {
        siteId: site.id,
        parentProductId: gate.id,
        childProductId: boat.id,
      }),
      201,
    )
    expect(rule).toMatchObject({ matchBy: 'phone_or_id_number', onParentRefund: 'block' })
    const pkg = await ok(
      org.manager.post(`${org.base}/packages`, {
        siteId: site.id,
        name: 'Gate + boat',
        price: 14000,
        components: [
          { productId: gate.id, quantity: 1 },
          { productId: boat.id, quantity: 1 },
        ],
      }),
      201,
    )
    expect(pkg.components).toHaveLength(2)
    expect(
      (await ok(org.gate.get(`${org.base}/visit-products?siteId=${site.id}&kind=entry`))).items.map(
        (p: { id: string }) => p.id,
      ),
    ).toEqual([gate.id, child.id])
    expect((await ok(org.gate.get(`${org.base}/visit-products?ticketType=child`))).items).toHaveLength(1)
    const publicSite = await ok(new ApiClient().get(`/api/scenic-sites/${site.id}`))
    expect(publicSite.products.find((p: { id: string }) => p.id === boat.id).requiresParent).toEqual([
      gate.id,
    ])
    expect(publicSite.channelQuotas).toBeUndefined()
  })

  it('validates slots, eligibility, rules and packages', async () => {
    const org = await organizerWithStaff()
    const badSite = await org.manager.post(`${org.base}/scenic-sites`, {
      name: 'X',
      city: 'Y',
      dailyCapacity: 100,
      opensAt: '18:00',
      closesAt: '08:00',
      timeSlots: [
        { code: 'a', start: '10:00', end: '09:00', capacity: 500 },
        { code: 'a', start: '11:00', end: '12:00', capacity: 10 },
      ],
      channelQuotas: { ctrip: 90, meituan: 20 },
    })
    expect((await problemOf(badSite)).errors?.map((e) => e.path).sort()).toEqual([
      'json.channelQuotas',
      'json.closesAt',
      'json.timeSlots.0.capacity',
      'json.timeSlots.0.end',
      'json.timeSlots.1.code',
    ])
    const site = await ok(
      org.manager.post(`${org.base}/scenic-sites`, { name: 'S', city: 'C', dailyCapacity: 100 }),
      201,
    )
    const timedWithoutSlots = await org.manager.post(`${org.base}/visit-products`, {
      siteId: site.id,
      name: 'P',
      kind: 'entry',
      ticketType: 'adult',
      price: 1,
      timed: true,
    })
    expect((await problemOf(timedWithoutSlots)).errors?.[0]?.path).toBe('json.timed')
    const ages = await org.manager.post(`${org.base}/visit-products`, {
      siteId: site.id,
      name: 'P',
      kind: 'entry',
      ticketType: 'senior',
      price: 1,
      eligibility: { minAge: 70, maxAge: 60 },
    })
    expect((await problemOf(ages)).errors?.[0]?.path).toBe('json.eligibility.maxAge')
    const gate = await ok(
      org.manager.post(`${org.base}/visit-products`, {
        siteId: site.id,
        name: 'G',
        kind: 'entry',
        ticketType: 'adult',
        price: 1,
      }),
      201,
    )
    const show = await ok(
      org.manager.post(`${org.base}/visit-products`, {
        siteId: site.id,
        name: 'Show',
        kind: 'show',
        ticketType: 'general',
        price: 1,
      }),
      201,
    )
    const notEntry = await org.manager.post(`${org.base}/parent-child-rules`, {
      siteId: site.id,
      parentProductId: show.id,
      childProductId: gate.id,
    })
    expect((await problemOf(notEntry)).errors?.[0]?.message).toMatch(/entry/)
    const self = await org.manager.post(`${org.base}/parent-child-rules`, {
      siteId: site.id,
      parentProductId: gate.id,
      childProductId: gate.id,
    })
    expect((await problemOf(self)).errors?.[0]?.path).toBe('json.childProductId')
    await ok(
      org.manager.post(`${org.base}/parent-child-rules`, {
        siteId: site.id,
        parentProductId: gate.id,
        childProductId: show.id,
      }),
      201,
    )
    const duplicate = await org.manager.post(`${org.base}/parent-child-rules`, {
      siteId: site.id,
      parentProductId: gate.id,
      childProductId: show.id,
    })
    expect(duplicate.status).toBe(409)
    const twice = await org.manager.post(`${org.base}/packages`, {
      siteId: site.id,
      name: 'P',
      price: 1,
      components: [
        { productId: gate.id, quantity: 1 },
        { productId: gate.id, quantity: 1 },
      ],
    })
    expect((await problemOf(twice)).errors?.[0]?.path).toBe('json.components.1.productId')
    const empty = await org.manager.post(`${org.base}/packages`, {
      siteId: site.id,
      name: 'P',
      price: 1,
      components: [],
    })
    expect((await problemOf(empty)).errors?.[0]?.path).toBe('json.components')
  })
})

describe('sales channels and organizers', () => {
  it('keeps channel codes unique per organizer and lets only owners write them', async () => {
    const org = await organizerWithStaff()
    await ok(
      org.owner.post(`${org.base}/sales-channels`, {
        name: 'Ctrip',
        code: 'ctrip',
        kind: 'ota',
        commissionBps: 1000,
      }),
      201,
    )
    const again = await org.owner.post(`${org.base}/sales-channels`, {
      name: 'Ctrip 2',
      code: 'ctrip',
      kind: 'ota',
    })
    expect((await problemOf(again)).code).toBe('conflict')
    expect(
      (await org.manager.post(`${org.base}/sales-channels`, { name: 'K', code: 'kiosk', kind: 'kiosk' }))
        .status,
    ).toBe(403)
    expect((await ok(org.manager.get(`${org.base}/sales-channels?kind=ota&active=true`))).items).toHaveLength(
      1,
    )
    const bad = await org.owner.post(`${org.base}/sales-channels`, {
      name: 'X',
      code: 'Bad Code',
      kind: 'fax',
    })
    expect((await problemOf(bad)).errors?.map((e) => e.path).sort()).toEqual(['json.code', 'json.kind'])
    const other = await organizerWithStaff()
    expect((await other.owner.get(`${org.base}/sales-channels`)).status).toBe(403)
  })

  it('shows staff only their organizers; only platform admins create organizers', async () => {
    const a = await organizerWithStaff()
    const mine = await ok(a.manager.get('/api/admin/organizers'))
    expect(mine.items.map((o: { id: string }) => o.id)).toEqual([a.organizerId])
    const create = await a.owner.post('/api/admin/organizers', { name: 'New', slug: 'new-org' })
    expect((await problemOf(create)).code).toBe('forbidden')
    expect((await a.manager.patch(`/api/admin/organizers/${a.organizerId}`, { name: 'x' })).status).toBe(403)
    expect(
      (await ok(a.owner.patch(`/api/admin/organizers/${a.organizerId}`, { allowGuestCheckout: false })))
        .allowGuestCheckout,
    ).toBe(false)
  })
})
