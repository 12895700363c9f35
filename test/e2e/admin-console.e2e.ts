// The organizer console as pretix / Hi.Events organizers expect it (issue 19): money moves only after a dialog
// names the amount, orders are found by what was typed, the dashboard reads, the show page has the door list.
import { readFileSync } from 'node:fs'
import { strFromU8, unzipSync } from 'fflate'
import Papa from 'papaparse'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Client, expectAccessible, org, ownerClient, signIn } from './support/admin.ts'
import { launchBrowser, newPage, saveScreenshot } from './support/browser.ts'
import { chartShown } from './support/charts.ts'

async function paidSale(showId: string, category: string, quantity: number, phone: string) {
  const buyer = new Client()
  const hold = await buyer.call(`/api/shows/${showId}/holds`, { body: { best: { category, quantity } } })
  const order = await buyer.call('/api/orders', {
    body: { kind: 'show', showId, holdId: hold.id, phone },
    key: crypto.randomUUID(),
  })
  const paid = await buyer.call(`/api/payments/sandbox/checkout/${order.paymentId}/complete`, {
    body: { outcome: 'pay' },
  })
  if (paid.status !== 'paid') throw new Error(`sale on ${showId} not paid: ${JSON.stringify(paid)}`)
  return buyer.call<{ id: string; number: string; total: number }>(`/api/orders/${order.orderId}`)
}

/**
 * The first sheet of an .xlsx as rows of cells, read the way a spreadsheet does: through the package's
 * relationships, inline or shared strings, `<v>` numbers, and whether the cell's style is the 0.00 format.
 */
function sheetRows(bytes: Uint8Array) {
  const files = unzipSync(bytes)
  const part = (path: string) => {
    const file = files[path]
    if (!file) throw new Error(`the workbook has no ${path}`)
    return strFromU8(file)
  }
  expect(part('[Content_Types].xml')).toContain('spreadsheetml.sheet.main+xml')
  const target = part('xl/_rels/workbook.xml.rels').match(/Target="(worksheets\/[^"]+)"/)![1]
  const formats = [...part('xl/styles.xml').matchAll(/<xf [^>]*numFmtId="(\d+)"[^>]*xfId/g)].map((m) => m[1])
  const rows: { value: string | number | null; numeric: boolean; money: boolean }[][] = []
  for (const [, rowXml] of part(`xl/${target}`).matchAll(/<row[^>]*>(.*?)<\/row>/g)) {
    const row: (typeof rows)[number] = []
    for (const [, ref, attrs, inner] of rowXml!.matchAll(/<c r="([A-Z]+)\d+"([^>]*)>(.*?)<\/c>/g)) {
      const index = ref!.charCodeAt(0) - 65
      while (row.length < index) row.push({ value: null, numeric: false, money: false })
      const style = Number(attrs!.match(/ s="(\d+)"/)?.[1] ?? 0)
      const text = inner!.match(/<t[^>]*>(.*?)<\/t>/)?.[1]
      const number = inner!.match(/<v>(.*?)<\/v>/)?.[1]
      row.push(
        text !== undefined
          ? { value: text.replace(/&amp;/g, '&').replace(/&lt;/g, '<'), numeric: false, money: false }
          : { value: Number(number), numeric: true, money: formats[style] === '2' },
      )
    }
    rows.push(row)
  }
  return rows
}

