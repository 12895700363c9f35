// The self-service kiosk in a real browser, portrait 1080×1920 with a touch screen and no keyboard: enrolled by a
// link with a one-time code, a visitor switches to English, buys an adult gate ticket for tomorrow by taps only
// (the name and ID number on the on-screen keypads), pays by scanning the payment QR with a "phone" (a second
// browser opening the QR's address), and the kiosk prints the ticket; then the idle reset forgets a half-finished
// purchase and goes back to Chinese. axe-core on every screen.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { signIn } from './support/admin.ts'
import { ApiSession } from './support/api-session.ts'
import { expectAccessible, launchBrowser, newPage, saveScreenshot } from './support/browser.ts'
import { idNumberFor } from './support/shop.ts'

const organizerId = 'org_demo'
const siteId = 'site_demo_mountain'
const adult = 'prd_demo_adult'
const portrait = { width: 1080, height: 1920 }

/** A checksum-valid ID number born in 1990, distinct per `n`. */
const idNumber = (n: number) => idNumberFor(`199004${String(1 + (n % 28)).padStart(2, '0')}`, n % 1000)

let browser: Browser
const staff = new ApiSession()

async function kioskCode(name: string) {
  const created = await staff.json(
    `/api/admin/organizers/${organizerId}/kiosk-enrollments`,
    { body: { kioskName: name, siteId } },
    201,
  )
  return created.code as string
}

async function openKiosk(code: string, idle = 120) {
  const { context, page } = await newPage(browser, { viewport: portrait, touch: true, locale: 'zh-CN' })
  // The kiosk prints silently; here each print is counted instead of opening a dialog.
  await context.addInitScript(() => {
    const w = window as unknown as { __prints: number; print: () => void }
    w.__prints = 0
    w.print = () => {
      w.__prints++
    }
  })
  await page.goto(`/kiosk?enroll=${code}&idle=${idle}`)
  return { context, page }
}

/** Types on the kiosk's keypad for `field` by tapping its keys. */
async function tapKeys(page: Page, field: string, text: string) {
  const pad = page.locator('.keypad-field').filter({ has: page.locator(`#${field}`) })
  for (const ch of text) await pad.locator(`[data-key="${ch === ' ' ? 'space' : ch}"]`).tap()
  await expect.poll(() => page.locator(`#${field}`).inputValue()).toBe(text)
}

beforeAll(async () => {
  await staff.json('/api/auth/login', {
    body: { email: 'owner@demo.local', password: 'demo-password-2026' },
  })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
})

