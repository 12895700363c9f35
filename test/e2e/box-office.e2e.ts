// The box office in Chromium against the real stack and the demo data: the demo clerk signs in, opens a shift,
// sells two cinema seats for cash (change shown), prints them on the 80 mm layout, and the printed QR code decodes
// back to the ticket's token; the screens pass axe in both languages.
import jsQR from 'jsqr'
import type { Browser } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ApiSession } from './support/api-session.ts'
import { baseUrl, expectAccessible, launchBrowser, newPage, saveScreenshot } from './support/browser.ts'
import { idNumberFor } from './support/shop.ts'

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

  test('scenic: a gate ticket with a cable car attached to it, then a package, in the same shift', async () => {
    const { context, page, api } = await deskWithOpenShift()
    const tomorrow = new Date(Date.now() + 32 * 3600_000).toISOString().slice(0, 10)

    // Gate ticket (adult, real-name) + one cable car: the car asks no visitor of its own, it goes with the gate's.
    await page.getByRole('radio', { name: 'Scenic tickets' }).check()
    await page.getByLabel('Visit date').fill(tomorrow)
    await page.getByLabel('Ticket type').locator('option').first().waitFor({ state: 'attached' })
    await page.getByLabel('Ticket type').selectOption('prd_demo_adult')
    await page.getByLabel('Quantity').fill('1')
    await page.getByLabel(/^Summit cable car .*how many/).fill('1')
    await page.getByLabel('Visitor name 1').fill('李四')
    await page.getByLabel('ID number 1').fill(idNumberFor('19880515', 611))
    expect(await page.getByLabel('Visitor name 2').count()).toBe(0)
    await page.getByLabel('Cash received').fill('500')
    await expectAccessible(page)
    await page.getByLabel('Cash received').press('Enter')
    const order = page.getByTestId('order')
    await order.waitFor()
    const number = /order (\S+),/.exec((await order.locator('#order-heading').textContent()) ?? '')?.[1]
    const sold = await api.json(`${box}/orders/${number}`)
    expect(sold.status).toBe('paid')
    expect(sold.tickets.map((t: { product: string | null }) => t.product).sort()).toEqual([
      '成人票',
      '索道票',
    ])
    // Both tickets carry the gate ticket's visitor.
    expect(new Set(sold.tickets.map((t: { holder: string | null }) => t.holder))).toEqual(new Set(['李四']))

    // A package (gate + cable car) for another visitor: one name and ID, the two lines shown.
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('n')
    await page.getByRole('radio', { name: 'Scenic tickets' }).check()
    await page.getByLabel('Visit date').fill(tomorrow)
    await page.getByLabel('Package').locator('option').nth(1).waitFor({ state: 'attached' })
    await page.getByLabel('Package').selectOption('pkg_demo_gate_cablecar')
    await expect.poll(() => page.getByTestId('package-lines').textContent()).toContain('Summit cable car')
    expect(await page.getByLabel('Quantity').count()).toBe(0)
    await page.getByLabel('Visitor name 1').fill('王五')
    await page.getByLabel('ID number 1').fill(idNumberFor('19900307', 612))
    await page.getByLabel('Cash received').fill('500')
    await page.getByLabel('Cash received').press('Enter')
    await expect
      .poll(async () => /order (\S+),/.exec((await order.locator('#order-heading').textContent()) ?? '')?.[1])
      .not.toBe(number)
    const second = /order (\S+),/.exec((await order.locator('#order-heading').textContent()) ?? '')?.[1]
    const pkgSale = await api.json(`${box}/orders/${second}`)
    expect(pkgSale.status).toBe('paid')
    expect(pkgSale.tickets).toHaveLength(2)
    expect(new Set(pkgSale.tickets.map((t: { holder: string | null }) => t.holder))).toEqual(
      new Set(['王五']),
    )
    await context.close()
  })

  test('shows: the clerk picks two seats from the zone list by keyboard and exactly those are sold', async () => {
    const { context, page, api } = await deskWithOpenShift()
    const catalogue = await api.json(`${box}/catalogue`)
    const film = catalogue.shows.find((s: { id: string }) => s.id.startsWith('shw_demo_film'))
    await page.getByLabel('Show', { exact: true }).selectOption(film.id)
    await page.getByLabel('Zone').locator('option').first().waitFor({ state: 'attached' })
    // Best available is the default: the quantity is there until seats are picked.
    await page.getByLabel('Quantity').waitFor()
    await page.getByLabel('Pick seats (otherwise best available)').check()
    expect(await page.getByLabel('Quantity').count()).toBe(0)
    const seats = page.getByTestId('seat-pick').getByRole('checkbox')
    await seats.nth(3).waitFor()
    // Keyboard: focus a seat, Space picks it; Tab to the next seat, Space again.
    await seats.nth(2).focus()
    await page.keyboard.press('Space')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Space')
    const picked = await page
      .getByTestId('seat-pick')
      .locator('input:checked')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLElement).dataset.seatId))
    expect(picked).toHaveLength(2)
    await expect
      .poll(() => page.getByTestId('seat-pick').getByRole('status').textContent())
      .toContain('2 seats')
    await expectAccessible(page)
    await page.getByLabel('Cash received').fill('300')
    await page.getByLabel('Cash received').press('Enter')
    const order = page.getByTestId('order')
    await order.waitFor()
    const number = /order (\S+),/.exec((await order.locator('#order-heading').textContent()) ?? '')?.[1]
    const sold = await api.json(`${box}/orders/${number}`)
    expect(sold.status).toBe('paid')
    expect(sold.tickets).toHaveLength(2)
    const map = await api.json(`/api/shows/${film.id}/seat-map`)
    const states = new Map(map.seats.map((s: { id: string; state: string }) => [s.id, s.state]))
    for (const id of picked) expect(states.get(id)).toBe('sold')
    await context.close()
  })
})

/** The demo clerk signed in (English) at the desk of the shift the first test opened, and their API session. */
async function deskWithOpenShift() {
  const { context, page } = await newPage(browser, { locale: 'en' })
  await page.goto('/box')
  await page.getByLabel('Email').fill(clerk.email)
  await page.getByLabel('Password').fill(clerk.password)
  await page.getByLabel('Password').press('Enter')
  await page.getByTestId('shift-totals').waitFor()
  const api = new ApiSession()
  await api.json('/api/auth/login', { body: clerk, headers: { origin: baseUrl() } })
  return { context, page, api }
}
