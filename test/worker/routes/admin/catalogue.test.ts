import { describe, expect, it } from 'vitest'
import { ApiClient, type OrganizerFixture, organizerWithStaff, problemOf } from '../../../support/api.ts'
import { gridChart, ok } from '../../../support/catalogue.ts'

type Row = Record<string, any> & { id: string }
type Page = { items: Row[]; nextCursor: string | null }

const pathsOf = async (res: Response) => {
  expect(res.status).toBe(400)
  const problem = await problemOf(res)
  expect(problem.code).toBe('validation')
  return problem.errors!.map((e) => e.path).sort()
}
const idsOf = async (client: ApiClient, path: string) =>
  (await ok<Page>(client.get(path))).items.map((item) => item.id)

/** A venue whose seat map has price categories `categories` (one row each). */
async function venueWithChart(org: OrganizerFixture, categories = ['A', 'B']) {
  const venue = await ok<Row>(
    org.owner.post(`${org.base}/venues`, { name: 'Hall', kind: 'concert_hall', city: 'Shanghai' }),
    201,
  )
  await ok(org.owner.put(`${org.base}/venues/${venue.id}/seat-map`, gridChart(2, 4, categories)))
  return ok<Row>(org.owner.get(`${org.base}/venues/${venue.id}`))
}
const newEvent = (org: OrganizerFixture, body: Record<string, unknown> = {}) =>
  ok<Row>(org.manager.post(`${org.base}/events`, { name: 'Swan Lake', kind: 'theatre', ...body }), 201)
const showBody = (eventId: string, venueId: string, extra: Record<string, unknown> = {}) => ({
  eventId,
  venueId,
  startsAt: '2027-03-01T19:30:00+08:00',
  saleStartsAt: '2026-11-01T00:00:00+08:00',
  saleEndsAt: '2027-03-01T19:00:00+08:00',
  prices: { A: 28000, B: 18000 },
  ...extra,
})
const slots = [
  { code: 'am', start: '09:00', end: '12:00', capacity: 300 },
  { code: 'pm', start: '12:00', end: '17:00', capacity: 500 },
]
const newSite = (org: OrganizerFixture, body: Record<string, unknown> = {}) =>
  ok<Row>(
    org.manager.post(`${org.base}/scenic-sites`, {
      name: 'West Lake',
      city: 'Hangzhou',
      dailyCapacity: 1000,
      timeSlots: slots,
      ...body,
    }),
    201,
  )
const productBody = (siteId: string, body: Record<string, unknown> = {}) => ({
  siteId,
  name: 'Adult entry',
  kind: 'entry',
  ticketType: 'adult',
  price: 10000,
  ...body,
})
const newProduct = (org: OrganizerFixture, siteId: string, body: Record<string, unknown> = {}) =>
  ok<Row>(org.manager.post(`${org.base}/visit-products`, productBody(siteId, body)), 201)

/** One record of every catalogue type in the organizer. */
async function fullCatalogue(org: OrganizerFixture) {
  const venue = await venueWithChart(org)
  const event = await newEvent(org)
  const show = await ok<Row>(org.manager.post(`${org.base}/shows`, showBody(event.id, venue.id)), 201)
  const site = await newSite(org)
  const gate = await newProduct(org, site.id)
  const boat = await newProduct(org, site.id, { name: 'Boat', kind: 'attraction', ticketType: 'general' })
  const rule = await ok<Row>(
    org.manager.post(`${org.base}/parent-child-rules`, {
      siteId: site.id,
      parentProductId: gate.id,
      childProductId: boat.id,
    }),
    201,
  )
  const pkg = await ok<Row>(
    org.manager.post(`${org.base}/packages`, {
      siteId: site.id,
      name: 'Gate + boat',
      price: 15000,
      components: [
        { productId: gate.id, quantity: 1 },
        { productId: boat.id, quantity: 1 },
      ],
    }),
    201,
  )
  const channel = await ok<Row>(
    org.owner.post(`${org.base}/sales-channels`, { name: 'Ctrip', code: 'ctrip', kind: 'ota' }),
    201,
  )
  return {
    venues: venue,
    events: event,
    shows: show,
    'scenic-sites': site,
    'visit-products': gate,
    'parent-child-rules': rule,
    packages: pkg,
    'sales-channels': channel,
    boat,
  }
}
const resources = [
  'venues',
  'events',
  'shows',
  'scenic-sites',
  'visit-products',
  'parent-child-rules',
  'packages',
  'sales-channels',
] as const

