import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ScenicDayInventory } from '../../durable-objects/scenic-day/inventory.ts'
import { dayGatewayName } from '../../worker/services/scenic-day.ts'
import { GATEWAY_SHARDS } from '../../worker/services/show-inventory.ts'
import { ApiClient, problemOf } from '../support/api.ts'
import { idNumberFor, ok, type ScenicFixture, scenicSiteOnSale, shanghaiDate } from '../support/catalogue.ts'

const MINUTE = 60_000

const day = (site: ScenicFixture, date = site.date) =>
  env.SCENIC_DAY_INVENTORY.get(env.SCENIC_DAY_INVENTORY.idFromName(`${site.siteId}:${date}`))
const dayPath = (site: ScenicFixture, date = site.date) => `/api/scenic-sites/${site.siteId}/days/${date}`
const holds = (site: ScenicFixture, date = site.date) => `${dayPath(site, date)}/holds`
const publicDay = (site: ScenicFixture, query = '') => ok(new ApiClient().get(`${dayPath(site)}${query}`))

/** A visitor with a checksummed ID number and a phone, distinct per `n`. */
const person = (n: number) => ({
  name: `Visitor ${n}`,
  idNumber: idNumberFor(n),
  phone: `139${String(n).padStart(8, '0')}`,
})
/** A line for the non-real-name, timed child gate ticket. */
const childLine = (site: ScenicFixture, n: number, slot = '09:00') => ({
  productId: site.childProduct,
  slot,
  visitor: { phone: `1350000${String(n).padStart(4, '0')}` },
})
const gateLine = (site: ScenicFixture, visitor: Record<string, string>, slot = '09:00') => ({
  productId: site.gateProduct,
  slot,
  visitor,
})
const cableLine = (site: ScenicFixture, visitor: Record<string, string>) => ({
  productId: site.cableCarProduct,
  visitor,
})

/**
 * A hold answer that must be 201, then confirmed (bought), so a buyer making many holds stays under the
 * per-buyer cap on active holds.
 */
async function bought(site: ScenicFixture, res: Promise<Response>) {
  const hold = await ok(res, 201)
  expect(await day(site).confirm(site.siteId, site.date, hold.id, `ord_${hold.id}`)).toMatchObject({
    ok: true,
  })
  return hold
}

/** Lines currently taken (held or sold) in the DO's SQLite storage, optionally of one product. */
async function takenInStorage(site: ScenicFixture, productId?: string, date = site.date) {
  const rows = await day(site, date).storedCounts(site.siteId, date)
  return rows
    .filter((r) => (r.status === 'held' || r.status === 'sold') && (!productId || r.product_id === productId))
    .reduce((n, r) => n + r.n, 0)
}

/** Status → count for one product, straight from storage. */
async function statusesInStorage(site: ScenicFixture, productId: string) {
  const rows = await day(site).storedCounts(site.siteId, site.date)
  return Object.fromEntries(rows.filter((r) => r.product_id === productId).map((r) => [r.status, r.n]))
}

/**
 * The DO's in-memory counters must equal what rebuilding them from SQLite gives: drop the config (as an
 * eviction would), let it recount, and compare availability before and after.
 */
async function expectMemoryMatchesStorage(site: ScenicFixture, channel?: string) {
  const stub = day(site)
  const before = await stub.availability(site.siteId, site.date, channel)
  await runInDurableObject(stub, (instance: ScenicDayInventory) => {
    Object.assign(instance, { config: undefined })
  })
  const after = await stub.availability(site.siteId, site.date, channel)
  expect(after).toEqual(before)
  return after
}

/** Moves the clock the DO sees and runs its alarm; returns whether one was scheduled. */
async function expireAt(site: ScenicFixture, at: number) {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(at)
  return runDurableObjectAlarm(day(site))
}

afterEach(() => {
  vi.useRealTimers()
})

describe('scenic day: quota races', { timeout: 240_000 }, () => {
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
    for (const res of responses.filter((r) => r.status === 409).slice(0, 20)) {
      expect(await problemOf(res)).toMatchObject({ code: 'sold_out', unavailable: ['day'] })
    }
    const availability = await publicDay(site)
    expect(availability.remaining).toBe(0)
    expect(availability.slots.map((s: { remaining: number }) => s.remaining)).toEqual([0, 0])
    expect(await takenInStorage(site)).toBe(100)
    expect(await statusesInStorage(site, site.childProduct)).toEqual({ held: 100 })
    expect((await expectMemoryMatchesStorage(site)).remaining).toBe(0)
    // The gateways coalesced the rush: fewer calls reached the day's DO than buyers.
    let batches = 0
    for (let shard = 0; shard < GATEWAY_SHARDS; shard++) {
      const gateway = env.HOLD_GATEWAY.get(
        env.HOLD_GATEWAY.idFromName(dayGatewayName(site.siteId, site.date, shard)),
      )
      batches += await gateway.dayBatchesSent(site.siteId, site.date)
    }
    expect(batches).toBeGreaterThan(0)
    expect(batches).toBeLessThan(300)
  })

  it('a time slot never takes more than its capacity, and the other slot keeps its own', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 100, slotCapacity: 30 })
    const responses = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        new ApiClient().post(holds(site), { lines: [childLine(site, i, '09:00')] }),
      ),
    )
    expect(responses.filter((r) => r.status === 201)).toHaveLength(30)
    expect(await problemOf(responses.find((r) => r.status === 409)!)).toMatchObject({
      code: 'sold_out',
      unavailable: ['slot:09:00'],
    })
    const availability = await publicDay(site)
    const slot = (code: string) => availability.slots.find((s: { code: string }) => s.code === code)
    expect(slot('09:00').remaining).toBe(0)
    expect(slot('10:00').remaining).toBe(30)
    expect(availability.remaining).toBe(70)
    expect(await takenInStorage(site)).toBe(30)
    await ok(new ApiClient().post(holds(site), { lines: [childLine(site, 999, '10:00')] }), 201)
    await expectMemoryMatchesStorage(site)
  })

  it('one ID number racing itself gets exactly one real-name ticket', async () => {
    const site = await scenicSiteOnSale()
    const visitor = person(301)
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        new ApiClient().post(holds(site), { lines: [gateLine(site, visitor, i % 2 ? '09:00' : '10:00')] }),
      ),
    )
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1)
    const refused = responses.filter((r) => r.status !== 201)
    expect(refused).toHaveLength(19)
    expect(new Set(await Promise.all(refused.map(async (r) => (await problemOf(r)).code)))).toEqual(
      new Set(['buyer_limit']),
    )
    expect(await takenInStorage(site, site.gateProduct)).toBe(1)
  })

  it('a capped child product under a race sells its cap, and each refused hold deducts no gate ticket', async () => {
    const site = await scenicSiteOnSale({ cableCarCap: 5 })
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const visitor = person(400 + i)
        return new ApiClient().post(holds(site), {
          lines: [gateLine(site, visitor, i % 2 ? '09:00' : '10:00'), cableLine(site, visitor)],
        })
      }),
    )
    expect(responses.filter((r) => r.status === 201)).toHaveLength(5)
    expect(await problemOf(responses.find((r) => r.status === 409)!)).toMatchObject({
      code: 'sold_out',
      unavailable: [site.cableCarProduct],
    })
    expect(await takenInStorage(site, site.cableCarProduct)).toBe(5)
    expect(await takenInStorage(site, site.gateProduct)).toBe(5)
    const availability = await expectMemoryMatchesStorage(site)
    expect(availability.remaining).toBe(95)
    expect(availability.products.find((p) => p.id === site.cableCarProduct)?.remaining).toBe(0)
  })
})

