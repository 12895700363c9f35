import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MIGRATIONS_TABLE, migrate } from '../../durable-objects/shared/migrations.ts'
import type { ShowInventory } from '../../durable-objects/show-inventory/index.ts'
import { adoptShowStorage, SHOW_MIGRATIONS } from '../../durable-objects/show-inventory/store.ts'
import { showHold } from '../../durable-objects/show-inventory/views.ts'
import { splitOutcomeLines } from '../../worker/domain/hold-lines.ts'
import { FREE, HELD } from '../../worker/domain/seat-layout.ts'
import { GATEWAY_SHARDS, showGatewayName } from '../../worker/services/show-inventory.ts'
import { ApiClient, problemOf } from '../support/api.ts'
import { gridChart, idNumberFor, ok, showOnSale } from '../support/catalogue.ts'
import { salesOf } from '../support/show-inventory.ts'

const inventory = (showId: string) => env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))

/** Checks the DO's in-memory mirror and its SQLite storage agree, and returns the counts. */
async function countsOf(showId: string) {
  const counts = await inventory(showId).counts(showId)
  expect(counts.memory).toEqual({
    free: counts.storage.free,
    held: counts.storage.held,
    sold: counts.storage.sold,
    blocked: counts.storage.blocked,
  })
  return counts.memory
}

afterEach(() => {
  vi.useRealTimers()
})

// Races of thousands of real requests: correctness, not speed, is asserted, so they get time to finish on a busy machine.
describe('show inventory: races', { timeout: 240_000 }, () => {
  it('2,000 concurrent holds over 500 seats hold each seat at most once and the counts add up', async () => {
    const show = await showOnSale(gridChart(25, 20))
    expect(show.seatIds).toHaveLength(500)
    // Each buyer (fresh client, so a fresh anonymous buyer id) asks for 1–2 random seats.
    let seed = 42
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const requests = Array.from({ length: 2000 }, () => {
      const n = random() < 0.5 ? 1 : 2
      const start = Math.floor(random() * 499)
      return show.seatIds.slice(start, start + n)
    })
    const responses = await Promise.all(
      requests.map((seatIds) => new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds })),
    )
    const held: string[] = []
    let refused = 0
    for (const res of responses) {
      if (res.status === 201)
        held.push(...(await res.json<{ seats: { id: string }[] }>()).seats.map((s) => s.id))
      else {
        expect(res.status).toBe(409)
        const problem = await problemOf(res)
        expect(problem.code).toBe('seats_unavailable')
        expect((problem.unavailable as string[]).length).toBeGreaterThan(0)
        refused++
      }
    }
    expect(new Set(held).size).toBe(held.length)
    expect(held.length).toBeGreaterThan(100)
    expect(refused).toBeGreaterThan(0)
    const counts = await countsOf(show.showId)
    expect(counts.held).toBe(held.length)
    expect(counts.free + counts.held).toBe(500)
    // The gateways coalesced the stampede: far fewer calls reached the show's DO than buyers.
    let batches = 0
    for (let shard = 0; shard < GATEWAY_SHARDS; shard++) {
      const gateway = env.HOLD_GATEWAY.get(env.HOLD_GATEWAY.idFromName(showGatewayName(show.showId, shard)))
      batches += await gateway.batchesSent(show.showId)
    }
    expect(batches).toBeGreaterThan(0)
    expect(batches).toBeLessThan(1000)
  })

  it('concurrent best-available requests never share a seat and stop at sold out', async () => {
    const show = await showOnSale(gridChart(10, 20))
    const quantities = Array.from({ length: 400 }, (_, i) => 1 + (i % 4))
    const responses = await Promise.all(
      quantities.map((quantity) =>
        new ApiClient().post(`/api/shows/${show.showId}/holds`, {
          best: { category: 'A', quantity, allowSplit: true },
        }),
      ),
    )
    const held: string[] = []
    const codes = new Map<string, number>()
    for (const res of responses) {
      if (res.status === 201) {
        const hold = await res.json<{ seats: { id: string; category: string }[] }>()
        held.push(...hold.seats.map((s) => s.id))
      } else {
        const problem = await problemOf(res)
        codes.set(problem.code, (codes.get(problem.code) ?? 0) + 1)
      }
    }
    expect(new Set(held).size).toBe(held.length)
    expect(held.length).toBeLessThanOrEqual(200)
    expect(held.length).toBeGreaterThanOrEqual(197) // only a few seats can remain when the last asks are bigger
    expect(codes.get('sold_out')).toBeGreaterThan(0)
    const counts = await countsOf(show.showId)
    expect(counts.held).toBe(held.length)
  })
})

