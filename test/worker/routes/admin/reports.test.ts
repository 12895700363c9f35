import { describe, expect, it } from 'vitest'
import { ApiClient, createStaffUser, problemOf, signIn } from '../../../support/api.ts'
import {
  gridChart,
  idNumberFor,
  ok,
  type ScenicFixture,
  type ShowFixture,
  scenicSiteOnSale,
  showOnSale,
} from '../../../support/catalogue.ts'

let keys = 0
const key = () => `report-test-${Date.now()}-${keys++}`

interface SalesReport {
  currency: string
  from: string
  to: string
  totals: {
    orders: number
    tickets: number
    amount: number
    refundedTickets: number
    refunded: number
    gross: number
    net: number
    ordersWithTickets: number
  }
  byDay: { date: string; orders: number; tickets: number; amount: number }[]
  byTicketType: { kind: string; key: string; name: string; tickets: number; amount: number }[]
  byChannel: {
    channel: string
    name: string
    nameEn: string | null
    orders: number
    tickets: number
    amount: number
  }[]
}
interface SellThrough {
  shows: { showId: string; eventName: string; capacity: number; tickets: number; amount: number }[]
}

async function paidOrder(buyer: ApiClient, body: Record<string, unknown>) {
  const created = await ok(
    buyer.fetch('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key() },
      body: JSON.stringify({ ...body, email: 'report@example.com' }),
    }),
    201,
  )
  await ok(buyer.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }))
  return ok(buyer.get(`/api/orders/${created.orderId}`))
}

async function buySeats(show: ShowFixture, seatIds: string[]) {
  const buyer = new ApiClient()
  const hold = await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds }), 201)
  return paidOrder(buyer, { kind: 'show', showId: show.showId, holdId: hold.id })
}

async function buyGateTicket(site: ScenicFixture, n: number) {
  const buyer = new ApiClient()
  const visitor = {
    name: 'Li Lei',
    idNumber: idNumberFor(700 + n),
    phone: `1380000${String(n).padStart(4, '0')}`,
  }
  const hold = await ok(
    buyer.post(`/api/scenic-sites/${site.siteId}/days/${site.date}/holds`, {
      lines: [{ productId: site.gateProduct, slot: '09:00', visitor }],
    }),
    201,
  )
  return paidOrder(buyer, { kind: 'scenic', siteId: site.siteId, date: site.date, holdId: hold.id })
}

const sumOf = <T>(rows: T[], pick: (row: T) => number) => rows.reduce((total, row) => total + pick(row), 0)

/** A show (Zone A row 10,000 fen, Zone B row 20,000 fen, 10 seats each) with three paid orders, one line refunded. */
async function showWithSales() {
  const show = await showOnSale(gridChart(2, 10, ['A', 'B']))
  const [a1, a2, a3] = show.seatIds.slice(0, 3)
  const b1 = show.seatIds[10]!
  const first = await buySeats(show, [a1!, a2!]) // 2 × A
  await buySeats(show, [b1]) // 1 × B
  await buySeats(show, [a3!]) // 1 × A
  // The organizer refunds one line of the first order: it no longer counts as sold.
  await ok(
    show.owner.post(`${show.base}/orders/${first.id}/refunds`, {
      lineIds: [first.lines[0].id],
      reason: 'asked',
    }),
    201,
  )
  return show
}

