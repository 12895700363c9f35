import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ApiClient, problemOf } from '../../../support/api.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from '../../../support/catalogue.ts'
import { csvRows, xlsxSheets } from '../../../support/export-files.ts'

let keys = 0
const key = () => `export-test-${Date.now()}-${keys++}`

async function buySeats(show: ShowFixture, seatIds: string[]) {
  const buyer = new ApiClient()
  const hold = await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds }), 201)
  const created = await ok(
    buyer.fetch('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key() },
      body: JSON.stringify({ kind: 'show', showId: show.showId, holdId: hold.id, email: 'e@example.com' }),
    }),
    201,
  )
  await ok(buyer.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }))
  return ok(buyer.get(`/api/orders/${created.orderId}`))
}

async function download(client: ApiClient, path: string) {
  const res = await client.get(path)
  expect(res.status).toBe(200)
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) }
}

/** A show with two paid orders in two price zones, one line refunded. */
async function showWithSales() {
  const show = await showOnSale(gridChart(2, 10, ['A', 'B']))
  const first = await buySeats(show, [show.seatIds[0]!, show.seatIds[1]!])
  await buySeats(show, [show.seatIds[10]!])
  await ok(
    show.owner.post(`${show.base}/orders/${first.id}/refunds`, {
      lineIds: [first.lines[0].id],
      reason: 'asked',
    }),
    201,
  )
  return show
}

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value))

describe('exports of reports', () => {
  it('a sales report exported as CSV and XLSX parses back to the rows of its JSON', async () => {
    const show = await showWithSales()
    const report = await ok(show.manager.get(`${show.base}/reports/sales`))
    const expectedByDay = report.byDay.map((d: Record<string, number>) => [
      text(d.date),
      text(d.orders),
      text(d.tickets),
      text(d.amount! / 100),
    ])
    expect(report.byDay.length).toBeGreaterThan(0)

    const csv = await download(show.manager, `${show.base}/exports/reports/sales?format=csv&table=byDay`)
    expect(csv.res.headers.get('content-type')).toContain('text/csv')
    expect(csv.res.headers.get('content-disposition')).toContain('sales-byDay.csv')
    const rows = csvRows(csv.bytes)
    expect(rows[0]).toEqual(['日期', '订单数', '票数', '金额 (CNY)'])
    expect(rows.slice(1)).toEqual(expectedByDay)

    const xlsx = await download(show.manager, `${show.base}/exports/reports/sales?format=xlsx&lang=en`)
    const sheets = xlsxSheets(xlsx.bytes)
    expect([...sheets.keys()]).toEqual(['Summary', 'By day', 'By ticket type', 'By channel'])
    expect(sheets.get('By day')![0]).toEqual(['Date', 'Orders', 'Tickets', 'Amount (CNY)'])
    expect(sheets.get('By day')!.slice(1)).toEqual(expectedByDay)
    const byType = sheets.get('By ticket type')!
    expect(byType.slice(1).map((row) => [row[1], row[4], row[5]])).toEqual(
      report.byTicketType.map((t: Record<string, number>) => [t.key, text(t.tickets), text(t.amount! / 100)]),
    )
    const summary = sheets.get('Summary')!
    const netColumn = summary[0]!.indexOf('Totals · Net sales (CNY)')
    expect(summary[1]![netColumn]).toBe(text(report.totals.net / 100))
  })

  it('answers the report’s validation problem for a bad range, and refuses another organizer', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const reversed = await show.manager.get(
      `${show.base}/exports/reports/sales?format=csv&from=2026-03-10&to=2026-03-01`,
    )
    expect(reversed.status).toBe(400)
    expect((await problemOf(reversed)).code).toBe('validation')
    const tooLong = await show.manager.get(`${show.base}/exports/orders?from=2025-01-01&to=2026-06-01`)
    expect((await problemOf(tooLong)).code).toBe('validation')
    const other = await showOnSale(gridChart(1, 4))
    const foreign = await show.manager.get(`${other.base}/exports/orders?format=csv`)
    expect(foreign.status).toBe(403)
  })
})

