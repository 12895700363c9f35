import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiClient, problemOf } from '../support/api.ts'
import { idNumberFor, ok, type ScenicFixture, scenicSiteOnSale, shanghaiDate } from '../support/catalogue.ts'

const day = (site: ScenicFixture, date = site.date) =>
  env.SCENIC_DAY_INVENTORY.get(env.SCENIC_DAY_INVENTORY.idFromName(`${site.siteId}:${date}`))
const holds = (site: ScenicFixture, date = site.date) => `/api/scenic-sites/${site.siteId}/days/${date}/holds`
const childLine = (site: ScenicFixture, n: number, slot = '09:00') => ({
  productId: site.childProduct,
  slot,
  visitor: { phone: `1350000${String(n).padStart(4, '0')}` },
})

afterEach(() => vi.useRealTimers())

describe('scenic day: quota races', () => {
  it('300 concurrent holds against a day of 100 sell exactly 100', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 100 })
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        new ApiClient().post(holds(site), { lines: [childLine(site, i, i % 2 ? '09:00' : '10:00')] }),
      ),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(100)
    expect(statuses.filter((s) => s === 409)).toHaveLength(200)
    expect((await problemOf(responses.find((r) => r.status === 409)!)).code).toBe('sold_out')
    const availability = await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}/days/${site.date}`))
    expect(availability.remaining).toBe(0)
    const stored = await day(site).storedCounts(site.siteId, site.date)
    expect(stored.filter((r) => r.status === 'held').reduce((n, r) => n + r.n, 0)).toBe(100)
  })

  it('a time slot never takes more than its capacity', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 100, slotCapacity: 30 })
    const responses = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        new ApiClient().post(holds(site), { lines: [childLine(site, i, '09:00')] }),
      ),
    )
    expect(responses.filter((r) => r.status === 201)).toHaveLength(30)
    const slot = (
      await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}/days/${site.date}`))
    ).slots.find((s: { code: string }) => s.code === '09:00')
    expect(slot.remaining).toBe(0)
  })

  it('an OTA sells only its allocation, and others cannot eat it', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 30, channelQuotas: { ctrip: 10 } })
    const stub = day(site)
    const ota = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        stub.hold(site.siteId, site.date, {
          holderId: `ctrip-${i}`,
          channel: 'ctrip',
          lines: [childLine(site, i)],
        }),
      ),
    )
    expect(ota.filter((o) => o.ok)).toHaveLength(10)
    expect(ota.find((o) => !o.ok)).toMatchObject({ code: 'sold_out', unavailable: ['channel:ctrip'] })
    const web = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        new ApiClient().post(holds(site), { lines: [childLine(site, 100 + i)] }),
      ),
    )
    expect(web.filter((r) => r.status === 201)).toHaveLength(20)
    const availability = await stub.availability(site.siteId, site.date, 'ctrip')
    expect(availability.channels.ctrip).toEqual({ quota: 10, remaining: 0 })
  })
})