describe('scenic day: coalesced batches', () => {
  it('decides a batch in order: each request sees the ones before it, and a refusal takes nothing', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 3 })
    const a = person(501)
    const b = person(502)
    const outcomes = await day(site).holdBatch(site.siteId, site.date, [
      // A cable car before its gate ticket in the batch: no parent yet.
      { holderId: 'a', channel: 'web', lines: [cableLine(site, a)] },
      { holderId: 'a', channel: 'web', lines: [gateLine(site, a)] },
      // Now the gate ticket earlier in the batch entitles the cable car (matched by phone alone).
      {
        holderId: 'a',
        channel: 'web',
        lines: [cableLine(site, { name: 'A2', idNumber: idNumberFor(503), phone: a.phone })],
      },
      // The same ID number again: the real-name limit counts the hold earlier in this batch.
      { holderId: 'x', channel: 'web', lines: [gateLine(site, a, '10:00')] },
      { holderId: 'b', channel: 'web', lines: [gateLine(site, b), childLine(site, 1)] },
      // Capacity 3 is now used up by the two holds above: refused whole, nothing deducted.
      { holderId: 'c', channel: 'web', lines: [childLine(site, 2)] },
      // Holder b's gate ticket is in this batch too.
      { holderId: 'b', channel: 'web', lines: [cableLine(site, b)] },
    ])
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual([
      'parent_ticket_required',
      'ok',
      'ok',
      'buyer_limit',
      'ok',
      'sold_out',
      'ok',
    ])
    const ids = outcomes.flatMap((o) => (o.ok ? [o.hold.id, ...o.hold.lines.map((l) => l.id)] : []))
    expect(new Set(ids).size).toBe(ids.length)
    expect(await takenInStorage(site)).toBe(5)
    expect(await statusesInStorage(site, site.cableCarProduct)).toEqual({ held: 2 })
    // Each hold of the batch was written whole: lines in order, with prices and visitors.
    const held = outcomes[4]!
    if (!held.ok) throw new Error('expected a hold')
    const described = await day(site).describeHold(site.siteId, site.date, held.hold.id)
    expect(described?.hold.lines.map((l) => l.productId)).toEqual([site.gateProduct, site.childProduct])
    expect(described?.hold.total).toBe(held.hold.total)
    expect(described?.hold.lines[0]?.visitor).toEqual(b)
    expect((await expectMemoryMatchesStorage(site)).remaining).toBe(0)
  })

  it('finds parent tickets from its in-memory index again after a reload, and loses them with the parent', async () => {
    const site = await scenicSiteOnSale()
    const parent = person(511)
    const buyer = new ApiClient()
    const gate = await ok(buyer.post(holds(site), { lines: [gateLine(site, parent)] }), 201)
    await runInDurableObject(day(site), (instance: ScenicDayInventory) => {
      Object.assign(instance, { config: undefined })
    })
    await ok(
      buyer.post(holds(site), {
        lines: [cableLine(site, { name: 'P2', idNumber: idNumberFor(512), phone: parent.phone })],
      }),
      201,
    )
    expect((await buyer.delete(`${holds(site)}/${gate.id}`)).status).toBe(204)
    const refused = await buyer.post(holds(site), {
      lines: [cableLine(site, { name: 'P', idNumber: parent.idNumber })],
    })
    expect((await problemOf(refused)).code).toBe('parent_ticket_required')
  })
})

