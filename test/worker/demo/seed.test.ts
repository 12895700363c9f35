import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { demoIds } from '../../../worker/demo/demo-data.ts'
import { loadDemo } from '../../../worker/demo/seed.ts'
import { signIn } from '../../support/api.ts'
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
