import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ApiClient, problemOf } from '../../support/api.ts'
import {
  idNumberFor,
  ok,
  type ScenicFixture,
  scenicSiteOnSale,
  shanghaiDate,
} from '../../support/catalogue.ts'
import { uniqueAddress } from '../../support/clients.ts'
import { payForHold } from '../../support/orders.ts'
import { addPartner, partnerOrderId, visitor } from '../../support/partner.ts'

// Date prices and tiers of scenic products over real requests: the organizer sets them through the admin API,
// the day's actor quotes every hold from them, the shop's calendar shows them and the order charges them.

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay()
/** The next Saturday and the next Wednesday in Shanghai, from tomorrow on (within the 30-day window). */
const next = (day: number) => {
  for (let k = 1; k < 9; k++) if (weekday(shanghaiDate(k)) === day) return shanghaiDate(k)
  throw new Error('no such day')
}
const saturday = next(6)
const wednesday = next(3)

const pricingPath = (site: ScenicFixture, productId: string) =>
  `${site.base}/visit-products/${productId}/pricing`
const holdsPath = (site: ScenicFixture, date: string) => `/api/scenic-sites/${site.siteId}/days/${date}/holds`

/** The shop's hold of `n` child gate tickets (no real name needed) from a buyer of its own address. */
const holdChildren = (buyer: ApiClient, site: ScenicFixture, date: string, n = 1) =>
  buyer.fetch(holdsPath(site, date), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': uniqueAddress() },
    body: JSON.stringify({
      lines: Array.from({ length: n }, () => ({ productId: site.childProduct, slot: '09:00' })),
    }),
  })