describe('scenic day: channel allocations', () => {
  it('an OTA sells only its allocation, and web sales cannot eat it', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 30, channelQuotas: { ctrip: 10 } })
    const stub = day(site)
    // The public (web) view already excludes Ctrip's 10.
    expect((await publicDay(site)).remaining).toBe(20)
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
    // Ctrip stopped at 10 while the general pool still had all 20 places.
    expect((await publicDay(site)).remaining).toBe(20)
    const web = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        new ApiClient().post(holds(site), { lines: [childLine(site, 100 + i)] }),
      ),
    )
    expect(web.filter((r) => r.status === 201)).toHaveLength(20)
    const availability = await stub.availability(site.siteId, site.date, 'ctrip')
    expect(availability.channels.ctrip).toEqual({ quota: 10, remaining: 0 })
    expect(availability.remaining).toBe(0)
    expect(await takenInStorage(site)).toBe(30)
    await expectMemoryMatchesStorage(site, 'ctrip')
  })

  it('keeps the OTA allocation when web sells out first, and reports what each channel has left', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 30, channelQuotas: { ctrip: 10 } })
    const stub = day(site)
    const web = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        new ApiClient().post(holds(site), { lines: [childLine(site, i, i % 2 ? '09:00' : '10:00')] }),
      ),
    )
    expect(web.filter((r) => r.status === 201)).toHaveLength(20)
    expect(await problemOf(web.find((r) => r.status === 409)!)).toMatchObject({
      code: 'sold_out',
      unavailable: ['day'],
    })
    expect((await publicDay(site)).remaining).toBe(0)
    const ctripView = await stub.availability(site.siteId, site.date, 'ctrip')
    expect(ctripView.remaining).toBe(10)
    expect(ctripView.channels).toEqual({ ctrip: { quota: 10, remaining: 10 } })
    // An unknown channel sells from the general pool, like the web.
    const other = await stub.hold(site.siteId, site.date, {
      holderId: 'meituan-1',
      channel: 'meituan',
      lines: [childLine(site, 500)],
    })
    expect(other).toMatchObject({ ok: false, code: 'sold_out' })
    for (let i = 0; i < 10; i++) {
      const outcome = await stub.hold(site.siteId, site.date, {
        holderId: `ctrip-${i}`,
        channel: 'ctrip',
        lines: [childLine(site, 600 + i)],
      })
      expect(outcome.ok).toBe(true)
    }
    expect((await stub.availability(site.siteId, site.date, 'ctrip')).channels.ctrip).toEqual({
      quota: 10,
      remaining: 0,
    })
    expect(
      await stub.hold(site.siteId, site.date, {
        holderId: 'ctrip-x',
        channel: 'ctrip',
        lines: [childLine(site, 700)],
      }),
    ).toMatchObject({ ok: false, code: 'sold_out' })
  })

  it('changes one date’s allocations only where what is already held still fits, and keeps them on catalogue refresh', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 30, channelQuotas: { ctrip: 10 } })
    const stub = day(site)
    for (let i = 0; i < 4; i++) {
      expect(
        (
          await stub.hold(site.siteId, site.date, {
            holderId: `c${i}`,
            channel: 'ctrip',
            lines: [childLine(site, i)],
          })
        ).ok,
      ).toBe(true)
    }
    // The general pool: 17 web sales and one through Fliggy, a channel without an allocation.
    for (let i = 0; i < 17; i++) {
      await ok(new ApiClient().post(holds(site), { lines: [childLine(site, 100 + i)] }), 201)
    }
    expect(
      (
        await stub.hold(site.siteId, site.date, {
          holderId: 'f',
          channel: 'fliggy',
          lines: [childLine(site, 99)],
        })
      ).ok,
    ).toBe(true)
    // Below what Ctrip already holds.
    expect(await stub.setQuotas(site.siteId, site.date, { ctrip: 3 })).toMatchObject({
      ok: false,
      code: 'invalid_request',
    })
    // More than the day.
    expect(await stub.setQuotas(site.siteId, site.date, { ctrip: 10, meituan: 25 })).toMatchObject({
      ok: false,
      code: 'invalid_request',
    })
    // The general pool would shrink to 15 while it already holds 18: Meituan's 5 could never be sold.
    expect(await stub.setQuotas(site.siteId, site.date, { ctrip: 10, meituan: 5 })).toMatchObject({
      ok: false,
      code: 'invalid_request',
    })
    // Fliggy's earlier sale would count against a new allocation of 0.
    expect(await stub.setQuotas(site.siteId, site.date, { ctrip: 6, fliggy: 0 })).toMatchObject({
      ok: false,
      code: 'invalid_request',
      detail: expect.stringMatching(/^fliggy already holds 1/),
    })
    expect((await stub.availability(site.siteId, site.date)).channels).toEqual({
      ctrip: { quota: 10, remaining: 6 },
    })
    expect(await stub.setQuotas(site.siteId, site.date, { ctrip: 6, meituan: 2 })).toEqual({
      ok: true,
      quotas: { ctrip: 6, meituan: 2 },
    })
    const after = await stub.availability(site.siteId, site.date)
    expect(after.channels).toEqual({ ctrip: { quota: 6, remaining: 2 }, meituan: { quota: 2, remaining: 2 } })
    expect(after.remaining).toBe(4) // general pool 30 - 8 = 22, 18 taken
    const meituan = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        stub.hold(site.siteId, site.date, {
          holderId: `m${i}`,
          channel: 'meituan',
          lines: [childLine(site, 200 + i)],
        }),
      ),
    )
    expect(meituan.filter((o) => o.ok)).toHaveLength(2)
    await expectMemoryMatchesStorage(site)

    // A catalogue edit (more capacity) is picked up, and the date's own quotas stay.
    await ok(site.owner.patch(`${site.base}/scenic-sites/${site.siteId}`, { dailyCapacity: 40 }))
    expect(await stub.refreshConfig(site.siteId, site.date)).toEqual({ refreshed: true })
    const refreshed = await stub.availability(site.siteId, site.date)
    expect(refreshed.capacity).toBe(40)
    expect(refreshed.channels).toEqual({
      ctrip: { quota: 6, remaining: 2 },
      meituan: { quota: 2, remaining: 0 },
    })
    expect(refreshed.remaining).toBe(14) // general pool 40 - 8 = 32, 18 taken
    // Another date still uses the site's own allocation.
    const otherDate = shanghaiDate(2)
    expect((await day(site, otherDate).availability(site.siteId, otherDate)).channels).toEqual({
      ctrip: { quota: 10, remaining: 10 },
    })
  })
})