describe('events', () => {
  it('creates an event with defaults, reads, updates and deletes it', async () => {
    const org = await organizerWithStaff()
    const event = await newEvent(org, { description: 'Ballet in two acts' })
    expect(event.id).toMatch(/^evt_/)
    expect(event).toMatchObject({
      organizerId: org.organizerId,
      name: 'Swan Lake',
      kind: 'theatre',
      status: 'draft',
      realNameRequired: false,
      maxTicketsPerBuyer: 6,
      rotatingCode: false,
    })
    expect(await ok(org.owner.get(`${org.base}/events/${event.id}`))).toEqual(event)
    const updated = await ok<Row>(
      org.manager.patch(`${org.base}/events/${event.id}`, { status: 'published', maxTicketsPerBuyer: 2 }),
    )
    expect(updated).toMatchObject({ name: 'Swan Lake', status: 'published', maxTicketsPerBuyer: 2 })
    expect((await org.manager.delete(`${org.base}/events/${event.id}`)).status).toBe(204)
    expect((await problemOf(await org.manager.get(`${org.base}/events/${event.id}`))).code).toBe('not_found')
  })

  it('filters by status, kind and name, and pages through every event once', async () => {
    const org = await organizerWithStaff()
    const ballet = await newEvent(org, { name: 'Swan Lake', status: 'published' })
    const opera = await newEvent(org, { name: 'Turandot', kind: 'theatre' })
    const rock = await newEvent(org, { name: 'Rock Night', kind: 'concert', status: 'published' })
    const film = await newEvent(org, { name: 'Film Week', kind: 'film', status: 'cancelled' })
    expect(await idsOf(org.manager, `${org.base}/events?status=published`)).toEqual(
      [ballet.id, rock.id].sort(),
    )
    expect(await idsOf(org.manager, `${org.base}/events?status=published&kind=theatre`)).toEqual([ballet.id])
    expect(await idsOf(org.manager, `${org.base}/events?kind=film`)).toEqual([film.id])
    expect(await idsOf(org.manager, `${org.base}/events?q=night`)).toEqual([rock.id])
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: Page = await ok(
        org.gate.get(`${org.base}/events?limit=3${cursor ? `&cursor=${cursor}` : ''}`),
      )
      seen.push(...page.items.map((e) => e.id))
      cursor = page.nextCursor
    } while (cursor && seen.length < 20)
    expect(seen).toHaveLength(4)
    expect([...seen].sort()).toEqual([ballet.id, opera.id, rock.id, film.id].sort())
  })

  it('refuses bad fields, listing each, and deleting an event a show uses', async () => {
    const org = await organizerWithStaff()
    const bad = await org.manager.post(`${org.base}/events`, {
      name: '',
      kind: 'circus',
      status: 'live',
      maxTicketsPerBuyer: 51,
    })
    expect(await pathsOf(bad)).toEqual(['json.kind', 'json.maxTicketsPerBuyer', 'json.name', 'json.status'])
    const event = await newEvent(org)
    expect(
      await pathsOf(await org.manager.patch(`${org.base}/events/${event.id}`, { maxTicketsPerBuyer: 0 })),
    ).toEqual(['json.maxTicketsPerBuyer'])
    const venue = await venueWithChart(org)
    await ok(org.manager.post(`${org.base}/shows`, showBody(event.id, venue.id)), 201)
    const inUse = await org.manager.delete(`${org.base}/events/${event.id}`)
    expect(inUse.status).toBe(409)
    expect((await problemOf(inUse)).code).toBe('conflict')
    expect((await ok(org.manager.get(`${org.base}/events/${event.id}`))).maxTicketsPerBuyer).toBe(6)
  })
})