describe('scenic date prices', () => {
  it('a hold on a weekend date pays the weekend price; a weekday keeps the base price', async () => {
    const site = await scenicSiteOnSale()
    const saved = await ok(
      site.owner.put(pricingPath(site, site.childProduct), {
        dates: [{ weekdays: [0, 6], price: 7500, label: '周末价' }],
        tiers: [],
      }),
    )
    expect(saved).toMatchObject({ basePrice: 6000, dates: [{ weekdays: [0, 6], price: 7500 }] })

    const calendar = await ok(
      new ApiClient().get(
        `/api/scenic-sites/${site.siteId}/calendar?from=${shanghaiDate(1)}&to=${shanghaiDate(8)}`,
      ),
    )
    const childOn = (date: string) =>
      calendar.days
        .find((d: { date: string }) => d.date === date)
        .products.find((p: { id: string }) => p.id === site.childProduct)
    expect(childOn(saturday)).toMatchObject({ price: 7500, listPrice: 7500, dateLabel: '周末价', tier: null })
    expect(childOn(wednesday)).toMatchObject({ price: 6000, dateLabel: null })

    const buyer = new ApiClient()
    const weekend = await ok(holdChildren(buyer, site, saturday, 2), 201)
    expect(weekend.total).toBe(15_000)
    expect(weekend.lines.map((l: { price: number }) => l.price)).toEqual([7500, 7500])
    const order = await payForHold(buyer, {
      kind: 'scenic',
      siteId: site.siteId,
      date: saturday,
      holdId: weekend.id,
    })
    expect(order).toMatchObject({ status: 'paid', total: 15_000 })
    expect(order.lines.map((l: { price: number }) => l.price)).toEqual([7500, 7500])

    const midweek = await ok(holdChildren(new ApiClient(), site, wednesday), 201)
    expect(midweek.total).toBe(6000)
  })

  it('prices a package by its own calendar and counts its tier once per package', async () => {
    const site = await scenicSiteOnSale()
    await ok(
      site.owner.put(`${site.base}/packages/${site.packageId}/pricing`, {
        dates: [{ weekdays: [0, 6], price: 21_000, label: '周末价' }],
        tiers: [{ label: '每日首套', price: 16_000, quantity: 1 }],
      }),
    )
    const holdPackage = (n: number) =>
      new ApiClient().fetch(holdsPath(site, saturday), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': uniqueAddress() },
        body: JSON.stringify({
          packageId: site.packageId,
          lines: [
            {
              productId: site.gateProduct,
              slot: '09:00',
              visitor: { name: '王', idNumber: idNumberFor(900 + n) },
            },
            { productId: site.cableCarProduct, parent: { line: 0 } },
          ],
        }),
      })
    const first = await ok(holdPackage(1), 201)
    // Spread over its lines by their list prices (gate ¥120, cable car ¥80), the tier on each line.
    expect(first.total).toBe(16_000)
    expect(first.lines.map((l: { price: number }) => l.price)).toEqual([9600, 6400])
    expect(first.lines.map((l: { tier: string }) => l.tier)).toEqual(['每日首套', '每日首套'])
    const second = await ok(holdPackage(2), 201)
    expect(second.total).toBe(21_000)
    const day = await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}/days/${saturday}`))
    expect(day.packages).toEqual([
      { id: site.packageId, price: 21_000, listPrice: 21_000, tier: null, dateLabel: '周末价' },
    ])
  })

  it('refuses a bad calendar with every bad field, and saves nothing', async () => {
    const site = await scenicSiteOnSale()
    const res = await site.owner.put(pricingPath(site, site.childProduct), {
      dates: [
        { from: '2026-10-07', to: '2026-10-01', price: 7000 },
        { date: '2026-10-03', price: -1 },
      ],
      tiers: [{ label: '早鸟', price: 9000, minDaysAhead: 7 }],
    })
    expect(res.status).toBe(400)
    const problem = await problemOf(res)
    expect(problem.code).toBe('validation')
    expect(problem.errors!.map((e: { path: string }) => e.path)).toEqual([
      'json.dates.0.to',
      'json.dates.1.price',
      'json.tiers.0.price',
    ])
    expect(await ok(site.owner.get(pricingPath(site, site.childProduct)))).toMatchObject({
      dates: [],
      tiers: [],
      updatedAt: null,
    })
  })
})

describe('scenic tiers', () => {
  it('"the first 200 of a day" raced by concurrent buyers sells exactly 200 at the tier price', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 400 })
    await ok(
      site.owner.put(pricingPath(site, site.childProduct), {
        dates: [],
        tiers: [{ label: '前200名', price: 5000, quantity: 200 }],
      }),
    )
    const date = wednesday
    // 130 buyers of 2 tickets each at once: 260 tickets for 200 places at the tier price.
    const answers = await Promise.all(
      Array.from({ length: 130 }, () => holdChildren(new ApiClient(), site, date, 2)),
    )
    expect(answers.map((r) => r.status)).toEqual(Array(130).fill(201))
    const holds = await Promise.all(answers.map((r) => r.json<{ id: string; total: number; lines: any[] }>()))
    const lines = holds.flatMap((h) => h.lines)
    expect(lines.filter((l) => l.price === 5000 && l.tier === '前200名')).toHaveLength(200)
    expect(lines.filter((l) => l.price === 6000 && l.tier === null)).toHaveLength(60)
    expect(lines.every((l) => l.listPrice === 6000)).toBe(true)

    // The day shows the list price once the tier is gone, and the next buyer pays it.
    const day = await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}/days/${date}`))
    expect(day.products.find((p: { id: string }) => p.id === site.childProduct)).toMatchObject({
      price: 6000,
      tier: null,
    })
  })

  it('the order charges the quoted tier price', async () => {
    const site = await scenicSiteOnSale()
    await ok(
      site.owner.put(pricingPath(site, site.childProduct), {
        dates: [{ weekdays: [0, 6], price: 7500 }],
        tiers: [{ label: '早鸟', price: 5500, quantity: 1 }],
      }),
    )
    const buyer = new ApiClient()
    const hold = await ok(holdChildren(buyer, site, saturday, 2), 201)
    expect(hold.lines.map((l: { price: number; tier: string | null }) => [l.price, l.tier])).toEqual([
      [5500, '早鸟'],
      [7500, null],
    ])
    const order = await payForHold(buyer, {
      kind: 'scenic',
      siteId: site.siteId,
      date: saturday,
      holdId: hold.id,
    })
    expect(order).toMatchObject({ status: 'paid', total: 13_000 })
    // Each order line keeps the day's list price and the tier it was quoted in.
    expect(
      order.lines.map((l: { price: number; listPrice: number; tier: string | null }) => [
        l.price,
        l.listPrice,
        l.tier,
      ]),
    ).toEqual([
      [5500, 7500, '早鸟'],
      [7500, 7500, null],
    ])
  })
})