describe('scenic day: real names', () => {
  it('needs a valid ID number and a name for real-name tickets and sells one per ID per day', async () => {
    const site = await scenicSiteOnSale()
    const noId = await new ApiClient().post(holds(site), {
      lines: [{ productId: site.gateProduct, slot: '09:00', visitor: { name: 'A' } }],
    })
    expect(noId.status).toBe(400)
    expect(await problemOf(noId)).toMatchObject({
      code: 'validation',
      detail: expect.stringMatching(/ID number/),
    })
    const noVisitor = await new ApiClient().post(holds(site), {
      lines: [{ productId: site.gateProduct, slot: '09:00' }],
    })
    expect((await problemOf(noVisitor)).code).toBe('validation')
    const noName = await new ApiClient().post(holds(site), {
      lines: [{ productId: site.gateProduct, slot: '09:00', visitor: { idNumber: idNumberFor(900) } }],
    })
    expect(noName.status).toBe(400)
    expect((await problemOf(noName)).detail).toMatch(/name/)
    const badId = await new ApiClient().post(holds(site), {
      lines: [
        {
          productId: site.gateProduct,
          slot: '09:00',
          visitor: { name: 'B', idNumber: '110101199001011230' },
        },
      ],
    })
    expect(badId.status).toBe(400)
    expect((await problemOf(badId)).errors?.[0]?.path).toBe('json.lines.0.visitor.idNumber')
    expect(await takenInStorage(site)).toBe(0)

    const visitor = { name: 'Zhang San', idNumber: idNumberFor(901) }
    await ok(new ApiClient().post(holds(site), { lines: [gateLine(site, visitor)] }), 201)
    const again = await new ApiClient().post(holds(site), { lines: [gateLine(site, visitor, '10:00')] })
    expect(again.status).toBe(409)
    expect((await problemOf(again)).code).toBe('buyer_limit')
    // Another day is another quota.
    await ok(new ApiClient().post(holds(site, shanghaiDate(2)), { lines: [gateLine(site, visitor)] }), 201)
  })

  it('treats a lower-case x checksum as the same ID number, and counts lines of one hold together', async () => {
    const site = await scenicSiteOnSale()
    const id = idNumberFor(17)
    expect(id.endsWith('X')).toBe(true)
    const qian = new ApiClient()
    const upper = await ok(
      qian.post(holds(site), { lines: [gateLine(site, { name: 'Qian', idNumber: id })] }),
      201,
    )
    expect(upper.lines[0].visitor.idNumber).toBe(id)
    const lower = await new ApiClient().post(holds(site), {
      lines: [gateLine(site, { name: 'Qian', idNumber: id.toLowerCase() }, '10:00')],
    })
    expect((await problemOf(lower)).code).toBe('buyer_limit')
    // Two gate tickets for one ID in a single hold break the 1-per-day limit too.
    const twice = await new ApiClient().post(holds(site), {
      lines: [gateLine(site, person(18)), gateLine(site, person(18), '10:00')],
    })
    expect((await problemOf(twice)).code).toBe('buyer_limit')
    // The cable car allows two per ID per day: two in one hold, then no third.
    const visitor = { name: 'Qian', idNumber: id }
    await ok(qian.post(holds(site), { lines: [cableLine(site, visitor), cableLine(site, visitor)] }), 201)
    const third = await qian.post(holds(site), { lines: [cableLine(site, visitor)] })
    expect((await problemOf(third)).code).toBe('buyer_limit')
    expect(await takenInStorage(site, site.cableCarProduct)).toBe(2)
  })
})

