// The sales, channel and funnel reports over real requests, on a known set of events written through the analytics
// store (the one writer of the rollups): every figure below is worked out by hand in the comments.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import type { AnalyticsRecord } from '../../../../worker/services/analytics/messages.ts'
import { recordAnalyticsEvents } from '../../../../worker/services/analytics/store.ts'
import { problemOf } from '../../../support/api.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from '../../../support/catalogue.ts'

const db = openDatabase(env.DB)
let serial = 0

type Part = Partial<AnalyticsRecord> & Pick<AnalyticsRecord, 'kind' | 'day'>

let world: ShowFixture & { earlierShowId: string; laterShowId: string; otherShowId: string; reports: string }

/** A stored event of the organizer under test (show S1 on the web, direct, on a phone unless said otherwise). */
function record(p: Part): AnalyticsRecord {
  return {
    id: `t-${Date.now()}-${serial++}`,
    organizerId: world.organizerId,
    occurredAt: `${p.day}T04:00:00.000Z`,
    eventId: world.eventId,
    showId: world.showId,
    channel: 'web',
    source: 'direct',
    device: 'mobile',
    ...p,
  }
}
const times = (n: number, p: Part) => Array.from({ length: n }, () => record(p))

/**
 * Sales (category A 10,000 fen a seat, B 20,000):
 * - 11-02 o1 web: 2 A + 1 B = 40,000; o2 ctrip (OTA): 3 A = 30,000
 * - 11-03 o1 refunds one A (10,000); o3 web on the earlier show S0: 1 A = 10,000
 * - 11-09 o4 web via distributor D1 on a desktop: 2 B = 40,000
 * - 11-10 o4's two B seats are rebooked to o6 (2 A = 20,000): o6 paid 20,000, the rebooking gives back o4's two
 *   tickets, its order and the 20,000 credit carried; the 20,000 difference is refunded (no ticket of its own)
 * - 11-12 two of o2's tickets are redeemed (10,000 each), one of o1's too
 */
function salesEvents(): AnalyticsRecord[] {
  const ctrip = { channel: 'ctrip', device: 'unknown' }
  const ref = { source: 'ref:D1', device: 'desktop' }
  return [
    record({ kind: 'paid', day: '2026-11-02', category: 'A', orders: 1, tickets: 2, amount: 20_000 }),
    record({ kind: 'paid', day: '2026-11-02', category: 'B', orders: 0, tickets: 1, amount: 20_000 }),
    record({
      kind: 'paid',
      day: '2026-11-02',
      category: 'A',
      orders: 1,
      tickets: 3,
      amount: 30_000,
      ...ctrip,
    }),
    record({ kind: 'refund', day: '2026-11-03', category: 'A', tickets: 1, amount: -10_000 }),
    record({
      kind: 'paid',
      day: '2026-11-03',
      showId: world.earlierShowId,
      category: 'A',
      orders: 1,
      tickets: 1,
      amount: 10_000,
    }),
    record({ kind: 'paid', day: '2026-11-09', category: 'B', orders: 1, tickets: 2, amount: 40_000, ...ref }),
    record({ kind: 'paid', day: '2026-11-10', category: 'A', orders: 1, tickets: 2, amount: 20_000 }),
    record({
      kind: 'rebook',
      day: '2026-11-10',
      category: 'B',
      orders: -1,
      tickets: -2,
      amount: -20_000,
      ...ref,
    }),
    record({ kind: 'refund', day: '2026-11-10', amount: -20_000, ...ref }),
    ...times(2, {
      kind: 'redemption',
      day: '2026-11-12',
      category: 'A',
      tickets: 1,
      amount: 10_000,
      ...ctrip,
    }),
    record({ kind: 'redemption', day: '2026-11-12', category: 'A', tickets: 1, amount: 10_000 }),
    // Outside November, and another organizer's sale: neither counts.
    record({ kind: 'paid', day: '2026-10-20', category: 'A', orders: 1, tickets: 1, amount: 10_000 }),
  ]
}

/** Funnel traffic in September for the later show S2: direct (7 phones, 1 tablet) and distributor D1 (desktop). */
function funnelEvents(): AnalyticsRecord[] {
  const d1 = { source: 'ref:D1', device: 'desktop' }
  const day = '2026-09-15'
  return funnelTraffic(day, d1).map((r) => ({ ...r, showId: world.laterShowId }))
}

