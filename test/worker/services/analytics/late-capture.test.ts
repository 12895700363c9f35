// The capture's two known gaps, closed: a payment handled before the order's route capture reached the store
// (the order is re-attributed to its source when the capture lands, its visitors folded then), and partner (OTA)
// orders, whose visitors' origins come from the reservation's real-name visitors.
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import worker from '../../../../worker/index.ts'
import type { CaptureMessage } from '../../../../worker/services/analytics/messages.ts'
import { funnelReport } from '../../../../worker/services/analytics/reports/funnel.ts'
import { salesReport } from '../../../../worker/services/analytics/reports/sales.ts'
import { visitorsReport } from '../../../../worker/services/analytics/scenic-reports.ts'
import { allAnalyticsText, eventually, today } from '../../../support/analytics.ts'
import { ApiClient } from '../../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../../support/catalogue.ts'
import { postWithKey, sandboxPay } from '../../../support/orders.ts'
import { partnerOnSite, partnerOrderId, reserveGate } from '../../../support/partner.ts'

const db = openDatabase(env.DB)

async function deliver(messages: CaptureMessage[]) {
  const batch = createMessageBatch<CaptureMessage>(
    'analytics-events',
    messages.map((body, i) => ({ id: `late${i}`, timestamp: new Date(), attempts: 1, body })),
  )
  const ctx = createExecutionContext()
  await worker.queue(batch as never, env, ctx)
  expect((await getQueueResult(batch, ctx)).ackAll).toBe(true)
}

/** Paid figures per (source, device) standing in a rollup table, zero rows left out. */
async function paidBySource(table: string, organizerId: string) {
  const { results } = await env.DB.prepare(
    `SELECT source, device, sum(orders) AS orders, sum(tickets) AS tickets, sum(amount) AS amount, sum(events) AS events
     FROM ${table} WHERE organizer_id = ? AND kind = 'paid' GROUP BY source, device
     HAVING sum(orders) <> 0 OR sum(tickets) <> 0 OR sum(amount) <> 0 OR sum(events) <> 0 ORDER BY source`,
  )
    .bind(organizerId)
    .all()
  return results
}

describe('late capture', () => {
  it('a payment that beat its order’s capture moves to the order’s source, with its visitors, once', async () => {
    const show = await showOnSale(gridChart(1, 10))
    // The shop's requests with route capture off: the paid subscriber runs with no order event to read.
    const buyer = new ApiClient(undefined, { ANALYTICS_CAPTURE: 'off' })
    const hold = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 2) }),
      201,
    )
    const created = await ok(
      postWithKey(buyer, '/api/orders', {
        kind: 'show',
        showId: show.showId,
        holdId: hold.id,
        email: 'late@example.com',
      }),
      201,
    )
    await sandboxPay(buyer, created.paymentId)
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
    await eventually(async () => {
      expect(await paidBySource('analytics_daily', show.organizerId)).toEqual([
        { source: 'direct', device: 'unknown', orders: 1, tickets: 2, amount: order.total, events: 1 },
      ])
    })

    // Now the route captures arrive, as the queue would have brought them: the hold (with its visitors' origins)
    // and the order, from a WeChat link on a phone.
    const at = new Date().toISOString()
    const source = { utmSource: 'wechat' }
    const late: CaptureMessage[] = [
      {
        id: `hold:${crypto.randomUUID()}`,
        kind: 'hold',
        at,
        showId: show.showId,
        holdId: hold.id,
        channel: 'web',
        tickets: 2,
        amount: order.total,
        device: 'mobile',
        source,
        visitors: [
          { position: 0, origin: { province: '31', city: '3101', ageBand: '25-34' } },
          { position: 1, origin: { province: '44', city: '4403', ageBand: '35-44' } },
        ],
      },
      {
        id: `order:${crypto.randomUUID()}`,
        kind: 'order',
        at,
        showId: show.showId,
        orderId: created.orderId,
        holdId: hold.id,
        channel: 'web',
        tickets: 2,
        amount: order.total,
        device: 'mobile',
        source,
      },
    ]
    await deliver(late)
    const moved = [
      { source: 'wechat', device: 'mobile', orders: 1, tickets: 2, amount: order.total, events: 1 },
    ]
    for (const table of ['analytics_daily', 'analytics_traffic_daily', 'analytics_traffic_monthly'])
      expect(await paidBySource(table, show.organizerId), table).toEqual(moved)

    const range = { organizerId: show.organizerId, from: today(), to: today() }
    const funnel = await funnelReport(db, range, {})
    expect(funnel.bySource.map((s) => [s.key, s.steps.hold, s.steps.order, s.steps.paid])).toEqual([
      ['wechat', 1, 1, 1],
      ['direct', 0, 0, 0],
    ])
    // Sales count the order once: the correction moves it between sources, it adds nothing.
    const sales = await salesReport(db, range, 'day', 5)
    expect(sales.totals).toMatchObject({ gross: order.total, net: order.total, tickets: 2, orders: 1 })
    const visitors = await visitorsReport(db, range)
    expect(visitors.visitors).toBe(2)
    expect(visitors.byProvince.map((p) => [p.code, p.visitors])).toEqual([
      ['31', 1],
      ['44', 1],
    ])
    expect(visitors.buyers).toMatchObject({ newOrders: 1, returningOrders: 0 })
    const staged = await env.DB.prepare(
      'SELECT count(*) AS n FROM analytics_pending_visitors WHERE hold_id = ?',
    )
      .bind(hold.id)
      .first<number>('n')
    expect(staged).toBe(0)

    // The same captures delivered again change nothing.
    const before = await allAnalyticsText()
    await deliver(late)
    expect(await allAnalyticsText()).toBe(before)
  })

  it('a partner (OTA) order’s visitors are counted from its reservation’s real-name visitors', async () => {
    const f = await partnerOnSite()
    const reservation = await ok(reserveGate(f, 2), 201)
    const order = await ok(
      f.client.post('/orders', {
        partnerOrderId: partnerOrderId(),
        reservationId: reservation.reservationId,
      }),
      201,
    )
    expect(order).toMatchObject({ status: 'paid', channel: 'ctrip' })
    const range = { organizerId: f.organizerId, from: today(), to: today() }
    await eventually(async () => {
      const visitors = await visitorsReport(db, { ...range, siteId: f.siteId })
      // support/partner.ts visitors: 110101 1990… — Beijing (11, 1101), 36 years old.
      expect(visitors.visitors).toBe(2)
      expect(visitors.byCity).toMatchObject([{ code: '1101', province: '11', visitors: 2 }])
      expect(visitors.byAgeBand).toMatchObject([{ band: '35-44', visitors: 2 }])
    })
    const staged = await env.DB.prepare(
      'SELECT count(*) AS n FROM analytics_pending_visitors WHERE hold_id = ?',
    )
      .bind(reservation.reservationId)
      .first<number>('n')
    expect(staged).toBe(0)
    // Only the origins are kept: no ID number, nor its birth date and sequence, anywhere in analytics.
    const text = await allAnalyticsText()
    expect(text).not.toMatch(/110101199001/)
  })
})