describe('scenic day: parent-child tickets', () => {
  it('sells the cable car only with a gate ticket of the same buyer for that day, matched by phone or ID number', async () => {
    const site = await scenicSiteOnSale()
    const alone = await new ApiClient().post(holds(site), {
      lines: [cableLine(site, { name: 'Solo', idNumber: idNumberFor(11), phone: '13811110000' })],
    })
    expect(alone.status).toBe(409)
    const problem = await problemOf(alone)
    expect(problem).toMatchObject({ code: 'parent_ticket_required', title: 'Buy the gate ticket first' })
    expect(problem.detail).toMatch(/^Buy the gate ticket first/)
    expect(problem.detail).toContain(site.date)

    const buyer = new ApiClient()
    const gateHolder = { name: 'Li', idNumber: idNumberFor(12), phone: '13811112222' }
    await bought(site, buyer.post(holds(site), { lines: [gateLine(site, gateHolder)] }))
    // By ID number (no phone given).
    await bought(
      site,
      buyer.post(holds(site), { lines: [cableLine(site, { name: 'Li', idNumber: idNumberFor(12) })] }),
    )
    // By phone (another ID number, e.g. a family member the gate holder booked for).
    await bought(
      site,
      buyer.post(holds(site), {
        lines: [cableLine(site, { name: 'Li Jr', idNumber: idNumberFor(13), phone: '13811112222' })],
      }),
    )
    const stranger = await buyer.post(holds(site), {
      lines: [cableLine(site, { name: 'X', idNumber: idNumberFor(14), phone: '13899999999' })],
    })
    expect((await problemOf(stranger)).code).toBe('parent_ticket_required')
    // Another buyer with the gate holder's phone or ID number gets nothing from them.
    for (const visitor of [
      gateHolder as Record<string, string>,
      { name: 'Li', idNumber: idNumberFor(12) },
      { name: 'X', idNumber: idNumberFor(19), phone: gateHolder.phone },
    ]) {
      const other = await new ApiClient().post(holds(site), { lines: [cableLine(site, visitor)] })
      expect((await problemOf(other)).code).toBe('parent_ticket_required')
    }
    // Gate and cable car together in one hold is fine; for two different people it is not.
    const both = { name: 'Wu', idNumber: idNumberFor(15), phone: '13811115555' }
    await ok(
      new ApiClient().post(holds(site), { lines: [gateLine(site, both, '10:00'), cableLine(site, both)] }),
      201,
    )
    const mismatched = await new ApiClient().post(holds(site), {
      lines: [gateLine(site, person(20)), cableLine(site, person(21))],
    })
    expect((await problemOf(mismatched)).code).toBe('parent_ticket_required')
    // A gate ticket for another day does not count.
    const otherDay = { name: 'Zhou', idNumber: idNumberFor(16), phone: '13811116666' }
    const zhou = new ApiClient()
    await ok(zhou.post(holds(site, shanghaiDate(2)), { lines: [gateLine(site, otherDay)] }), 201)
    expect((await problemOf(await zhou.post(holds(site), { lines: [cableLine(site, otherDay)] }))).code).toBe(
      'parent_ticket_required',
    )
    expect(await takenInStorage(site, site.cableCarProduct)).toBe(3)
  })

  it('counts a confirmed gate ticket, and stops counting a released or expired one', async () => {
    const site = await scenicSiteOnSale()
    const stub = day(site)
    const paid = person(31)
    const payer = new ApiClient()
    const gate = await ok(payer.post(holds(site), { lines: [gateLine(site, paid)] }), 201)
    expect(await stub.confirm(site.siteId, site.date, gate.id, 'ord_gate')).toMatchObject({ ok: true })
    await ok(payer.post(holds(site), { lines: [cableLine(site, paid)] }), 201)

    const released = person(32)
    const buyer = new ApiClient()
    const releasedGate = await ok(buyer.post(holds(site), { lines: [gateLine(site, released)] }), 201)
    expect((await buyer.delete(`${holds(site)}/${releasedGate.id}`)).status).toBe(204)
    expect(
      (await problemOf(await buyer.post(holds(site), { lines: [cableLine(site, released)] }))).code,
    ).toBe('parent_ticket_required')

    const lapsed = person(33)
    const late = new ApiClient()
    await ok(late.post(holds(site), { lines: [gateLine(site, lapsed)] }), 201)
    expect(await expireAt(site, Date.now() + 16 * MINUTE)).toBe(true)
    vi.useRealTimers()
    expect((await problemOf(await late.post(holds(site), { lines: [cableLine(site, lapsed)] }))).code).toBe(
      'parent_ticket_required',
    )
    // The confirmed gate ticket did not expire with the others.
    await ok(payer.post(holds(site), { lines: [cableLine(site, paid)] }), 201)
  })

  it('matches parent and child the way each rule says', async () => {
    const site = await scenicSiteOnSale()
    // Made before the day's actor first loads the catalogue.
    const product = (body: Record<string, unknown>) =>
      ok(site.owner.post(`${site.base}/visit-products`, { siteId: site.siteId, ...body }), 201)
    const rule = (childProductId: string, matchBy: string) =>
      ok(
        site.owner.post(`${site.base}/parent-child-rules`, {
          siteId: site.siteId,
          parentProductId: site.gateProduct,
          childProductId,
          matchBy,
        }),
        201,
      )
    const show = await product({
      name: 'Evening show',
      kind: 'show',
      ticketType: 'general',
      price: 5000,
      realNameRequired: false,
      maxPerIdPerDay: 0,
    })
    const boat = await product({
      name: 'Boat',
      kind: 'attraction',
      ticketType: 'general',
      price: 3000,
      realNameRequired: false,
      maxPerIdPerDay: 0,
    })
    await rule(show.id, 'id_number')
    await rule(boat.id, 'phone')
    const holder = { name: 'Sun', idNumber: idNumberFor(41), phone: '13700000041' }
    const buyer = new ApiClient()
    await bought(site, buyer.post(holds(site), { lines: [gateLine(site, holder)] }))
    const attempt = (productId: string, visitor: Record<string, string>) =>
      buyer.post(holds(site), { lines: [{ productId, visitor }] })

    // id_number: the phone alone is not enough.
    expect((await problemOf(await attempt(show.id, { phone: holder.phone }))).code).toBe(
      'parent_ticket_required',
    )
    await bought(site, attempt(show.id, { idNumber: holder.idNumber }))
    // phone: the ID number alone is not enough.
    expect((await problemOf(await attempt(boat.id, { idNumber: holder.idNumber }))).code).toBe(
      'parent_ticket_required',
    )
    await bought(site, attempt(boat.id, { phone: holder.phone }))
    // The default rule (cable car) takes either.
    await bought(site, attempt(site.cableCarProduct, { name: 'Sun', idNumber: holder.idNumber }))
    await bought(
      site,
      attempt(site.cableCarProduct, { name: 'Sun Jr', idNumber: idNumberFor(42), phone: holder.phone }),
    )
    // Within one hold the rule applies too.
    const phoneOnly = { name: 'Zhao', idNumber: idNumberFor(43), phone: '13700000043' }
    await ok(
      new ApiClient().post(holds(site), {
        lines: [gateLine(site, phoneOnly), { productId: boat.id, visitor: { phone: phoneOnly.phone } }],
      }),
      201,
    )
    const wrongKey = { name: 'Qin', idNumber: idNumberFor(44), phone: '13700000044' }
    const refused = await new ApiClient().post(holds(site), {
      lines: [gateLine(site, wrongKey), { productId: show.id, visitor: { phone: wrongKey.phone } }],
    })
    expect((await problemOf(refused)).code).toBe('parent_ticket_required')
  })
})

describe('scenic day: packages', () => {
  it('sells a package at its price, deducting every component or none', async () => {
    const site = await scenicSiteOnSale({ cableCarCap: 1 })
    const lines = (n: number) => [gateLine(site, person(200 + n)), cableLine(site, person(200 + n))]
    const first = await ok(
      new ApiClient().post(holds(site), { packageId: site.packageId, lines: lines(1) }),
      201,
    )
    expect(first.total).toBe(18000)
    const prices = first.lines.map((l: { price: number }) => l.price)
    expect(prices.reduce((sum: number, p: number) => sum + p, 0)).toBe(18000)
    expect(prices).toEqual([10800, 7200]) // 18000 spread 12000 : 8000
    // The same lines without the package are sold at list price.
    await ok(new ApiClient().post(holds(site), { lines: [gateLine(site, person(250))] }), 201)

    const wrong = [
      lines(2).slice(0, 1), // a component missing
      [...lines(2), cableLine(site, person(202))], // one too many
      [gateLine(site, person(2)), { ...childLine(site, 2) }], // another product
    ]
    for (const attempt of wrong) {
      const res = await new ApiClient().post(holds(site), { packageId: site.packageId, lines: attempt })
      expect(res.status).toBe(400)
      expect((await problemOf(res)).code).toBe('validation')
    }
    const unknown = await new ApiClient().post(holds(site), { packageId: 'pkg_nope', lines: lines(2) })
    expect((await problemOf(unknown)).code).toBe('validation')

    const before = await publicDay(site)
    expect(await takenInStorage(site, site.gateProduct)).toBe(2)
    const soldOut = await new ApiClient().post(holds(site), { packageId: site.packageId, lines: lines(3) })
    expect(await problemOf(soldOut)).toMatchObject({ code: 'sold_out', unavailable: [site.cableCarProduct] })
    const after = await publicDay(site)
    expect(after.remaining).toBe(before.remaining) // the gate component was not deducted either
    expect(after.remaining).toBe(98)
    expect(await takenInStorage(site, site.gateProduct)).toBe(2)
    expect(await takenInStorage(site, site.cableCarProduct)).toBe(1)
    await expectMemoryMatchesStorage(site)
  })
})

