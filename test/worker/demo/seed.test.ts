import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { demoIds } from '../../../worker/demo/demo-data.ts'
import { demoKiosk } from '../../../worker/demo/kiosk.ts'
import { loadDemo } from '../../../worker/demo/seed.ts'
import { ApiClient, signIn } from '../../support/api.ts'
import { ok } from '../../support/catalogue.ts'

const count = async (table: string) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<number>('n')) ?? 0
const tables = [
  'organizers',
  'staff_users',
  'memberships',
  'venues',
  'seats',
  'events',
  'shows',
  'scenic_sites',
  'visit_products',
  'parent_child_rules',
  'packages',
  'sales_channels',
  'kiosk_devices',
  'kiosk_alerts',
]

describe('demo data', () => {
  it('loads a 2,000+ seat hall, a cinema, a scenic site with a cable car bound to its gate tickets, idempotently', async () => {
    const first = await loadDemo(env.DB, { ownerEmail: 'owner@demo.local', password: 'demo-password-2026' })
    expect(first.created).toBe(true)
    const hall = first.seats.find((s) => s.venueId === demoIds.concertHall)!
    expect(hall.seatCount).toBeGreaterThanOrEqual(2000)
    const before = Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)])))

    const second = await loadDemo(env.DB, { ownerEmail: 'owner@demo.local', password: 'demo-password-2026' })
    expect(second.created).toBe(false)
    const after = Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)])))
    expect(after).toEqual(before)

    const owner = await signIn('owner@demo.local', 'demo-password-2026')
    const base = `/api/admin/organizers/${demoIds.organizer}`
    const venue = await ok(owner.get(`${base}/venues/${demoIds.concertHall}`))
    expect(venue.priceCategories.map((c: { code: string }) => c.code)).toEqual(['VIP', 'A', 'B', 'C'])
    const concert = await ok(owner.get(`${base}/shows/${demoIds.concertShow}`))
    const startsIn = Date.parse(concert.startsAt) - Date.now()
    expect(startsIn).toBeGreaterThan(0)
    expect(startsIn).toBeLessThan(62 * 24 * 3600_000)
    const screenings = await ok(owner.get(`${base}/shows?venueId=${demoIds.cinemaHall}`))
    expect(screenings.items).toHaveLength(6)
    const rules = await ok(owner.get(`${base}/parent-child-rules?siteId=${demoIds.scenicSite}`))
    expect(
      rules.items.every((r: { childProductId: string }) => r.childProductId === demoIds.products.cableCar),
    ).toBe(true)
    expect(rules.items.map((r: { parentProductId: string }) => r.parentProductId).sort()).toEqual(
      [
        demoIds.products.adult,
        demoIds.products.child,
        demoIds.products.senior,
        demoIds.products.student,
      ].sort(),
    )
    const products = await ok(owner.get(`${base}/visit-products?siteId=${demoIds.scenicSite}&kind=entry`))
    expect(products.items.map((p: { ticketType: string }) => p.ticketType).sort()).toEqual([
      'adult',
      'child',
      'senior',
      'student',
    ])
    const site = await ok(owner.get(`${base}/scenic-sites/${demoIds.scenicSite}`))
    expect(site.timeSlots.length).toBeGreaterThanOrEqual(8)
    // A kiosk at the east gate, low on paper: the console lists it with its open alert.
    const kiosks = await ok(owner.get(`${base}/kiosks`))
    expect(kiosks.items).toEqual([
      expect.objectContaining({
        id: demoKiosk.id,
        siteId: demoIds.scenicSite,
        paperLevel: 12,
        openAlerts: [expect.objectContaining({ kind: 'paper_low' })],
      }),
    ])

    // The demo show is bookable end to end: best available on the real inventory.
    const hold = await ok(
      owner.post(`/api/shows/${demoIds.concertShow}/holds`, {
        best: { category: 'VIP', quantity: 2 },
        idNumbers: ['11010519491231002X', '110101199003078515'],
      }),
      201,
    )
    expect(hold.seats).toHaveLength(2)
    expect(hold.seats[0].section).toBe('Stalls')
    expect(hold.seats[0].row).toBe('A')
  })
})