function funnelTraffic(day: string, d1: Partial<AnalyticsRecord>): AnalyticsRecord[] {
  return [
    ...times(7, { kind: 'show_view', day }),
    record({ kind: 'show_view', day, device: 'tablet' }),
    ...times(4, { kind: 'show_view', day, ...d1 }),
    ...times(6, { kind: 'seat_map_open', day }),
    ...times(2, { kind: 'seat_map_open', day, ...d1 }),
    ...times(4, { kind: 'hold', day }),
    ...times(2, { kind: 'hold', day, ...d1 }),
    ...times(3, { kind: 'order', day, orders: 1 }),
    record({ kind: 'order', day, orders: 1, ...d1 }),
    // A paid order split in two parts counts once; the OTA's hold and payment never passed the shop's pages.
    record({ kind: 'paid', day, orders: 1, tickets: 1, amount: 10_000, category: 'A' }),
    record({ kind: 'paid', day, orders: 0, tickets: 1, amount: 20_000, category: 'B' }),
    ...times(2, { kind: 'paid', day, orders: 1, tickets: 1, amount: 10_000, category: 'A' }),
    record({ kind: 'paid', day, orders: 1, tickets: 1, amount: 20_000, category: 'B', ...d1 }),
    record({ kind: 'hold', day, channel: 'ctrip', device: 'unknown' }),
    record({ kind: 'show_view', day: '2026-08-30' }),
  ]
}

beforeAll(async () => {
  const show = await showOnSale(gridChart(2, 10, ['A', 'B']))
  // S1 starts 2026-11-20 (Shanghai); the earlier show S0 of the same event on 2026-11-05.
  await ok(show.owner.patch(`${show.base}/shows/${show.showId}`, { startsAt: '2026-11-20T11:00:00.000Z' }))
  const earlier = await ok(
    show.owner.post(`${show.base}/shows`, {
      eventId: show.eventId,
      venueId: show.venueId,
      startsAt: '2026-11-05T11:00:00.000Z',
      saleStartsAt: '2026-10-01T00:00:00.000Z',
      saleEndsAt: '2026-11-05T10:00:00.000Z',
      prices: { A: 10_000, B: 20_000 },
    }),
    201,
  )
  const later = await ok(
    show.owner.post(`${show.base}/shows`, {
      eventId: show.eventId,
      venueId: show.venueId,
      startsAt: '2026-12-25T11:00:00.000Z',
      saleStartsAt: '2026-09-01T00:00:00.000Z',
      saleEndsAt: '2026-12-25T10:00:00.000Z',
      prices: { A: 10_000, B: 20_000 },
    }),
    201,
  )
  await ok(
    show.owner.post(`${show.base}/sales-channels`, {
      name: '携程',
      code: 'ctrip',
      kind: 'ota',
      commissionBps: 1000,
    }),
    201,
  )
  await ok(
    show.owner.post(`${show.base}/sales-channels`, {
      name: '美团',
      code: 'meituan',
      kind: 'ota',
      commissionBps: 800,
    }),
    201,
  )
  const other = await showOnSale(gridChart(1, 5))
  world = {
    ...show,
    earlierShowId: earlier.id,
    laterShowId: later.id,
    otherShowId: other.showId,
    reports: `${show.base}/reports/analytics`,
  }
  await recordAnalyticsEvents(db, [...salesEvents(), ...funnelEvents()])
  // Another organizer's sale on the same day: never in this organizer's figures.
  await recordAnalyticsEvents(db, [
    {
      ...record({ kind: 'paid', day: '2026-11-02', orders: 1, tickets: 9, amount: 99_000 }),
      organizerId: other.organizerId,
      showId: other.showId,
      eventId: other.eventId,
    },
  ])
})

const november = 'from=2026-11-01&to=2026-11-30'
const september = 'from=2026-09-01&to=2026-09-30'