describe('scenic day: slots and booking window', () => {
  it('needs a slot for timed products, none for untimed, and refuses dates outside the booking window', async () => {
    const site = await scenicSiteOnSale()
    const noSlot = await new ApiClient().post(holds(site), { lines: [{ productId: site.childProduct }] })
    expect(noSlot.status).toBe(400)
    expect((await problemOf(noSlot)).detail).toMatch(/time slots 09:00, 10:00/)
    const badSlot = await new ApiClient().post(holds(site), { lines: [childLine(site, 1, '23:00')] })
    expect(badSlot.status).toBe(400)
    expect((await problemOf(badSlot)).code).toBe('validation')
    // The cable car has no slots.
    const holder = person(51)
    const slotted = await new ApiClient().post(holds(site), {
      lines: [gateLine(site, holder), { ...cableLine(site, holder), slot: '09:00' }],
    })
    expect(slotted.status).toBe(400)
    expect((await problemOf(slotted)).detail).toMatch(/no time slots/)
    const unknownProduct = await new ApiClient().post(holds(site), {
      lines: [{ productId: 'vp_nope', slot: '09:00' }],
    })
    expect(unknownProduct.status).toBe(400)

    const at = async (days: number, n: number) =>
      new ApiClient().post(holds(site, shanghaiDate(days)), { lines: [childLine(site, n)] })
    expect((await problemOf(await at(-1, 2))).code).toBe('not_on_sale')
    expect((await problemOf(await at(31, 3))).code).toBe('not_on_sale') // bookingDaysAhead is 30
    expect((await problemOf(await at(120, 4))).code).toBe('not_on_sale')
    await ok(at(0, 5), 201) // today
    await ok(at(30, 6), 201) // the last bookable day
    const past = shanghaiDate(-1)
    expect((await day(site, past).availability(site.siteId, past)).onSale).toBe(false)
    expect(await takenInStorage(site, undefined, past)).toBe(0)
  })
})

describe('scenic day: expiry, release and confirm', () => {
  it('frees quota on expiry, releases only for the same buyer, confirms idempotently and re-acquires late', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 2 })
    const stub = day(site)
    const buyer = new ApiClient()
    const a = await ok(buyer.post(holds(site), { lines: [childLine(site, 1)] }), 201)
    const b = await ok(new ApiClient().post(holds(site), { lines: [childLine(site, 2)] }), 201)
    // Someone else cannot release it (the answer is the same 204).
    expect((await new ApiClient().delete(`${holds(site)}/${a.id}`)).status).toBe(204)
    expect((await publicDay(site)).remaining).toBe(0)
    expect(await stub.release(site.siteId, site.date, a.id, 'someone-else')).toEqual({ released: false })
    expect((await buyer.delete(`${holds(site)}/${a.id}`)).status).toBe(204)
    expect((await publicDay(site)).remaining).toBe(1)
    // Releasing again changes nothing.
    expect((await buyer.delete(`${holds(site)}/${a.id}`)).status).toBe(204)
    expect(await stub.release(site.siteId, site.date, a.id)).toEqual({ released: false })
    expect((await expectMemoryMatchesStorage(site)).remaining).toBe(1)

    expect(await stub.confirm(site.siteId, site.date, b.id, 'ord_b')).toMatchObject({
      ok: true,
      alreadyConfirmed: false,
      reacquired: false,
    })
    expect(await stub.confirm(site.siteId, site.date, b.id, 'ord_b')).toMatchObject({
      ok: true,
      alreadyConfirmed: true,
    })
    expect(await stub.confirm(site.siteId, site.date, b.id, 'ord_x')).toMatchObject({
      ok: false,
      code: 'order_mismatch',
    })
    expect(await stub.confirm(site.siteId, site.date, 'hld_nope', 'ord_x')).toMatchObject({
      ok: false,
      code: 'hold_not_found',
    })
    expect(await statusesInStorage(site, site.childProduct)).toEqual({ released: 1, sold: 1 })

    const c = await ok(new ApiClient().post(holds(site), { lines: [childLine(site, 3)] }), 201)
    expect(await expireAt(site, Date.now() + 16 * MINUTE)).toBe(true)
    vi.useRealTimers()
    expect((await publicDay(site)).remaining).toBe(1)
    expect((await stub.describeHold(site.siteId, site.date, c.id))?.status).toBe('expired')
    expect(await stub.confirm(site.siteId, site.date, c.id, 'ord_c')).toMatchObject({
      ok: true,
      reacquired: true,
    })
    const full = await new ApiClient().post(holds(site), { lines: [childLine(site, 4)] })
    expect((await problemOf(full)).code).toBe('sold_out') // the re-acquired hold took the last place again
    expect(await stub.confirm(site.siteId, site.date, c.id, 'ord_c')).toMatchObject({
      ok: true,
      alreadyConfirmed: true,
    })
    expect(await statusesInStorage(site, site.childProduct)).toEqual({ released: 1, sold: 2 })
    expect((await expectMemoryMatchesStorage(site)).remaining).toBe(0)
  })

  it('refuses a late confirm when the place was sold meanwhile', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 1 })
    const stub = day(site)
    const late = await ok(new ApiClient().post(holds(site), { lines: [childLine(site, 1)] }), 201)
    expect(await expireAt(site, Date.now() + 16 * MINUTE)).toBe(true)
    vi.useRealTimers()
    const taker = await ok(new ApiClient().post(holds(site), { lines: [childLine(site, 2)] }), 201)
    const refused = await stub.confirm(site.siteId, site.date, late.id, 'ord_late')
    expect(refused).toMatchObject({ ok: false, code: 'hold_expired' })
    expect(await stub.confirm(site.siteId, site.date, taker.id, 'ord_taker')).toMatchObject({ ok: true })
    expect(await statusesInStorage(site, site.childProduct)).toEqual({ expired: 1, sold: 1 })
    expect((await expectMemoryMatchesStorage(site)).remaining).toBe(0)
  })

  it('expires each hold at its own time, re-arming the alarm for the next one', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 10 })
    const stub = day(site)
    const t0 = Date.now()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(t0)
    const first = await ok(new ApiClient().post(holds(site), { lines: [childLine(site, 1)] }), 201)
    vi.setSystemTime(t0 + 10 * MINUTE)
    const second = await ok(new ApiClient().post(holds(site), { lines: [childLine(site, 2)] }), 201)
    expect(Date.parse(second.expiresAt) - Date.parse(first.expiresAt)).toBe(10 * MINUTE)
    // Not yet due: the alarm (set for the first hold) changes nothing if it runs early.
    vi.setSystemTime(t0 + 14 * MINUTE)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect((await stub.availability(site.siteId, site.date)).remaining).toBe(8)
    vi.setSystemTime(t0 + 16 * MINUTE)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect((await stub.availability(site.siteId, site.date)).remaining).toBe(9)
    expect((await stub.describeHold(site.siteId, site.date, first.id))?.status).toBe('expired')
    expect((await stub.describeHold(site.siteId, site.date, second.id))?.status).toBe('active')
    vi.setSystemTime(t0 + 26 * MINUTE)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect((await stub.availability(site.siteId, site.date)).remaining).toBe(10)
    expect(await runDurableObjectAlarm(stub)).toBe(false) // nothing left to expire
    expect(await statusesInStorage(site, site.childProduct)).toEqual({ expired: 2 })
  })
})

