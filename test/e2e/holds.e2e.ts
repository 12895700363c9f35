// Seat holds raced over real HTTP through `wrangler dev`: here, unlike in the Vitest pool, concurrent requests in
// the worker's isolate are batched together before they reach a hold gateway (see HoldQueue), so this is where
// that tier is proven: every buyer gets their own answer, no seat is held twice, and the gateways received
// far fewer calls than there were buyers.
import { beforeAll, describe, expect, test } from 'vitest'
import { type AdminCall, adminOverHttp, gridShowOnSale } from '../support/admin-over-http.ts'
import { baseUrl } from './support/browser.ts'
import { idNumberFor } from './support/shop.ts'

let admin: AdminCall

/** A published show on sale over `rows` rows of 50 seats in one category; answers its id. */
const showOnSale = (rows: number) =>
  gridShowOnSale(admin, { rows, venueName: `Race hall ${Date.now()}`, maxTicketsPerBuyer: 4, price: 38000 })

async function seatStates(showId: string) {
  const map = (await (await fetch(`${baseUrl()}/api/shows/${showId}/seat-map`)).json()) as {
    seats: { id: string; state: string }[]
  }
  return map.seats
}

/**
 * Each racing buyer comes from an address of their own (`CF-Connecting-IP`, which wrangler dev keeps when the
 * client sends it), as an on-sale's buyers do: holds are capped and rate limited per client network.
 */
let clients = 0
const ownAddress = () => {
  const n = clients++
  return { 'cf-connecting-ip': `198.18.${(n >> 8) & 255}.${n & 255}` }
}

const hold = (showId: string, body: unknown) =>
  fetch(`${baseUrl()}/api/shows/${showId}/holds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...ownAddress() },
    body: JSON.stringify(body),
  })

beforeAll(async () => {
  admin = await adminOverHttp(baseUrl(), 'owner@demo.local', 'demo-password-2026')
})

describe('seat holds over HTTP, batched in the isolate', () => {
  test('1,000 buyers racing for 500 seats: each seat held at most once, every buyer answered', async () => {
    const showId = await showOnSale(10)
    const seatIds = (await seatStates(showId)).map((s) => s.id)
    expect(seatIds).toHaveLength(500)
    let seed = 7
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const asks = Array.from({ length: 1000 }, () => {
      const start = Math.floor(random() * 499)
      return seatIds.slice(start, start + (random() < 0.5 ? 1 : 2))
    })
    // The gateways keep these counts in memory, and workerd evicts an actor idle for 10 s (a shard that got its
    // last call early, on a loaded machine): read them every half second during the race and keep the fullest.
    type Batching = { gatewayCalls: number; actorBatches: number }
    const readBatching = async () =>
      (await (await fetch(`${baseUrl()}/api/dev/hold-batching?showId=${showId}`)).json()) as Batching
    let batching: Batching = { gatewayCalls: 0, actorBatches: 0 }
    let racing = true
    const watching = (async () => {
      while (racing) {
        const seen = await readBatching()
        if (seen.gatewayCalls > batching.gatewayCalls) batching = seen
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
    })()
    const responses = await Promise.all(asks.map((ids) => hold(showId, { seatIds: ids })))
    racing = false
    await watching
    const last = await readBatching()
    if (last.gatewayCalls > batching.gatewayCalls) batching = last
    const held: string[] = []
    const refusals = new Map<string, number>()
    for (const [i, response] of responses.entries()) {
      if (response.status === 201) {
        const body = (await response.json()) as { id: string; seats: { id: string }[] }
        // Each buyer got the hold for the seats they asked for, not a neighbour's answer from the same batch.
        expect(body.seats.map((s) => s.id).sort()).toEqual([...asks[i]!].sort())
        held.push(...body.seats.map((s) => s.id))
      } else {
        expect(response.status).toBe(409)
        expect(response.headers.get('content-type')).toContain('application/problem+json')
        const problem = (await response.json()) as { code: string; unavailable: string[] }
        expect(problem.unavailable.some((id) => asks[i]!.includes(id))).toBe(true)
        refusals.set(problem.code, (refusals.get(problem.code) ?? 0) + 1)
      }
    }
    expect(new Set(held).size).toBe(held.length)
    expect(held.length).toBeGreaterThan(100)
    expect([...refusals.keys()]).toEqual(['seats_unavailable'])
    const states = await seatStates(showId)
    expect(
      states
        .filter((s) => s.state === 'held')
        .map((s) => s.id)
        .sort(),
    ).toEqual([...held].sort())

    expect(batching.gatewayCalls).toBeGreaterThan(0)
    expect(batching.gatewayCalls).toBeLessThan(asks.length / 4)
    expect(batching.actorBatches).toBeLessThanOrEqual(batching.gatewayCalls)
  })

  test('best available racing to sold out: no seat twice, the rest told sold out', async () => {
    const showId = await showOnSale(4)
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        hold(showId, { best: { category: 'A', quantity: 1 + (i % 2), allowSplit: true } }),
      ),
    )
    const held: string[] = []
    const codes = new Map<string, number>()
    for (const response of responses) {
      const body = (await response.json()) as { seats?: { id: string }[]; code?: string }
      if (response.status === 201) held.push(...body.seats!.map((s) => s.id))
      else codes.set(body.code!, (codes.get(body.code!) ?? 0) + 1)
    }
    expect(new Set(held).size).toBe(held.length)
    expect(held.length).toBeGreaterThanOrEqual(199)
    expect(held.length).toBeLessThanOrEqual(200)
    expect(codes.get('sold_out')).toBeGreaterThan(0)
    expect([...codes.keys()]).toEqual(['sold_out'])
    const states = await seatStates(showId)
    expect(states.filter((s) => s.state === 'held')).toHaveLength(held.length)
  })
})

describe('seat holds over HTTP: one client cannot take a show off sale', () => {
  test('security: 380 cookie-less holds from one address, batched in the isolate, hold at most its cap (attack 4)', async () => {
    const showId = await showOnSale(4)
    const attacker = { 'cf-connecting-ip': '203.0.113.66' }
    const responses = await Promise.all(
      Array.from({ length: 380 }, () =>
        fetch(`${baseUrl()}/api/shows/${showId}/holds`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...attacker },
          body: JSON.stringify({ best: { category: 'A', quantity: 4, allowSplit: true } }),
        }),
      ),
    )
    let held = 0
    const codes = new Map<string, number>()
    for (const response of responses) {
      const body = (await response.json()) as { seats?: unknown[]; code?: string }
      if (response.status === 201) held += body.seats!.length
      else {
        expect(response.status).toBe(429)
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
        codes.set(body.code!, (codes.get(body.code!) ?? 0) + 1)
      }
    }
    // 200 seats: one address holds at most 24 of them (300 hold requests a minute, then rate_limited).
    expect(held).toBeLessThanOrEqual(24)
    expect(codes.get('hold_limit')).toBeGreaterThan(0)
    expect(codes.get('rate_limited')).toBe(80)
    const states = await seatStates(showId)
    expect(states.filter((s) => s.state === 'free').length).toBeGreaterThanOrEqual(176)
    // Anyone else still buys.
    expect((await hold(showId, { best: { category: 'A', quantity: 4 } })).status).toBe(201)
  })
})

describe('seat holds over HTTP: buyers who leave mid-rush', () => {
  test('clients hanging up while their holds are being sent strand no one else', async () => {
    const showId = await showOnSale(6)
    const seatIds = (await seatStates(showId)).map((s) => s.id)
    const leaving = Array.from({ length: 30 }, () => new AbortController())
    const gone = leaving.map((controller, i) =>
      fetch(`${baseUrl()}/api/shows/${showId}/holds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...ownAddress() },
        body: JSON.stringify({ seatIds: [seatIds[i]] }),
        signal: controller.signal,
      }).catch(() => null),
    )
    const staying = Array.from({ length: 200 }, (_, i) =>
      hold(showId, { seatIds: [seatIds[30 + (i % 270)]] }),
    )
    // The first buyers in (whose requests send the isolate's batches) hang up while the rush is in flight.
    await new Promise((resolve) => setTimeout(resolve, 5))
    for (const controller of leaving) controller.abort()
    await Promise.all(gone)
    const answers = await Promise.all(staying)
    const statuses = answers.map((r) => r.status)
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([])
    expect(statuses.filter((s) => s === 201)).toHaveLength(200)
    await Promise.all(answers.map((r) => r.body?.cancel()))
  })
})