describe('sales report', () => {
  it('adds revenue, refunds, a rebooking and orders by week, ticket type and performance', async () => {
    const r = await ok(world.manager.get(`${world.reports}/sales?${november}&granularity=week`))
    expect(r).toMatchObject({ currency: 'CNY', from: '2026-11-01', to: '2026-11-30', granularity: 'week' })
    // Paid 40,000 + 30,000 + 10,000 + 40,000 + 20,000 = 140,000, less the 20,000 credit the rebooking carried:
    // gross 120,000; refunds 10,000 + 20,000; tickets 11 paid − 2 rebooked − 1 refunded; orders 5 − 1 replaced.
    expect(r.totals).toEqual({
      gross: 120_000,
      refunds: 30_000,
      net: 90_000,
      tickets: 8,
      refundedTickets: 1,
      orders: 4,
      averageOrderValue: 30_000,
    })
    expect(r.series).toEqual([
      // Week of Monday 11-02: o1, o2, o3 and o1's refund.
      {
        period: '2026-11-02',
        gross: 80_000,
        refunds: 10_000,
        net: 70_000,
        tickets: 6,
        refundedTickets: 1,
        orders: 3,
        averageOrderValue: 26_667,
      },
      // Week of 11-09: o4, then its rebooking to o6 and the difference refunded.
      {
        period: '2026-11-09',
        gross: 40_000,
        refunds: 20_000,
        net: 20_000,
        tickets: 2,
        refundedTickets: 0,
        orders: 1,
        averageOrderValue: 40_000,
      },
    ])
    const types = r.byTicketType.map((t: Record<string, unknown>) => [t.category, t.name, t.tickets, t.net])
    expect(types).toEqual([
      ['A', 'Zone A', 7, 70_000], // 2 + 3 + 1 + 2 − 1 refunded
      ['B', 'Zone B', 1, 40_000], // 1 + 2 − 2 rebooked away; 20,000 + 40,000 − 20,000
      [null, '', 0, -20_000], // the rebooking's difference refund names no line
    ])
    expect(
      r.topShows.map((s: Record<string, unknown>) => [s.showId, s.eventName, s.startsAt, s.tickets, s.net]),
    ).toEqual([
      [world.showId, 'Gala', '2026-11-20T11:00:00.000Z', 7, 80_000],
      [world.earlierShowId, 'Gala', '2026-11-05T11:00:00.000Z', 1, 10_000],
    ])
  })

  it('groups by month and day, and narrows to a channel, a show or a category', async () => {
    const month = await ok(
      world.manager.get(`${world.reports}/sales?from=2026-10-01&to=2026-11-30&granularity=month`),
    )
    expect(month.series.map((s: Record<string, number>) => [s.period, s.net, s.tickets])).toEqual([
      ['2026-10-01', 10_000, 1],
      ['2026-11-01', 90_000, 8],
    ])
    const days = await ok(world.manager.get(`${world.reports}/sales?from=2026-11-02&to=2026-11-03`))
    expect(days.series.map((s: Record<string, number>) => [s.period, s.gross, s.refunds, s.tickets])).toEqual(
      [
        ['2026-11-02', 70_000, 0, 6],
        ['2026-11-03', 10_000, 10_000, 0],
      ],
    )
    const ctrip = await ok(world.manager.get(`${world.reports}/sales?${november}&channel=ctrip`))
    expect(ctrip.totals).toMatchObject({ gross: 30_000, net: 30_000, tickets: 3, orders: 1 })
    const earlier = await ok(
      world.manager.get(`${world.reports}/sales?${november}&showId=${world.earlierShowId}`),
    )
    expect(earlier.totals).toMatchObject({ gross: 10_000, tickets: 1, orders: 1 })
    const b = await ok(world.manager.get(`${world.reports}/sales?${november}&category=B`))
    expect(b.totals).toMatchObject({ gross: 40_000, refunds: 0, tickets: 1 })
    // Another organizer's show matches nothing here.
    const foreign = await ok(
      world.manager.get(`${world.reports}/sales?${november}&showId=${world.otherShowId}`),
    )
    expect(foreign.totals).toMatchObject({ gross: 0, tickets: 0, orders: 0 })
    expect(foreign.series).toEqual([])
  })

  it('draws the show’s progress beside the earlier show of the same event, days before each start', async () => {
    const r = await ok(world.manager.get(`${world.reports}/sales/progress?showId=${world.showId}`))
    // S1 starts 11-20: sales 31 days before (10-20: 1), 18 (11-02: 6), 17 (−1), 11 (+2), 10 (+2 − 2 rebooked);
    // S0 starts 11-05 and sold one 2 days before. The axis reaches back to the earliest sale of any show shown.
    expect(r.daysBefore).toHaveLength(32)
    expect(r.daysBefore[0]).toBe(31)
    expect(r.daysBefore.at(-1)).toBe(0)
    const [s1, s0] = r.shows
    expect(s1).toMatchObject({ showId: world.showId, current: true, tickets: 8 })
    expect(s0).toMatchObject({ showId: world.earlierShowId, current: false, tickets: 1 })
    const at = (curve: number[], daysBefore: number) => curve[r.daysBefore.indexOf(daysBefore)]
    expect([31, 18, 17, 12, 11, 10, 0].map((d) => at(s1.cumulativeTickets, d))).toEqual([1, 7, 6, 6, 8, 8, 8])
    expect([3, 2, 0].map((d) => at(s0.cumulativeTickets, d))).toEqual([0, 1, 1])
    const missing = await world.manager.get(`${world.reports}/sales/progress?showId=${world.otherShowId}`)
    expect(missing.status).toBe(404)
  })
})

