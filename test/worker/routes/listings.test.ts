import { describe, expect, it } from 'vitest'
import { ApiClient } from '../../support/api.ts'
import { gridChart, ok, scenicSiteOnSale, showOnSale } from '../../support/catalogue.ts'
import { flatPng, posterForm } from '../../support/images.ts'

const hour = 3600_000

describe('the shop home listing', () => {
  it('groups an event’s shows on one card with its poster, from-price and sold-out state', async () => {
    const show = await showOnSale(gridChart(2, 3, ['STD', 'PRM']))
    const name = `Film ${show.organizerId.slice(-6)}`
    await ok(show.owner.patch(`${show.base}/events/${show.eventId}`, { name, kind: 'film' }))
    const poster = await ok(
      show.owner.fetch(`${show.base}/events/${show.eventId}/poster`, {
        method: 'PUT',
        body: posterForm([{ bytes: await flatPng(40, 60), name: 'p.png' }]),
      }),
    )
    const second = await ok(
      show.owner.post(`${show.base}/shows`, {
        eventId: show.eventId,
        venueId: show.venueId,
        startsAt: new Date(Date.now() + 48 * hour).toISOString(),
        saleStartsAt: new Date(Date.now() - hour).toISOString(),
        saleEndsAt: new Date(Date.now() + 47 * hour).toISOString(),
        prices: { STD: 4500, PRM: 6500 },
      }),
      201,
    )
    // The sooner show: every seat held (3 STD at 100.00 and 3 PRM at 200.00 from the fixture's prices).
    const buyer = new ApiClient()
    await ok(buyer.post(`/api/shows/${second.id}/holds`, { seatIds: show.seatIds }), 201)

    const home = await ok(new ApiClient().get(`/api/listings?q=${encodeURIComponent(name)}`))
    expect(home.events).toHaveLength(1)
    const card = home.events[0]
    expect(card).toMatchObject({
      id: show.eventId,
      name,
      kind: 'film',
      poster,
      currency: 'CNY',
      soldOut: false,
    })
    expect(card.shows.map((s: { id: string }) => s.id)).toEqual([second.id, show.showId])
    expect(card.shows[0]).toMatchObject({ soldOut: true, onSale: true })
    // 45.00 is on the sold-out show only; the show with seats left starts at 100.00.
    expect(card.fromPrice).toBe(10000)
    expect(home.sites).toEqual([])

    // Category filters: an event kind lists no sites, `scenic` no events.
    expect(
      (await ok(new ApiClient().get(`/api/listings?kind=concert&q=${encodeURIComponent(name)}`))).events,
    ).toEqual([])
    expect(
      (await ok(new ApiClient().get(`/api/listings?kind=scenic&q=${encodeURIComponent(name)}`))).events,
    ).toEqual([])
  })

  it('marks an event sold out when every show is, and prices scenic sites from their cheapest gate ticket', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const name = `Sold ${show.organizerId.slice(-6)}`
    await ok(show.owner.patch(`${show.base}/events/${show.eventId}`, { name }))
    await ok(new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds }), 201)
    const home = await ok(new ApiClient().get(`/api/listings?q=${encodeURIComponent(name)}`))
    expect(home.events[0]).toMatchObject({ soldOut: true, onSale: false, fromPrice: 10000, poster: null })

    const site = await scenicSiteOnSale()
    const sites = (await ok(new ApiClient().get('/api/listings?kind=scenic&limit=100'))).sites
    const card = sites.find((s: { id: string }) => s.id === site.siteId)
    // Gate adult 120.00, gate child 60.00, cable car 80.00 (not an entry): from 60.00.
    expect(card).toMatchObject({ name: 'Mountain', city: 'Hangzhou', fromPrice: 6000, poster: null })
    expect((await ok(new ApiClient().get('/api/listings'))).cities).toEqual(
      expect.arrayContaining(['Hangzhou', 'Shanghai']),
    )
  })

  it('refuses a bad filter with problem+json', async () => {
    const res = await new ApiClient().get('/api/listings?kind=circus&limit=0')
    expect(res.status).toBe(400)
    const problem = await res.json<{ code: string; errors: { path: string }[] }>()
    expect(problem.code).toBe('validation')
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['query.kind', 'query.limit'])
  })
})
