import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { localDayOf } from '../../../../worker/domain/analytics-events.ts'
import { withCheckCharacter as withCheck } from '../../../../worker/domain/id-number.ts'
import { visitorOriginOf } from '../../../../worker/domain/visitor-origin.ts'
import { checkinReport } from '../../../../worker/services/analytics/scenic-reports.ts'
import { rollUpScenicPaid } from '../../../../worker/services/analytics/scenic-rollups.ts'
import { recordAnalyticsEvents } from '../../../../worker/services/analytics/store.ts'
import { ApiClient, problemOf } from '../../../support/api.ts'
import { ok, scenicSiteOnSale } from '../../../support/catalogue.ts'
import { enrollGate, nonce, showTonight } from '../../../support/gate.ts'
import { postWithKey, sandboxPay } from '../../../support/orders.ts'

const db = openDatabase(env.DB)
const today = () => localDayOf(new Date(), 'Asia/Shanghai')
const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 25_000, interval: 250 })

const analyticsTables = [
  'analytics_events',
  'analytics_daily',
  'analytics_pending_visitors',
  'analytics_visitor_daily',
  'analytics_buyers',
  'analytics_buyer_months',
  'analytics_scenic_applied',
  'analytics_order_products',
  'analytics_secondary_daily',
  'analytics_copurchase_daily',
  'analytics_attendance_daily',
  'analytics_checkin_hourly',
]

