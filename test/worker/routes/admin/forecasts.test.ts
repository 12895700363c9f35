import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { addDays, daysBetween } from '../../../../worker/domain/forecast/calendar.ts'
import { type DailyVisits, forecastVisitors } from '../../../../worker/domain/forecast/scenic-visitors.ts'
import { type DaySales, forecastShowSales } from '../../../../worker/domain/forecast/show-sales.ts'
import type {
  ScenicVisitorForecastResponse,
  ShowSalesForecastResponse,
} from '../../../../worker/routes/contracts/admin/forecasts.ts'
import { problemOf } from '../../../support/api.ts'
import { gridChart, ok, scenicSiteOnSale, shanghaiDate, showOnSale } from '../../../support/catalogue.ts'
import { seeded, trueVisits } from '../../domain/forecast/generated-history.ts'

// The forecasts over HTTP on sales written straight into D1 (months of history cannot be bought through the shop
// in a test): the same figures as the pure methods on the same data, counted the way the sales reports count
// (paid, still standing, entry tickets per visit date), and the organizer's walls around them.

let rows = 0
const fresh = (prefix: string) => `${prefix}_fc${Date.now().toString(36)}${(rows++).toString(36)}`
/** Noon of a China calendar day, as stored (UTC). */
const noonOf = (day: string) => new Date(`${day}T12:00:00+08:00`).toISOString()

/** One order of `lines` order lines, written as the orders service leaves a paid (or unpaid) one. */
function orderWithLines(o: {
  organizerId: string
  kind: 'show' | 'scenic'
  showId?: string
  siteId?: string
  visitDate?: string
  productId?: string
  paidDay: string | null
  lines: number
  lineStatus?: 'active' | 'refunded'
}) {
  const orderId = fresh('ord')
  return [
    env.DB.prepare(
      `INSERT INTO orders (id, number, organizer_id, buyer_id, kind, show_id, site_id, visit_date, hold_id, status,
        total, currency, expires_at, paid_at)
       VALUES (?, ?, ?, 'buyer_forecast', ?, ?, ?, ?, ?, ?, ?, 'CNY', ?, ?)`,
    ).bind(
      orderId,
      fresh('N'),
      o.organizerId,
      o.kind,
      o.showId ?? null,
      o.siteId ?? null,
      o.visitDate ?? null,
      fresh('hld'),
      o.paidDay ? 'paid' : 'pending',
      o.lines * 10000,
      noonOf(o.paidDay ?? shanghaiDate(0)),
      o.paidDay ? noonOf(o.paidDay) : null,
    ),
    // One line per ticket, made by a counting query so a busy day is one statement.
    env.DB.prepare(
      `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
       INSERT INTO order_lines (id, order_id, inventory_ref, description, product_id, price, status)
       SELECT ? || '_' || i, ?, 'forecast-test', 'Ticket', ?, 10000, ? FROM k`,
    ).bind(o.lines, orderId, orderId, o.productId ?? null, o.lineStatus ?? 'active'),
  ]
}

/** A copy of a show of the same event and venue that started `daysAgo` days ago. */
async function pastShowLike(showId: string, daysAgo: number) {
  const columns = (await env.DB.prepare('PRAGMA table_info(shows)').all<{ name: string }>()).results.map(
    (c) => c.name,
  )
  const id = fresh('shw')
  const startsAt = new Date(Date.now() - daysAgo * 86_400_000).toISOString()
  const given: Record<string, string> = { id, starts_at: startsAt, sale_ends_at: startsAt, ends_at: startsAt }
  const values = columns.map((c) => (c in given ? '?' : `"${c}"`))
  await env.DB.prepare(
    `INSERT INTO shows (${columns.map((c) => `"${c}"`).join(', ')}) SELECT ${values.join(', ')} FROM shows WHERE id = ?`,
  )
    .bind(...columns.filter((c) => c in given).map((c) => given[c]), showId)
    .run()
  return { id, startDay: new Date(Date.parse(startsAt) + 8 * 3_600_000).toISOString().slice(0, 10) }
}