const randomPhone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
const digitsOf = (text: string | null) => (text ?? '').replace(/[^0-9.]/g, '')
/** The yuan shown in a text holding one amount ("¥90", "¥1,234.50"). */
const yuanShown = (text: string | null) => Number(digitsOf(text))
/** An amount of `minor` fen as the console writes it in running text: ¥, grouped yuan, fen only when not zero. */
const moneyIn = (minor: number) => {
  const yuan = Math.floor(minor / 100).toLocaleString('en')
  const fen = minor % 100 ? `\\.${String(minor % 100).padStart(2, '0')}` : '(\\.00)?'
  return new RegExp(`¥\\s?${yuan}${fen}(?![\\d,]|\\.\\d)`)
}

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('admin console for organizers', () => {
  test('1366 px, English: dashboard reads, exports CSV, a phone finds the order, a refund asks with the quoted amount', async () => {
    const phone = randomPhone()
    const sale = await paidSale('shw_demo_film_3', 'STD', 2, phone)
    const { context, page } = await newPage(browser, { locale: 'en' })
    await page.setViewportSize({ width: 1366, height: 900 })
    await signIn(page)

    // Tiles say what they count, and net = gross − refunds.
    const totals = page.getByTestId('sales-totals')
    const tile = (name: string) =>
      totals.locator('div', { has: page.locator('dt', { hasText: name }) }).locator('dd')
    for (const name of ['Gross sales', 'Refunds', 'Net sales', 'Tickets sold', 'Orders'])
      expect(await tile(name).count(), name).toBe(1)
    const gross = yuanShown(await tile('Gross sales').textContent())
    const refunds = yuanShown(await tile('Refunds').textContent())
    const net = yuanShown(await tile('Net sales').textContent())
    expect(net).toBeCloseTo(gross - refunds, 2)
    // Names, not codes; labels drawn at their real size (never a scaled-down 9 px); axes with several ticks.
    const types = await chartShown(page.getByTestId('chart-types'))
    expect(types.inked).toBeGreaterThan(500)
    // On an English page the zone's English name (普通座 is Standard), never its code.
    const typeNames = types.rows.map(([name]) => name).join(' ')
    expect(typeNames).toContain('Standard')
    expect(typeNames).not.toContain('普通座')
    expect(typeNames).not.toMatch(/\bSTD\b/)
    const days = await chartShown(page.getByTestId('chart-days'))
    expect(days.inked).toBeGreaterThan(500)
    expect(days.scale).toBeCloseTo(1, 2)
    expect(days.indexTicks).toBeGreaterThanOrEqual(4)
    expect(days.tickFontPx).toBeGreaterThanOrEqual(12)
    expect(days.valueTicks).toBeGreaterThanOrEqual(3)
    // The chart's table holds every day of the range (30 by default), dated in English.
    expect(days.rows.length).toBe(30)
    expect(days.rows[0]![0]).toMatch(/(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [A-Z][a-z]{2} \d{1,2}/)
    await expectAccessible(page)
    await saveScreenshot(page, 'admin-console-dashboard-en')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export sales (CSV)' }).click(),
    ])
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv.split('\r\n')[0]).toBe('\uFEFFBreakdown,Item,Orders,Tickets sold,Amount (yuan)')
    // The file holds the figures the dashboard shows, by name: the report the page loaded, row by row.
    const admin = await ownerClient()
    const report = await admin.call(`${org}/reports/sales`)
    const standard = report.byTicketType.find((r: { name: string }) => r.name === '普通座')
    expect(standard.tickets).toBeGreaterThanOrEqual(2)
    for (const r of report.byTicketType.filter((row: { kind: string }) => row.kind === 'show'))
      expect(csv).toContain(
        // An English export names each zone in English (Standard for 普通座), falling back to its main name.
        `\r\nTickets per ticket type,${r.nameEn ?? r.name},,${r.tickets},${(r.amount / 100).toFixed(2)}\r\n`,
      )
    expect(csv).toContain(
      `\r\nGross sales,,${report.totals.orders},,${(report.totals.gross / 100).toFixed(2)}\r\n`,
    )

    // The same table as an Excel workbook: the same cells, figures stored as numbers (money shown as 0.00).
    const [workbook] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export sales (Excel)' }).click(),
    ])
    expect(workbook.suggestedFilename()).toMatch(/^sales-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/)
    const sheet = sheetRows(readFileSync((await workbook.path())!))
    const csvRows = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data
    expect(sheet.map((row) => row.map((cell) => cell.value))).toEqual(
      csvRows.map((row, r) =>
        row.map((text) => (r > 0 && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text === '' ? null : text)),
      ),
    )
    expect(standard.nameEn).toBe('Standard')
    expect(csv).not.toContain('普通座')
    const standardRow = sheet.find((row) => row[1]?.value === 'Standard')!
    expect(standardRow[3]).toEqual({ value: standard.tickets, numeric: true, money: false })
    expect(standardRow[4]).toEqual({ value: standard.amount / 100, numeric: true, money: true })

    // One box: a phone typed with spaces is searched as a phone, and the row names the film and the buyer's phone.
    await page.getByRole('link', { name: 'Orders', exact: true }).click()
    await page
      .locator('input[name="order-search"]')
      .fill(`${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`)
    await page.getByTestId('search-kind').getByText('Searching by Phone').waitFor()
    await page.getByRole('button', { name: 'Search' }).click()
    const row = page.locator('main tbody tr', { hasText: sale.number })
    await row.waitFor()
    // The list before the search held every order; the answer to the phone search holds this one alone.
    await expect.poll(() => page.locator('main tbody tr').count()).toBe(1)
    expect(await row.textContent()).toContain(phone)
    expect(await row.locator('td').nth(1).textContent()).toMatch(/\S{3,}/)
    await expectAccessible(page)
    await row.getByRole('link', { name: sale.number }).click()
    await page.getByRole('heading', { level: 1, name: `Order ${sale.number}` }).waitFor()
    expect(await page.getByTestId('buyer-phone').textContent()).toBe(phone)

    // A failed submit (no reason) focuses the field below the sticky header, not under it.
    const reasonField = page.locator('input[name="refund-reason"]')
    await reasonField.evaluate((input) => {
      const top = input.getBoundingClientRect().top + window.scrollY
      window.scrollTo(0, top - 40)
    })
    await page
      .locator('form', { has: reasonField })
      .evaluate((form) => (form as HTMLFormElement).requestSubmit())
    await expect.poll(() => reasonField.evaluate((el) => document.activeElement === el)).toBe(true)
    const headerBottom = await page.locator('.app-header').evaluate((h) => h.getBoundingClientRect().bottom)
    await expect.poll(async () => (await reasonField.boundingBox())!.y).toBeGreaterThanOrEqual(headerBottom)

    // Refund: nothing is sent until the dialog naming the amount is confirmed; the amount is the server's quote.
    const refundPosts: string[] = []
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/refunds')) refundPosts.push(request.url())
    })
    await reasonField.fill('Buyer is ill')
    const [quoteResponse] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/refund-quote')),
      page.getByRole('button', { name: 'Refund the whole order…' }).click(),
    ])
    const quote = await quoteResponse.json()
    const dialog = page.getByRole('dialog', { name: `Refund order ${sale.number}?` })
    await dialog.waitFor()
    expect(quote.amount).toBe(sale.total)
    expect(yuanShown(await dialog.getByTestId('confirm-amount').textContent())).toBe(quote.amount / 100)
    await expectAccessible(page)
    await saveScreenshot(page, 'admin-console-refund-confirm-en')
    await dialog.getByRole('button', { name: 'Go back' }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(refundPosts).toEqual([])
    await page.getByRole('button', { name: 'Refund the whole order…' }).click()
    await dialog.waitFor()
    expect(refundPosts).toEqual([])
    await dialog.getByRole('button', { name: /^Refund .*\d/ }).click()
    await page.getByTestId('notice').waitFor()
    expect(refundPosts).toHaveLength(1)
    expect(await page.getByTestId('notice').textContent()).toMatch(moneyIn(quote.amount))
    const history = page.getByTestId('history')
    await history.getByText('Refund requested').waitFor()
    expect(await history.textContent()).not.toMatch(/order\.|refund\.|staff:/)
    await context.close()
  })

  test('390 px, Chinese: show page with name, whole map, legend, door list; cancelling asks with the amount; QR for gates', async () => {
    const admin = await ownerClient()
    const day = (offset: number, time: string) =>
      new Date(
        `${new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10)}T${time}:00+08:00`,
      ).toISOString()
    const show = await admin.call(`${org}/shows`, {
      body: {
        eventId: 'evt_demo_film',
        venueId: 'ven_demo_cinema1',
        startsAt: day(9, '21:10'),
        saleStartsAt: day(-1, '09:00'),
        saleEndsAt: day(9, '20:00'),
        prices: { STD: 4500, PRM: 6500 },
      },
    })
    const sale = await paidSale(show.id, 'PRM', 2, randomPhone())

    const { context, page } = await newPage(browser, { locale: 'zh-CN', mobile: true })
    await signIn(page)
    // The organizer with shows to come, not whichever sorts first; a choice is remembered.
    expect(await page.getByTestId('organizer-switch').inputValue()).toBe('org_demo')

    // The 2,030-seat hall opens whole on a phone: every seat inside the frame, nothing to scroll to.
    await page.goto('/admin/shows/shw_demo_symphony')
    await page
      .getByRole('heading', { level: 1, name: /交响/ })
      .or(page.getByRole('heading', { level: 1, name: / · / }))
      .first()
      .waitFor()
    const map = page.getByTestId('seat-map')
    await expect.poll(() => map.locator('circle[data-seat]').count()).toBeGreaterThan(2000)
    const fit = await map.evaluate((svg) => {
      const frame = svg.parentElement!.getBoundingClientRect()
      let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity]
      for (const c of svg.querySelectorAll('circle')) {
        const r = c.getBoundingClientRect()
        minX = Math.min(minX, r.left)
        minY = Math.min(minY, r.top)
        maxX = Math.max(maxX, r.right)
        maxY = Math.max(maxY, r.bottom)
      }
      return {
        inside:
          minX >= frame.left - 1 &&
          maxX <= frame.right + 1 &&
          minY >= frame.top - 1 &&
          maxY <= frame.bottom + 1,
        frame: frame.height,
      }
    })
    expect(fit.inside).toBe(true)
    expect(fit.frame).toBeLessThanOrEqual(844)
    const legend = page.getByTestId('seat-legend')
    for (const state of ['锁定中', '已售', '已封锁']) await legend.getByText(state).waitFor()
    // Rows to pick are named by the sections' Chinese names (池座 A排), never their keys.
    const rowOptions = await page.locator('#seat-row-picker option').allTextContents()
    expect(rowOptions).toContain('池座 A排')
    expect(rowOptions.some((text) => text.startsWith('二层楼座 '))).toBe(true)
    expect(rowOptions.join(' ')).not.toMatch(/Stalls|Circle|Balcony/)

    // The test show: its title names the film, the door list counts tickets and admissions.
    await page.goto(`/admin/shows/${show.id}`)
    const heading = page.getByRole('heading', { level: 1 })
    await expect.poll(() => heading.textContent()).toMatch(/ · /)
    expect(await page.title()).toContain(((await heading.textContent()) ?? '').split(' · ')[0]!)
    // The sandbox confirms payment a moment after the buyer pays; the list's refresh button picks the tickets up.
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: '刷新' }).click()
        return page.getByTestId('admitted-count').textContent()
      })
      .toBe('已入场 0 / 2 张')
    await page.locator('#attendees-heading ~ section tbody tr').first().waitFor()
    const doorList = (await page.locator('#attendees-heading ~ section').textContent()) ?? ''
    expect(doorList).toContain(sale.number)
    // Seats as people read them, with the hall's Chinese section name (影厅), not the label Hall-G-5.
    expect(doorList).toMatch(/影厅 [A-Z]排\d+座/)
    expect(doorList).not.toMatch(/Hall/)
    await expectAccessible(page)
    await saveScreenshot(page, 'admin-console-show-zh-mobile')

    // Cancel: the dialog names the sum of the paid tickets; nothing is posted before confirming.
    const cancelPosts: string[] = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/cancel')) cancelPosts.push(r.url())
    })
    const danger = page.locator('form.danger-zone')
    await danger.locator('input').fill('影厅设备故障')
    const [quoteResponse] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/cancel-quote')),
      danger.getByRole('button', { name: '取消场次…' }).click(),
    ])
    const quote = await quoteResponse.json()
    expect(quote.amount).toBe(sale.total)
    const dialog = page.getByRole('dialog')
    await dialog.waitFor()
    expect(yuanShown(await dialog.getByTestId('confirm-amount').textContent())).toBe(sale.total / 100)
    expect(await dialog.textContent()).toContain('1 个已付款订单（2 张票）')
    const box = (await dialog.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(390)
    await expectAccessible(page)
    await saveScreenshot(page, 'admin-console-cancel-confirm-zh-mobile')
    expect(cancelPosts).toEqual([])
    await dialog.getByRole('button', { name: /^取消场次并退款/ }).click()
    await page.getByTestId('notice').getByText('场次已取消，已退款 1 个订单。').waitFor()
    expect(cancelPosts).toHaveLength(1)

    // The refunded order in Chinese: states and history in words, no raw codes.
    await page.goto(`/admin/orders/${sale.id}`)
    await page.getByTestId('history').getByText('申请退款').waitFor()
    const main = (await page.locator('main').textContent()) ?? ''
    expect(main).not.toMatch(/\b(paid|refunded|succeeded|sandbox|order\.\w+|staff:\w+)\b/)
    // Why it was refunded, in Chinese around the organizer's own words.
    expect(main).toContain('演出取消：影厅设备故障')
    expect(main).not.toContain('Show cancelled')

    // Gates: the enrollment code large, with a QR code to scan.
    await page.goto('/admin/gates')
    await page.locator('input[name="gate-name"]').fill('南门')
    await page.locator('form button[type="submit"]').click()
    const qr = page.getByTestId('enrollment-qr')
    await qr.waitFor()
    const qrBox = (await qr.boundingBox())!
    expect(qrBox.width).toBeGreaterThanOrEqual(200)
    expect(qrBox.x + qrBox.width).toBeLessThanOrEqual(390)
    const codeSize = await page
      .locator('.enrollment-code')
      .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize))
    expect(codeSize).toBeGreaterThanOrEqual(28)
    await expectAccessible(page)
    await saveScreenshot(page, 'admin-console-gates-zh-mobile')
    await context.close()
  })
})

