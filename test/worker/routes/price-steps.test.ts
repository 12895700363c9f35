import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from '../../support/catalogue.ts'
import { postWithKey, sandboxPay } from '../../support/orders.ts'

// Price steps by sell-through over real requests: the admin API sets them in the pricing document, the show's
// actor prices each seat of a hold from the seats taken before it, logs each step crossed and publishes it as
// `price.changed`; the order charges the quote and keeps its list price and tier on its lines.

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
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': `10.30.${n >> 8}.${n & 255}` },
    body: JSON.stringify(body),
  })

/** The show's `price.changed` outbox events, oldest first. */
async function priceEvents(showId: string) {
  const { results } = await env.DB.prepare(
    "SELECT payload FROM outbox_events WHERE topic = 'price.changed' AND json_extract(payload, '$.showId') = ? ORDER BY created_at, id",
  )
    .bind(showId)
    .all<{ payload: string }>()
  return results.map((r) => JSON.parse(r.payload) as Record<string, any>)
}

const steps = [
  { atPercentSold: 70, percent: 10 },
  { atPercentSold: 90, percent: 30, label: '最后机会' },
]

describe('price steps: configuration', () => {
  it('answers one validation problem naming every bad step field, and saves nothing', async () => {
    const show = await showOnSale(gridChart(10, 10, ['A']))
    const res = await setPricing(show, {
      schedules: [
        {
          category: 'A',
          tiers: [],
          steps: [
            { atPercentSold: 80, percent: 10 },
            { atPercentSold: 70, percent: 1.5 },
            { atPercentSold: 95, percent: 900 },
          ],
          floor: 15000,
          ceiling: 12000,
        },
      ],
      flashSales: [],
    })
    const problem = await problemOf(res)
    expect(res.status).toBe(400)
    expect(problem.code).toBe('validation')
    expect(problem.errors!.map((e: { path: string }) => e.path).sort()).toEqual(
      [
        'json.schedules.0.steps.1.atPercentSold',
        'json.schedules.0.steps.1.percent',
        'json.schedules.0.steps.2.percent',
        'json.schedules.0.ceiling',
      ].sort(),
    )
    const stored = await ok(show.owner.get(`${show.base}/shows/${show.showId}/pricing`))
    expect(stored.schedules).toEqual([])
    expect(await priceEvents(show.showId)).toEqual([])
  })

  it('a save that changes the schedule writes one price.changed event; saving it again writes none', async () => {
    const show = await showOnSale(gridChart(10, 10, ['A']))
    const body = { schedules: [{ category: 'A', tiers: [], steps, ceiling: 12500 }], flashSales: [] }
    const saved = await ok(setPricing(show, body))
    expect(saved.schedules[0]).toMatchObject({ category: 'A', steps, ceiling: 12500 })
    expect(await priceEvents(show.showId)).toMatchObject([
      { showId: show.showId, reason: 'schedule', prices: { A: 10000 }, schedules: ['A'] },
    ])
    await ok(setPricing(show, body))
    expect(await priceEvents(show.showId)).toHaveLength(1)
  })
})

