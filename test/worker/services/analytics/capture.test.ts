import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { withCheckCharacter as withCheck } from '../../../../worker/domain/id-number.ts'
import worker from '../../../../worker/index.ts'
import type { CaptureMessage } from '../../../../worker/services/analytics/messages.ts'
import { capturePaid } from '../../../../worker/services/analytics/order-subscribers.ts'
import {
  allAnalyticsText,
  Browser,
  byKind,
  eventually,
  IPHONE,
  MAC,
  rollups,
  sha256Hex,
  today,
} from '../../../support/analytics.ts'
import { gridChart, ok, scenicSiteOnSale, showOnSale } from '../../../support/catalogue.ts'
import { enrollGate, nonce, showTonight } from '../../../support/gate.ts'
import { postWithKey, sandboxPay } from '../../../support/orders.ts'

const db = openDatabase(env.DB)

describe('event capture into daily rollups', () => {
  it('a show buyer’s path lands in the rollups by kind, with its event, show, channel, source and device', async () => {
    const show = await showTonight({ seats: 10 })
    const buyer = new Browser(IPHONE)
    const source = { utmSource: 'weibo', utmMedium: 'social', utmCampaign: 'gala-2026' }
    expect((await buyer.beacon({ kind: 'listing_view', source })).status).toBe(204)
    expect((await buyer.beacon({ kind: 'show_view', showId: show.showId })).status).toBe(204)
    expect((await buyer.beacon({ kind: 'seat_map_open', showId: show.showId })).status).toBe(204)
    const hold = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 2) }),
      201,
    )
    const created = await ok(
      postWithKey(buyer, '/api/orders', {
        kind: 'show',
        showId: show.showId,
        holdId: hold.id,
        email: 'a@example.com',
      }),
      201,
    )
    // The buyer pays after the order's capture is stored (a person takes seconds), so paid inherits its source.
    await eventually(async () => expect(byKind(await rollups(show.organizerId), 'order')).toHaveLength(1))
    await sandboxPay(buyer, created.paymentId)
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
    const [first] = order.lines
    await ok(postWithKey(buyer, `/api/orders/${order.id}/refunds`, { lineIds: [first.id] }), 201)
    const { items: tickets } = await ok(buyer.get(`/api/orders/${order.id}/tickets`))
    const kept = tickets.find((t: { lineId: string }) => t.lineId !== first.id)
    const gate = await enrollGate(show.manager, show.base, { eventId: show.eventId })
    const upload = await ok(
      gate.client.post('/api/gate/scans', {
        scans: [{ nonce: nonce(), scan: kept.token, decision: 'admit', scannedAt: new Date().toISOString() }],
      }),
    )
    expect(upload.items[0]).toMatchObject({ redemption: 'redeemed' })

    const keys = {
      day: today(),
      event_id: show.eventId,
      show_id: show.showId,
      site_id: '',
      channel: 'web',
      source: 'weibo',
      device: 'mobile',
    }
    await eventually(async () => {
      const rows = await rollups(show.organizerId)
      expect(rows.map((r) => r.kind).sort()).toEqual([
        'hold',
        'order',
        'paid',
        'redemption',
        'refund',
        'seat_map_open',
        'show_view',
      ])
    })
    const rows = await rollups(show.organizerId)
    const one = (kind: string) => {
      const found = byKind(rows, kind)
      expect(found, kind).toHaveLength(1)
      return found[0]
    }
    expect(one('show_view')).toMatchObject({ ...keys, events: 1, tickets: 0, amount: 0 })
    expect(one('seat_map_open')).toMatchObject({ ...keys, events: 1 })
    expect(one('hold')).toMatchObject({ ...keys, events: 1, tickets: 2, amount: order.total })
    expect(one('order')).toMatchObject({ ...keys, events: 1, orders: 1, tickets: 2, amount: order.total })
    expect(one('paid')).toMatchObject({
      ...keys,
      category: first.category,
      buyer_type: 'new',
      orders: 1,
      tickets: 2,
      amount: order.total,
    })
    expect(one('refund')).toMatchObject({
      ...keys,
      category: first.category,
      tickets: 1,
      amount: -first.price,
    })
    // The used ticket carries its line's price (what a partner channel settles for).
    const keptLine = order.lines.find((l: { id: string }) => l.id !== first.id)
    expect(one('redemption')).toMatchObject({
      ...keys,
      category: keptLine.category,
      tickets: 1,
      amount: keptLine.price,
    })
    // The refund lowers the day's net: what was paid less what went back.
    const net = rows.filter((r) => r.kind === 'paid' || r.kind === 'refund').reduce((s, r) => s + r.amount, 0)
    expect(net).toBe(order.total - first.price)
    // The listing belongs to no organizer: it is counted platform-wide, under the same source and device.
    const platform = await env.DB.prepare(
      "SELECT sum(events) AS n FROM analytics_daily WHERE organizer_id = '' AND kind = 'listing_view' AND source = 'weibo' AND device = 'mobile' AND day = ?",
    )
      .bind(today())
      .first<number>('n')
    expect(platform).toBeGreaterThanOrEqual(1)
  })

  it('a scenic purchase stores visitors’ home region and age band, new then returning, and never an ID number', async () => {
    const site = await scenicSiteOnSale()
    const shanghai = withCheck('31010419900101123') // Shanghai Xuhui, born 1990-01-01
    const zhejiang = withCheck('33010620000101456') // Hangzhou Xihu, born 2000-01-01
    const buyer = new Browser(MAC)
    await buyer.beacon({
      kind: 'day_view',
      siteId: site.siteId,
      date: site.date,
      source: { referrerHost: 'ctrip.com' },
    })
    const holdsPath = `/api/scenic-sites/${site.siteId}/days/${site.date}/holds`
    const hold = await ok(
      buyer.post(holdsPath, {
        lines: [
          { productId: site.gateProduct, slot: '10:00', visitor: { name: '甲', idNumber: shanghai } },
          { productId: site.gateProduct, slot: '10:00', visitor: { name: '乙', idNumber: zhejiang } },
          { productId: site.childProduct, slot: '10:00' },
        ],
      }),
      201,
    )
    const body = { kind: 'scenic', siteId: site.siteId, date: site.date, email: 'v@example.com' }
    const created = await ok(postWithKey(buyer, '/api/orders', { ...body, holdId: hold.id }), 201)
    await eventually(async () => expect(byKind(await rollups(site.organizerId), 'order')).toHaveLength(1))
    // Staged until paid: derived facts only.
    const staged = await env.DB.prepare(
      'SELECT * FROM analytics_pending_visitors WHERE hold_id = ? ORDER BY position',
    )
      .bind(hold.id)
      .all()
    expect(staged.results).toMatchObject([
      { position: 0, province: '31', city: '3101' },
      { position: 1, province: '33', city: '3301' },
    ])
    await sandboxPay(buyer, created.paymentId)
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))

    const age = (birthYear: number) => {
      const years = Number(today().slice(0, 4)) - birthYear
      return years < 35 ? '25-34' : years < 45 ? '35-44' : '45-54'
    }
    await eventually(async () => {
      const { results } = await env.DB.prepare(
        'SELECT day, site_id, province, city, age_band, visitors FROM analytics_visitor_daily WHERE organizer_id = ? ORDER BY province',
      )
        .bind(site.organizerId)
        .all()
      expect(results).toEqual([
        {
          day: today(),
          site_id: site.siteId,
          province: '31',
          city: '3101',
          age_band: age(1990),
          visitors: 1,
        },
        {
          day: today(),
          site_id: site.siteId,
          province: '33',
          city: '3301',
          age_band: age(2000),
          visitors: 1,
        },
      ])
    })
    const pending = await env.DB.prepare(
      'SELECT count(*) AS n FROM analytics_pending_visitors WHERE hold_id = ?',
    )
      .bind(hold.id)
      .first<number>('n')
    expect(pending).toBe(0)
    // Paid splits by product: the two gate tickets and the child ticket, each with its lines' money.
    const paid = byKind(await rollups(site.organizerId), 'paid')
    const linesOf = (productId: string) =>
      order.lines.filter((l: { productId: string }) => l.productId === productId)
    const sum = (lines: { price: number }[]) => lines.reduce((s, l) => s + l.price, 0)
    expect(
      paid.map((r) => [r.product_id, r.tickets, r.amount, r.orders, r.buyer_type, r.source, r.device]),
    ).toEqual(
      [
        [
          site.childProduct,
          1,
          sum(linesOf(site.childProduct)),
          expect.any(Number),
          'new',
          'site:ctrip.com',
          'desktop',
        ],
        [
          site.gateProduct,
          2,
          sum(linesOf(site.gateProduct)),
          expect.any(Number),
          'new',
          'site:ctrip.com',
          'desktop',
        ],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    )
    expect(paid.reduce((s, r) => s + r.orders, 0)).toBe(1)

    // The same buyer again, later: returning, in the same cohort month.
    const again = await ok(
      buyer.post(holdsPath, { lines: [{ productId: site.childProduct, slot: '09:00' }] }),
      201,
    )
    const second = await ok(postWithKey(buyer, '/api/orders', { ...body, holdId: again.id }), 201)
    await sandboxPay(buyer, second.paymentId)
    await eventually(async () => {
      const returning = byKind(await rollups(site.organizerId), 'paid').filter(
        (r) => r.buyer_type === 'returning',
      )
      expect(returning).toMatchObject([{ product_id: site.childProduct, orders: 1, tickets: 1 }])
    })
    const cohorts = await env.DB.prepare(
      'SELECT b.cohort_month, m.month FROM analytics_buyers b JOIN analytics_buyer_months m USING (organizer_id, buyer_key) WHERE b.organizer_id = ?',
    )
      .bind(site.organizerId)
      .all()
    expect(cohorts.results).toEqual([{ cohort_month: today().slice(0, 7), month: today().slice(0, 7) }])

    // Nothing in any analytics table holds an ID number, part of one, or its hash.
    const text = await allAnalyticsText()
    for (const id of [shanghai, zhejiang]) {
      expect(text).not.toContain(id)
      expect(text).not.toContain(id.slice(0, 14))
      expect(text).not.toContain(id.slice(6, 14))
      expect(text).not.toContain(await sha256Hex(id))
    }
    // No long run of digits either, once the platform's own ids are taken out: a scenic hold id is 32 random hex
    // characters after its prefix, and about one in a hundred holds 14 decimal digits in a row by chance.
    const withoutIds = text.replace(/\b[a-z]+(?:_[a-z]+)*_[0-9A-Za-z]+/g, '<id>')
    expect(withoutIds).toContain('<id>')
    expect(withoutIds).not.toMatch(/\d{14,}/)
  })

  it('a redelivered batch and a replayed paid event count once', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const at = new Date().toISOString()
    const messages: CaptureMessage[] = [
      {
        id: `show_view:${crypto.randomUUID()}`,
        kind: 'show_view',
        at,
        showId: show.showId,
        device: 'desktop',
      },
      {
        id: `hold:${crypto.randomUUID()}`,
        kind: 'hold',
        at,
        showId: show.showId,
        holdId: `hld_${crypto.randomUUID()}`,
        channel: 'web',
        tickets: 3,
        amount: 30000,
        device: 'desktop',
        source: { ref: 'SHARE1' },
        visitors: [{ position: 0, origin: { province: '31', city: '3101', ageBand: '25-34' } }],
      },
      // A beacon naming a show that does not exist is dropped, not counted for anyone.
      {
        id: `show_view:${crypto.randomUUID()}`,
        kind: 'show_view',
        at,
        showId: 'shw_nobody',
        device: 'desktop',
      },
    ]
    const deliver = async () => {
      const batch = createMessageBatch<CaptureMessage>(
        'analytics-events',
        messages.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
      )
      const ctx = createExecutionContext()
      await worker.queue(batch as never, env, ctx)
      expect((await getQueueResult(batch, ctx)).ackAll).toBe(true)
    }
    await deliver()
    const once = await rollups(show.organizerId)
    await deliver()
    expect(await rollups(show.organizerId)).toEqual(once)
    expect(once.map((r) => [r.kind, r.events, r.tickets, r.amount, r.source])).toEqual([
      ['hold', 1, 3, 30000, 'ref:SHARE1'],
      ['show_view', 1, 0, 0, 'direct'],
    ])
    const staged = await env.DB.prepare(
      'SELECT count(*) AS n FROM analytics_pending_visitors WHERE hold_id = ?',
    )
      .bind(messages[1]!.holdId)
      .first<number>('n')
    expect(staged).toBe(1)

    // The paid subscriber, run again for the same outbox event (a publisher crash and retry), adds nothing.
    const buyer = new Browser(MAC)
    const hold = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 1) }),
      201,
    )
    const created = await ok(
      postWithKey(buyer, '/api/orders', {
        kind: 'show',
        showId: show.showId,
        holdId: hold.id,
        email: 'r@example.com',
      }),
      201,
    )
    await sandboxPay(buyer, created.paymentId)
    await eventually(async () => expect(byKind(await rollups(show.organizerId), 'paid')).toHaveLength(1))
    const event = await env.DB.prepare(
      'SELECT id, topic, organizer_id AS organizerId, payload, created_at AS createdAt FROM outbox_events WHERE id = ?',
    )
      .bind(`evt_${created.orderId}_confirmed`)
      .first<{ id: string; topic: string; organizerId: string; payload: string; createdAt: string }>()
    const replay = { ...event!, payload: JSON.parse(event!.payload) }
    await capturePaid.handle(db, replay)
    await capturePaid.handle(db, replay)
    expect(byKind(await rollups(show.organizerId), 'paid')).toMatchObject([
      { events: 1, orders: 1, tickets: 1 },
    ])
  })
})