describe('show inventory: holds', () => {
  it('answers a hold with seats, price quote and expiry, and availability drops', async () => {
    const show = await showOnSale(gridChart(4, 10, ['A', 'B']))
    const buyer = new ApiClient()
    const hold = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 2) }),
      201,
    )
    expect(hold.id).toMatch(/^hld_/)
    expect(hold.seats.map((s: { id: string }) => s.id)).toEqual(show.seatIds.slice(0, 2))
    expect(hold.total).toBe(20000)
    expect(Date.parse(hold.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000)
    const detail = await ok(buyer.get(`/api/shows/${show.showId}`))
    expect(detail.categories.find((c: { code: string }) => c.code === 'A')).toMatchObject({
      available: 18,
      total: 20,
      price: 10000,
    })
    const map = await ok(buyer.get(`/api/shows/${show.showId}/seat-map`))
    expect(
      map.seats.filter((s: { state: string }) => s.state === 'held').map((s: { id: string }) => s.id),
    ).toEqual(show.seatIds.slice(0, 2))
  })

  it('is all-or-nothing: one taken seat refuses the whole hold and names it', async () => {
    const show = await showOnSale()
    await ok(new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[3]] }), 201)
    const res = await new ApiClient().post(`/api/shows/${show.showId}/holds`, {
      seatIds: show.seatIds.slice(2, 5),
    })
    expect(res.status).toBe(409)
    const problem = await problemOf(res)
    expect(problem).toMatchObject({ code: 'seats_unavailable', unavailable: [show.seatIds[3]] })
    expect((await countsOf(show.showId)).held).toBe(1)
  })

  it('releases a hold idempotently, only for its own buyer', async () => {
    const show = await showOnSale()
    const buyer = new ApiClient()
    const hold = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 3) }),
      201,
    )
    expect((await new ApiClient().delete(`/api/shows/${show.showId}/holds/${hold.id}`)).status).toBe(204)
    expect((await countsOf(show.showId)).held).toBe(3) // a stranger cannot release it
    expect((await buyer.delete(`/api/shows/${show.showId}/holds/${hold.id}`)).status).toBe(204)
    expect((await buyer.delete(`/api/shows/${show.showId}/holds/${hold.id}`)).status).toBe(204)
    expect((await countsOf(show.showId)).held).toBe(0)
  })

  it('enforces the per-buyer limit across holds', async () => {
    const show = await showOnSale(gridChart(5, 10), { maxTicketsPerBuyer: 4 })
    const buyer = new ApiClient()
    await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 3) }), 201)
    const res = await buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(3, 5) })
    expect(res.status).toBe(409)
    expect((await problemOf(res)).code).toBe('buyer_limit')
    await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(3, 4) }), 201)
  })

  it('sells one ticket per real-name ID number', async () => {
    const show = await showOnSale(gridChart(5, 10), { realNameRequired: true })
    // Seats are held before anyone types an ID number; the order then needs one per seat, and an ID number
    // that already holds a ticket is refused there too.
    const buyer = new ApiClient()
    const first = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(7, 9) }),
      201,
    )
    const order = (idNumbers?: string[]) =>
      buyer.fetch('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `k-${Math.random()}` },
        body: JSON.stringify({
          kind: 'show',
          showId: show.showId,
          holdId: first.id,
          email: 'real-name@example.com',
          holderNames: ['A', 'B'],
          ...(idNumbers ? { idNumbers } : {}),
        }),
      })
    expect((await problemOf(await order())).errors?.[0]?.path).toBe('json.idNumbers')
    const badChecksum = await new ApiClient().post(`/api/shows/${show.showId}/holds`, {
      seatIds: show.seatIds.slice(0, 1),
      idNumbers: ['110101199001011234'],
    })
    expect((await problemOf(badChecksum)).errors?.[0]?.path).toBe('json.idNumbers.0')
    await ok(
      new ApiClient().post(`/api/shows/${show.showId}/holds`, {
        seatIds: show.seatIds.slice(0, 2),
        idNumbers: [idNumberFor(1), idNumberFor(2)],
      }),
      201,
    )
    const again = await new ApiClient().post(`/api/shows/${show.showId}/holds`, {
      seatIds: show.seatIds.slice(5, 6),
      idNumbers: [idNumberFor(2)],
    })
    expect(again.status).toBe(409)
    expect((await problemOf(again)).code).toBe('buyer_limit')
    const taken = await order([idNumberFor(3), idNumberFor(1)])
    expect(taken.status).toBe(409)
    expect((await problemOf(taken)).code).toBe('buyer_limit')
    expect((await order([idNumberFor(3), idNumberFor(4)])).status).toBe(201)
  })

  it('one real-name ID number racing itself across buyers gets exactly one seat', async () => {
    const show = await showOnSale(gridChart(5, 10), { realNameRequired: true })
    const responses = await Promise.all(
      show.seatIds.slice(0, 30).map((seatId) =>
        new ApiClient().post(`/api/shows/${show.showId}/holds`, {
          seatIds: [seatId],
          idNumbers: [idNumberFor(77)],
        }),
      ),
    )
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1)
    const refused = responses.filter((r) => r.status !== 201)
    expect(new Set(await Promise.all(refused.map(async (r) => (await problemOf(r)).code)))).toEqual(
      new Set(['buyer_limit']),
    )
    expect((await countsOf(show.showId)).held).toBe(1)
  })

  it('gives wheelchair places and their companion seats on request, and keeps them from other buyers', async () => {
    const chart = gridChart(2, 10)
    const back = chart.sections[0]!.rows[1]!.seats
    back[4]!.flags = ['accessible']
    back[5]!.flags = ['companion']
    const show = await showOnSale(chart)
    const path = `/api/shows/${show.showId}/holds`
    // Others get the front row's centre, never the wheelchair place or the companion seat.
    const other = await ok(
      new ApiClient().post(path, { best: { category: 'A', quantity: 2, allowSplit: false } }),
      201,
    )
    const otherIds = other.seats.map((s: { id: string }) => s.id)
    expect(otherIds).not.toContain(show.seatIds[14])
    expect(otherIds).not.toContain(show.seatIds[15])
    const pair = await ok(
      new ApiClient().post(path, { best: { category: 'A', quantity: 2, accessible: 1 } }),
      201,
    )
    expect(pair.seats.map((s: { id: string }) => s.id)).toEqual([show.seatIds[14], show.seatIds[15]])
    const map = await ok<{ seats: { id: string; accessible: boolean; companion: boolean; state: string }[] }>(
      new ApiClient().get(`/api/shows/${show.showId}/seat-map`),
    )
    const seat = (id: string) => map.seats.find((s) => s.id === id)!
    expect(seat(show.seatIds[14]!)).toMatchObject({ accessible: true, state: 'held' })
    expect(seat(show.seatIds[15]!)).toMatchObject({ companion: true, state: 'held' })
    // No wheelchair place left: a request for one is refused, naming nothing held.
    const none = await new ApiClient().post(path, { best: { category: 'A', quantity: 2, accessible: 1 } })
    expect(none.status).toBe(409)
    expect((await problemOf(none)).code).toBe('seats_unavailable')
  })

  it('refuses holds outside the sale window and for blocked seats', async () => {
    const early = await showOnSale(gridChart(2, 10), { saleStartsInHours: 2 })
    const res = await new ApiClient().post(`/api/shows/${early.showId}/holds`, {
      seatIds: early.seatIds.slice(0, 1),
    })
    expect((await problemOf(res)).code).toBe('not_on_sale')

    const chart = gridChart(2, 10)
    chart.sections[0]!.rows[0]!.seats[0]!.flags = ['blocked']
    const show = await showOnSale(chart)
    const blocked = await new ApiClient().post(`/api/shows/${show.showId}/holds`, {
      seatIds: [show.seatIds[0]],
    })
    expect((await problemOf(blocked)).code).toBe('seats_unavailable')
    expect((await countsOf(show.showId)).blocked).toBe(1)
  })

  it('validates the request body', async () => {
    const show = await showOnSale()
    const both = await new ApiClient().post(`/api/shows/${show.showId}/holds`, {
      seatIds: [show.seatIds[0]],
      best: { category: 'A', quantity: 1 },
    })
    expect((await problemOf(both)).code).toBe('validation')
    const tooMany = await new ApiClient().post(`/api/shows/${show.showId}/holds`, {
      best: { category: 'A', quantity: 11 },
    })
    expect((await problemOf(tooMany)).errors?.[0]?.path).toBe('json.best.quantity')
    const unknownShow = await new ApiClient().post('/api/shows/shw_nope/holds', { seatIds: ['x'] })
    expect(unknownShow.status).toBe(404)
  })
})