describe('price steps: a race across the 70% boundary', () => {
  it('concurrent buyers of 1-3 seats: exactly 70 seats at the old price, 20 at +10%, the rest capped at the ceiling', async () => {
    const show = await showOnSale(gridChart(10, 10, ['A']))
    await ok(
      setPricing(show, {
        schedules: [{ category: 'A', tiers: [], steps, ceiling: 12500 }],
        flashSales: [],
      }),
    )
    const answers = await Promise.all(
      Array.from({ length: 80 }, (_, n) =>
        holdAs(
          new ApiClient(),
          show.showId,
          { best: { category: 'A', quantity: 1 + (n % 3), allowSplit: true } },
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
    expect(seats.length).toBeGreaterThanOrEqual(98) // the hall sells out but for what no late request fitted
    expect(seats.filter((s) => s.price === 10000 && s.tier === null)).toHaveLength(70)
    expect(seats.filter((s) => s.price === 11000 && s.listPrice === 11000 && s.tier === null)).toHaveLength(
      20,
    )
    expect(seats.filter((s) => s.price === 12500 && s.tier === '最后机会')).toHaveLength(seats.length - 90)
    for (const h of holds) {
      expect(h.total).toBe(h.seats.reduce((sum, s) => sum + s.price, 0))
      expect(h.discount).toBe(0)
    }
    // The public show answers the price in force; the organizer sees each crossing, and each is published.
    const detail = await ok(new ApiClient().get(`/api/shows/${show.showId}`))
    expect(detail.categories[0].current).toMatchObject({ price: 12500, tier: '最后机会' })
    const pricing = await ok(show.owner.get(`${show.base}/shows/${show.showId}/pricing`))
    const history = pricing.stepHistory as { fromStep: number; toStep: number; price: number }[]
    expect(history.length).toBeGreaterThanOrEqual(1)
    expect(history.at(-1)).toMatchObject({ toStep: 90, price: 12500 })
    for (const [k, h] of history.entries()) expect(h.fromStep).toBe(k === 0 ? 0 : history[k - 1]!.toStep)
    const crossings = (await priceEvents(show.showId)).filter((e) => e.reason === 'sell_through')
    expect(crossings.map((e) => e.prices.A)).toEqual(history.map((h) => h.price))
    expect(crossings.at(-1)).toMatchObject({
      previousPrices: { A: history.at(-1)!.fromStep === 70 ? 11000 : 10000 },
    })
  })
})

describe('price steps: set on a show already selling', () => {
  it('steps added when 80% is taken apply at once; crossings up and back down are logged and published', async () => {
    const show = await showOnSale(gridChart(1, 10, ['A']))
    const holder = new ApiClient()
    const eight = await ok(holdAs(holder, show.showId, { seatIds: show.seatIds.slice(0, 8) }, 1), 201)
    await ok(setPricing(show, { schedules: [{ category: 'A', tiers: [], steps }], flashSales: [] }))
    const pricing = await ok(show.owner.get(`${show.base}/shows/${show.showId}/pricing`))
    expect(pricing.stepHistory).toMatchObject([
      { category: 'A', fromStep: 0, toStep: 70, previousPrice: 10000, price: 11000, taken: 8, onSale: 10 },
    ])
    const crossing = (await priceEvents(show.showId)).filter((e) => e.reason === 'sell_through')
    expect(crossing).toMatchObject([{ prices: { A: 11000 }, previousPrices: { A: 10000 } }])
    const next = await ok(holdAs(new ApiClient(), show.showId, { seatIds: [show.seatIds[8]] }, 2), 201)
    expect(next.total).toBe(11000)
    // The eight are released: 1 of 10 taken, the list price is back, and that crossing is logged too.
    await holder.fetch(`/api/shows/${show.showId}/holds/${eight.id}`, { method: 'DELETE' })
    const after = await ok(show.owner.get(`${show.base}/shows/${show.showId}/pricing`))
    // Up to 70% on the save, to 90% with the ninth seat (which still paid the 70% step), back to none.
    expect(after.stepHistory.map((h: { toStep: number }) => h.toStep)).toEqual([70, 90, 0])
    expect(after.stepHistory.at(-1)).toMatchObject({ fromStep: 90, toStep: 0, price: 10000, taken: 1 })
    const again = await ok(holdAs(new ApiClient(), show.showId, { seatIds: [show.seatIds[0]] }, 3), 201)
    expect(again.total).toBe(10000)
  })
})

describe('price steps: the order', () => {
  it('charges the stepped quote and keeps the list price and tier on its lines', async () => {
    const show = await showOnSale(gridChart(1, 10, ['A']))
    await ok(
      setPricing(show, {
        schedules: [
          {
            category: 'A',
            tiers: [{ label: '早鸟', price: 8000, quantity: 1 }],
            steps: [{ atPercentSold: 20, percent: 15, label: '热销' }],
          },
        ],
        flashSales: [],
      }),
    )
    const buyer = new ApiClient()
    // Seat 1: early bird (tier wins); seat 2: 10% taken before it, list price; seat 3: 20% taken, stepped.
    const hold = await ok(holdAs(buyer, show.showId, { seatIds: show.seatIds.slice(0, 3) }, 1), 201)
    expect(hold.seats.map((s: HeldSeat) => [s.price, s.listPrice, s.tier])).toEqual([
      [8000, 10000, '早鸟'],
      [10000, 10000, null],
      [11500, 11500, '热销'],
    ])
    const created = await ok<{ orderId: string; paymentId: string }>(
      postWithKey(buyer, '/api/orders', {
        kind: 'show',
        showId: show.showId,
        holdId: hold.id,
        email: 'b@example.com',
      }),
      201,
    )
    expect(await sandboxPay(buyer, created.paymentId)).toMatchObject({ status: 'paid' })
    const paid = await ok(buyer.get(`/api/orders/${created.orderId}`))
    expect(paid.total).toBe(8000 + 10000 + 11500)
    expect(
      paid.lines.map((l: { price: number; listPrice: number; tier: string | null }) => [
        l.price,
        l.listPrice,
        l.tier,
      ]),
    ).toEqual([
      [8000, 10000, '早鸟'],
      [10000, 10000, null],
      [11500, 11500, '热销'],
    ])
    // The list price the organizer sets later does not change what the order says it was struck against.
    await ok(
      show.owner.fetch(`${show.base}/shows/${show.showId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prices: { A: 20000 } }),
      }),
    )
    const later = await ok(buyer.get(`/api/orders/${created.orderId}`))
    expect(later.lines[0]).toMatchObject({ price: 8000, listPrice: 10000 })
  })
})