describe('scenic day: real names, parent-child and packages', () => {
  it('needs a valid ID number for real-name tickets and sells one per ID per day', async () => {
    const site = await scenicSiteOnSale()
    const noId = await new ApiClient().post(holds(site), {
      lines: [{ productId: site.gateProduct, slot: '09:00', visitor: { name: 'A' } }],
    })
    expect((await problemOf(noId)).code).toBe('validation')
    const badId = await new ApiClient().post(holds(site), {
      lines: [{ productId: site.gateProduct, slot: '09:00', visitor: { idNumber: '110101199001011230' } }],
    })
    expect((await problemOf(badId)).errors?.[0]?.path).toBe('json.lines.0.visitor.idNumber')
    const visitor = { name: 'Zhang San', idNumber: idNumberFor(901) }
    await ok(
      new ApiClient().post(holds(site), { lines: [{ productId: site.gateProduct, slot: '09:00', visitor }] }),
      201,
    )
    const again = await new ApiClient().post(holds(site), {
      lines: [{ productId: site.gateProduct, slot: '10:00', visitor }],
    })
    expect((await problemOf(again)).code).toBe('buyer_limit')
    // Another day is another quota.
    await ok(
      new ApiClient().post(holds(site, shanghaiDate(2)), {
        lines: [{ productId: site.gateProduct, slot: '09:00', visitor }],
      }),
      201,
    )
  })

  it('sells the cable car only to someone holding that day’s gate ticket, matched by phone or ID number', async () => {
    const site = await scenicSiteOnSale()
    const cable = (visitor: Record<string, string>) => ({ productId: site.cableCarProduct, visitor })
    const alone = await new ApiClient().post(holds(site), {
      lines: [cable({ idNumber: idNumberFor(11), phone: '13811110000' })],
    })
    expect(alone.status).toBe(409)
    expect(await problemOf(alone)).toMatchObject({
      code: 'parent_ticket_required',
      title: 'Buy the gate ticket first',
    })
    expect(
      (
        await problemOf(
          await new ApiClient().post(holds(site), { lines: [cable({ idNumber: idNumberFor(11) })] }),
        )
      ).detail,
    ).toMatch(/^Buy the gate ticket first/)

    const gateHolder = { name: 'Li', idNumber: idNumberFor(12), phone: '13811112222' }
    await ok(
      new ApiClient().post(holds(site), {
        lines: [{ productId: site.gateProduct, slot: '09:00', visitor: gateHolder }],
      }),
      201,
    )
    await ok(new ApiClient().post(holds(site), { lines: [cable({ idNumber: idNumberFor(12) })] }), 201) // by ID number
    await ok(
      new ApiClient().post(holds(site), {
        lines: [cable({ idNumber: idNumberFor(13), phone: '13811112222' })],
      }),
      201,
    ) // by phone
    const stranger = await new ApiClient().post(holds(site), {
      lines: [cable({ idNumber: idNumberFor(14), phone: '13899999999' })],
    })
    expect((await problemOf(stranger)).code).toBe('parent_ticket_required')
    // Gate and cable car together in one hold is fine.
    const both = { name: 'Wu', idNumber: idNumberFor(15), phone: '13811115555' }
    await ok(
      new ApiClient().post(holds(site), {
        lines: [{ productId: site.gateProduct, slot: '10:00', visitor: both }, cable(both)],
      }),
      201,
    )
    // A gate ticket for another day does not count.
    const otherDay = { name: 'Zhou', idNumber: idNumberFor(16), phone: '13811116666' }
    await ok(
      new ApiClient().post(holds(site, shanghaiDate(2)), {
        lines: [{ productId: site.gateProduct, slot: '09:00', visitor: otherDay }],
      }),
      201,
    )
    expect(
      (await problemOf(await new ApiClient().post(holds(site), { lines: [cable(otherDay)] }))).code,
    ).toBe('parent_ticket_required')
  })

  it('sells a package at its price, deducting every component or none', async () => {
    const site = await scenicSiteOnSale({ cableCarCap: 1 })
    const visitor = (n: number) => ({
      name: 'V',
      idNumber: idNumberFor(200 + n),
      phone: `1370000${String(n).padStart(4, '0')}`,
    })
    const lines = (n: number) => [
      { productId: site.gateProduct, slot: '09:00', visitor: visitor(n) },
      { productId: site.cableCarProduct, visitor: visitor(n) },
    ]
    const first = await ok(
      new ApiClient().post(holds(site), { packageId: site.packageId, lines: lines(1) }),
      201,
    )
    expect(first.total).toBe(18000)
    expect(first.lines.reduce((sum: number, l: { price: number }) => sum + l.price, 0)).toBe(18000)
    const wrong = await new ApiClient().post(holds(site), {
      packageId: site.packageId,
      lines: lines(2).slice(0, 1),
    })
    expect((await problemOf(wrong)).code).toBe('validation')
    const before = await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}/days/${site.date}`))
    const soldOut = await new ApiClient().post(holds(site), { packageId: site.packageId, lines: lines(3) })
    expect(await problemOf(soldOut)).toMatchObject({ code: 'sold_out', unavailable: [site.cableCarProduct] })
    const after = await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}/days/${site.date}`))
    expect(after.remaining).toBe(before.remaining) // the gate component was not deducted either
  })

  it('needs a slot for timed products and refuses dates outside the booking window', async () => {
    const site = await scenicSiteOnSale()
    const noSlot = await new ApiClient().post(holds(site), { lines: [{ productId: site.childProduct }] })
    expect((await problemOf(noSlot)).detail).toMatch(/time slots/)
    const badSlot = await new ApiClient().post(holds(site), { lines: [childLine(site, 1, '23:00')] })
    expect((await problemOf(badSlot)).code).toBe('validation')
    const past = await new ApiClient().post(holds(site, shanghaiDate(-2)), { lines: [childLine(site, 2)] })
    expect((await problemOf(past)).code).toBe('not_on_sale')
    const far = await new ApiClient().post(holds(site, shanghaiDate(120)), { lines: [childLine(site, 3)] })
    expect((await problemOf(far)).code).toBe('not_on_sale')
  })
})