describe('exports of lists', () => {
  it('the order list and the check-in list carry each order and ticket, in both formats', async () => {
    const show = await showWithSales()
    const csv = csvRows((await download(show.manager, `${show.base}/exports/orders?format=csv`)).bytes)
    expect(csv[0]!.slice(0, 4)).toEqual(['订单号', '下单时间', '支付时间', '状态'])
    expect(csv).toHaveLength(3)
    const tickets = csv.slice(1).map((row) => Number(row[9]))
    expect(tickets.sort()).toEqual([1, 1]) // the refunded line no longer stands
    const xlsx = xlsxSheets(
      (await download(show.manager, `${show.base}/exports/orders?format=xlsx&lang=en`)).bytes,
    )
    expect(
      xlsx
        .get('Orders')!
        .slice(1)
        .map((row) => row[0]),
    ).toEqual(csv.slice(1).map((row) => row[0]))

    const attendees = csvRows(
      (await download(show.manager, `${show.base}/exports/attendees?showId=${show.showId}&format=csv`)).bytes,
    )
    const list = await ok(show.manager.get(`${show.base}/shows/${show.showId}/attendees`))
    expect(
      attendees
        .slice(1)
        .map((row) => row[0])
        .sort(),
    ).toEqual(list.items.map((item: { ticketId: string }) => item.ticketId).sort())
  })

  it('names the settlement sheet 渠道结算 (Settlement in English), beside its header', async () => {
    const show = await showWithSales()
    for (const [lang, sheet] of [
      ['zh-CN', '渠道结算'],
      ['en', 'Settlement'],
    ] as const) {
      const file = await download(show.manager, `${show.base}/exports/settlement?format=xlsx&lang=${lang}`)
      const sheets = xlsxSheets(file.bytes)
      expect([...sheets.keys()]).toEqual([sheet])
      expect(sheets.get(sheet)![0]!.length).toBeGreaterThan(3)
    }
  })

  it('streams a large order list page by page', async () => {
    const show = await showWithSales()
    // 2,400 more orders copied from a real one (a year of a busy organizer, in miniature).
    const [seed] = (
      await env.DB.prepare('SELECT id FROM orders WHERE show_id = ? LIMIT 1')
        .bind(show.showId)
        .all<{ id: string }>()
    ).results
    const columns = (await env.DB.prepare('PRAGMA table_info(orders)').all<{ name: string }>()).results.map(
      (c) => c.name,
    )
    const copied = columns.map((c) =>
      c === 'id' ? `'bulk-' || n` : c === 'number' ? `'B' || n` : c === 'hold_id' ? `'bulk-hold-' || n` : c,
    )
    await env.DB.prepare(
      `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 2400)
       INSERT INTO orders (${columns.join(',')}) SELECT ${copied.join(',')} FROM orders, seq WHERE orders.id = ?`,
    )
      .bind(seed!.id)
      .run()
    const res = await show.manager.get(`${show.base}/exports/orders?format=csv`)
    expect(res.body).toBeInstanceOf(ReadableStream)
    const reader = res.body!.getReader()
    const chunks: Uint8Array[] = []
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
    }
    // One chunk per D1 page of 500 rows (and the header): never the whole range in one piece.
    expect(chunks.length).toBeGreaterThanOrEqual(6)
    const total = chunks.reduce((n, c) => n + c.length, 0)
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(total / 4)
    const bytes = new Uint8Array(total)
    let at = 0
    for (const chunk of chunks) {
      bytes.set(chunk, at)
      at += chunk.length
    }
    const rows = csvRows(bytes)
    expect(rows).toHaveLength(1 + 2 + 2400)
    expect(new Set(rows.slice(1).map((row) => row[0])).size).toBe(2402)
  })
})