describe('shows: happy path', () => {
  it('creates a show for the organizer’s own event and venue, with times in UTC and defaults', async () => {
    const org = await organizerWithStaff()
    const venue = await venueWithChart(org)
    const event = await newEvent(org)
    const show = await ok<Row>(
      org.manager.post(
        `${org.base}/shows`,
        showBody(event.id, venue.id, {
          endsAt: '2027-03-01T22:00:00.5+08:00',
          saleStartsAt: '2026-10-31T11:00:00-05:00',
          saleEndsAt: '2027-03-01 11:00:00Z',
        }),
      ),
      201,
    )
    expect(show).toMatchObject({
      organizerId: org.organizerId,
      eventId: event.id,
      venueId: venue.id,
      startsAt: '2027-03-01T11:30:00.000Z',
      endsAt: '2027-03-01T14:00:00.500Z',
      saleStartsAt: '2026-10-31T16:00:00.000Z',
      saleEndsAt: '2027-03-01T11:00:00.000Z',
      prices: { A: 28000, B: 18000 },
      holdMinutes: 15,
      status: 'scheduled',
      refundTiers: [
        { minHoursBefore: 72, feePercent: 0 },
        { minHoursBefore: 24, feePercent: 20 },
      ],
    })
    expect(await ok(org.gate.get(`${org.base}/shows/${show.id}`))).toEqual(show)
  })

  it('filters by from/to (inclusive, any offset), event and venue', async () => {
    const org = await organizerWithStaff()
    const venue = await venueWithChart(org)
    const otherVenue = await venueWithChart(org)
    const event = await newEvent(org)
    const otherEvent = await newEvent(org, { name: 'Nutcracker' })
    const at = async (startsAt: string, eventId = event.id, venueId = venue.id) =>
      (
        await ok<Row>(
          org.manager.post(
            `${org.base}/shows`,
            showBody(eventId, venueId, { startsAt, saleEndsAt: '2027-01-01T00:00:00Z' }),
          ),
          201,
        )
      ).id
    const firstOfMarch = await at('2027-03-01T00:00:00Z')
    const midMarch = await at('2027-03-15T20:00:00+08:00', otherEvent.id)
    const endOfMarch = await at('2027-03-31T23:59:59Z', event.id, otherVenue.id)
    const april = await at('2027-04-01T00:00:00Z')
    const february = await at('2027-02-28T23:59:59Z')
    const range = (from: string, to: string) =>
      idsOf(org.gate, `${org.base}/shows?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)
    expect(await range('2027-03-01T00:00:00Z', '2027-03-31T23:59:59Z')).toEqual(
      [firstOfMarch, midMarch, endOfMarch].sort(),
    )
    // The same instants written in Beijing time.
    expect(await range('2027-03-01T08:00:00+08:00', '2027-04-01T07:59:59+08:00')).toEqual(
      [firstOfMarch, midMarch, endOfMarch].sort(),
    )
    expect(
      await idsOf(org.gate, `${org.base}/shows?from=${encodeURIComponent('2027-03-31T23:59:59Z')}`),
    ).toEqual([endOfMarch, april].sort())
    expect(await idsOf(org.gate, `${org.base}/shows?to=2027-02-28T23:59:59Z`)).toEqual([february])
    expect(await idsOf(org.gate, `${org.base}/shows?eventId=${otherEvent.id}`)).toEqual([midMarch])
    expect(await idsOf(org.gate, `${org.base}/shows?venueId=${otherVenue.id}`)).toEqual([endOfMarch])
  })

  it('updates a show, checking the result as a whole', async () => {
    const org = await organizerWithStaff()
    const venue = await venueWithChart(org)
    const cinema = await venueWithChart(org, ['STD'])
    const event = await newEvent(org)
    const show = await ok<Row>(org.manager.post(`${org.base}/shows`, showBody(event.id, venue.id)), 201)
    const moved = await ok<Row>(
      org.manager.patch(`${org.base}/shows/${show.id}`, {
        venueId: cinema.id,
        prices: { STD: 5000 },
        startsAt: '2027-03-02T19:30:00+08:00',
      }),
    )
    expect(moved).toMatchObject({
      venueId: cinema.id,
      prices: { STD: 5000 },
      startsAt: '2027-03-02T11:30:00.000Z',
      saleEndsAt: show.saleEndsAt,
    })
  })
})

describe('shows: bad input', () => {
  it('refuses prices that do not cover exactly the venue’s price categories', async () => {
    const org = await organizerWithStaff()
    const venue = await venueWithChart(org)
    const event = await newEvent(org)
    const res = await org.manager.post(
      `${org.base}/shows`,
      showBody(event.id, venue.id, { prices: { A: 100, Z: 5 } }),
    )
    expect(await pathsOf(res)).toEqual(['json.prices.B', 'json.prices.Z'])
    const problem = await problemOf(
      await org.manager.post(`${org.base}/shows`, showBody(event.id, venue.id, { prices: { A: 100, Z: 5 } })),
    )
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { path: 'json.prices.Z', message: 'the venue has no price category Z' },
        { path: 'json.prices.B', message: 'price category B needs a price' },
      ]),
    )
    expect(
      await pathsOf(
        await org.manager.post(
          `${org.base}/shows`,
          showBody(event.id, venue.id, { prices: { A: 1.5, B: -1 } }),
        ),
      ),
    ).toEqual(['json.prices.A', 'json.prices.B'])
    expect((await ok<Page>(org.manager.get(`${org.base}/shows`))).items).toEqual([])
  })

  it('refuses a sale window or end that is not after its start', async () => {
    const org = await organizerWithStaff()
    const venue = await venueWithChart(org)
    const event = await newEvent(org)
    const post = (extra: Record<string, unknown>) =>
      org.manager.post(`${org.base}/shows`, showBody(event.id, venue.id, extra))
    // Equal instants in different offsets are not "after".
    expect(
      await pathsOf(
        await post({ saleStartsAt: '2027-01-01T08:00:00+08:00', saleEndsAt: '2027-01-01T00:00:00Z' }),
      ),
    ).toEqual(['json.saleEndsAt'])
    expect(await pathsOf(await post({ saleEndsAt: '2026-10-01T00:00:00Z' }))).toEqual(['json.saleEndsAt'])
    expect(
      await pathsOf(await post({ endsAt: '2027-03-01T10:00:00Z', saleEndsAt: '2026-10-01T00:00:00Z' })),
    ).toEqual(['json.endsAt', 'json.saleEndsAt'])
    const show = await ok<Row>(post({}), 201)
    const inverted = await org.manager.patch(`${org.base}/shows/${show.id}`, {
      saleStartsAt: '2027-03-02T00:00:00Z',
    })
    expect(await pathsOf(inverted)).toEqual(['json.saleEndsAt'])
    expect((await ok(org.manager.get(`${org.base}/shows/${show.id}`))).saleStartsAt).toBe(show.saleStartsAt)
  })

  it('refuses timestamps without an offset or that are not real dates, as 400 not 500', async () => {
    const org = await organizerWithStaff()
    const venue = await venueWithChart(org)
    const event = await newEvent(org)
    for (const startsAt of [
      'tomorrow',
      '2027-03-01T19:30:00',
      '2027-03-01',
      '2027-03-01T19:30:00+08',
      '2027-02-31T19:30:00Z',
      '2027-13-01T19:30:00Z',
      1803929400000,
    ]) {
      const res = await org.manager.post(`${org.base}/shows`, showBody(event.id, venue.id, { startsAt }))
      expect(await pathsOf(res), String(startsAt)).toEqual(['json.startsAt'])
    }
    const badFrom = await org.manager.get(`${org.base}/shows?from=2027-03-01`)
    expect(await pathsOf(badFrom)).toEqual(['query.from'])
  })

  it('refuses events and venues that are unknown or belong to another organizer', async () => {
    const org = await organizerWithStaff()
    const other = await organizerWithStaff()
    const venue = await venueWithChart(org)
    const event = await newEvent(org)
    const foreignVenue = await venueWithChart(other)
    const foreignEvent = await newEvent(other)
    const foreign = await org.manager.post(`${org.base}/shows`, showBody(event.id, foreignVenue.id))
    expect((await problemOf(foreign)).errors).toEqual([
      { path: 'json.venueId', message: `no venue ${foreignVenue.id} in this organizer` },
    ])
    const foreignEvt = await org.manager.post(`${org.base}/shows`, showBody(foreignEvent.id, venue.id))
    expect((await problemOf(foreignEvt)).errors).toEqual([
      { path: 'json.eventId', message: `no event ${foreignEvent.id} in this organizer` },
    ])
    expect(
      await pathsOf(await org.manager.post(`${org.base}/shows`, showBody('evt_nope', venue.id))),
    ).toEqual(['json.eventId'])
    // Not by a later update either.
    const show = await ok<Row>(org.manager.post(`${org.base}/shows`, showBody(event.id, venue.id)), 201)
    expect(
      await pathsOf(await org.manager.patch(`${org.base}/shows/${show.id}`, { venueId: foreignVenue.id })),
    ).toEqual(['json.venueId'])
    expect(
      await pathsOf(await org.manager.patch(`${org.base}/shows/${show.id}`, { eventId: foreignEvent.id })),
    ).toEqual(['json.eventId'])
    expect(await ok(org.manager.get(`${org.base}/shows/${show.id}`))).toMatchObject({
      eventId: event.id,
      venueId: venue.id,
    })
    expect((await ok<Page>(other.owner.get(`${other.base}/shows`))).items).toEqual([])
  })

  it('refuses bad paging parameters', async () => {
    const org = await organizerWithStaff()
    expect(await pathsOf(await org.manager.get(`${org.base}/shows?limit=0`))).toEqual(['query.limit'])
    expect(await pathsOf(await org.manager.get(`${org.base}/shows?limit=1.5`))).toEqual(['query.limit'])
  })
})

describe('scenic sites', () => {
  it('creates a site with slots and defaults, filters by city and updates it', async () => {
    const org = await organizerWithStaff()
    const site = await newSite(org, { channelQuotas: { ctrip: 200, meituan: 100 } })
    expect(site).toMatchObject({
      organizerId: org.organizerId,
      timezone: 'Asia/Shanghai',
      opensAt: '08:00',
      closesAt: '18:00',
      bookingDaysAhead: 30,
      dailyCapacity: 1000,
      timeSlots: slots,
      channelQuotas: { ctrip: 200, meituan: 100 },
    })
    const bare = await newSite(org, { name: 'Huangshan', city: 'Huangshan', timeSlots: undefined })
    expect(bare).toMatchObject({ timeSlots: [], channelQuotas: {} })
    expect(await idsOf(org.gate, `${org.base}/scenic-sites?city=Huangshan`)).toEqual([bare.id])
    const updated = await ok<Row>(
      org.manager.patch(`${org.base}/scenic-sites/${site.id}`, { dailyCapacity: 600, closesAt: '17:30' }),
    )
    expect(updated).toMatchObject({ dailyCapacity: 600, closesAt: '17:30', timeSlots: slots })
  })

  it('refuses bad slots, hours and quotas, listing each', async () => {
    const org = await organizerWithStaff()
    const bad = await org.manager.post(`${org.base}/scenic-sites`, {
      name: 'X',
      city: 'Y',
      dailyCapacity: 100,
      opensAt: '18:00',
      closesAt: '08:00',
      timeSlots: [
        { code: 'a', start: '10:00', end: '09:00', capacity: 500 },
        { code: 'a', start: '11:00', end: '11:00', capacity: 10 },
        { code: 'b', start: '12:00', end: '13:00', capacity: 100 },
      ],
      channelQuotas: { ctrip: 90, meituan: 20 },
    })
    expect(await pathsOf(bad)).toEqual([
      'json.channelQuotas',
      'json.closesAt',
      'json.timeSlots.0.capacity',
      'json.timeSlots.0.end',
      'json.timeSlots.1.code',
      'json.timeSlots.1.end',
    ])
    const malformed = await org.manager.post(`${org.base}/scenic-sites`, {
      name: 'X',
      city: 'Y',
      dailyCapacity: -1,
      timeSlots: [{ code: 'has space', start: '9:00', end: '24:00', capacity: 1.5 }],
      channelQuotas: { Ctrip: 1 },
    })
    expect(await pathsOf(malformed)).toEqual([
      'json.channelQuotas.Ctrip',
      'json.dailyCapacity',
      'json.timeSlots.0.capacity',
      'json.timeSlots.0.code',
      'json.timeSlots.0.end',
      'json.timeSlots.0.start',
    ])
    const site = await newSite(org)
    // Checked against the updated whole: lowering capacity below a slot's is refused.
    expect(
      await pathsOf(await org.manager.patch(`${org.base}/scenic-sites/${site.id}`, { dailyCapacity: 400 })),
    ).toEqual(['json.timeSlots.1.capacity'])
    expect((await ok(org.manager.get(`${org.base}/scenic-sites/${site.id}`))).dailyCapacity).toBe(1000)
    expect((await ok<Page>(org.manager.get(`${org.base}/scenic-sites`))).items).toHaveLength(1)
  })
})

describe('visit products', () => {
  it('creates products with eligibility and defaults, and filters them', async () => {
    const org = await organizerWithStaff()
    const site = await newSite(org)
    const otherSite = await newSite(org, { name: 'Lingyin' })
    const adult = await newProduct(org, site.id, { timed: true, eligibility: { minAge: 18 } })
    expect(adult).toMatchObject({
      siteId: site.id,
      eligibility: { minAge: 18 },
      validityDays: 1,
      timed: true,
      dailyCapacity: null,
      realNameRequired: true,
      maxPerIdPerDay: 1,
      refundable: true,
      status: 'active',
    })
    const child = await newProduct(org, site.id, {
      name: 'Child',
      ticketType: 'child',
      eligibility: { minHeightCm: 120, maxHeightCm: 150, proof: 'height', note: 'measured at the gate' },
    })
    const boat = await newProduct(org, otherSite.id, {
      name: 'Boat',
      kind: 'attraction',
      ticketType: 'general',
      dailyCapacity: 80,
    })
    expect(await idsOf(org.gate, `${org.base}/visit-products?siteId=${site.id}`)).toEqual(
      [adult.id, child.id].sort(),
    )
    expect(await idsOf(org.gate, `${org.base}/visit-products?kind=attraction`)).toEqual([boat.id])
    expect(await idsOf(org.gate, `${org.base}/visit-products?ticketType=child`)).toEqual([child.id])
    expect(await idsOf(org.gate, `${org.base}/visit-products?siteId=${site.id}&kind=attraction`)).toEqual([])
  })

  it('refuses inverted eligibility ranges, timed products without slots and foreign sites', async () => {
    const org = await organizerWithStaff()
    const other = await organizerWithStaff()
    const site = await newSite(org)
    const slotless = await newSite(org, { timeSlots: [] })
    const post = (body: Record<string, unknown>) => org.manager.post(`${org.base}/visit-products`, body)
    expect(
      await pathsOf(
        await post(
          productBody(site.id, {
            eligibility: { minAge: 70, maxAge: 60, minHeightCm: 150, maxHeightCm: 120 },
          }),
        ),
      ),
    ).toEqual(['json.eligibility.maxAge', 'json.eligibility.maxHeightCm'])
    const timed = await post(productBody(slotless.id, { timed: true }))
    expect((await problemOf(timed)).errors).toEqual([
      { path: 'json.timed', message: 'the site has no time slots to pick from' },
    ])
    await ok(post(productBody(slotless.id, { timed: false })), 201)
    const foreignSite = await newSite(other)
    expect((await problemOf(await post(productBody(foreignSite.id)))).errors).toEqual([
      { path: 'json.siteId', message: `no scenic site ${foreignSite.id} in this organizer` },
    ])
    expect(
      await pathsOf(
        await post(
          productBody(site.id, { ticketType: 'vip', price: 10.5, kind: 'ride', eligibility: { minAge: -1 } }),
        ),
      ),
    ).toEqual(['json.eligibility.minAge', 'json.kind', 'json.price', 'json.ticketType'])
    const product = await newProduct(org, site.id)
    expect(
      await pathsOf(
        await org.manager.patch(`${org.base}/visit-products/${product.id}`, {
          siteId: slotless.id,
          timed: true,
        }),
      ),
    ).toEqual(['json.timed'])
    expect(await idsOf(org.gate, `${org.base}/visit-products?siteId=${site.id}`)).toEqual([product.id])
  })
})

describe('parent-child rules', () => {
  async function siteWithProducts(org: OrganizerFixture) {
    const site = await newSite(org)
    const gate = await newProduct(org, site.id)
    const cableCar = await newProduct(org, site.id, {
      name: 'Cable car',
      kind: 'attraction',
      ticketType: 'general',
    })
    const show = await newProduct(org, site.id, { name: 'Show', kind: 'show', ticketType: 'general' })
    return { site, gate, cableCar, show }
  }
  const ruleOf = (siteId: string, parentProductId: string, childProductId: string, extra = {}) => ({
    siteId,
    parentProductId,
    childProductId,
    ...extra,
  })

  it('binds a child product to an entry ticket of the same site', async () => {
    const org = await organizerWithStaff()
    const { site, gate, cableCar, show } = await siteWithProducts(org)
    const rule = await ok<Row>(
      org.manager.post(`${org.base}/parent-child-rules`, ruleOf(site.id, gate.id, cableCar.id)),
      201,
    )
    expect(rule).toMatchObject({ matchBy: 'phone_or_id_number', onParentRefund: 'block' })
    const cascade = await ok<Row>(
      org.manager.post(
        `${org.base}/parent-child-rules`,
        ruleOf(site.id, gate.id, show.id, { matchBy: 'id_number', onParentRefund: 'cascade' }),
      ),
      201,
    )
    expect(cascade).toMatchObject({ matchBy: 'id_number', onParentRefund: 'cascade' })
    expect(await idsOf(org.gate, `${org.base}/parent-child-rules?siteId=${site.id}`)).toEqual(
      [rule.id, cascade.id].sort(),
    )
    const publicSite = await ok(new ApiClient().get(`/api/scenic-sites/${site.id}`))
    expect(publicSite.products.find((p: Row) => p.id === cableCar.id).requiresParent).toEqual([gate.id])
  })

  it('refuses a parent that is not an entry ticket, a product bound to itself and other sites’ products', async () => {
    const org = await organizerWithStaff()
    const { site, gate, cableCar, show } = await siteWithProducts(org)
    const elsewhere = await siteWithProducts(org)
    const post = (body: Record<string, unknown>) => org.manager.post(`${org.base}/parent-child-rules`, body)
    expect((await problemOf(await post(ruleOf(site.id, show.id, cableCar.id)))).errors).toEqual([
      { path: 'json.parentProductId', message: 'the parent must be an entry (gate) ticket' },
    ])
    expect((await problemOf(await post(ruleOf(site.id, gate.id, gate.id)))).errors).toEqual([
      { path: 'json.childProductId', message: 'must differ from the parent' },
    ])
    expect(await pathsOf(await post(ruleOf(site.id, elsewhere.gate.id, cableCar.id)))).toEqual([
      'json.parentProductId',
    ])
    expect((await problemOf(await post(ruleOf(site.id, gate.id, elsewhere.cableCar.id)))).errors).toEqual([
      { path: 'json.childProductId', message: 'belongs to another site' },
    ])
    expect(await pathsOf(await post(ruleOf(site.id, gate.id, 'prd_nope')))).toEqual(['json.childProductId'])
    expect(await idsOf(org.manager, `${org.base}/parent-child-rules`)).toEqual([])
  })

  it('refuses the same parent-child pair twice with 409 conflict', async () => {
    const org = await organizerWithStaff()
    const { site, gate, cableCar } = await siteWithProducts(org)
    const first = await ok<Row>(
      org.manager.post(`${org.base}/parent-child-rules`, ruleOf(site.id, gate.id, cableCar.id)),
      201,
    )
    const again = await org.manager.post(
      `${org.base}/parent-child-rules`,
      ruleOf(site.id, gate.id, cableCar.id, { onParentRefund: 'cascade' }),
    )
    expect(again.status).toBe(409)
    expect((await problemOf(again)).code).toBe('conflict')
    expect(await idsOf(org.manager, `${org.base}/parent-child-rules`)).toEqual([first.id])
  })
})

describe('packages', () => {
  it('bundles products of one site', async () => {
    const org = await organizerWithStaff()
    const site = await newSite(org)
    const gate = await newProduct(org, site.id)
    const boat = await newProduct(org, site.id, { name: 'Boat', kind: 'attraction', ticketType: 'general' })
    const pkg = await ok<Row>(
      org.manager.post(`${org.base}/packages`, {
        siteId: site.id,
        name: 'Family day',
        price: 30000,
        components: [
          { productId: gate.id, quantity: 2 },
          { productId: boat.id, quantity: 1 },
        ],
      }),
      201,
    )
    expect(pkg).toMatchObject({
      siteId: site.id,
      status: 'active',
      components: [
        { productId: gate.id, quantity: 2 },
        { productId: boat.id, quantity: 1 },
      ],
    })
    expect(await idsOf(org.gate, `${org.base}/packages?siteId=${site.id}`)).toEqual([pkg.id])
  })

  it('refuses duplicate, missing and other sites’ components', async () => {
    const org = await organizerWithStaff()
    const other = await organizerWithStaff()
    const site = await newSite(org)
    const elsewhere = await newSite(org, { name: 'Elsewhere' })
    const gate = await newProduct(org, site.id)
    const boat = await newProduct(org, site.id, { name: 'Boat', kind: 'attraction', ticketType: 'general' })
    const far = await newProduct(org, elsewhere.id)
    const foreign = await newProduct(other, await newSite(other).then((s) => s.id))
    const post = (components: unknown) =>
      org.manager.post(`${org.base}/packages`, { siteId: site.id, name: 'P', price: 1, components })
    expect(
      (
        await problemOf(
          await post([
            { productId: gate.id, quantity: 1 },
            { productId: boat.id, quantity: 1 },
            { productId: gate.id, quantity: 2 },
          ]),
        )
      ).errors,
    ).toEqual([{ path: 'json.components.2.productId', message: 'listed twice' }])
    expect(
      (
        await problemOf(
          await post([
            { productId: gate.id, quantity: 1 },
            { productId: far.id, quantity: 1 },
          ]),
        )
      ).errors,
    ).toEqual([{ path: 'json.components.1.productId', message: 'belongs to another site' }])
    expect((await problemOf(await post([{ productId: foreign.id, quantity: 1 }]))).errors).toEqual([
      { path: 'json.components.0.productId', message: `no visit product ${foreign.id} in this organizer` },
    ])
    expect(await pathsOf(await post([]))).toEqual(['json.components'])
    expect(await pathsOf(await post([{ productId: gate.id, quantity: 0 }]))).toEqual([
      'json.components.0.quantity',
    ])
    const pkg = await ok<Row>(post([{ productId: gate.id, quantity: 1 }]), 201)
    const dup = await org.manager.patch(`${org.base}/packages/${pkg.id}`, {
      components: [
        { productId: boat.id, quantity: 1 },
        { productId: boat.id, quantity: 1 },
      ],
    })
    expect(await pathsOf(dup)).toEqual(['json.components.1.productId'])
    expect(await idsOf(org.manager, `${org.base}/packages`)).toEqual([pkg.id])
    expect((await ok(org.manager.get(`${org.base}/packages/${pkg.id}`))).components).toEqual([
      { productId: gate.id, quantity: 1 },
    ])
  })
})

describe('sales channels', () => {
  it('creates channels with defaults and filters by kind and active', async () => {
    const org = await organizerWithStaff()
    const ctrip = await ok<Row>(
      org.owner.post(`${org.base}/sales-channels`, {
        name: 'Ctrip',
        code: 'ctrip',
        kind: 'ota',
        commissionBps: 800,
      }),
      201,
    )
    expect(ctrip).toMatchObject({ code: 'ctrip', active: true, commissionBps: 800 })
    const kiosk = await ok<Row>(
      org.owner.post(`${org.base}/sales-channels`, {
        name: 'Kiosk',
        code: 'kiosk-1',
        kind: 'kiosk',
        active: false,
      }),
      201,
    )
    expect(kiosk.commissionBps).toBe(0)
    expect(await idsOf(org.manager, `${org.base}/sales-channels?kind=ota`)).toEqual([ctrip.id])
    expect(await idsOf(org.manager, `${org.base}/sales-channels?active=false`)).toEqual([kiosk.id])
    expect(await idsOf(org.manager, `${org.base}/sales-channels?active=true&kind=kiosk`)).toEqual([])
  })

  it('keeps codes unique per organizer (409 conflict), not across organizers', async () => {
    const org = await organizerWithStaff()
    const other = await organizerWithStaff()
    const body = { name: 'Ctrip', code: 'ctrip', kind: 'ota' }
    const first = await ok<Row>(org.owner.post(`${org.base}/sales-channels`, body), 201)
    const again = await org.owner.post(`${org.base}/sales-channels`, { ...body, name: 'Ctrip 2' })
    expect(again.status).toBe(409)
    expect((await problemOf(again)).code).toBe('conflict')
    await ok(other.owner.post(`${other.base}/sales-channels`, body), 201)
    const meituan = await ok<Row>(
      org.owner.post(`${org.base}/sales-channels`, { name: 'Meituan', code: 'meituan', kind: 'ota' }),
      201,
    )
    const rename = await org.owner.patch(`${org.base}/sales-channels/${meituan.id}`, { code: 'ctrip' })
    expect((await problemOf(rename)).code).toBe('conflict')
    expect((await ok(org.owner.get(`${org.base}/sales-channels/${meituan.id}`))).code).toBe('meituan')
    expect(await idsOf(org.owner, `${org.base}/sales-channels`)).toEqual([first.id, meituan.id].sort())
    expect(
      await pathsOf(
        await org.owner.post(`${org.base}/sales-channels`, {
          name: 'X',
          code: 'Bad Code',
          kind: 'fax',
          commissionBps: 10_001,
        }),
      ),
    ).toEqual(['json.code', 'json.commissionBps', 'json.kind'])
  })

  it('lets only owners write; managers read; gate staff neither', async () => {
    const org = await organizerWithStaff()
    const channel = await ok<Row>(
      org.owner.post(`${org.base}/sales-channels`, { name: 'Ctrip', code: 'ctrip', kind: 'ota' }),
      201,
    )
    const path = `${org.base}/sales-channels`
    for (const client of [org.manager, org.gate]) {
      for (const res of [
        await client.post(path, { name: 'K', code: 'kiosk', kind: 'kiosk' }),
        await client.patch(`${path}/${channel.id}`, { commissionBps: 0 }),
        await client.delete(`${path}/${channel.id}`),
      ]) {
        expect(res.status).toBe(403)
        expect((await problemOf(res)).code).toBe('forbidden')
      }
    }
    expect(await idsOf(org.manager, path)).toEqual([channel.id])
    expect((await ok(org.manager.get(`${path}/${channel.id}`))).name).toBe('Ctrip')
    expect((await org.gate.get(path)).status).toBe(403)
    expect((await ok<Row>(org.owner.patch(`${path}/${channel.id}`, { active: false }))).active).toBe(false)
    expect((await org.owner.delete(`${path}/${channel.id}`)).status).toBe(204)
  })
})

describe('deleting records in use', () => {
  it('answers 409 conflict while a show uses the venue or event, and deletes once it is gone', async () => {
    const org = await organizerWithStaff()
    const venue = await venueWithChart(org)
    const event = await newEvent(org)
    const show = await ok<Row>(org.manager.post(`${org.base}/shows`, showBody(event.id, venue.id)), 201)
    for (const path of [`venues/${venue.id}`, `events/${event.id}`]) {
      const res = await org.owner.delete(`${org.base}/${path}`)
      expect(res.status).toBe(409)
      expect((await problemOf(res)).code).toBe('conflict')
      expect((await org.owner.get(`${org.base}/${path}`)).status).toBe(200)
    }
    expect((await org.owner.delete(`${org.base}/shows/${show.id}`)).status).toBe(204)
    expect((await org.owner.delete(`${org.base}/venues/${venue.id}`)).status).toBe(204)
    expect((await org.owner.delete(`${org.base}/events/${event.id}`)).status).toBe(204)
  })

  it('answers 409 conflict while products or rules use a site or product', async () => {
    const org = await organizerWithStaff()
    const catalogue = await fullCatalogue(org)
    for (const path of [
      `scenic-sites/${catalogue['scenic-sites'].id}`,
      `visit-products/${catalogue['visit-products'].id}`,
    ]) {
      const res = await org.owner.delete(`${org.base}/${path}`)
      expect(res.status).toBe(409)
      expect((await problemOf(res)).code).toBe('conflict')
    }
    expect(
      (await org.owner.delete(`${org.base}/parent-child-rules/${catalogue['parent-child-rules'].id}`)).status,
    ).toBe(204)
    expect((await ok<Page>(org.owner.get(`${org.base}/visit-products`))).items).toHaveLength(2)
  })
})

describe('catalogue: security', () => {
  it('answers 401 unauthorized on every resource without a session', async () => {
    const org = await organizerWithStaff()
    const catalogue = await fullCatalogue(org)
    const anonymous = new ApiClient()
    for (const resource of resources) {
      const id = catalogue[resource].id
      for (const res of [
        await anonymous.get(`${org.base}/${resource}`),
        await anonymous.get(`${org.base}/${resource}/${id}`),
        await anonymous.post(`${org.base}/${resource}`, {}),
        await anonymous.patch(`${org.base}/${resource}/${id}`, {}),
        await anonymous.delete(`${org.base}/${resource}/${id}`),
      ]) {
        expect(res.status, resource).toBe(401)
        expect((await problemOf(res)).code).toBe('unauthorized')
      }
    }
    expect((await ok<Page>(org.owner.get(`${org.base}/events`))).items).toHaveLength(1)
  })

  it('answers 403 forbidden to a manager of another organizer on list, get, create, update and delete', async () => {
    const a = await organizerWithStaff()
    const b = await organizerWithStaff()
    const catalogue = await fullCatalogue(a)
    for (const resource of resources) {
      const id = catalogue[resource].id
      for (const res of [
        await b.manager.get(`${a.base}/${resource}`),
        await b.manager.get(`${a.base}/${resource}/${id}`),
        await b.manager.post(`${a.base}/${resource}`, { name: 'intruder' }),
        await b.manager.patch(`${a.base}/${resource}/${id}`, { name: 'intruder' }),
        await b.manager.delete(`${a.base}/${resource}/${id}`),
      ]) {
        expect(res.status, resource).toBe(403)
        expect((await problemOf(res)).code).toBe('forbidden')
      }
      const list = await ok<Page>(a.owner.get(`${a.base}/${resource}`))
      expect(
        list.items.map((item) => item.id),
        resource,
      ).toContain(id)
      expect(list.items.some((item) => item.name === 'intruder')).toBe(false)
    }
  })

  it('lets gate staff read events, shows and the scenic catalogue but change nothing', async () => {
    const org = await organizerWithStaff()
    const catalogue = await fullCatalogue(org)
    for (const resource of [
      'events',
      'shows',
      'scenic-sites',
      'visit-products',
      'parent-child-rules',
      'packages',
    ] as const) {
      const id = catalogue[resource].id
      expect(await idsOf(org.gate, `${org.base}/${resource}`), resource).toContain(id)
      expect((await ok<Row>(org.gate.get(`${org.base}/${resource}/${id}`))).id).toBe(id)
      for (const res of [
        await org.gate.post(`${org.base}/${resource}`, {}),
        await org.gate.patch(`${org.base}/${resource}/${id}`, {}),
        await org.gate.delete(`${org.base}/${resource}/${id}`),
      ]) {
        expect(res.status, resource).toBe(403)
        expect((await problemOf(res)).code).toBe('forbidden')
      }
    }
    // Venues are not for gate staff at all.
    expect((await org.gate.get(`${org.base}/venues`)).status).toBe(403)
    const event = catalogue.events
    expect(await ok(org.owner.get(`${org.base}/events/${event.id}`))).toEqual(event)
  })

  it('finds nothing (404) for another organizer’s record ids under one’s own path', async () => {
    const a = await organizerWithStaff()
    const b = await organizerWithStaff()
    const theirs = await fullCatalogue(a)
    for (const resource of resources) {
      const id = theirs[resource].id
      for (const res of [
        await b.owner.get(`${b.base}/${resource}/${id}`),
        await b.owner.patch(`${b.base}/${resource}/${id}`, { name: 'stolen' }),
        await b.owner.delete(`${b.base}/${resource}/${id}`),
      ]) {
        expect(res.status, resource).toBe(404)
        expect((await problemOf(res)).code).toBe('not_found')
      }
      expect(await idsOf(b.owner, `${b.base}/${resource}`)).toEqual([])
      expect(await ok(a.owner.get(`${a.base}/${resource}/${id}`)), resource).toEqual(theirs[resource])
    }
  })

  it('refuses references to another organizer’s records everywhere', async () => {
    const a = await organizerWithStaff()
    const b = await organizerWithStaff()
    const mine = await fullCatalogue(a)
    const theirs = await fullCatalogue(b)
    const post = (resource: string, body: Record<string, unknown>) =>
      a.manager.post(`${a.base}/${resource}`, body)
    expect(await pathsOf(await post('shows', showBody(theirs.events.id, mine.venues.id)))).toEqual([
      'json.eventId',
    ])
    expect(await pathsOf(await post('visit-products', productBody(theirs['scenic-sites'].id)))).toEqual([
      'json.siteId',
    ])
    expect(
      await pathsOf(
        await post('parent-child-rules', {
          siteId: mine['scenic-sites'].id,
          parentProductId: theirs['visit-products'].id,
          childProductId: mine.boat.id,
        }),
      ),
    ).toEqual(['json.parentProductId'])
    expect(
      await pathsOf(
        await post('parent-child-rules', {
          siteId: theirs['scenic-sites'].id,
          parentProductId: theirs['visit-products'].id,
          childProductId: theirs.boat.id,
        }),
      ),
    ).toEqual(['json.siteId'])
    expect(
      await pathsOf(
        await post('packages', {
          siteId: mine['scenic-sites'].id,
          name: 'P',
          price: 1,
          components: [{ productId: theirs.boat.id, quantity: 1 }],
        }),
      ),
    ).toEqual(['json.components.0.productId'])
    expect(await idsOf(a.owner, `${a.base}/shows`)).toEqual([mine.shows.id])
    expect(await idsOf(a.owner, `${a.base}/packages`)).toEqual([mine.packages.id])
  })
})

describe('organizers', () => {
  it('shows staff only their organizers; only owners update one; only platform admins create one', async () => {
    const a = await organizerWithStaff()
    await organizerWithStaff()
    const mine = await ok<Page>(a.manager.get('/api/admin/organizers'))
    expect(mine.items.map((o) => o.id)).toEqual([a.organizerId])
    const create = await a.owner.post('/api/admin/organizers', { name: 'New', slug: 'new-org' })
    expect(create.status).toBe(403)
    expect((await problemOf(create)).code).toBe('forbidden')
    expect((await a.manager.patch(`/api/admin/organizers/${a.organizerId}`, { name: 'x' })).status).toBe(403)
    expect(
      (await ok<Row>(a.owner.patch(`/api/admin/organizers/${a.organizerId}`, { allowGuestCheckout: false })))
        .allowGuestCheckout,
    ).toBe(false)
  })
})