describe('show inventory: batches as outcome lines', () => {
  it('answers a batch with one JSON line per request, seat prices following a price edit', async () => {
    const show = await showOnSale(gridChart(2, 10))
    const stub = inventory(show.showId)
    const batch = async (requests: object[]) =>
      splitOutcomeLines(
        await stub.holdBatchLines(show.showId, JSON.stringify(requests)),
        requests.length,
      ).map((line) => JSON.parse(line))
    const asStringified = (holdId: string) =>
      runInDurableObject(stub, (instance: ShowInventory) => {
        // The outcome as holdBatch builds it, for comparison with the hand-written JSON.
        const sales = salesOf(instance).current!
        return showHold(sales, sales.holds.get(holdId)!)
      })
    const [first, second] = await batch([
      { holderId: 'json-a', seatIds: show.seatIds.slice(0, 2) },
      { holderId: 'json-b', seatIds: show.seatIds.slice(1, 3) },
    ])
    expect(second).toEqual({
      ok: false,
      code: 'seats_unavailable',
      detail: expect.any(String),
      unavailable: [show.seatIds[1]],
    })
    expect(first).toEqual({ ok: true, hold: await asStringified(first.hold.id) })
    expect(first.hold).toMatchObject({ total: 20000, currency: expect.any(String) })
    expect(first.hold.seats.map((s: { id: string; price: number }) => [s.id, s.price])).toEqual([
      [show.seatIds[0], 10000],
      [show.seatIds[1], 10000],
    ])

    await ok(show.owner.patch(`${show.base}/shows/${show.showId}`, { prices: { A: 12500 } }))
    const [third] = await batch([{ holderId: 'json-c', seatIds: [show.seatIds[5]!, show.seatIds[0]!] }])
    expect(third.ok).toBe(false)
    const [fourth] = await batch([{ holderId: 'json-c', seatIds: [show.seatIds[5]!] }])
    expect(fourth).toEqual({ ok: true, hold: await asStringified(fourth.hold.id) })
    expect(fourth.hold).toMatchObject({ total: 12500, seats: [{ id: show.seatIds[5], price: 12500 }] })
  })
})

