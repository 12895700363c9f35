// The per-report rollups (analytics_sales_*, analytics_traffic_*, analytics_buyer_type_*, visitor months, cohort
// counts) against the daily rollup they coarsen: after a few months of generated events, stored through the real
// store in batches (two of them delivered twice), every per-report table equals analytics_daily grouped the same way,
// and the reports that read whole months from them answer what a sum over analytics_daily answers.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import type { AnalyticsKind } from '../../../../worker/domain/analytics-events.ts'
import type { AnalyticsRecord } from '../../../../worker/services/analytics/messages.ts'
import { spansOf } from '../../../../worker/services/analytics/reports/cubes.ts'
import { funnelReport } from '../../../../worker/services/analytics/reports/funnel.ts'
import { salesReport } from '../../../../worker/services/analytics/reports/sales.ts'
import { visitorsReport } from '../../../../worker/services/analytics/scenic-reports.ts'
import { recordAnalyticsEvents } from '../../../../worker/services/analytics/store.ts'

const db = openDatabase(env.DB)

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function randomFrom(seed: number) {
  let a = seed
  return (n: number) => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return (((t ^ (t >>> 14)) >>> 0) % n) as number
  }
}

function generated(organizerId: string, count: number) {
  const pick = randomFrom(23)
  const first = Date.UTC(2026, 0, 20)
  const records: AnalyticsRecord[] = []
  const kinds: AnalyticsKind[] = [
    'show_view',
    'seat_map_open',
    'day_view',
    'hold',
    'order',
    'paid',
    'refund',
    'redemption',
  ]
  for (let i = 0; i < count; i++) {
    const kind = kinds[pick(kinds.length)]!
    const day = new Date(first + pick(86) * 86_400_000).toISOString().slice(0, 10)
    const show = pick(3)
    const scenic = kind === 'day_view'
    const sale = kind === 'paid' || kind === 'refund' || kind === 'redemption'
    const base = {
      id: `${organizerId}:${i}`,
      organizerId,
      kind,
      occurredAt: `${day}T04:00:00.000Z`,
      day,
      eventId: scenic ? '' : `evt_${show % 2}`,
      showId: scenic ? '' : `show_${show}`,
      siteId: scenic ? 'site_0' : '',
      category: sale ? ['A', 'B'][pick(2)]! : '',
      channel: ['web', 'web', 'ctrip', 'kiosk'][pick(4)]!,
      source: ['direct', 'wechat', 'ref:D1'][pick(3)]!,
      device: ['mobile', 'desktop'][pick(2)]!,
      orders: kind === 'order' || ((kind === 'paid' || kind === 'refund') && pick(4) > 0) ? 1 : 0,
      tickets: kind === 'hold' || sale ? 1 + pick(3) : 0,
      amount: kind === 'paid' ? 10_000 * (1 + pick(3)) : kind === 'refund' ? -5_000 : 0,
    }
    if (kind === 'hold')
      records.push({
        ...base,
        holdId: `${organizerId}:h${i}`,
        visitors: [
          { position: 0, origin: { province: ['31', '44'][pick(2)]!, city: '3101', ageBand: '25-34' } },
        ],
      })
    else if (kind === 'paid') {
      // Pays an earlier hold (its staged visitors fold into the visitor rollups) about half the time.
      const hold = records.find(
        (r) =>
          r.kind === 'hold' && r.holdId && !records.some((p) => p.kind === 'paid' && p.holdId === r.holdId),
      )
      records.push({
        ...base,
        orderId: `${organizerId}:o${i}`,
        buyerKey: `buyer_${pick(40)}`,
        ...(hold && pick(2) === 0 ? { holdId: hold.holdId! } : {}),
      })
    } else records.push(base)
  }
  return records
}

async function rows(sql: string, ...values: unknown[]) {
  return (
    await env.DB.prepare(sql)
      .bind(...values)
      .all()
  ).results
}

const grouped = (table: string, period: string, dims: string, measures: string, where: string) =>
  `SELECT ${period} AS p, ${dims}, ${measures} FROM ${table} WHERE organizer_id = ? AND ${where}
   GROUP BY p, ${dims} ORDER BY p, ${dims}`