describe('channel report', () => {
  it('shares revenue and tickets per channel and settles the OTA for the tickets used', async () => {
    const r = await ok(world.manager.get(`${world.reports}/channels?${november}`))
    expect(r.totals).toEqual({ net: 90_000, tickets: 8 })
    expect(
      r.byChannel.map((c: Record<string, unknown>) => [
        c.channel,
        c.name,
        c.net,
        c.tickets,
        c.revenueShare,
        c.ticketShare,
      ]),
    ).toEqual([
      ['web', 'web', 60_000, 5, 0.6667, 0.625],
      ['ctrip', '携程', 30_000, 3, 0.3333, 0.375],
    ])
    // ctrip sold 3 and 2 were used (10,000 each): it owes 20,000 less its 10% commission.
    expect(r.settlement).toEqual([
      {
        channel: 'ctrip',
        name: '携程',
        nameEn: null,
        kind: 'ota',
        soldTickets: 3,
        soldNet: 30_000,
        refundedTickets: 0,
        redeemedTickets: 2,
        redeemedAmount: 20_000,
        commissionBps: 1000,
        commission: 2_000,
        due: 18_000,
      },
      {
        channel: 'meituan',
        name: '美团',
        nameEn: null,
        kind: 'ota',
        soldTickets: 0,
        soldNet: 0,
        refundedTickets: 0,
        redeemedTickets: 0,
        redeemedAmount: 0,
        commissionBps: 800,
        commission: 0,
        due: 0,
      },
    ])
    // Redemptions count on their own day: a range without 11-12 owes nothing.
    const early = await ok(
      world.manager.get(`${world.reports}/channels?from=2026-11-01&to=2026-11-11&channel=ctrip`),
    )
    expect(early.settlement).toMatchObject([{ channel: 'ctrip', soldTickets: 3, redeemedTickets: 0, due: 0 }])
  })
})

describe('funnel report', () => {
  it('counts each step and its conversion, overall, per source and per device', async () => {
    const r = await ok(world.manager.get(`${world.reports}/funnel?${september}`))
    // Views 8 + 4, opens 6 + 2, holds 4 + 2 (the OTA's hold left out), orders 3 + 1, paid 3 + 1.
    expect(r.steps).toEqual({ view: 12, open: 8, hold: 6, order: 4, paid: 4 })
    expect(r.conversion).toEqual({ open: 0.6667, hold: 0.75, order: 0.6667, paid: 1, overall: 0.3333 })
    expect(r.bySource).toEqual([
      {
        key: 'direct',
        steps: { view: 8, open: 6, hold: 4, order: 3, paid: 3 },
        conversion: { open: 0.75, hold: 0.6667, order: 0.75, paid: 1, overall: 0.375 },
      },
      {
        key: 'ref:D1',
        steps: { view: 4, open: 2, hold: 2, order: 1, paid: 1 },
        conversion: { open: 0.5, hold: 1, order: 0.5, paid: 1, overall: 0.25 },
      },
    ])
    expect(
      r.byDevice.map((d: { key: string; steps: Record<string, number> }) => [
        d.key,
        d.steps.view,
        d.steps.paid,
      ]),
    ).toEqual([
      ['mobile', 7, 3],
      ['desktop', 4, 1],
      ['tablet', 1, 0],
    ])
    expect(r.byDevice[2].conversion).toEqual({ open: 0, hold: null, order: null, paid: null, overall: 0 })
    const d1 = await ok(world.manager.get(`${world.reports}/funnel?${september}&source=ref:D1`))
    expect(d1.steps).toEqual({ view: 4, open: 2, hold: 2, order: 1, paid: 1 })
    const ctrip = await ok(world.manager.get(`${world.reports}/funnel?${september}&channel=ctrip`))
    expect(ctrip.steps).toEqual({ view: 0, open: 0, hold: 1, order: 0, paid: 0 })
  })
})

describe('report filters', () => {
  it.each([
    ['sales?from=2026-11-30&to=2026-11-01', 'query.to'],
    ['sales?from=2025-01-01&to=2026-11-30', 'query.to'],
    ['sales?from=2026-02-30', 'query.from'],
    ['sales?granularity=year', 'query.granularity'],
    ['channels?to=yesterday', 'query.to'],
    ['funnel?device=fridge', 'query.device'],
    ['funnel?productId=p1', 'query.productId'],
    ['sales/progress', 'query.showId'],
  ])('refuses %s as a validation problem naming %s', async (path, field) => {
    const res = await world.manager.get(`${world.reports}/${path}`)
    expect(res.status).toBe(400)
    const problem = await problemOf(res)
    expect(problem.code).toBe('validation')
    expect((problem as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(field)
  })

  it('answers only the organizer’s owner and manager', async () => {
    expect((await world.gate.get(`${world.reports}/sales?${november}`)).status).toBe(403)
  })
})