describe('names buyers read, edited in the console (en)', () => {
  test('an organizer names a seat map section and the city in both languages; the console reads them back', async () => {
    const admin = await ownerClient()
    const venue = await admin.call(`${org}/venues`, {
      body: { name: `名称厅 ${Date.now()}`, kind: 'theatre', city: '苏州' },
    })
    await admin.call(`${org}/venues/${venue.id}/seat-map`, {
      method: 'PUT',
      body: {
        categories: [{ code: 'A', name: '甲等', nameEn: 'Zone A', color: '#aa3333' }],
        sections: [
          {
            name: 'Front',
            rows: [
              { label: '1', category: 'A', seats: [1, 2, 3].map((n) => ({ number: n, x: n * 20, y: 0 })) },
            ],
          },
        ],
      },
    })
    const { context, page } = await newPage(browser, { locale: 'en' })
    await page.setViewportSize({ width: 1366, height: 900 })
    await signIn(page)
    await page.goto(`/admin/venues/${venue.id}`)
    const form = page.getByTestId('venue-names')
    await form.locator('input[name="section-name-Front"]').waitFor()
    // Unnamed, the section reads as its key.
    expect(await page.locator('#seat-row-picker option').allTextContents()).toContain('Front, row 1')
    await form.locator('input[name="venue-city-en"]').fill('Suzhou')
    await form.locator('input[name="section-name-Front"]').fill('前区')
    await form.locator('input[name="section-name-en-Front"]').fill('Front stalls')
    await form.getByRole('button', { name: 'Save names' }).click()
    await form.getByRole('status').getByText('Saved').waitFor()
    const saved = await admin.call(`${org}/venues/${venue.id}`)
    expect(saved).toMatchObject({
      city: '苏州',
      cityEn: 'Suzhou',
      sectionNames: [{ key: 'Front', name: '前区', nameEn: 'Front stalls' }],
    })
    // The console reads the names back in its language: the English city and section on English pages.
    await page.reload()
    await expect
      .poll(() => page.locator('#seat-row-picker option').allTextContents())
      .toContain('Front stalls, row 1')
    expect(await page.locator('main').textContent()).toContain('Suzhou')
    await expectAccessible(page)
    await context.close()
  })
})
