import { describe, expect, it, vi } from 'vitest'
import { ApiClient, organizerWithStaff, problemOf } from '../../../support/api.ts'
import { gridChart, ok, scenicSiteOnSale, showOnSale } from '../../../support/catalogue.ts'

describe('admin show inventory controls', () => {
  it('blocks seats so buyers cannot hold them, then unblocks', async () => {
    const show = await showOnSale(gridChart(2, 10))
    const path = `${show.base}/shows/${show.showId}`
    const blocked = await ok(
      show.manager.post(`${path}/seat-blocks`, { seatIds: show.seatIds.slice(0, 3), blocked: true }),
    )
    expect(blocked).toEqual({ changed: show.seatIds.slice(0, 3), skipped: [] })
    const refused = await new ApiClient().post(`/api/shows/${show.showId}/holds`, {
      seatIds: [show.seatIds[1]],
    })
    expect((await problemOf(refused)).code).toBe('seats_unavailable')
    const inventory = await ok(show.gate.get(`${path}/inventory`))
    expect(inventory.seats).toMatchObject({ blocked: 3, free: 17 })
    expect(inventory.categories[0]).toMatchObject({ code: 'A', available: 17, total: 20 })
    await ok(show.owner.post(`${path}/seat-blocks`, { seatIds: show.seatIds.slice(0, 3), blocked: false }))
    await ok(new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[1]] }), 201)
  })

  it('reserves seats for a known sales channel only', async () => {
    const show = await showOnSale(gridChart(2, 10))
    const path = `${show.base}/shows/${show.showId}/seat-allocations`
    const unknown = await show.owner.put(path, { seatIds: show.seatIds.slice(0, 2), channel: 'ctrip' })
    expect((await problemOf(unknown)).errors?.[0]?.path).toBe('json.channel')
    await ok(
      show.owner.post(`${show.base}/sales-channels`, { name: 'Ctrip', code: 'ctrip', kind: 'ota' }),
      201,
    )
    expect(
      await ok(show.owner.put(path, { seatIds: [...show.seatIds.slice(0, 2), 'st_nope'], channel: 'ctrip' })),
    ).toEqual({
      allocated: 2,
      unknown: ['st_nope'],
    })
    const web = await new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[0]] })
    expect((await problemOf(web)).code).toBe('seats_unavailable')
  })

  it('enforces roles and organizer boundaries', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const other = await organizerWithStaff()
    const path = `${show.base}/shows/${show.showId}`
    expect(
      (await show.gate.post(`${path}/seat-blocks`, { seatIds: [show.seatIds[0]], blocked: true })).status,
    ).toBe(403)
    expect((await other.manager.get(`${path}/inventory`)).status).toBe(403)
    expect((await other.owner.get(`${other.base}/shows/${show.showId}/inventory`)).status).toBe(404)
    expect((await new ApiClient().get(`${path}/inventory`)).status).toBe(401)
    const bad = await show.owner.post(`${path}/seat-blocks`, { seatIds: [], blocked: 'yes' })
    expect((await problemOf(bad)).errors?.map((e) => e.path).sort()).toEqual(['json.blocked', 'json.seatIds'])
  })
})

describe('admin scenic day quotas', () => {
  it('changes one date’s channel quotas and reports the day', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 50, channelQuotas: { ctrip: 10 } })
    const path = `${site.base}/scenic-sites/${site.siteId}/days/${site.date}`
    const before = await ok(site.manager.get(`${path}/inventory`))
    expect(before.channels).toEqual({ ctrip: { quota: 10, remaining: 10 } })
    expect(before.remaining).toBe(40)
    await ok(site.manager.put(`${path}/quotas`, { quotas: { ctrip: 20, meituan: 5 } }))
    const after = await ok(site.gate.get(`${path}/inventory`))
    expect(after.channels).toEqual({
      ctrip: { quota: 20, remaining: 20 },
      meituan: { quota: 5, remaining: 5 },
    })
    expect(after.remaining).toBe(25)
    const tooMuch = await site.manager.put(`${path}/quotas`, { quotas: { ctrip: 51 } })
    expect((await problemOf(tooMuch)).code).toBe('validation')
    expect((await site.gate.put(`${path}/quotas`, { quotas: {} })).status).toBe(403)
  })
})

