import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import { ApiClient, problemOf } from '../support/api.ts'
import { gridChart, ok, showOnSale } from '../support/catalogue.ts'
import { AddressedClient, uniqueAddress } from '../support/clients.ts'

const inventory = (showId: string) => env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))

describe('seats in a category without a price on the show', () => {
  it('security: seats re-categorised into a category the show has no price for are refused, never sold for 0', async () => {
    const show = await showOnSale(gridChart(2, 10))
    // The organizer adds a category to the venue and moves three seats into it; the show has no price for it.
    const venue = await ok(show.owner.get(`${show.base}/venues/${show.venueId}`))
    await ok(
      show.owner.patch(`${show.base}/venues/${show.venueId}`, {
        priceCategories: [...venue.priceCategories, { code: 'X', name: 'Extra', color: '#123456' }],
      }),
    )
    const moved = show.seatIds.slice(0, 3)
    await ok(show.owner.patch(`${show.base}/venues/${show.venueId}/seats`, { seatIds: moved, category: 'X' }))

    const buyer = new ApiClient()
    const res = await buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: moved.slice(0, 2) })
    expect(res.status).toBe(409)
    expect(await problemOf(res)).toMatchObject({ code: 'seats_not_priced', unavailable: moved.slice(0, 2) })
    // All or nothing: one unpriced seat among priced ones refuses the hold.
    const mixed = await buyer.post(`/api/shows/${show.showId}/holds`, {
      seatIds: [moved[2], show.seatIds[5]],
    })
    expect(await problemOf(mixed)).toMatchObject({ code: 'seats_not_priced', unavailable: [moved[2]] })
    const best = await buyer.post(`/api/shows/${show.showId}/holds`, { best: { category: 'X', quantity: 1 } })
    expect(best.status).toBe(400)
    expect((await inventory(show.showId).counts(show.showId)).memory.held).toBe(0)

    // Not for sale where buyers look: blocked on the map, no such category in availability.
    const map = await ok(buyer.get(`/api/shows/${show.showId}/seat-map`))
    const states = new Map(map.seats.map((s: { id: string; state: string }) => [s.id, s.state]))
    for (const id of moved) expect(states.get(id)).toBe('blocked')
    expect(map.categories.map((c: { code: string }) => c.code)).toEqual(['A'])
    // Priced seats sell at their price.
    const hold = await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[5]] }), 201)
    expect(hold.total).toBe(10000)

    // Once the organizer prices the category, its seats sell at that price.
    await ok(show.owner.patch(`${show.base}/shows/${show.showId}`, { prices: { A: 10000, X: 7000 } }))
    const priced = await ok(new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: moved }), 201)
    expect(priced.total).toBe(21000)
  })
})

/** Opens the live seat map over a real WebSocket upgrade through the worker. */
function openLive(showId: string, address?: string) {
  const client = address ? new AddressedClient(address) : new ApiClient()
  return client.fetch(`/api/shows/${showId}/live`, { headers: { upgrade: 'websocket' } })
}

async function accepted(res: Response) {
  expect(res.status).toBe(101)
  const ws = res.webSocket!
  ws.accept()
  return ws
}

describe('live seat-map viewers', () => {
  it('security: caps viewers per network address (429) and per show (503), with Retry-After', async () => {
    const show = await showOnSale(gridChart(2, 10))
    const home = uniqueAddress()
    // Test configuration: 4 per address, 12 per show (5,000 and 20 by default).
    const mine = await Promise.all(
      Array.from({ length: 4 }, async () => accepted(await openLive(show.showId, home))),
    )
    const fifth = await openLive(show.showId, home)
    expect(fifth.status).toBe(429)
    expect(fifth.webSocket).toBeNull()
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await problemOf(fifth)).toMatchObject({ code: 'viewer_limit', scope: 'client', limit: 4 })

    // Others still get in, up to the show's cap.
    const others = await Promise.all(
      Array.from({ length: 8 }, async () => accepted(await openLive(show.showId, uniqueAddress()))),
    )
    const full = await openLive(show.showId, uniqueAddress())
    expect(full.status).toBe(503)
    expect(await problemOf(full)).toMatchObject({ code: 'viewer_limit', scope: 'show', limit: 12 })
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThan(0)
    const anonymous = await openLive(show.showId)
    expect(anonymous.status).toBe(503)

    // A viewer leaving makes room again.
    mine[0]!.close(1000, 'bye')
    await vi.waitFor(async () => expect((await openLive(show.showId, home)).status).toBe(101), {
      timeout: 5_000,
      interval: 100,
    })
    for (const ws of [...mine, ...others]) ws.close(1000, 'bye')
  })
})