/** The past show's tickets per days-before-start: a slow start 40 days out, a rush in the last two weeks (72). */
const pastCurve: DaySales[] = Array.from({ length: 41 }, (_, i) => ({
  daysBefore: 40 - i,
  tickets: 40 - i >= 15 ? 1 : 40 - i >= 1 ? 3 : 4,
}))

describe('show sales forecast over HTTP', () => {
  it("predicts a past show's final for a show selling like it, with the same figures as the pure method", async () => {
    const show = await showOnSale(gridChart(5, 20)) // 100 seats, starts in 30 days
    const detail = await ok(show.owner.get(`${show.base}/shows/${show.showId}`))
    const startDay = new Date(Date.parse(detail.startsAt) + 8 * 3_600_000).toISOString().slice(0, 10)
    const today = shanghaiDate(0)
    const daysLeft = daysBetween(today, startDay)
    const past = await pastShowLike(show.showId, 60)
    const sold = pastCurve.filter((s) => s.daysBefore > daysLeft)
    await env.DB.batch([
      ...pastCurve.flatMap((s) =>
        orderWithLines({
          organizerId: show.organizerId,
          kind: 'show',
          showId: past.id,
          paidDay: addDays(past.startDay, -s.daysBefore),
          lines: s.tickets,
        }),
      ),
      ...sold.flatMap((s) =>
        orderWithLines({
          organizerId: show.organizerId,
          kind: 'show',
          showId: show.showId,
          paidDay: addDays(startDay, -s.daysBefore),
          lines: s.tickets,
        }),
      ),
      // Neither a refunded ticket nor an unpaid order counts as sold.
      ...orderWithLines({
        organizerId: show.organizerId,
        kind: 'show',
        showId: show.showId,
        paidDay: addDays(today, -3),
        lines: 5,
        lineStatus: 'refunded',
      }),
      ...orderWithLines({
        organizerId: show.organizerId,
        kind: 'show',
        showId: show.showId,
        paidDay: null,
        lines: 7,
      }),
    ])

    const forecast = await ok<ShowSalesForecastResponse>(
      show.manager.get(`${show.base}/reports/forecasts/shows/${show.showId}`),
    )
    expect(forecast).toMatchObject({
      show: { showId: show.showId, eventName: 'Gala', startDay },
      today,
      method: 'comparable_shows',
      capacity: 100,
      sold: sold.reduce((t, s) => t + s.tickets, 0),
      daysBeforeStart: daysLeft,
      expectedFinal: 72,
      high: 72,
    })
    expect(forecast.comparables).toEqual([
      expect.objectContaining({
        showId: past.id,
        sameEvent: true,
        sameVenue: true,
        finalTickets: 72,
        estimate: 72,
      }),
    ])
    const pure = forecastShowSales({
      capacity: 100,
      startDay,
      today,
      lastSaleDay: new Date(Date.parse(detail.saleEndsAt) + 8 * 3_600_000).toISOString().slice(0, 10),
      sales: sold,
      comparables: [{ showId: past.id, capacity: 100, sales: pastCurve }],
    })
    const { show: _show, today: _today, comparables, ...figures } = forecast
    const { comparables: pureComparables, ...pureFigures } = pure
    expect(figures).toEqual(pureFigures)
    expect(comparables.map(({ estimate, progress }) => ({ estimate, progress }))).toEqual(
      pureComparables.map(({ estimate, progress }) => ({ estimate, progress })),
    )
  })

  it('says it goes by its own pace when the organizer has no past show of the event or venue', async () => {
    const show = await showOnSale(gridChart(2, 10))
    const forecast = await ok<ShowSalesForecastResponse>(
      show.owner.get(`${show.base}/reports/forecasts/shows/${show.showId}`),
    )
    expect(forecast).toMatchObject({ method: 'own_pace', sold: 0, expectedFinal: 0, comparables: [] })
  })

  it("answers 404 for another organizer's show and 403 to gate staff", async () => {
    const mine = await showOnSale(gridChart(1, 5))
    const theirs = await showOnSale(gridChart(1, 5))
    const foreign = await mine.owner.get(`${mine.base}/reports/forecasts/shows/${theirs.showId}`)
    expect(foreign.status).toBe(404)
    expect((await problemOf(foreign)).code).toBe('not_found')
    expect((await mine.gate.get(`${mine.base}/reports/forecasts/shows/${mine.showId}`)).status).toBe(403)
  })
})