describe('scenic day: returning lines (refunds)', () => {
  /** Holds (as `buyer`, by default a new one) and confirms `lines` as order `orderId`; returns the held line ids. */
  async function sell(
    site: ScenicFixture,
    orderId: string,
    lines: unknown[],
    buyer = new ApiClient(),
  ): Promise<string[]> {
    const hold = await ok(buyer.post(holds(site), { lines }), 201)
    expect(await day(site).confirm(site.siteId, site.date, hold.id, orderId)).toMatchObject({ ok: true })
    return hold.lines.map((l: { id: string }) => l.id)
  }

  it('blocks refunding a gate ticket while its cable car ticket is unused, until the cable car is redeemed', async () => {
    const site = await scenicSiteOnSale({ onParentRefund: 'block' })
    const stub = day(site)
    const visitor = person(61)
    const buyer = new ApiClient()
    const [gateId] = await sell(site, 'ord_gate', [gateLine(site, visitor)], buyer)
    const [cableId] = await sell(site, 'ord_cable', [cableLine(site, visitor)], buyer)

    const blocked = await stub.returnLines(site.siteId, site.date, 'ord_gate')
    expect(blocked).toMatchObject({ ok: false, code: 'children_unused', unavailable: [cableId] })
    expect(blocked.ok ? '' : blocked.detail).toMatch(/Cable car/)
    expect(await stub.previewReturn(site.siteId, site.date, 'ord_gate')).toMatchObject({
      ok: false,
      code: 'children_unused',
    })
    expect(await statusesInStorage(site, site.gateProduct)).toEqual({ sold: 1 })

    // Redeeming only touches sold lines.
    expect(await stub.markRedeemed(site.siteId, site.date, ['ln_nope', cableId!])).toEqual({ marked: 1 })
    expect(await stub.previewReturn(site.siteId, site.date, 'ord_gate')).toEqual({
      ok: true,
      returning: [gateId],
      cascaded: [],
    })
    expect(await stub.returnLines(site.siteId, site.date, 'ord_gate')).toEqual({
      ok: true,
      returned: [gateId],
      cascaded: [],
    })
    // Idempotent: nothing left to return.
    expect(await stub.returnLines(site.siteId, site.date, 'ord_gate')).toEqual({
      ok: true,
      returned: [],
      cascaded: [],
    })
    expect(await statusesInStorage(site, site.gateProduct)).toEqual({ returned: 1 })
    expect(await statusesInStorage(site, site.cableCarProduct)).toEqual({ sold: 1 })
    expect((await expectMemoryMatchesStorage(site)).remaining).toBe(100)
    // With the gate ticket returned, the same person cannot buy another cable car ride.
    expect((await problemOf(await buyer.post(holds(site), { lines: [cableLine(site, visitor)] }))).code).toBe(
      'parent_ticket_required',
    )
  })

  it('returns a gate ticket and its cable car together when both are in the refund', async () => {
    const site = await scenicSiteOnSale({ onParentRefund: 'block' })
    const stub = day(site)
    const visitor = person(62)
    const [gateId, cableId] = await sell(site, 'ord_both', [
      gateLine(site, visitor),
      cableLine(site, visitor),
    ])
    expect(await stub.returnLines(site.siteId, site.date, 'ord_both', [gateId!])).toMatchObject({
      ok: false,
      code: 'children_unused',
      unavailable: [cableId],
    })
    // The child alone may go.
    expect(await stub.previewReturn(site.siteId, site.date, 'ord_both', [cableId!])).toMatchObject({
      ok: true,
      returning: [cableId],
    })
    const all = await stub.returnLines(site.siteId, site.date, 'ord_both')
    expect(all).toMatchObject({ ok: true, cascaded: [] })
    expect(new Set(all.ok ? all.returned : [])).toEqual(new Set([gateId, cableId]))
    const availability = await expectMemoryMatchesStorage(site)
    expect(availability.remaining).toBe(100)
  })

  it('cascades: refunding the gate ticket returns the unused cable car ticket of another order too', async () => {
    const site = await scenicSiteOnSale({ onParentRefund: 'cascade', cableCarCap: 3 })
    const stub = day(site)
    const visitor = person(63)
    const buyer = new ApiClient()
    const [gateId] = await sell(site, 'ord_gate', [gateLine(site, visitor)], buyer)
    const [cableId] = await sell(site, 'ord_cable', [cableLine(site, visitor)], buyer)
    const bystander = person(64)
    await sell(site, 'ord_other', [gateLine(site, bystander), cableLine(site, bystander)])
    const cableLeft = async () =>
      (await stub.availability(site.siteId, site.date)).products.find((p) => p.id === site.cableCarProduct)
        ?.remaining
    expect(await cableLeft()).toBe(1)

    expect(await stub.previewReturn(site.siteId, site.date, 'ord_gate')).toEqual({
      ok: true,
      returning: [gateId],
      cascaded: [{ lineId: cableId, orderId: 'ord_cable' }],
    })
    expect(await stub.returnLines(site.siteId, site.date, 'ord_gate')).toEqual({
      ok: true,
      returned: [gateId],
      cascaded: [cableId],
    })
    expect(await statusesInStorage(site, site.cableCarProduct)).toEqual({ returned: 1, sold: 1 })
    expect(await cableLeft()).toBe(2)
    expect((await expectMemoryMatchesStorage(site)).remaining).toBe(99)
    // The cascaded line is gone from its own order: nothing left to return there.
    expect(await stub.returnLines(site.siteId, site.date, 'ord_cable')).toEqual({
      ok: true,
      returned: [],
      cascaded: [],
    })
  })

  it('keeps a child ticket covered while another gate ticket of the same person still stands', async () => {
    const site = await scenicSiteOnSale({ onParentRefund: 'block' })
    const stub = day(site)
    // A family booked on one phone: two gate tickets, and the cable car for the mother.
    const phone = '13600000070'
    const father = { name: 'Father', idNumber: idNumberFor(71), phone }
    const mother = { name: 'Mother', idNumber: idNumberFor(72), phone }
    const family = new ApiClient()
    const [fatherGate, motherGate] = await sell(
      site,
      'ord_family',
      [gateLine(site, father), gateLine(site, mother)],
      family,
    )
    const [motherCable] = await sell(site, 'ord_cable', [cableLine(site, mother)], family)
    // The father's refund leaves the mother's gate ticket, which still covers her cable car.
    expect(await stub.returnLines(site.siteId, site.date, 'ord_family', [fatherGate!])).toEqual({
      ok: true,
      returned: [fatherGate],
      cascaded: [],
    })
    // The mother's own gate ticket is the last one: now the cable car blocks it.
    expect(await stub.returnLines(site.siteId, site.date, 'ord_family', [motherGate!])).toMatchObject({
      ok: false,
      code: 'children_unused',
      unavailable: [motherCable],
    })
  })
})