describe('reports: happy path', () => {
  it('adds up sales per day, ticket type and channel from real orders, net of refunds', async () => {
    const show = await showWithSales()
    // Zone A gets an English name, the event too: the report carries both for the console's two languages.
    const venuePath = `${show.base}/venues/${show.venueId}`
    const venue = await ok(show.owner.get(venuePath))
    await ok(
      show.owner.patch(venuePath, {
        priceCategories: venue.priceCategories.map((c: { code: string }) =>
          c.code === 'A' ? { ...c, nameEn: 'Front stalls' } : c,
        ),
      }),
    )
    await ok(show.owner.patch(`${show.base}/events/${show.eventId}`, { nameEn: 'Gala night' }))
    const report = await ok<SalesReport>(show.manager.get(`${show.base}/reports/sales`))
    expect(report.currency).toBe('CNY')
    // Gross is what was paid (2 × 10,000 + 20,000 + 10,000); net takes the refunded line off.
    expect(report.totals).toEqual({
      orders: 3,
      tickets: 3,
      amount: 40000,
      refundedTickets: 1,
      refunded: 10000,
      gross: 50000,
      net: 40000,
      ordersWithTickets: 3,
    })
    expect(report.totals.net).toBe(report.totals.gross - report.totals.refunded)
    expect(report.byDay).toHaveLength(1)
    expect(report.byDay[0]).toMatchObject({ date: report.to, orders: 3, tickets: 3, amount: 40000 })
    expect(report.byTicketType).toEqual([
      { kind: 'show', key: 'A', name: 'Zone A', nameEn: 'Front stalls', tickets: 2, amount: 20000 },
      { kind: 'show', key: 'B', name: 'Zone B', nameEn: null, tickets: 1, amount: 20000 },
    ])
    expect(report.byChannel).toEqual([
      { channel: 'web', name: 'web', nameEn: null, orders: 3, tickets: 3, amount: 40000 },
    ])
    const breakdowns: { tickets: number; amount: number }[][] = [
      report.byDay,
      report.byTicketType,
      report.byChannel,
    ]
    for (const rows of breakdowns) {
      expect(sumOf(rows, (r) => r.tickets)).toBe(report.totals.tickets)
      expect(sumOf(rows, (r) => r.amount)).toBe(report.totals.amount)
    }

    const through = await ok<SellThrough>(show.owner.get(`${show.base}/reports/sell-through`))
    expect(through.shows).toEqual([
      expect.objectContaining({
        showId: show.showId,
        eventName: 'Gala',
        eventNameEn: 'Gala night',
        capacity: 20,
        tickets: 3,
        amount: 40000,
      }),
    ])
  })

  it('groups scenic tickets by ticket type, and leaves out orders paid outside the range', async () => {
    const site = await scenicSiteOnSale()
    await buyGateTicket(site, 1)
    await buyGateTicket(site, 2)
    const report = await ok<SalesReport>(site.owner.get(`${site.base}/reports/sales`))
    expect(report.byTicketType).toEqual([
      { kind: 'scenic', key: 'adult', name: 'adult', nameEn: null, tickets: 2, amount: 24000 },
    ])
    expect(report.totals).toMatchObject({ orders: 2, tickets: 2, amount: 24000 })

    const yesterday = new Date(Date.parse(`${report.to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
    const earlier = await ok<SalesReport>(
      site.owner.get(`${site.base}/reports/sales?from=${yesterday}&to=${yesterday}`),
    )
    expect(earlier.totals).toEqual({
      orders: 0,
      tickets: 0,
      amount: 0,
      refundedTickets: 0,
      refunded: 0,
      gross: 0,
      net: 0,
      ordersWithTickets: 0,
    })
    expect(earlier.byDay).toEqual([])
  })

  it('counts a pending (unpaid) order nowhere', async () => {
    const show = await showOnSale(gridChart(1, 5))
    const buyer = new ApiClient()
    const hold = await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[0]] }), 201)
    await ok(
      buyer.fetch('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key() },
        body: JSON.stringify({ kind: 'show', showId: show.showId, holdId: hold.id, email: 'x@example.com' }),
      }),
      201,
    )
    const report = await ok<SalesReport>(show.owner.get(`${show.base}/reports/sales`))
    expect(report.totals.tickets).toBe(0)
    const through = await ok<SellThrough>(show.owner.get(`${show.base}/reports/sell-through`))
    expect(through.shows[0]).toMatchObject({ capacity: 5, tickets: 0 })
  })
})

describe('reports: errors', () => {
  it('refuses reversed, malformed and over-long ranges with a validation problem', async () => {
    const show = await showOnSale(gridChart(1, 2))
    for (const query of ['from=2026-03-02&to=2026-03-01', 'from=2026-02-31', 'to=yesterday', 'limit=0']) {
      const res = await show.owner.get(`${show.base}/reports/sales?${query}`)
      expect(res.status, query).toBe(400)
      expect((await problemOf(res)).code).toBe('validation')
    }
    const long = await show.owner.get(`${show.base}/reports/sell-through?from=2025-01-01&to=2026-06-01`)
    expect((await problemOf(long)).errors).toEqual([expect.objectContaining({ path: 'query.to' })])
  })

  it('answers 404 for an organizer that does not exist (platform admin)', async () => {
    const admin = await createStaffUser({ platformAdmin: true })
    const client = await signIn(admin.email)
    const res = await client.get('/api/admin/organizers/org_missing/reports/sales')
    expect(res.status).toBe(404)
    expect((await problemOf(res)).code).toBe('not_found')
  })
})

describe('reports: security', () => {
  it("never includes another organizer's sales, and refuses callers outside the organizer", async () => {
    const mine = await showWithSales()
    const theirs = await showOnSale(gridChart(1, 10))
    await buySeats(theirs, theirs.seatIds.slice(0, 4))

    const report = await ok<SalesReport>(mine.owner.get(`${mine.base}/reports/sales`))
    expect(report.totals).toMatchObject({ orders: 3, tickets: 3, amount: 40000 })
    const through = await ok<SellThrough>(mine.owner.get(`${mine.base}/reports/sell-through`))
    expect(through.shows.map((s) => s.showId)).toEqual([mine.showId])

    for (const path of ['sales', 'sell-through']) {
      const foreign = await mine.owner.get(`${theirs.base}/reports/${path}`)
      expect(foreign.status).toBe(403)
      expect((await problemOf(foreign)).code).toBe('forbidden')
      // Gate staff scan tickets; they do not see revenue.
      expect((await mine.gate.get(`${mine.base}/reports/${path}`)).status).toBe(403)
      const anonymous = await new ApiClient().get(`${mine.base}/reports/${path}`)
      expect(anonymous.status).toBe(401)
    }
  })
})