describe('scenic visitor forecast over HTTP', () => {
  it('forecasts from entry tickets per visit date, with the same days and back-test as the pure method', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 500 })
    const today = shanghaiDate(0)
    const first = addDays(today, -84)
    // Twelve weeks to yesterday, about 20 visitors a day with the known weekday and holiday pattern, ±10%.
    const random = seeded(7)
    const history: DailyVisits[] = Array.from({ length: 84 }, (_, i) => {
      const date = addDays(first, i)
      return { date, visits: Math.round((trueVisits(date, first) / 50) * (1 + 0.1 * (2 * random() - 1))) }
    })
    const day = (date: string, lines: number, extra: Partial<Parameters<typeof orderWithLines>[0]> = {}) =>
      orderWithLines({
        organizerId: site.organizerId,
        kind: 'scenic',
        siteId: site.siteId,
        visitDate: date,
        productId: site.gateProduct,
        paidDay: addDays(date, -2),
        lines,
        ...extra,
      })
    await env.DB.batch([
      ...history.flatMap((d) => day(d.date, d.visits)),
      // None of these is a visitor: a cable-car ride, a refunded gate ticket, an unpaid order.
      ...day(history[80]!.date, 9, { productId: site.cableCarProduct }),
      ...day(history[81]!.date, 4, { lineStatus: 'refunded' }),
      ...day(history[82]!.date, 6, { paidDay: null }),
      // Already booked for the day after tomorrow.
      ...day(addDays(today, 2), 3, { paidDay: today }),
    ])

    const forecast = await ok<ScenicVisitorForecastResponse>(
      site.manager.get(`${site.base}/reports/forecasts/scenic-sites/${site.siteId}?days=21&holdoutWeeks=2`),
    )
    expect(forecast).toMatchObject({
      site: { siteId: site.siteId, name: 'Mountain', dailyCapacity: 500 },
      method: 'weekday_holiday_smoothing',
      asOf: today,
      historyFrom: first,
      historyDays: 84,
    })
    expect(forecast.days).toHaveLength(21)
    expect(forecast.days[2]!.booked).toBe(3)
    expect(forecast.days[0]!.booked).toBe(0)
    expect(forecast.backtest).toMatchObject({
      holdoutWeeks: 2,
      from: addDays(today, -14),
      to: addDays(today, -1),
    })
    expect(forecast.backtest!.mape).toBeLessThan(20)

    const pure = forecastVisitors({ history, asOf: forecast.asOf, days: 21, holdoutWeeks: 2 })
    const { site: _site, days, ...figures } = forecast
    const { days: pureDays, ...pureFigures } = pure
    expect(figures).toEqual(pureFigures)
    expect(days.map(({ booked: _booked, ...d }) => d)).toEqual(pureDays)
  })

  it('refuses a bad horizon or hold-out with a validation problem, and 404s a site that is not the organizer’s', async () => {
    const site = await scenicSiteOnSale()
    const other = await scenicSiteOnSale()
    const path = `${site.base}/reports/forecasts/scenic-sites/${site.siteId}`
    for (const query of ['days=0', 'days=93', 'days=ten', 'holdoutWeeks=0', 'holdoutWeeks=9', 'days=2.5']) {
      const res = await site.owner.get(`${path}?${query}`)
      expect(res.status, query).toBe(400)
      const problem = await problemOf(res)
      expect(problem.code).toBe('validation')
      expect(problem.errors?.[0]?.path, query).toMatch(/^query\./)
    }
    const foreign = await site.owner.get(`${site.base}/reports/forecasts/scenic-sites/${other.siteId}`)
    expect(foreign.status).toBe(404)
    expect((await problemOf(foreign)).code).toBe('not_found')
    // A site with no visits yet: not enough history, said plainly.
    const empty = await ok<ScenicVisitorForecastResponse>(site.owner.get(path))
    expect(empty).toMatchObject({ method: 'insufficient_history', historyDays: 0, days: [], backtest: null })
  })
})