describe('a late payment and its quote', () => {
  const day = (site: ScenicFixture, date: string) =>
    env.SCENIC_DAY_INVENTORY.get(env.SCENIC_DAY_INVENTORY.idFromName(`${site.siteId}:${date}`))

  it('keeps the tier price only while the tier still has the place; else the hold is not re-acquired', async () => {
    const site = await scenicSiteOnSale()
    await ok(
      site.owner.put(pricingPath(site, site.childProduct), {
        dates: [],
        tiers: [{ label: '早鸟', price: 5000, quantity: 1 }],
      }),
    )
    const date = wednesday
    const first = await ok(holdChildren(new ApiClient(), site, date), 201)
    expect(first.lines[0]).toMatchObject({ price: 5000, tier: '早鸟' })
    // The hold ends unpaid: its tier place comes back and a second buyer takes it.
    expect(await day(site, date).release(site.siteId, date, first.id)).toEqual({ released: true })
    const second = await ok(holdChildren(new ApiClient(), site, date), 201)
    expect(second.lines[0]).toMatchObject({ price: 5000, tier: '早鸟' })
    // The first buyer's payment arrives late: the tier is gone, so the ¥50 quote is not honoured.
    expect(await day(site, date).confirm(site.siteId, date, first.id, 'ord_late_1')).toMatchObject({
      ok: false,
      code: 'hold_expired',
    })
    // The second buyer's hold ends too; a late payment for it finds the place free and keeps its quote.
    await day(site, date).release(site.siteId, date, second.id)
    expect(await day(site, date).confirm(site.siteId, date, second.id, 'ord_late_2')).toMatchObject({
      ok: true,
      reacquired: true,
    })
    const third = await ok(holdChildren(new ApiClient(), site, date), 201)
    expect(third.lines[0]).toMatchObject({ price: 6000, tier: null })
  })
})

describe('scenic prices and OTA partners', () => {
  it('a partner hold keeps its settlement price unless a rule names the partner channel', async () => {
    const site = await scenicSiteOnSale({ channelQuotas: { ctrip: 20 } })
    const { client } = await addPartner(site)
    const reserve = () =>
      client.post('/reservations', {
        date: saturday,
        lines: [{ productId: site.gateProduct, slot: '09:00', visitor: visitor() }],
      })
    await ok(
      site.owner.put(pricingPath(site, site.gateProduct), {
        dates: [{ weekdays: [0, 6], price: 15_000 }],
        tiers: [{ label: '前10名', price: 10_000, quantity: 10 }],
      }),
    )
    const settled = await ok(reserve(), 201)
    expect(settled.total).toBe(9000)
    expect(settled.lines[0]).toMatchObject({ settlementPrice: 9000 })
    const booked = await ok(
      client.post('/orders', { partnerOrderId: partnerOrderId(), reservationId: settled.reservationId }),
      201,
    )
    expect(booked).toMatchObject({ status: 'paid', total: 9000 })

    // A weekend rule for Ctrip's channel: its holds are quoted at it.
    await ok(
      site.owner.put(pricingPath(site, site.gateProduct), {
        dates: [
          { weekdays: [0, 6], price: 15_000 },
          { weekdays: [0, 6], price: 9_800, channels: ['ctrip'] },
        ],
        tiers: [],
      }),
    )
    const named = await ok(reserve(), 201)
    expect(named.total).toBe(9800)
    // The partner's calendar quotes the same: the named rule on the weekend, the settlement price midweek.
    const calendarPrice = async (date: string) => {
      const calendar = await ok(client.get(`/calendar?from=${date}&to=${date}&siteId=${site.siteId}`))
      return calendar.days[0].products.find((p: { productId: string }) => p.productId === site.gateProduct)
        .settlementPrice
    }
    expect(await calendarPrice(saturday)).toBe(9800)
    expect(await calendarPrice(wednesday)).toBe(9000)
    // The shop still pays the weekend price.
    const day = await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}/days/${saturday}`))
    expect(day.products.find((p: { id: string }) => p.id === site.gateProduct).price).toBe(15_000)
  })
})