describe('scenic day: expiry, release and confirm', () => {
  it('frees quota on expiry, releases only for the same buyer, confirms idempotently and re-acquires late', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 2 })
    const buyer = new ApiClient()
    const a = await ok(buyer.post(holds(site), { lines: [childLine(site, 1)] }), 201)
    const b = await ok(new ApiClient().post(holds(site), { lines: [childLine(site, 2)] }), 201)
    expect((await new ApiClient().delete(`${holds(site)}/${a.id}`)).status).toBe(204)
    expect(
      (await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}/days/${site.date}`))).remaining,
    ).toBe(0)
    expect((await buyer.delete(`${holds(site)}/${a.id}`)).status).toBe(204)
    expect(
      (await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}/days/${site.date}`))).remaining,
    ).toBe(1)

    const stub = day(site)
    expect(await stub.confirm(site.siteId, site.date, b.id, 'ord_b')).toMatchObject({
      ok: true,
      alreadyConfirmed: false,
    })
    expect(await stub.confirm(site.siteId, site.date, b.id, 'ord_b')).toMatchObject({
      ok: true,
      alreadyConfirmed: true,
    })
    expect(await stub.confirm(site.siteId, site.date, b.id, 'ord_x')).toMatchObject({
      ok: false,
      code: 'order_mismatch',
    })

    const c = await ok(new ApiClient().post(holds(site), { lines: [childLine(site, 3)] }), 201)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 16 * 60_000)
    await runDurableObjectAlarm(stub)
    vi.useRealTimers()
    expect(
      (await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}/days/${site.date}`))).remaining,
    ).toBe(1)
    expect(await stub.confirm(site.siteId, site.date, c.id, 'ord_c')).toMatchObject({
      ok: true,
      reacquired: true,
    })
    const full = await new ApiClient().post(holds(site), { lines: [childLine(site, 4)] })
    expect((await problemOf(full)).code).toBe('sold_out') // the re-acquired hold took the last place again
  })

  it('answers a month calendar and refuses bad ranges', async () => {
    const site = await scenicSiteOnSale()
    const from = shanghaiDate(1)
    const to = shanghaiDate(30)
    const calendar = await ok(
      new ApiClient().get(`/api/scenic-sites/${site.siteId}/calendar?from=${from}&to=${to}`),
    )
    expect(calendar.days).toHaveLength(30)
    expect(calendar.days[0]).toMatchObject({ date: from, capacity: 100, remaining: 100, onSale: true })
    expect(calendar.days[0].products.map((p: { id: string }) => p.id)).toContain(site.cableCarProduct)
    const tooLong = await new ApiClient().get(
      `/api/scenic-sites/${site.siteId}/calendar?from=${from}&to=${shanghaiDate(90)}`,
    )
    expect((await problemOf(tooLong)).errors?.[0]?.path).toBe('query.to')
    const backwards = await new ApiClient().get(
      `/api/scenic-sites/${site.siteId}/calendar?from=${to}&to=${from}`,
    )
    expect(backwards.status).toBe(400)
  })
})