describe('per-report rollups', () => {
  it('splits a range into whole months and ragged days', () => {
    expect(spansOf('2026-01-15', '2026-04-10')).toEqual({
      days: [
        ['2026-01-15', '2026-01-31'],
        ['2026-04-01', '2026-04-10'],
      ],
      months: ['2026-02', '2026-03'],
    })
    expect(spansOf('2026-02-01', '2026-02-28')).toEqual({ days: [], months: ['2026-02', '2026-02'] })
    expect(spansOf('2024-02-01', '2024-02-28')).toEqual({
      days: [['2024-02-01', '2024-02-28']],
      months: null,
    })
    expect(spansOf('2026-01-05', '2026-01-25')).toEqual({
      days: [['2026-01-05', '2026-01-25']],
      months: null,
    })
    expect(spansOf('2025-12-08', '2026-12-07')).toEqual({
      days: [
        ['2025-12-08', '2025-12-31'],
        ['2026-12-01', '2026-12-07'],
      ],
      months: ['2026-01', '2026-11'],
    })
  })

  it('equal analytics_daily grouped alike, redelivered batches included, and the reports agree with it', async () => {
    const organizerId = `org_rr_${crypto.randomUUID().slice(0, 8)}`
    const generatedRecords = generated(organizerId, 600)
    // The second half grouped by kind, so most of its batches hold one or two kinds: a batch leaves out the
    // rollups none of its kinds reach (store.ts), and those must still agree.
    const records = [
      ...generatedRecords.slice(0, 300),
      ...generatedRecords.slice(300).sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)),
    ]
    for (let i = 0; i < records.length; i += 60) {
      const batch = records.slice(i, i + 60)
      await recordAnalyticsEvents(db, batch)
      if (i === 60 || i === 300) await recordAnalyticsEvents(db, batch)
    }
    const sales = "kind IN ('paid', 'refund', 'rebook', 'redemption')"
    const salesDims = 'kind, event_id, show_id, site_id, product_id, category, channel'
    const m4 = 'sum(events), sum(orders), sum(tickets), sum(amount)'
    const traffic = "kind IN ('show_view', 'day_view', 'seat_map_open', 'hold', 'order', 'paid')"
    const trafficDims = 'kind, channel, source, device'
    const buyer = "kind = 'paid' AND buyer_type <> ''"
    const buyerDims = 'event_id, show_id, site_id, channel, buyer_type'
    const pairs: [string, string][] = [
      [
        grouped('analytics_sales_daily', 'day', salesDims, m4, 'true'),
        grouped('analytics_daily', 'day', salesDims, m4, sales),
      ],
      [
        grouped('analytics_sales_monthly', 'month', salesDims, m4, 'true'),
        grouped('analytics_daily', 'substr(day, 1, 7)', salesDims, m4, sales),
      ],
      [
        grouped('analytics_traffic_daily', 'day', trafficDims, m4, 'true'),
        grouped('analytics_daily', 'day', trafficDims, m4, traffic),
      ],
      [
        grouped('analytics_traffic_monthly', 'month', trafficDims, m4, 'true'),
        grouped('analytics_daily', 'substr(day, 1, 7)', trafficDims, m4, traffic),
      ],
      [
        grouped('analytics_buyer_type_monthly', 'month', buyerDims, 'sum(orders)', 'true'),
        grouped('analytics_daily', 'substr(day, 1, 7)', buyerDims, 'sum(orders)', buyer),
      ],
      [
        grouped('analytics_visitor_monthly', 'month', 'province, city, age_band', 'sum(visitors)', 'true'),
        grouped(
          'analytics_visitor_daily',
          'substr(day, 1, 7)',
          'province, city, age_band',
          'sum(visitors)',
          'true',
        ),
      ],
      [
        'SELECT cohort_month, month, buyers FROM analytics_cohort_counts WHERE organizer_id = ? ORDER BY 1, 2',
        'SELECT cohort_month, month, count(*) FROM analytics_buyer_months WHERE organizer_id = ? GROUP BY 1, 2 ORDER BY 1, 2',
      ],
    ]
    for (const [mine, daily] of pairs) {
      const expected = await rows(daily, organizerId)
      expect(expected.length, daily).toBeGreaterThan(1)
      expect((await rows(mine, organizerId)).map(Object.values)).toEqual(expected.map(Object.values))
    }
    // Every event stored once, in spite of the two redeliveries.
    expect(
      await rows('SELECT count(*) AS n FROM analytics_events WHERE organizer_id = ?', organizerId),
    ).toEqual([{ n: 600 }])

    // Reports over a range with ragged ends (months from the monthly tables) against sums over analytics_daily.
    const range = { organizerId, from: '2026-01-25', to: '2026-04-10' }
    const inRange = 'organizer_id = ? AND day >= ? AND day <= ?'
    const [expectedSales] = await rows(
      `SELECT sum(CASE WHEN kind <> 'refund' THEN amount ELSE 0 END) AS gross, sum(amount) AS net,
         sum(CASE WHEN kind = 'refund' THEN -tickets ELSE tickets END) AS tickets,
         sum(CASE WHEN kind <> 'refund' THEN orders ELSE 0 END) AS orders
       FROM analytics_daily WHERE ${inRange} AND kind IN ('paid', 'refund', 'rebook')`,
      organizerId,
      range.from,
      range.to,
    )
    const byMonth = await salesReport(db, range, 'month', 10)
    const byDay = await salesReport(db, range, 'day', 10)
    for (const report of [byMonth, byDay])
      expect({
        gross: report.totals.gross,
        net: report.totals.net,
        tickets: report.totals.tickets,
        orders: report.totals.orders,
      }).toEqual(expectedSales)
    expect(byMonth.series.map((s) => s.period)).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
    ])
    expect(byMonth.series.reduce((sum, s) => sum + s.net, 0)).toBe(expectedSales!.net)
    expect(byDay.topShows).toEqual(byMonth.topShows)
    expect(byDay.byTicketType).toEqual(byMonth.byTicketType)

    const funnel = await funnelReport(db, range, {})
    const [expectedFunnel] = await rows(
      `SELECT sum(CASE WHEN kind IN ('show_view', 'day_view') THEN events ELSE 0 END) AS view,
         sum(CASE WHEN kind IN ('seat_map_open', 'day_view') THEN events ELSE 0 END) AS open,
         sum(CASE WHEN kind = 'hold' THEN events ELSE 0 END) AS hold,
         sum(CASE WHEN kind = 'order' THEN orders ELSE 0 END) AS 'order',
         sum(CASE WHEN kind = 'paid' THEN orders ELSE 0 END) AS paid
       FROM analytics_daily WHERE ${inRange}`,
      organizerId,
      range.from,
      range.to,
    )
    expect(funnel.steps).toEqual(expectedFunnel)
    // Narrowed to a show, the funnel reads the daily rollup with every dimension.
    const [showFunnel] = await rows(
      `SELECT sum(CASE WHEN kind = 'show_view' THEN events ELSE 0 END) AS view FROM analytics_daily
       WHERE ${inRange} AND show_id = 'show_1'`,
      organizerId,
      range.from,
      range.to,
    )
    expect((await funnelReport(db, { ...range, showId: 'show_1' }, {})).steps.view).toBe(showFunnel!.view)

    const visitors = await visitorsReport(db, range)
    const origins = await rows(
      `SELECT sum(visitors) AS n FROM analytics_visitor_daily WHERE ${inRange}`,
      organizerId,
      range.from,
      range.to,
    )
    expect(visitors.visitors).toBe(origins[0]!.n)
    expect(visitors.visitors).toBeGreaterThan(0)
    const types = await rows(
      `SELECT buyer_type, sum(orders) AS n FROM analytics_daily WHERE ${inRange} AND kind = 'paid' AND buyer_type <> ''
       GROUP BY buyer_type ORDER BY buyer_type`,
      organizerId,
      range.from,
      range.to,
    )
    expect(types.map((t) => t.n)).toEqual([visitors.buyers.newOrders, visitors.buyers.returningOrders])
  })
})