describe('show inventory: expiry, confirm and returns', () => {
  it('expires holds by alarm and frees their seats', async () => {
    const show = await showOnSale(gridChart(2, 10), { holdMinutes: 1 })
    await ok(
      new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 4) }),
      201,
    )
    expect((await countsOf(show.showId)).held).toBe(4)
    expect(await runDurableObjectAlarm(inventory(show.showId))).toBe(true)
    expect((await countsOf(show.showId)).held).toBe(4) // not yet due
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 61_000)
    await runDurableObjectAlarm(inventory(show.showId))
    vi.useRealTimers()
    expect(await countsOf(show.showId)).toMatchObject({ held: 0, free: 20 })
  })

  it('confirms idempotently per order and refuses another order', async () => {
    const show = await showOnSale()
    const hold = await ok(
      new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 2) }),
      201,
    )
    const stub = inventory(show.showId)
    const first = await stub.confirm(show.showId, hold.id, 'ord_1')
    expect(first).toMatchObject({ ok: true, alreadyConfirmed: false, reacquired: false })
    const again = await stub.confirm(show.showId, hold.id, 'ord_1')
    expect(again).toMatchObject({ ok: true, alreadyConfirmed: true })
    expect(again.ok && again.seats.map((s) => s.id)).toEqual(show.seatIds.slice(0, 2))
    expect(await stub.confirm(show.showId, hold.id, 'ord_2')).toMatchObject({
      ok: false,
      code: 'order_mismatch',
    })
    expect(await countsOf(show.showId)).toMatchObject({ sold: 2, held: 0 })
    // A release after confirmation changes nothing.
    expect(await stub.release(show.showId, hold.id)).toEqual({ released: false })
    expect((await countsOf(show.showId)).sold).toBe(2)
  })

  it('re-acquires an expired hold on late confirm if its seats are still free, else refuses', async () => {
    const show = await showOnSale(gridChart(2, 10), { holdMinutes: 1 })
    const late = await ok(
      new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 2) }),
      201,
    )
    const lost = await ok(
      new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(5, 7) }),
      201,
    )
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 61_000)
    await runDurableObjectAlarm(inventory(show.showId))
    vi.useRealTimers()
    await ok(new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[6]] }), 201)
    const stub = inventory(show.showId)
    expect(await stub.confirm(show.showId, late.id, 'ord_late')).toMatchObject({ ok: true, reacquired: true })
    expect(await stub.confirm(show.showId, lost.id, 'ord_lost')).toMatchObject({
      ok: false,
      code: 'hold_expired',
      unavailable: [show.seatIds[6]],
    })
    expect(await countsOf(show.showId)).toMatchObject({ sold: 2, held: 1 })
  })

  it('returns sold seats for refunds, idempotently, and frees the buyer limit', async () => {
    const show = await showOnSale(gridChart(2, 10), { maxTicketsPerBuyer: 2, realNameRequired: true })
    const buyer = new ApiClient()
    const ids = [idNumberFor(7), idNumberFor(8)]
    const hold = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 2), idNumbers: ids }),
      201,
    )
    const stub = inventory(show.showId)
    await stub.confirm(show.showId, hold.id, 'ord_r')
    expect(await stub.returnSeats(show.showId, 'ord_r', [show.seatIds[1]!])).toEqual({
      returned: [show.seatIds[1]],
    })
    expect(await stub.returnSeats(show.showId, 'ord_r', [show.seatIds[1]!])).toEqual({ returned: [] })
    expect(await countsOf(show.showId)).toMatchObject({ sold: 1, free: 19 })
    // The returned seat's ID number and one account slot are free again; the kept one is not.
    await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[5]], idNumbers: [ids[1]] }),
      201,
    )
    const kept = await new ApiClient().post(`/api/shows/${show.showId}/holds`, {
      seatIds: [show.seatIds[6]],
      idNumbers: [ids[0]],
    })
    expect((await problemOf(kept)).code).toBe('buyer_limit')
  })

  it('survives eviction: state reloads from SQLite with the same counts', async () => {
    const show = await showOnSale(gridChart(3, 10))
    await ok(
      new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 3) }),
      201,
    )
    const before = await countsOf(show.showId)
    await runInDurableObject(inventory(show.showId), async (instance: ShowInventory) => {
      // Drop the in-memory mirror as a restart would.
      salesOf(instance).drop()
    })
    expect(await countsOf(show.showId)).toEqual(before)
    const again = await new ApiClient().post(`/api/shows/${show.showId}/holds`, {
      seatIds: show.seatIds.slice(2, 4),
    })
    expect(again.status).toBe(409)
  })

  it('keeps held seats in the holds alone: a hold writes no seat rows, and seats an earlier version stored as held are freed on reload', async () => {
    const show = await showOnSale(gridChart(3, 10))
    await ok(
      new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 2) }),
      201,
    )
    await runInDurableObject(inventory(show.showId), async (instance: ShowInventory, state) => {
      const sql = state.storage.sql
      // The hold's seats are still free rows; the hold row says they are held.
      expect(sql.exec(`SELECT count(*) AS n FROM seats WHERE state <> ${FREE}`).one().n).toBe(0)
      // Storage as the earlier layout left it: a row held with no active hold, holds without the client
      // network, price quotes or presale admissions, and no record of migrations. Then a restart: the constructor's migrations, and a reload.
      sql.exec(`UPDATE seats SET state = ${HELD}, hold_id = 'hld_gone' WHERE idx = 9`)
      sql.exec(
        `DROP TABLE ${MIGRATIONS_TABLE}; ALTER TABLE holds DROP COLUMN admission; ALTER TABLE holds DROP COLUMN quotes; ALTER TABLE holds DROP COLUMN ip`,
      )
      expect(migrate(state.storage, SHOW_MIGRATIONS, { adopt: adoptShowStorage })).toBe(
        SHOW_MIGRATIONS.length,
      )
      salesOf(instance).drop()
    })
    expect(await countsOf(show.showId)).toMatchObject({ held: 2, free: 28 })
    await runInDurableObject(inventory(show.showId), async (_instance: ShowInventory, state) => {
      expect(state.storage.sql.exec(`SELECT count(*) AS n FROM seats WHERE state = ${HELD}`).one().n).toBe(0)
    })
    await ok(new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[9]!] }), 201)
  })
})

