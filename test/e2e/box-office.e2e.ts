// The box office in Chromium against the real stack and the demo data: the demo clerk signs in, opens a shift,
// sells two cinema seats for cash (change shown), prints them on the 80 mm layout, and the printed QR code decodes
// back to the ticket's token; the screens pass axe in both languages.
import jsQR from 'jsqr'
import type { Browser } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ApiSession } from './support/api-session.ts'
import { baseUrl, expectAccessible, launchBrowser, newPage, saveScreenshot } from './support/browser.ts'

const clerk = { email: 'box@demo.local', password: 'demo-password-2026' }
const box = '/api/box/organizers/org_demo'
let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('box office', () => {
  test('a clerk sells two seats for cash and prints them: the printed QR decodes to the ticket token', async () => {
    const { context, page } = await newPage(browser, { locale: 'en' })
    await page.goto('/box')
    await page.getByLabel('Email').fill(clerk.email)
    await page.getByLabel('Password').fill(clerk.password)
    await expectAccessible(page)
    await page.getByLabel('Password').press('Enter')

    // Open the shift with a 500.00 float: typed, then Enter.
    const float = page.getByLabel('Opening float (cash in the drawer)')
    await float.fill('500')
    await float.press('Enter')
    await page.getByTestId('shift-totals').waitFor()

    // A cinema screening (not real-name), two seats best available in its first zone, cash 200.00.
    const api = new ApiSession()
    await api.json('/api/auth/login', { body: clerk, headers: { origin: baseUrl() } })
    const catalogue = await api.json(`${box}/catalogue`)
    const film = catalogue.shows.find((s: { id: string }) => s.id.startsWith('shw_demo_film'))
    await page.getByLabel('Show', { exact: true }).selectOption(film.id)
    await page.getByLabel('Zone').locator('option').first().waitFor({ state: 'attached' })
    await page.getByLabel('Quantity').fill('2')
    await page.getByLabel('Cash received').fill('200')
    await expectAccessible(page)
    await page.getByLabel('Cash received').press('Enter')

    const order = page.getByTestId('order')
    await order.waitFor()
    const heading = await order.locator('#order-heading').textContent()
    const number = /order (\S+),/.exec(heading ?? '')?.[1]
    expect(number).toBeTruthy()
    const sold = await api.json(`${box}/orders/${number}`)
    expect(sold.tickets).toHaveLength(2)
    expect(sold.status).toBe('paid')
    await expect
      .poll(() => page.getByTestId('change').textContent())
      .toContain(String((20_000 - sold.total) / 100))
    // The shift counts the sale as cash.
    await expect.poll(async () => (await api.json(`${box}/shift`)).totals.sales.cash).toBe(sold.total)
    await expectAccessible(page)

    // Print (P): the browser's print is asked for, and the 80 mm sheet is what print media shows.
    await page.evaluate(() => {
      const w = window as unknown as { printed: number }
      w.printed = 0
      window.print = () => {
        w.printed++
      }
    })
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('p')
    await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1)
    await page.emulateMedia({ media: 'print' })
    const sheet = page.getByTestId('ticket-print')
    expect(await sheet.getAttribute('data-paper')).toBe('thermal80')
    for (const ticket of sold.tickets) {
      const qr = page.getByTestId(`print-qr-${ticket.ticketId}`)
      await qr.waitFor()
      const png = PNG.sync.read(await qr.screenshot())
      const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)
      expect(decoded?.data).toBe(ticket.token)
    }
    await page.screenshot({ path: 'test/e2e/screenshots/box-print-80mm.png' })
    await page.emulateMedia({ media: 'screen' })
    await saveScreenshot(page, 'box-sold')
    await context.close()
  })

  test('zh-CN: the shift and sale screens are in Chinese and pass axe', async () => {
    const { context, page } = await newPage(browser, {
      locale: 'zh-CN',
      viewport: { width: 820, height: 1180 },
    })
    await page.goto('/box')
    await page.getByLabel('邮箱').fill(clerk.email)
    await page.getByLabel('密码').fill(clerk.password)
    await page.getByLabel('密码').press('Enter')
    // The shift opened in the first test is still open: the desk shows its totals and the sale form.
    await page.getByTestId('shift-totals').waitFor()
    await page.getByLabel('张数').waitFor()
    expect(
      await page.evaluate(() => (window as unknown as { __missingMessages: string[] }).__missingMessages),
    ).toEqual([])
    await expectAccessible(page)
    await saveScreenshot(page, 'box-desk-zh')
    await context.close()
  })
})