describe('catalogue edits reach the live inventory', () => {
  it('applies a new price, sale window and buyer limit to the next holds', async () => {
    const show = await showOnSale(gridChart(1, 10), { maxTicketsPerBuyer: 6 })
    const buyer = new ApiClient()
    const before = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[0]] }),
      201,
    )
    expect(before.total).toBe(10000)
    await ok(show.manager.patch(`${show.base}/shows/${show.showId}`, { prices: { A: 12345 } }))
    const after = await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[1]] }), 201)
    expect(after.total).toBe(12345)
    await ok(show.manager.patch(`${show.base}/events/${show.eventId}`, { maxTicketsPerBuyer: 2 }))
    const limited = await buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[2]] })
    expect((await problemOf(limited)).code).toBe('buyer_limit')
    await ok(
      show.manager.patch(`${show.base}/shows/${show.showId}`, {
        saleStartsAt: new Date(Date.now() + 3_600_000).toISOString(),
        saleEndsAt: new Date(Date.now() + 7_200_000).toISOString(),
      }),
    )
    const closed = await new ApiClient().post(`/api/shows/${show.showId}/holds`, {
      seatIds: [show.seatIds[3]],
    })
    expect((await problemOf(closed)).code).toBe('not_on_sale')
  })
})

describe('scenic catalogue edits reach the day inventory', () => {
  it('applies a new product price and cap within the freshness window, keeping hand-set quotas', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 50, channelQuotas: { ctrip: 10 } })
    const day = `/api/scenic-sites/${site.siteId}/days/${site.date}`
    const line = (n: number) => ({
      productId: site.childProduct,
      slot: '09:00',
      visitor: { phone: `1360000${String(n).padStart(4, '0')}` },
    })
    expect((await ok(new ApiClient().post(`${day}/holds`, { lines: [line(1)] }), 201)).total).toBe(6000)
    await ok(
      site.manager.put(`${site.base}/scenic-sites/${site.siteId}/days/${site.date}/quotas`, {
        quotas: { ctrip: 20 },
      }),
    )
    await ok(
      site.manager.patch(`${site.base}/visit-products/${site.childProduct}`, {
        price: 5500,
        dailyCapacity: 2,
      }),
    )
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 11_000)
    try {
      expect((await ok(new ApiClient().post(`${day}/holds`, { lines: [line(2)] }), 201)).total).toBe(5500)
      const capped = await new ApiClient().post(`${day}/holds`, { lines: [line(3)] })
      expect((await problemOf(capped)).code).toBe('sold_out')
      const status = await ok(
        site.gate.get(`${site.base}/scenic-sites/${site.siteId}/days/${site.date}/inventory`),
      )
      expect(status.channels.ctrip.quota).toBe(20)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('catalogue integrity', () => {
  it('refuses to delete a visit product that a package or a parent-child rule still uses', async () => {
    const site = await scenicSiteOnSale()
    const inPackage = await site.manager.delete(`${site.base}/visit-products/${site.cableCarProduct}`)
    expect(inPackage.status).toBe(409)
    expect((await problemOf(inPackage)).detail).toMatch(/package "Gate \+ cable car"/)
    expect((await site.manager.delete(`${site.base}/packages/${site.packageId}`)).status).toBe(204)
    // Still referenced by the parent-child rule (a real foreign key): also a conflict.
    expect((await site.manager.delete(`${site.base}/visit-products/${site.cableCarProduct}`)).status).toBe(
      409,
    )
    expect((await site.manager.get(`${site.base}/visit-products/${site.cableCarProduct}`)).status).toBe(200)
  })
})