async function sha256Hex(text: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** Inserts a paid scenic order straight into D1 (the shape the orders module writes) and answers its outbox event. */
async function paidOrder(
  site: { organizerId: string; siteId: string; date: string },
  products: string[],
  opts: { slot?: string; channel?: string } = {},
) {
  const id = `ord_${crypto.randomUUID()}`
  const now = new Date().toISOString()
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO orders (id, number, organizer_id, buyer_id, kind, site_id, visit_date, hold_id, channel, status,
         total, currency, expires_at, paid_at) VALUES (?, ?, ?, ?, 'scenic', ?, ?, ?, ?, 'confirmed', 0, 'CNY', ?, ?)`,
    ).bind(
      id,
      id,
      site.organizerId,
      `buyer_${id}`,
      site.siteId,
      site.date,
      `hld_${id}`,
      opts.channel ?? 'web',
      now,
      now,
    ),
    ...products.map((productId, i) =>
      env.DB.prepare(
        `INSERT INTO order_lines (id, order_id, inventory_ref, description, product_id, slot, price, status)
         VALUES (?, ?, ?, 'visit', ?, ?, 1000, 'active')`,
      ).bind(`${id}_l${i}`, id, `inv_${id}_${i}`, productId, opts.slot ?? '09:00'),
    ),
  ])
  return {
    id: `evt_${id}_confirmed`,
    topic: 'order.confirmed',
    organizerId: site.organizerId,
    payload: { orderId: id },
    createdAt: now,
  }
}

describe('visitor, 二消, co-purchase and check-in reports', () => {
  it('over real purchases, refunds and admissions, each report equals the hand count; no ID number in any analytics table', async () => {
    const site = await scenicSiteOnSale()
    const buyer = new ApiClient()
    const holds = `/api/scenic-sites/${site.siteId}/days/${site.date}/holds`
    const shanghai = withCheck('31010419900101123') // Shanghai Xuhui, born 1990
    const hangzhou = withCheck('33010620000101456') // Hangzhou Xihu, born 2000
    const beijing = withCheck('11010119850101789') // Beijing Dongcheng, born 1985
    const shanghai2 = withCheck('31011519910101234') // Shanghai Pudong, born 1991
    const visitor = (name: string, idNumber: string) => ({ name, idNumber })
    const buy = async (lines: Record<string, unknown>[]) => {
      const hold = await ok(buyer.post(holds, { lines }), 201)
      const body = {
        kind: 'scenic',
        siteId: site.siteId,
        date: site.date,
        holdId: hold.id,
        email: 'v@example.com',
      }
      const created = await ok(postWithKey(buyer, '/api/orders', body), 201)
      // A person pays seconds later: by then the queue has stored the hold's visitors and the order's capture.
      await eventually(async () => {
        const captured = await env.DB.prepare(
          "SELECT count(*) AS n FROM analytics_events WHERE order_id = ? AND kind = 'order'",
        )
          .bind(created.orderId)
          .first<number>('n')
        expect(captured).toBe(1)
      })
      await sandboxPay(buyer, created.paymentId)
      return ok(buyer.get(`/api/orders/${created.orderId}`))
    }
    // Order 1: two gate tickets at 10:00 and a cable car; order 2: one gate ticket at 09:00;
    // order 3: a gate ticket at 10:00 and a cable car, whose cable car is refunded.
    const first = await buy([
      { productId: site.gateProduct, slot: '10:00', visitor: visitor('甲', shanghai) },
      { productId: site.gateProduct, slot: '10:00', visitor: visitor('乙', hangzhou) },
      { productId: site.cableCarProduct, visitor: visitor('甲', shanghai) },
    ])
    await buy([{ productId: site.gateProduct, slot: '09:00', visitor: visitor('丙', beijing) }])
    const third = await buy([
      { productId: site.gateProduct, slot: '10:00', visitor: visitor('丁', shanghai2) },
      { productId: site.cableCarProduct, visitor: visitor('丁', shanghai2) },
    ])
    const cableLine = third.lines.find((l: { productId: string }) => l.productId === site.cableCarProduct)
    await ok(postWithKey(buyer, `/api/orders/${third.id}/refunds`, { lineIds: [cableLine.id] }), 201)
    // Two of order 1's gate tickets are admitted at 东门.
    const { items: tickets } = await ok(buyer.get(`/api/orders/${first.id}/tickets`))
    const gateLines = new Set(
      first.lines
        .filter((l: { productId: string }) => l.productId === site.gateProduct)
        .map((l: { id: string }) => l.id),
    )
    const admit = tickets.filter((t: { lineId: string }) => gateLines.has(t.lineId))
    expect(admit).toHaveLength(2)
    const gate = await enrollGate(
      site.gate,
      site.base,
      { siteId: site.siteId, fromDate: today(), toDate: site.date },
      '东门',
    )
    const scannedAt = new Date()
    const upload = await ok(
      gate.client.post('/api/gate/scans', {
        scans: admit.map((t: { token: string }) => ({
          nonce: nonce(),
          scan: t.token,
          decision: 'admit',
          scannedAt: scannedAt.toISOString(),
        })),
      }),
    )
    expect(upload.items.map((i: { redemption: string }) => i.redemption)).toEqual(['redeemed', 'redeemed'])

    const query = `siteId=${site.siteId}&from=${today()}&to=${site.date}`
    // 二消: 4 gate tickets stand (3 at 10:00, 1 at 09:00), 1 cable car (order 3's was refunded): 1/4 overall,
    // 1/3 in the 10:00 slot (the cable car was bought beside a 10:00 gate ticket), 0 at 09:00.
    await eventually(async () => {
      const secondary = await ok(site.owner.get(`${site.base}/reports/secondary?${query}`))
      expect(secondary.products.map((p: { id: string; name: string }) => [p.id, p.name])).toEqual([
        [site.cableCarProduct, 'Cable car'],
      ])
      expect(secondary.totals).toEqual({
        entryTickets: 4,
        products: [{ productId: site.cableCarProduct, tickets: 1, share: 0.25 }],
      })
      expect(secondary.bySlot).toEqual([
        {
          slot: '09:00',
          entryTickets: 1,
          products: [{ productId: site.cableCarProduct, tickets: 0, share: 0 }],
        },
        {
          slot: '10:00',
          entryTickets: 3,
          products: [{ productId: site.cableCarProduct, tickets: 1, share: 1 / 3 }],
        },
      ])
      expect(secondary.byDay).toEqual([{ day: site.date, ...secondary.totals }])
    })
    // Co-purchase: 3 orders hold a gate ticket; after the refund only order 1 holds gate + cable car.
    const copurchase = await ok(site.owner.get(`${site.base}/reports/copurchase?${query}`))
    expect(copurchase.orders).toBe(3)
    const pair = [site.gateProduct, site.cableCarProduct].sort()
    expect(copurchase.combinations).toHaveLength(1)
    expect(copurchase.combinations[0]).toMatchObject({ productIds: pair, orders: 1, support: 1 / 3 })
    const rule = (consequent: string) =>
      copurchase.combinations[0].rules.find((r: { consequent: string }) => r.consequent === consequent)
    // gate → cable car: 1 of 3 gate orders (1/3), over cable car's support 1/3: lift 1.
    expect(rule(site.cableCarProduct)).toMatchObject({ confidence: 1 / 3, lift: 1 })
    expect(rule(site.gateProduct)).toMatchObject({ confidence: 1, lift: 1 })

    // Check-in: 6 tickets sold, 1 refunded → 5 standing; 2 admitted at 东门 in this hour. The visit day is
    // tomorrow, so no-shows are not counted yet; the day after, 3 are no-shows.
    const hour =
      Number(
        new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Asia/Shanghai',
          hour: '2-digit',
          hourCycle: 'h23',
        }).format(scannedAt),
      ) % 24
    // Admissions reach the rollups as their outbox events are published, one by one.
    await eventually(async () => {
      const checkin = await ok(
        site.owner.get(`${site.base}/reports/checkin?siteId=${site.siteId}&from=${today()}&to=${site.date}`),
      )
      expect(checkin.totals).toEqual({ sold: 5, admitted: 2, noShows: 0 })
      expect(checkin.scopes).toEqual([
        {
          eventId: null,
          showId: null,
          siteId: site.siteId,
          day: site.date,
          sold: 5,
          admitted: 2,
          noShows: null,
          noShowRate: null,
        },
      ])
      expect(checkin.byGate).toEqual([{ gate: '东门', admitted: 2 }])
      expect(checkin.byHour).toEqual([{ gate: '东门', hour, admitted: 2 }])
    })
    const dayAfter = new Date(Date.parse(`${site.date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
    const later = await checkinReport(
      db,
      { organizerId: site.organizerId, from: today(), to: site.date, siteId: site.siteId },
      dayAfter,
    )
    expect(later.scopes[0]).toMatchObject({ sold: 5, admitted: 2, noShows: 3, noShowRate: 3 / 5 })

    // Visitors: every real-name ticket's holder, by home region and age band (the cable car tickets name them too):
    // Shanghai 4 (甲 twice, 丁 twice), Zhejiang 1, Beijing 1; one new buyer, then two returning orders.
    const visitors = await ok(
      site.owner.get(`${site.base}/reports/visitors?from=${today()}&to=${today()}&siteId=${site.siteId}`),
    )
    expect(visitors.visitors).toBe(6)
    expect(
      visitors.byProvince.map((p: Record<string, unknown>) => [p.code, p.name, p.nameEn, p.visitors]),
    ).toEqual([
      ['31', '上海', 'Shanghai', 4],
      ['11', '北京', 'Beijing', 1],
      ['33', '浙江', 'Zhejiang', 1],
    ])
    expect(visitors.byCity.map((c: Record<string, unknown>) => [c.code, c.visitors])).toEqual([
      ['3101', 4],
      ['1101', 1],
      ['3301', 1],
    ])
    const band = (id: string) => visitorOriginOf(id, today()).ageBand
    const bands = new Map<string, number>()
    for (const id of [shanghai, shanghai, hangzhou, beijing, shanghai2, shanghai2])
      bands.set(band(id), (bands.get(band(id)) ?? 0) + 1)
    expect(
      Object.fromEntries(
        visitors.byAgeBand.map((b: { band: string; visitors: number }) => [b.band, b.visitors]),
      ),
    ).toEqual(Object.fromEntries(bands))
    expect(visitors.buyers).toEqual({ newOrders: 1, returningOrders: 2, returningShare: 2 / 3 })
    expect(visitors.cohorts).toEqual([{ cohortMonth: today().slice(0, 7), buyers: 1, months: [] }])

    // Only aggregates: no ID number, part of one or its hash in any analytics table.
    const dumps = await Promise.all(analyticsTables.map((t) => env.DB.prepare(`SELECT * FROM ${t}`).all()))
    const text = JSON.stringify(dumps.map((d) => d.results))
    for (const id of [shanghai, hangzhou, beijing, shanghai2]) {
      expect(text).not.toContain(id)
      expect(text).not.toContain(id.slice(6, 14))
      expect(text).not.toContain(await sha256Hex(id))
    }
    // No run of 14+ digits either, outside the platform's hex ids (anonymous buyers `buy_`, scenic holds `hld_`: 32
    // hex characters, and about one in ninety has 14 decimal digits in a row by chance, which failed this test now
    // and then). An ID number is 18 characters and carries no such prefix.
    expect(text.replace(/[a-z]+_[0-9a-f]{32}/g, '<hex id>')).not.toMatch(/\d{14,}/)
  })

  it('co-purchase lift matches the worked example; a replayed event adds nothing; make-a-package creates exactly those products', async () => {
    const site = await scenicSiteOnSale()
    const bridge = await ok(
      site.owner.post(`${site.base}/visit-products`, {
        siteId: site.siteId,
        name: '玻璃桥',
        nameEn: 'Glass bridge',
        kind: 'attraction',
        ticketType: 'general',
        price: 5000,
      }),
      201,
    )
    const [A, B, C] = [site.gateProduct, site.cableCarProduct, bridge.id as string]
    // Worked example, 100 orders: 30 {A,B}, 10 {A,B,C}, 30 {A}, 10 {B}, 20 {C}.
    //   orders with A = 70, with B = 50, with C = 30; A∧B = 40, A∧C = 10, B∧C = 10, A∧B∧C = 10.
    //   {A,B}: support 40/100 = 0.4; confidence(A→B) = 40/70 = 0.571; support(B) = 0.5 → lift 0.571/0.5 = 1.143;
    //          confidence(B→A) = 40/50 = 0.8; support(A) = 0.7 → lift 0.8/0.7 = 1.143.
    //   {A,B,C}: support 0.1; confidence(A,B→C) = 10/40 = 0.25; support(C) = 0.3 → lift 0.25/0.3 = 0.833.
    const baskets = [
      ...Array(30).fill([A, B]),
      ...Array(10).fill([A, B, C]),
      ...Array(30).fill([A]),
      ...Array(10).fill([B]),
      ...Array(20).fill([C]),
    ] as string[][]
    const events = []
    for (const basket of baskets) events.push(await paidOrder(site, basket))
    for (const event of events) await rollUpScenicPaid.handle(db, event)
    // A crash and retry of the publisher runs the subscriber again for the same events.
    for (const event of events.slice(0, 5)) await rollUpScenicPaid.handle(db, event)

    const report = await ok(
      site.owner.get(
        `${site.base}/reports/copurchase?siteId=${site.siteId}&from=${site.date}&to=${site.date}`,
      ),
    )
    expect(report.orders).toBe(100)
    const ordersOf = Object.fromEntries(
      report.products.map((p: { id: string; orders: number }) => [p.id, p.orders]),
    )
    expect([ordersOf[A], ordersOf[B], ordersOf[C]]).toEqual([70, 50, 30])
    const combo = (...ids: string[]) =>
      report.combinations.find(
        (c: { productIds: string[] }) => c.productIds.join() === [...ids].sort().join(),
      )
    expect(combo(A, B)).toMatchObject({ orders: 40, support: 0.4 })
    const ruleOf = (c: { rules: { consequent: string; confidence: number; lift: number }[] }, to: string) =>
      c.rules.find((r) => r.consequent === to)!
    expect(ruleOf(combo(A, B), B).confidence).toBeCloseTo(0.571, 3)
    expect(ruleOf(combo(A, B), B).lift).toBeCloseTo(1.143, 3)
    expect(ruleOf(combo(A, B), A).confidence).toBeCloseTo(0.8, 3)
    expect(ruleOf(combo(A, B), A).lift).toBeCloseTo(1.143, 3)
    expect(combo(A, B, C)).toMatchObject({ orders: 10, support: 0.1 })
    expect(ruleOf(combo(A, B, C), C).confidence).toBeCloseTo(0.25, 3)
    expect(ruleOf(combo(A, B, C), C).lift).toBeCloseTo(0.833, 3)
    expect(report.combinations[0].productIds).toEqual([A, B].sort())
    // 二消 of the same orders: 70 gate tickets; 50 cable cars and 30 bridges beside them or alone.
    const secondary = await ok(
      site.owner.get(
        `${site.base}/reports/secondary?siteId=${site.siteId}&from=${site.date}&to=${site.date}`,
      ),
    )
    expect(secondary.totals.entryTickets).toBe(70)
    // The rollup rows behind it, printed if the figures differ (a rare CI failure here needs them to be read).
    const rolled = await env.DB.prepare(
      'SELECT slot, product_id, tickets FROM analytics_secondary_daily WHERE site_id = ? ORDER BY slot, product_id',
    )
      .bind(site.siteId)
      .all()
    expect(secondary.totals.products, JSON.stringify({ A, B, C, rows: rolled.results })).toEqual(
      expect.arrayContaining([
        { productId: B, tickets: 50, share: 50 / 70 },
        { productId: C, tickets: 30, share: 30 / 70 },
      ]),
    )

    // One click: the pair becomes a draft package of exactly those products, one each, priced at their sum.
    const made = await ok(
      site.owner.post(`${site.base}/reports/copurchase/packages`, {
        siteId: site.siteId,
        productIds: [A, C],
      }),
      201,
    )
    expect(made).toMatchObject({
      siteId: site.siteId,
      name: 'Gate adult + 玻璃桥',
      status: 'inactive',
      price: 12000 + 5000,
      components: [
        { productId: A, quantity: 1 },
        { productId: C, quantity: 1 },
      ],
    })
    const stored = await ok(site.owner.get(`${site.base}/packages/${made.id}`))
    expect(stored.components).toEqual(made.components)
    const twice = await site.owner.post(`${site.base}/reports/copurchase/packages`, {
      siteId: site.siteId,
      productIds: [A, A],
    })
    expect(await problemOf(twice)).toMatchObject({ code: 'validation' })
  })

  it('retention by cohort month and new vs returning buyers over three months of paid events', async () => {
    const site = await scenicSiteOnSale()
    const paid = (buyer: string, day: string) => ({
      id: `paid:${crypto.randomUUID()}:0`,
      organizerId: site.organizerId,
      kind: 'paid' as const,
      occurredAt: `${day}T04:00:00.000Z`,
      day,
      siteId: site.siteId,
      channel: 'web',
      source: 'direct',
      device: 'mobile',
      orderId: `ord_${crypto.randomUUID()}`,
      buyerKey: buyer,
      orders: 1,
      tickets: 1,
      amount: 1000,
    })
    // b1 pays in Jan, Feb, Mar; b2 in Jan and Mar; b3 in Jan only; b4 in Feb and Mar.
    await recordAnalyticsEvents(db, [
      paid('b1', '2026-01-05'),
      paid('b2', '2026-01-06'),
      paid('b3', '2026-01-07'),
    ])
    await recordAnalyticsEvents(db, [paid('b1', '2026-02-05'), paid('b4', '2026-02-06')])
    await recordAnalyticsEvents(db, [
      paid('b1', '2026-03-05'),
      paid('b2', '2026-03-06'),
      paid('b4', '2026-03-07'),
    ])
    const report = await ok(site.owner.get(`${site.base}/reports/visitors?from=2026-01-01&to=2026-03-31`))
    // Cohort Jan: 3 buyers; 1 back in Feb (1/3), 2 in Mar (2/3). Cohort Feb: 1 buyer, back in Mar (1).
    expect(report.cohorts).toEqual([
      {
        cohortMonth: '2026-01',
        buyers: 3,
        months: [
          { month: '2026-02', offset: 1, buyers: 1, rate: 1 / 3 },
          { month: '2026-03', offset: 2, buyers: 2, rate: 2 / 3 },
        ],
      },
      { cohortMonth: '2026-02', buyers: 1, months: [{ month: '2026-03', offset: 1, buyers: 1, rate: 1 }] },
    ])
    // First orders: b1, b2, b3 in Jan and b4 in Feb; the other four are returning.
    expect(report.buyers).toEqual({ newOrders: 4, returningOrders: 4, returningShare: 0.5 })
    const february = await ok(site.owner.get(`${site.base}/reports/visitors?from=2026-02-01&to=2026-02-28`))
    expect(february.buyers).toEqual({ newOrders: 1, returningOrders: 1, returningShare: 0.5 })
  })

  it('check-in of a show: sold less refunds vs admitted, on the show’s start day, by gate', async () => {
    const show = await showTonight({ seats: 10 })
    const buyer = new ApiClient()
    const hold = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 3) }),
      201,
    )
    const body = { kind: 'show', showId: show.showId, holdId: hold.id, email: 's@example.com' }
    const created = await ok(postWithKey(buyer, '/api/orders', body), 201)
    await sandboxPay(buyer, created.paymentId)
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
    await ok(postWithKey(buyer, `/api/orders/${order.id}/refunds`, { lineIds: [order.lines[0].id] }), 201)
    const { items } = await ok(buyer.get(`/api/orders/${order.id}/tickets`))
    const kept = items.filter((t: { lineId: string }) => t.lineId !== order.lines[0].id)
    const gate = await enrollGate(show.manager, show.base, { eventId: show.eventId }, '北门')
    const scan = {
      nonce: nonce(),
      scan: kept[0].token,
      decision: 'admit',
      scannedAt: new Date().toISOString(),
    }
    await ok(gate.client.post('/api/gate/scans', { scans: [scan] }))
    const showDay = localDayOf(new Date(Date.now() + 2 * 3_600_000), 'Asia/Shanghai')
    await eventually(async () => {
      const report = await ok(
        show.owner.get(`${show.base}/reports/checkin?showId=${show.showId}&from=${today()}&to=${showDay}`),
      )
      // 3 seats paid, 1 refunded: 2 sold; 1 admitted at 北门; the show is today or later, so no no-shows yet.
      expect(report.scopes).toEqual([
        {
          eventId: show.eventId,
          showId: show.showId,
          siteId: null,
          day: showDay,
          sold: 2,
          admitted: 1,
          noShows: null,
          noShowRate: null,
        },
      ])
      expect(report.byGate).toEqual([{ gate: '北门', admitted: 1 }])
    })
  })

  it('bad ranges and filters answer validation problems', async () => {
    const site = await scenicSiteOnSale()
    const other = await scenicSiteOnSale()
    const cases = [
      ['visitors?from=2026-03-10&to=2026-03-01', 'query.to'],
      ['visitors?from=2025-01-01&to=2026-03-01', 'query.to'],
      ['visitors?from=2026-02-31', 'query.from'],
      ['visitors?productId=x', 'query.productId'],
      ['visitors?city=3101', ''],
      [`secondary?from=2026-03-01&to=2026-03-02`, 'query.siteId'],
      [`secondary?siteId=${other.siteId}`, 'query.siteId'],
      [`copurchase?siteId=${site.siteId}&showId=x`, 'query.showId'],
      [`copurchase?siteId=${site.siteId}&minOrders=0`, 'query.minOrders'],
      [`checkin?eventId=evt_nobody`, 'query.eventId'],
      [`checkin?channel=nowhere`, 'query.channel'],
    ] as const
    for (const [path, field] of cases) {
      const problem = await problemOf(await site.owner.get(`${site.base}/reports/${path}`))
      expect(problem.code, path).toBe('validation')
      if (field)
        expect(
          problem.errors?.map((e) => e.path),
          path,
        ).toContain(field)
    }
    const foreign = await site.owner.post(`${site.base}/reports/copurchase/packages`, {
      siteId: site.siteId,
      productIds: [site.gateProduct, other.cableCarProduct],
    })
    expect(await problemOf(foreign)).toMatchObject({ code: 'validation' })
  })
})