describe('show inventory: organizer controls and live status', () => {
  it('blocks seats and sets seats aside for a channel', async () => {
    const show = await showOnSale(gridChart(2, 10))
    const stub = inventory(show.showId)
    expect(await stub.setBlocked(show.showId, show.seatIds.slice(0, 2), true)).toEqual({
      changed: show.seatIds.slice(0, 2),
      skipped: [],
    })
    await stub.allocate(show.showId, show.seatIds.slice(2, 4), 'ctrip')
    const web = await new ApiClient().post(`/api/shows/${show.showId}/holds`, {
      seatIds: show.seatIds.slice(1, 4),
    })
    expect((await problemOf(web)).unavailable).toEqual(show.seatIds.slice(1, 4))
    const ota = await stub.holdBatch(show.showId, [
      { holderId: 'partner', channel: 'ctrip', seatIds: show.seatIds.slice(2, 4) },
    ])
    expect(ota[0]!.ok).toBe(true)
  })

  it('answers availability from its per-category counters, not by scanning seats', async () => {
    const show = await showOnSale(gridChart(4, 10, ['A', 'B']))
    await ok(
      new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 3) }),
      201,
    )
    const summary = await inventory(show.showId).availability(show.showId)
    expect(summary.categories.map((c) => [c.code, c.available, c.total])).toEqual([
      ['A', 17, 20],
      ['B', 20, 20],
    ])
    // Overwrite seat states behind the counters' back: a scan would see it, the counters do not.
    await runInDurableObject(inventory(show.showId), (instance: ShowInventory) => {
      salesOf(instance).current!.layout.state.fill(3, 0, 10)
    })
    const again = await inventory(show.showId).availability(show.showId)
    expect(again.categories.map((c) => c.available)).toEqual([17, 20])
  })

  it('pushes seat deltas to WebSocket viewers', async () => {
    const show = await showOnSale(gridChart(2, 10))
    const res = await new ApiClient().fetch(`/api/shows/${show.showId}/live`, {
      headers: { upgrade: 'websocket' },
    })
    expect(res.status).toBe(101)
    const ws = res.webSocket!
    const messages: { type: string; version: number; seats?: [string, string][] }[] = []
    ws.accept()
    const delta = new Promise<void>((resolve) => {
      ws.addEventListener('message', (event) => {
        messages.push(JSON.parse(String(event.data)))
        if (messages.some((m) => m.type === 'delta')) resolve()
      })
    })
    await ok(
      new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 2) }),
      201,
    )
    await delta
    // Accepted through the hibernation API: the runtime, not the object, holds the socket.
    await runInDurableObject(inventory(show.showId), (_instance: ShowInventory, state) => {
      expect(state.getWebSockets()).toHaveLength(1)
    })
    ws.close()
    const change = messages.find((m) => m.type === 'delta')!
    expect(change.seats).toEqual([
      [show.seatIds[0], 'held'],
      [show.seatIds[1], 'held'],
    ])
    expect(change.version).toBeGreaterThan(0)
  })
})
