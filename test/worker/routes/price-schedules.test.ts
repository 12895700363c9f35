import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from '../../support/catalogue.ts'
import { postWithKey, sandboxPay } from '../../support/orders.ts'

// Price schedules and flash sales over real requests: the admin API sets them, the show's actor quotes each hold
// from counters beside its seats, orders charge the quote. Races run many buyers at once, each from its own
// network address (per-address rate limits and hold caps are not what is tested here).

const HOUR = 3600_000
const iso = (ms: number) => new Date(ms).toISOString()
const inventory = (showId: string) => env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))

interface HeldSeat {
  id: string
  price: number
  listPrice: number
  tier: string | null
}

const setPricing = (show: ShowFixture, body: unknown) =>
  show.owner.fetch(`${show.base}/shows/${show.showId}/pricing`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

const holdAs = (buyer: ApiClient, showId: string, body: unknown, n: number) =>
  buyer.fetch(`/api/shows/${showId}/holds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': `10.20.${n >> 8}.${n & 255}` },
    body: JSON.stringify(body),
  })

async function order(buyer: ApiClient, showId: string, holdId: string) {
  return ok<{ orderId: string; paymentId: string }>(
    postWithKey(buyer, '/api/orders', { kind: 'show', showId, holdId, email: 'buyer@example.com' }),
    201,
  )
}

afterEach(() => vi.useRealTimers())

describe('flash sale stampede', () => {
  it('500 buyers for a 50-unit flash sale at 1 per buyer: exactly 50 held at its price, the rest sold_out', async () => {
    const show = await showOnSale(gridChart(10, 20, ['A', 'B']))
    const now = Date.now()
    await ok(
      setPricing(show, {
        schedules: [],
        flashSales: [
          {
            id: 'noon',
            label: '限时抢购',
            category: 'B',
            price: 9900,
            units: 50,
            startsAt: iso(now - HOUR),
            endsAt: iso(now + HOUR),
            perBuyer: 1,
          },
        ],
      }),
    )
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, n) =>
        holdAs(
          new ApiClient(),
          show.showId,
          { best: { category: 'B', quantity: 1 }, flashSaleId: 'noon' },
          n,
        ),
      ),
    )
    const held = answers.filter((r) => r.status === 201)
    const refused = await Promise.all(answers.filter((r) => r.status !== 201).map((r) => problemOf(r)))
    expect(held).toHaveLength(50)
    expect(refused).toHaveLength(450)
    expect(new Set(refused.map((p) => p.code))).toEqual(new Set(['sold_out']))
    const holds = await Promise.all(held.map((r) => r.json<{ seats: HeldSeat[]; total: number }>()))
    expect(holds.every((h) => h.total === 9900 && h.seats[0]!.tier === '限时抢购')).toBe(true)
    expect(new Set(holds.map((h) => h.seats[0]!.id)).size).toBe(50)
    const counts = await inventory(show.showId).counts(show.showId)
    expect(counts.memory.held).toBe(50)
    // The public show tells what is left; the category still sells at its price outside the flash sale.
    const detail = await ok(new ApiClient().get(`/api/shows/${show.showId}`))
    expect(detail.flashSales).toMatchObject([{ id: 'noon', unitsLeft: 0, status: 'active', price: 9900 }])
    const plain = await ok(
      holdAs(new ApiClient(), show.showId, { best: { category: 'B', quantity: 1 } }, 999),
      201,
    )
    expect(plain.total).toBe(20000)
  })
})

describe('early bird', () => {
  it('first 100 at early bird with 400 concurrent buyers of 1-4 seats: exactly 100 tickets at the early price', async () => {
    const show = await showOnSale(gridChart(20, 20, ['A']))
    await ok(
      setPricing(show, {
        schedules: [{ category: 'A', tiers: [{ label: '早鸟', price: 7000, quantity: 100 }] }],
        flashSales: [],
      }),
    )
    const answers = await Promise.all(
      Array.from({ length: 400 }, (_, n) =>
        holdAs(
          new ApiClient(),
          show.showId,
          { best: { category: 'A', quantity: 1 + (n % 4), allowSplit: true } },
          n,
        ),
      ),
    )
    const holds = await Promise.all(
      answers
        .filter((r) => r.status === 201)
        .map((r) => r.json<{ seats: HeldSeat[]; total: number; discount: number }>()),
    )
    const seats = holds.flatMap((h) => h.seats)
    expect(seats.filter((s) => s.tier === '早鸟' && s.price === 7000)).toHaveLength(100)
    expect(seats.filter((s) => s.tier === null).every((s) => s.price === 10000)).toBe(true)
    expect(seats.length).toBe(400) // every seat of the hall went, 100 of them early
    for (const h of holds) {
      expect(h.total).toBe(h.seats.reduce((sum, s) => sum + s.price, 0))
      expect(h.discount).toBe(h.seats.reduce((sum, s) => sum + s.listPrice - s.price, 0))
    }
    const detail = await ok(new ApiClient().get(`/api/shows/${show.showId}`))
    expect(detail.categories[0].current).toEqual({
      listPrice: 10000,
      price: 10000,
      tier: null,
      endsAt: null,
      unitsLeft: null,
    })
  })
})

describe('the order charges the quote', () => {
  it('a hold quoted in tier 1 and paid after tier 1 ended pays tier 1; its refund gives back what was paid', async () => {
    const show = await showOnSale(gridChart(2, 10, ['A']))
    const now = Date.now()
    await ok(
      setPricing(show, {
        schedules: [
          { category: 'A', tiers: [{ label: 'Early bird', price: 8000, endsAt: iso(now + HOUR) }] },
        ],
        flashSales: [],
      }),
    )
    const pub = await ok(new ApiClient().get(`/api/shows/${show.showId}`))
    expect(pub.categories[0].current).toMatchObject({
      price: 8000,
      tier: 'Early bird',
      endsAt: iso(now + HOUR),
    })
    const buyer = new ApiClient()
    const hold = await ok(holdAs(buyer, show.showId, { seatIds: show.seatIds.slice(0, 2) }, 1), 201)
    expect(hold).toMatchObject({ total: 16000, discount: 4000 })
    const created = await order(buyer, show.showId, hold.id)
    // Tier 1 ends; the hold (15 minutes) is still active when the buyer pays.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(now + HOUR + 1000)
    expect(await sandboxPay(buyer, created.paymentId)).toMatchObject({ status: 'paid' })
    const paid = await ok(buyer.get(`/api/orders/${created.orderId}`))
    expect(paid).toMatchObject({ status: 'paid', total: 16000 })
    expect(paid.lines.map((l: { price: number }) => l.price)).toEqual([8000, 8000])
    // A new hold now pays the list price.
    const later = await ok(holdAs(new ApiClient(), show.showId, { seatIds: [show.seatIds[5]] }, 2), 201)
    expect(later.total).toBe(10000)
    vi.useRealTimers()
    const refund = await ok(postWithKey(buyer, `/api/orders/${created.orderId}/refunds`, {}), 201)
    expect(refund.refund).toMatchObject({ amount: 16000, status: 'succeeded' })
  })

  it('a late payment keeps its quote when its tier still applies, and is refunded when the tier is gone', async () => {
    const show = await showOnSale(gridChart(2, 10, ['A']), { holdMinutes: 1 })
    await ok(
      setPricing(show, {
        schedules: [{ category: 'A', tiers: [{ label: 'First 2', price: 5000, quantity: 2 }] }],
        flashSales: [],
      }),
    )
    const lapse = async () => {
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(Date.now() + 61_000)
      await runDurableObjectAlarm(inventory(show.showId))
      vi.useRealTimers()
    }
    const keeper = new ApiClient()
    const kept = await order(
      keeper,
      show.showId,
      (await ok(holdAs(keeper, show.showId, { seatIds: [show.seatIds[0]] }, 1), 201)).id,
    )
    const loser = new ApiClient()
    const lost = await order(
      loser,
      show.showId,
      (await ok(holdAs(loser, show.showId, { seatIds: [show.seatIds[1]] }, 2), 201)).id,
    )
    await lapse()
    // Both holds lapsed and gave their places back. The first pays late while the tier still has room: re-acquired.
    expect((await sandboxPay(keeper, kept.paymentId)).status).toBe('paid')
    expect((await ok(keeper.get(`/api/orders/${kept.orderId}`))).total).toBe(5000)
    // Someone takes the last early place; the second late payment would now be quoted another price: refunded.
    await ok(holdAs(new ApiClient(), show.showId, { seatIds: [show.seatIds[9]] }, 3), 201)
    expect((await sandboxPay(loser, lost.paymentId)).status).toBe('expired')
    const refunded = await ok(loser.get(`/api/orders/${lost.orderId}`))
    expect(refunded.refunds).toMatchObject([{ amount: 5000, status: 'succeeded' }])
  })
})

describe('admin pricing API', () => {
  it('answers one validation problem listing every bad field and saves nothing', async () => {
    const show = await showOnSale(gridChart(2, 10, ['A']))
    const now = Date.now()
    const res = await setPricing(show, {
      schedules: [
        {
          category: 'A',
          tiers: [
            { label: 'One', price: 12000, startsAt: iso(now), endsAt: iso(now + 2 * HOUR) },
            { label: 'Two', price: -1, startsAt: iso(now + HOUR), endsAt: iso(now + 3 * HOUR), quantity: 21 },
            { label: 'Three', price: 99.5, quantity: 5 },
          ],
        },
      ],
      flashSales: [
        {
          id: 'x',
          label: 'X',
          category: 'A',
          price: 5000,
          units: 30,
          startsAt: iso(now),
          endsAt: iso(now + HOUR),
          perBuyer: 1,
        },
      ],
    })
    expect(res.status).toBe(400)
    const problem = await problemOf(res)
    expect(problem.code).toBe('validation')
    expect(problem.errors!.map((e: { path: string }) => e.path).sort()).toEqual(
      [
        'json.schedules.0.tiers.0.price',
        'json.schedules.0.tiers.1.price',
        'json.schedules.0.tiers.1.quantity',
        'json.schedules.0.tiers.1.startsAt',
        'json.schedules.0.tiers.2.price',
        'json.flashSales.0.units',
      ].sort(),
    )
    expect(await ok(show.owner.get(`${show.base}/shows/${show.showId}/pricing`))).toMatchObject({
      schedules: [],
      flashSales: [],
      updatedAt: null,
    })
    // Gate staff may read it but not set it.
    expect(
      (
        await show.gate.fetch(`${show.base}/shows/${show.showId}/pricing`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: '{"schedules":[],"flashSales":[]}',
        })
      ).status,
    ).toBe(403)
  })
})