describe('demo data in two languages', () => {
  it('names events, price zones, scenic tickets and packages in Chinese, each with an English name beside it', async () => {
    await loadDemo(env.DB, { ownerEmail: 'owner@demo.local', password: 'demo-password-2026' })
    const buyer = new ApiClient()
    const concert = await ok(buyer.get(`/api/shows/${demoIds.concertShow}`))
    expect(concert).toMatchObject({ eventName: '新年交响音乐会', eventNameEn: 'New Year Symphony Gala' })
    expect(
      concert.categories.map((c: { code: string; name: string; nameEn?: string }) => [
        c.code,
        c.name,
        c.nameEn,
      ]),
    ).toEqual([
      ['VIP', '特等', 'VIP'],
      ['A', '甲等', 'Zone A'],
      ['B', '乙等', 'Zone B'],
      ['C', '丙等', 'Zone C'],
    ])
    const listing = await ok(buyer.get('/api/listings'))
    expect(listing.events.map((e: { name: string; nameEn: string }) => [e.name, e.nameEn]).sort()).toEqual([
      ['城市之光跨年演唱会', 'City Lights Countdown Live'],
      ['新年交响音乐会', 'New Year Symphony Gala'],
      ['星河巡回演唱会', 'Galaxy Tour Live'],
      ['星际远航', 'Voyage Beyond'],
      ['港湾爵士之夜', 'Harbour Jazz Night'],
    ])
    // A buyer may search by either name.
    const found = await ok(buyer.get('/api/listings?q=Voyage'))
    expect(found.events.map((e: { name: string }) => e.name)).toEqual(['星际远航'])
    const site = await ok(buyer.get(`/api/scenic-sites/${demoIds.scenicSite}`))
    const cableCar = site.products.find((p: { id: string }) => p.id === demoIds.products.cableCar)
    expect(cableCar).toMatchObject({ name: '索道票', nameEn: 'Summit cable car' })
    expect(site.packages[0]).toMatchObject({ name: '门票+索道套票', nameEn: 'Gate + cable car' })
    // Places, the campaign and the channels: named in Chinese first, each with its English name.
    expect(site).toMatchObject({ name: '云雾山景区', nameEn: 'Misty Mountain Scenic Area' })
    const concertCard = listing.events.find((e: { name: string }) => e.name === '新年交响音乐会')
    expect([concertCard.venues, concertCard.venuesEn]).toEqual([['港湾音乐厅'], ['Harbour Concert Hall']])
    expect(concertCard.shows[0]).toMatchObject({
      venueName: '港湾音乐厅',
      venueNameEn: 'Harbour Concert Hall',
    })
    expect(listing.sites[0]).toMatchObject({ name: '云雾山景区', nameEn: 'Misty Mountain Scenic Area' })
    // Sections and cities too: 池座 / Stalls on the concert hall's map (its seats keep the key), 上海 / Shanghai.
    const map = await ok(buyer.get(`/api/shows/${demoIds.concertShow}/seat-map`))
    expect([...map.sections].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'Balcony', name: '三层楼座', nameEn: 'Balcony' },
      { key: 'Circle', name: '二层楼座', nameEn: 'Circle' },
      { key: 'Stalls', name: '池座', nameEn: 'Stalls' },
    ])
    expect(map.seats.filter((seat: { label: string }) => seat.label.startsWith('Stalls-'))).toHaveLength(800)
    // The arena is over 5,000 seats: its map answers an overview, and a section's seats on their own.
    const owner = await signIn('owner@demo.local', 'demo-password-2026')
    const arenaVenue = await ok(
      owner.get(`/api/admin/organizers/${demoIds.organizer}/venues/${demoIds.arena}`),
    )
    expect(arenaVenue.seatCount).toBe(6000)
    const arena = await ok(buyer.get(`/api/shows/${demoIds.arenaShow}/seat-map`))
    expect(arena.layout).toBe('sections')
    expect(arena.areas.map((a: { key: string; seats: number }) => [a.key, a.seats])).toEqual([
      ['Floor', 1200],
      ['Lower', 2400],
      ['Upper', 2400],
    ])
    const floor = await ok(buyer.get(`/api/shows/${demoIds.arenaShow}/seat-map/sections/Floor`))
    expect(floor.seats).toHaveLength(1200)
    expect(new Set(floor.seats.map((seat: { section: string }) => seat.section))).toEqual(new Set(['Floor']))
    expect(concert).toMatchObject({ city: '上海', cityEn: 'Shanghai' })
    expect(site).toMatchObject({ city: '杭州', cityEn: 'Hangzhou' })
    expect([concertCard.cities, concertCard.citiesEn]).toEqual([['上海'], ['Shanghai']])
    expect(listing.cityNames).toEqual(
      expect.arrayContaining([
        { name: '上海', nameEn: 'Shanghai' },
        { name: '杭州', nameEn: 'Hangzhou' },
      ]),
    )
    const campaign = await ok(buyer.get(`/api/group-buys/campaigns/${demoIds.groupBuyCampaign}`))
    expect(campaign).toMatchObject({
      name: '星际远航 · 三人成团',
      nameEn: 'Voyage Beyond · groups of three',
    })
  })

  it('names the demo sales channels in Chinese with their English names', async () => {
    await loadDemo(env.DB, { ownerEmail: 'owner@demo.local', password: 'demo-password-2026' })
    const owner = await signIn('owner@demo.local', 'demo-password-2026')
    const channels = await ok(owner.get(`/api/admin/organizers/${demoIds.organizer}/sales-channels?limit=50`))
    expect(
      channels.items
        .map((c: { code: string; name: string; nameEn: string }) => [c.code, c.name, c.nameEn])
        .sort(),
    ).toEqual([
      ['box_office', '售票窗口', 'Box office'],
      ['ctrip', '携程', 'Ctrip'],
      ['kiosk', '自助机', 'Gate kiosks'],
      ['meituan', '美团', 'Meituan'],
      ['web', '官网', 'Own website'],
    ])
  })

  it('has a box-office clerk who sells at the window (and only there)', async () => {
    await loadDemo(env.DB, { ownerEmail: 'owner@demo.local', password: 'demo-password-2026' })
    const clerk = await signIn('box@demo.local', 'demo-password-2026')
    const catalogue = await ok(clerk.get(`/api/box/organizers/${demoIds.organizer}/catalogue`))
    expect(catalogue.shows.length).toBeGreaterThan(0)
    expect(catalogue.sites.map((s: { id: string }) => s.id)).toContain(demoIds.scenicSite)
    expect((await clerk.get(`/api/admin/organizers/${demoIds.organizer}/staff`)).status).toBe(403)
  })

  it('lets an organizer set, change and clear the English name beside the main one', async () => {
    await loadDemo(env.DB, { ownerEmail: 'owner@demo.local', password: 'demo-password-2026' })
    const owner = await signIn('owner@demo.local', 'demo-password-2026')
    const base = `/api/admin/organizers/${demoIds.organizer}`
    const product = `${base}/visit-products/${demoIds.products.cableCar}`
    expect(await ok(owner.patch(product, { nameEn: '  Cable car to the summit ' }))).toMatchObject({
      name: '索道票',
      nameEn: 'Cable car to the summit',
    })
    const site = await ok(new ApiClient().get(`/api/scenic-sites/${demoIds.scenicSite}`))
    expect(site.products.find((p: { id: string }) => p.id === demoIds.products.cableCar).nameEn).toBe(
      'Cable car to the summit',
    )
    // Blank clears it: English pages then fall back to the main name.
    expect((await ok(owner.patch(product, { nameEn: '' }))).nameEn).toBeNull()
    const event = `${base}/events/${demoIds.filmEvent}`
    expect((await ok(owner.patch(event, { nameEn: 'Voyage Beyond (IMAX)' }))).nameEn).toBe(
      'Voyage Beyond (IMAX)',
    )
    const show = await ok(new ApiClient().get(`/api/shows/${demoIds.screenings[0]}`))
    expect(show).toMatchObject({ eventName: '星际远航', eventNameEn: 'Voyage Beyond (IMAX)' })
  })
})