describe('scenic-day holds over HTTP, batched in the isolate', () => {
  const site = 'site_demo_mountain'
  // Days ahead of the other browser tests' dates, so the counts here are this test's alone.
  const date = new Date(Date.now() + 8 * 3600_000 + 9 * 86_400_000).toISOString().slice(0, 10)
  const day = async () =>
    (await (await fetch(`${baseUrl()}/api/scenic-sites/${site}/days/${date}`)).json()) as {
      slots: { code: string; remaining: number }[]
    }
  const holdDay = (name: string, idNumber: string) =>
    fetch(`${baseUrl()}/api/scenic-sites/${site}/days/${date}/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ownAddress() },
      body: JSON.stringify({
        lines: [{ productId: 'prd_demo_adult', slot: '10:00', visitor: { name, idNumber } }],
      }),
    })

  test('120 visitors at once each get their own ticket; one ID number racing itself gets one', async () => {
    const before = (await day()).slots.find((s) => s.code === '10:00')!.remaining
    const visitors = Array.from({ length: 100 }, (_, i) => ({
      name: `访客${i}`,
      idNumber: idNumberFor('19900101', i),
    }))
    const twin = idNumberFor('19880808', 1)
    const responses = await Promise.all([
      ...visitors.map((v) => holdDay(v.name, v.idNumber)),
      ...Array.from({ length: 20 }, (_, i) => holdDay(`同号${i}`, twin)),
    ])
    const bodies = await Promise.all(
      responses.map(async (r) => ({
        status: r.status,
        body: (await r.json()) as { lines?: { visitor: { idNumber?: string } }[]; code?: string },
      })),
    )
    // Everyone with their own ID number got a ticket for that ID (answers were not swapped within a batch).
    for (const [i, { status, body }] of bodies.slice(0, 100).entries()) {
      expect(status).toBe(201)
      expect(body.lines![0]!.visitor.idNumber).toContain(visitors[i]!.idNumber.slice(-4))
    }
    const twins = bodies.slice(100)
    expect(twins.filter((t) => t.status === 201)).toHaveLength(1)
    for (const t of twins.filter((t) => t.status !== 201)) expect(t.status).toBe(409)
    const after = (await day()).slots.find((s) => s.code === '10:00')!.remaining
    expect(before - after).toBe(101)
    const batching = (await (
      await fetch(`${baseUrl()}/api/dev/hold-batching?siteId=${site}&date=${date}`)
    ).json()) as { gatewayCalls: number; actorBatches: number }
    expect(batching.gatewayCalls).toBeGreaterThan(0)
    expect(batching.gatewayCalls).toBeLessThan(120 / 4)
  })
})
