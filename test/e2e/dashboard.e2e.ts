// The organizer's analytics dashboard (issue 23): Chart.js charts with data from real sales, a table under each
// chart that the keyboard reaches, the page's language and date range changing what is shown, and a report
// export that parses back to the rows of the report's JSON.
import { readFileSync } from 'node:fs'
import Papa from 'papaparse'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Client, org, ownerClient, signIn } from './support/admin.ts'
import { launchBrowser, newPage, saveScreenshot } from './support/browser.ts'

async function paidSale(showId: string, category: string, quantity: number) {
  const buyer = new Client()
  const hold = await buyer.call(`/api/shows/${showId}/holds`, { body: { best: { category, quantity } } })
  const order = await buyer.call('/api/orders', {
    body: {
      kind: 'show',
      showId,
      holdId: hold.id,
      phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
    },
    key: crypto.randomUUID(),
  })
  const paid = await buyer.call(`/api/payments/sandbox/checkout/${order.paymentId}/complete`, {
    body: { outcome: 'pay' },
  })
  if (paid.status !== 'paid') throw new Error(`sale on ${showId} not paid`)
  return order.order.total as number
}

interface SalesSeries {
  series: { period: string; net: number; averageOrderValue: number }[]
}

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('analytics dashboard', () => {
  test('charts with data, tables by keyboard, language and range switch, export parses back', async () => {
    const admin = await ownerClient()
    const netOf = (r: SalesSeries) => r.series.reduce((sum, s) => sum + s.net, 0)
    // Earlier files' sales may still be landing (each paid event leaves after the outbox's gathering window and
    // the capture queue's batch): the report must settle before and count this sale after.
    const settled = async () => {
      let last = await admin.call<SalesSeries>(`${org}/reports/analytics/sales`)
      for (let tries = 0; tries < 20; tries++) {
        await new Promise((r) => setTimeout(r, 3_000))
        const next = await admin.call<SalesSeries>(`${org}/reports/analytics/sales`)
        if (netOf(next) === netOf(last)) return next
        last = next
      }
      return last
    }
    const before = netOf(await settled())
    const amount = await paidSale('shw_demo_film_3', 'STD', 2)
    expect(amount).toBeGreaterThan(0)
    // The sale reaches the rollups through the analytics queue: wait until the report counts it.
    let report: SalesSeries = { series: [] }
    for (let tries = 0; tries < 60 && netOf(report) < before + amount; tries++) {
      report = await admin.call<SalesSeries>(`${org}/reports/analytics/sales`)
      if (netOf(report) < before + amount) await new Promise((r) => setTimeout(r, 500))
    }
    expect(netOf(report)).toBe(before + amount)

    const { context, page } = await newPage(browser, { locale: 'en' })
    await page.setViewportSize({ width: 1366, height: 900 })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await signIn(page)
    const sales = page.getByTestId('dash-sales')
    await sales.scrollIntoViewIfNeeded()
    const chart = page.getByTestId('chart-sales-series')
    await chart.locator('canvas[role="img"]').waitFor()
    // Chart.js drew into the canvas (pixels not all blank) at a readable size on a laptop.
    const drawn = await chart.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
      let inked = 0
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++
      return { inked, width: canvas.getBoundingClientRect().width }
    })
    expect(drawn.inked).toBeGreaterThan(500)
    expect(drawn.width).toBeGreaterThan(300)
    // The table under the chart holds the report's figures, in English money.
    const rows = chart.locator('[data-testid="chart-table"] tbody tr')
    expect(await rows.count()).toBe(report.series.length)
    const sold = report.series.find((s) => s.net > 0)!
    const tableText = await chart.locator('[data-testid="chart-table"]').textContent()
    // The console writes money as ¥ with grouped yuan; days in English ("Sat, Dec 5").
    expect(tableText).toContain(`¥${(sold.net / 100).toLocaleString('en')}`)
    expect(tableText).toMatch(/(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [A-Z][a-z]{2} \d{1,2}/)
    expect(await sales.locator('h2').textContent()).toBe('Sales')
    // The overview's ticket-type table: tickets drawn, and the amount beside them (money, not a count); the
    // sell-through table: the share drawn, and sold/capacity beside it — each row as the reports answer it.
    const from = await page.locator('input[name="report-from"]').inputValue()
    const to = await page.locator('input[name="report-to"]').inputValue()
    const overview = await admin.call<{ byTicketType: { tickets: number; amount: number }[] }>(
      `${org}/reports/sales?from=${from}&to=${to}`,
    )
    const typeRows = await page
      .getByTestId('chart-types')
      .locator('[data-testid="chart-table"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent?.trim() ?? '')))
    expect(overview.byTicketType.length).toBeGreaterThan(0)
    expect(typeRows.map(([, tickets, amount]) => [tickets, amount!.startsWith('¥')])).toEqual(
      overview.byTicketType.map((r) => [r.tickets.toLocaleString('en'), true]),
    )
    expect(
      typeRows.map(([, , amount]) => Math.round(Number(amount!.replace(/[^0-9.-]/g, '')) * 100)),
    ).toEqual(overview.byTicketType.map((r) => r.amount))
    const through = await admin.call<{ shows: { tickets: number; capacity: number }[] }>(
      `${org}/reports/sell-through`,
    )
    const throughRows = await page
      .getByTestId('chart-sell-through')
      .locator('[data-testid="chart-table"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent?.trim() ?? '')))
    expect(throughRows.map((row) => row[2])).toEqual(
      through.shows.map((s) => `${s.tickets.toLocaleString('en')}/${s.capacity.toLocaleString('en')}`),
    )
    await saveScreenshot(page, 'dashboard-analytics-en')

    // The keyboard reaches the chart's table (a focusable region named after the chart).
    let reached = false
    for (let presses = 0; presses < 120 && !reached; presses++) {
      await page.keyboard.press('Tab')
      reached = await page.evaluate(
        () => !!document.activeElement?.closest('[data-testid="chart-sales-series"] section.table-scroll'),
      )
    }
    expect(reached).toBe(true)

    // The same report exported as CSV parses back to the JSON's rows.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-analytics/sales-csv').click(),
    ])
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv.startsWith('\uFEFF')).toBe(true)
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data
    const periodColumn = parsed[0]!.indexOf('Period')
    const netColumn = parsed[0]!.indexOf('Net sales (CNY)')
    expect(parsed.slice(1).map((row) => [row[periodColumn], Number(row[netColumn])])).toEqual(
      report.series.map((s) => [s.period, s.net / 100]),
    )

    // Chinese: the headings and the money follow the page's language.
    await page.getByTestId('language-switch').selectOption('zh-CN')
    await expect.poll(() => sales.locator('h2').textContent()).toBe('销售')
    // Days as Chinese pages write them (12月5日), no English weekday left.
    await expect
      .poll(() => chart.locator('[data-testid="chart-table"]').textContent())
      .toMatch(/\d{1,2}月\d{1,2}日/)
    expect(await chart.locator('[data-testid="chart-table"]').textContent()).not.toMatch(
      /(Mon|Tue|Wed|Thu|Fri|Sat|Sun),/,
    )
    await expect.poll(() => chart.locator('h3').textContent()).toBe('净销售额')

    // A range without sales: the chart gives way to its empty state.
    await page.locator('input[name="report-from"]').fill('2020-01-01')
    await page.locator('input[name="report-to"]').fill('2020-01-31')
    await expect.poll(() => chart.getByTestId('chart-empty').count()).toBe(1)
    expect(errors).toEqual([])
    await context.close()
  })
})