describe('scenic day: calendar', () => {
  it('answers one entry per day for a range and refuses bad ranges', async () => {
    const site = await scenicSiteOnSale()
    const held = shanghaiDate(3)
    await ok(new ApiClient().post(holds(site, held), { lines: [childLine(site, 1)] }), 201)
    const from = shanghaiDate(1)
    const to = shanghaiDate(30)
    const calendar = await ok(
      new ApiClient().get(`/api/scenic-sites/${site.siteId}/calendar?from=${from}&to=${to}`),
    )
    expect(calendar.siteId).toBe(site.siteId)
    expect(calendar.days).toHaveLength(30)
    expect(calendar.days.map((d: { date: string }) => d.date)).toEqual(
      Array.from({ length: 30 }, (_, i) => shanghaiDate(1 + i)),
    )
    expect(calendar.days[0]).toMatchObject({ date: from, capacity: 100, remaining: 100, onSale: true })
    expect(calendar.days[0].products.map((p: { id: string }) => p.id)).toContain(site.cableCarProduct)
    expect(calendar.days.find((d: { date: string }) => d.date === held).remaining).toBe(99)
    expect(calendar.days.filter((d: { remaining: number }) => d.remaining === 100)).toHaveLength(29)

    // 62 days is the most; beyond the booking window a day is shown but not on sale.
    const longest = await ok(
      new ApiClient().get(
        `/api/scenic-sites/${site.siteId}/calendar?from=${shanghaiDate(0)}&to=${shanghaiDate(61)}`,
      ),
    )
    expect(longest.days).toHaveLength(62)
    expect(longest.days.filter((d: { onSale: boolean }) => d.onSale)).toHaveLength(31)
    const single = await ok(
      new ApiClient().get(`/api/scenic-sites/${site.siteId}/calendar?from=${from}&to=${from}`),
    )
    expect(single.days).toHaveLength(1)

    const tooLong = await new ApiClient().get(
      `/api/scenic-sites/${site.siteId}/calendar?from=${shanghaiDate(0)}&to=${shanghaiDate(62)}`,
    )
    expect(tooLong.status).toBe(400)
    expect((await problemOf(tooLong)).errors?.[0]?.path).toBe('query.to')
    const backwards = await new ApiClient().get(
      `/api/scenic-sites/${site.siteId}/calendar?from=${to}&to=${from}`,
    )
    expect(backwards.status).toBe(400)
    expect((await problemOf(backwards)).errors?.[0]?.path).toBe('query.to')
    const unknown = await new ApiClient().get(`/api/scenic-sites/site_nope/calendar?from=${from}&to=${to}`)
    expect(unknown.status).toBe(404)
  })

  it('picks up catalogue edits on the hold path once the cached settings are stale', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 2 })
    await ok(new ApiClient().post(holds(site), { lines: [childLine(site, 1, '09:00')] }), 201)
    await ok(new ApiClient().post(holds(site), { lines: [childLine(site, 2, '10:00')] }), 201)
    expect(
      (await problemOf(await new ApiClient().post(holds(site), { lines: [childLine(site, 3)] }))).code,
    ).toBe('sold_out')
    await ok(site.owner.patch(`${site.base}/scenic-sites/${site.siteId}`, { dailyCapacity: 3 }))
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 11_000)
    await ok(new ApiClient().post(holds(site), { lines: [childLine(site, 4)] }), 201)
    expect(
      (await problemOf(await new ApiClient().post(holds(site), { lines: [childLine(site, 5)] }))).code,
    ).toBe('sold_out')
    vi.useRealTimers()
    const availability = await expectMemoryMatchesStorage(site)
    expect(availability).toMatchObject({ capacity: 3, remaining: 0 })
  })
})