describe('kiosk', () => {
  test('a visitor buys a scenic ticket by touch, pays by QR on a phone, and the ticket prints', async () => {
    const { context, page } = await openKiosk(await kioskCode('E2E kiosk'))
    const start = page.getByRole('button', { name: '点击购票' })
    await start.waitFor()
    await expectAccessible(page)
    await saveScreenshot(page, 'kiosk-start')

    await page.getByRole('button', { name: 'English' }).tap()
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en')
    await page.getByRole('button', { name: 'Touch to buy tickets' }).tap()
    await page.getByRole('button', { name: /Tomorrow/ }).tap()

    const product = page.getByTestId(`product-${adult}`)
    await product.waitFor()
    await product.getByRole('button', { name: /^Add one/ }).tap()
    await expect.poll(() => product.locator('output').textContent()).toBe('1')
    await page.locator('.kiosk-slots button:not([disabled])').first().tap()
    await expectAccessible(page)
    await saveScreenshot(page, 'kiosk-tickets')
    await page.getByRole('button', { name: 'Next' }).tap()

    await page.getByRole('heading', { name: /Visitor 1 of 1/ }).waitFor()
    await tapKeys(page, 'visitor-name', 'LI LEI')
    await tapKeys(page, 'visitor-id', idNumber(Date.now() % 100_000))
    await expectAccessible(page)
    await saveScreenshot(page, 'kiosk-visitor')
    await page.getByRole('button', { name: 'Next' }).tap()
    await page.getByRole('button', { name: 'Skip' }).tap()

    await page.getByRole('heading', { name: 'Check your order' }).waitFor()
    await expectAccessible(page)
    await page.getByRole('button', { name: /^Pay / }).tap()

    const qr = page.getByRole('img', { name: /Payment QR code for order/ })
    await qr.waitFor()
    const checkoutUrl = await page.locator('[data-checkout-url]').getAttribute('data-checkout-url')
    expect(checkoutUrl).toMatch(/\/api\/payments\/sandbox\/checkout\/pay_\w+\?k=\w+$/)
    await expectAccessible(page)
    await saveScreenshot(page, 'kiosk-pay')

    // The visitor's phone: another browser, no cookies of the kiosk, opens the QR's address and pays.
    const phone = await newPage(browser, { mobile: true, locale: 'en' })
    await phone.page.goto(checkoutUrl!)
    await phone.page.getByRole('button', { name: /^Pay/ }).first().click()
    await phone.page.waitForURL(/complete/)
    expect(await phone.page.textContent('body')).not.toContain('not_found')
    await phone.context.close()

    await expect
      .poll(() => page.getByTestId('print-heading').textContent(), { timeout: 20_000 })
      .toBe('Please take your tickets')
    // The shared print sheet, on the 80 mm roll: one ticket, its QR code, printed once.
    const sheet = page.getByTestId('ticket-print')
    expect(await sheet.getAttribute('data-paper')).toBe('thermal80')
    const printed = sheet.locator('article.ticket-print-page')
    expect(await printed.count()).toBe(1)
    const ticketId = await printed.getAttribute('data-ticket-id')
    await page.getByTestId(`print-qr-${ticketId}`).waitFor()
    expect(await printed.textContent()).toContain('Gate ticket — adult')
    expect(await page.evaluate(() => (window as unknown as { __prints: number }).__prints)).toBe(1)
    await expectAccessible(page)
    await saveScreenshot(page, 'kiosk-printed')

    // The heartbeat after printing tells the console about the sale and the paper used.
    await expect
      .poll(async () => {
        const { items } = await staff.json(`/api/admin/organizers/${organizerId}/kiosks`)
        const kiosk = items.find((k: { name: string }) => k.name === 'E2E kiosk')
        return kiosk && { status: kiosk.status, paper: kiosk.paperLevel, sold: Boolean(kiosk.lastSaleAt) }
      })
      .toEqual({ status: 'online', paper: 98, sold: true })
    const { items } = await staff.json(`/api/admin/organizers/${organizerId}/kiosks`)
    expect(items.find((k: { name: string }) => k.name === 'E2E kiosk').salesToday).toBe(1)

    await page.getByRole('button', { name: 'Done' }).tap()
    await page.getByRole('button', { name: '点击购票' }).waitFor()
    await context.close()
  })

  test('after a while untouched, the kiosk starts over: the hold is released and what was typed is gone', async () => {
    const { context, page } = await openKiosk(await kioskCode('E2E idle kiosk'), 15)
    await page.getByRole('button', { name: 'English' }).tap()
    await page.getByRole('button', { name: 'Touch to buy tickets' }).tap()
    await page.getByRole('button', { name: /Tomorrow/ }).tap()
    const product = page.getByTestId(`product-${adult}`)
    await product.getByRole('button', { name: /^Add one/ }).tap()
    await page.locator('.kiosk-slots button:not([disabled])').first().tap()
    await page.getByRole('button', { name: 'Next' }).tap()
    await tapKeys(page, 'visitor-name', 'WANG')
    // The warning comes first, then the reset; the start screen is in Chinese again.
    const dialog = page.getByRole('alertdialog', { name: 'Are you still there?' })
    await dialog.waitFor({ timeout: 20_000 })
    await expectAccessible(page)
    await page.getByRole('button', { name: '点击购票' }).waitFor({ timeout: 20_000 })
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')
    await page.getByRole('button', { name: '点击购票' }).tap()
    await page.getByRole('button', { name: /明天/ }).tap()
    await page.getByTestId(`product-${adult}`).waitFor()
    expect(await page.getByTestId(`product-${adult}`).locator('output').textContent()).toBe('0')
    await context.close()
  })

  test('the console lists kiosks with status, paper and open alerts (the demo kiosk is low on paper)', async () => {
    const { context, page } = await newPage(browser, { locale: 'zh-CN' })
    await signIn(page)
    await page.goto('/admin/kiosks')
    await page.getByRole('heading', { level: 1, name: '自助售票机' }).waitFor()
    const alerts = page.getByTestId('kiosk-alerts')
    await alerts.waitFor()
    expect(await alerts.textContent()).toContain('东门自助机：票纸不足（12%）')
    const row = page.getByRole('row').filter({ hasText: 'E2E kiosk' })
    expect(await row.textContent()).toContain('在线')
    expect(await row.textContent()).toContain('98%')
    await expectAccessible(page)
    await saveScreenshot(page, 'kiosk-console')
    await context.close()
  })
})
