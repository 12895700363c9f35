// The shop in a real browser against the real stack: home, seat map to QR ticket (with live updates seen by a
// second buyer) and refund. The scenic shop is in scenic.e2e.ts.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { adminOverHttp, gridShowOnSale } from '../support/admin-over-http.ts'
import { baseUrl, expectAccessible, launchBrowser, newPage, saveScreenshot } from './support/browser.ts'
import { expectQrCodesLoaded, payAtCheckout } from './support/shop.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

/** Tomorrow in China, as YYYY-MM-DD (the scenic calendar's days). */
const tomorrowInChina = () => new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10)

describe('home', () => {
  test('lists shows and scenic sites, filters by category, switches language, passes axe', async () => {
    const { context, page } = await newPage(browser, { mobile: true })
    await page.goto('/')
    await page.getByRole('heading', { level: 1, name: 'What’s on' }).waitFor()
    await page.getByTestId('show-list').getByText('Voyage Beyond').first().waitFor()
    await page.getByTestId('site-list').getByText('Misty Mountain Scenic Area').waitFor()
    await expectAccessible(page)
    await saveScreenshot(page, 'shop-home')

    await page.getByLabel('Category').selectOption('scenic')
    await page.getByTestId('show-list').waitFor({ state: 'detached' })
    await page.getByLabel('Category').selectOption('film')
    await page.getByTestId('site-list').waitFor({ state: 'detached' })
    await expect.poll(() => page.getByTestId('show-list').getByText('New Year Symphony').count()).toBe(0)
    await expect
      .poll(() => page.getByTestId('show-list').getByText('Voyage Beyond').count())
      .toBeGreaterThan(0)

    await page.getByTestId('language-switch').selectOption('zh-CN')
    await page.getByRole('heading', { level: 1, name: '近期演出与景区' }).waitFor()
    expect(await page.evaluate(() => localStorage.getItem('locale'))).toBe('zh-CN')
    // The organizer's Chinese name on Chinese pages, its English one only on English pages.
    await page.getByTestId('show-list').getByText('星际远航').first().waitFor()
    expect(await page.getByTestId('show-list').getByText('Voyage Beyond').count()).toBe(0)
    // So are places: the cinema hall by its Chinese name only.
    await expect
      .poll(() => page.getByTestId('show-list').getByText('星光影城 1号厅').count())
      .toBeGreaterThan(0)
    expect(await page.getByTestId('show-list').getByText('Starlight Cinema').count()).toBe(0)
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')
    await page.reload()
    await page.getByRole('heading', { level: 1, name: '近期演出与景区' }).waitFor()
    await context.close()
  })

  test('serves the admin and gate apps on their paths, including deep links', async () => {
    const { context, page } = await newPage(browser)
    await page.goto('/admin/venues/anything')
    await page.getByRole('heading', { level: 1, name: 'Admin console' }).waitFor()
    await expectAccessible(page)
    await page.goto('/gate')
    await page.getByRole('heading', { level: 1, name: 'Gate scanner' }).waitFor()
    await expectAccessible(page)
    await page.goto('/shows/shw_demo_film_1')
    await page.getByRole('heading', { level: 1, name: /Voyage Beyond/ }).waitFor()
    await context.close()
  })
})

describe('seats to a QR ticket, then a refund', () => {
  test('pick seats by mouse and keyboard, watch them go live elsewhere, pay, see QR codes, refund', async () => {
    const showPath = '/shows/shw_demo_film_2'
    const buyer = await newPage(browser, { mobile: true })
    const watcher = await newPage(browser)
    const { page } = buyer
    await page.goto(showPath)
    await watcher.page.goto(showPath)
    for (const p of [page, watcher.page])
      await p.locator('[data-testid="live-status"][data-live="true"]').waitFor()

    // Mouse (tap) picks the first free seat; the keyboard moves right and picks its neighbour.
    const firstId = await page
      .locator('[data-seat-id][data-state="free"]')
      .first()
      .getAttribute('data-seat-id')
    const first = page.locator(`[data-seat-id="${firstId}"]`)
    await first.click()
    await expect.poll(() => first.getAttribute('aria-checked')).toBe('true')
    expect(await first.getAttribute('aria-label')).toMatch(/^Row \w+, seat \d+, \w+, ¥[\d.,]+, selected/)
    await first.focus()
    await page.keyboard.press('ArrowRight')
    const focusedSeat = () => page.evaluate(() => document.activeElement?.getAttribute('data-seat-id'))
    await expect.poll(focusedSeat).not.toBe(firstId)
    const secondId = await focusedSeat()
    expect(secondId).toBeTruthy()
    await page.keyboard.press('Enter')
    const second = page.locator(`[data-seat-id="${secondId}"]`)
    await expect.poll(() => second.getAttribute('aria-checked')).toBe('true')
    await expectAccessible(page)
    await saveScreenshot(page, 'shop-show-seat-map')

    await page.getByRole('button', { name: 'Hold 2 seats' }).click()
    await page.waitForURL(/\/checkout$/)
    // The countdown stays visible through checkout.
    const countdown = async () => {
      const [, minutes, seconds] =
        /Held for (\d+):(\d\d)/.exec((await page.getByTestId('hold-countdown').textContent()) ?? '') ?? []
      return Number(minutes) * 60 + Number(seconds)
    }
    const firstReading = await countdown()
    expect(firstReading).toBeGreaterThan(60)
    await expect.poll(countdown, { timeout: 10_000 }).toBeLessThan(firstReading)
    expect(await page.getByTestId('checkout-items').locator('li').count()).toBe(2)
    // The other buyer's map turns both seats taken through the WebSocket, without a reload.
    for (const id of [firstId, secondId]) {
      await watcher.page.locator(`[data-seat-id="${id}"][data-state="held"]`).waitFor()
    }
    await expectAccessible(page)
    await saveScreenshot(page, 'shop-checkout')

    await payAtCheckout(page, 'seat-buyer@example.com')
    await expectQrCodesLoaded(page, 2)
    await page.getByTestId('hold-banner').waitFor({ state: 'detached' })
    await expectAccessible(page)
    await saveScreenshot(page, 'shop-order-tickets')
    await watcher.page.locator(`[data-seat-id="${firstId}"][data-state="sold"]`).waitFor()

    // Add to calendar gives an .ics file for the performance.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Add to calendar' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^ET\w+\.ics$/)

    // "My tickets" lists the order.
    await page.getByRole('link', { name: 'My tickets' }).first().click()
    await page.getByTestId('order-list').locator('li').first().waitFor()
    await expectAccessible(page)
    await saveScreenshot(page, 'shop-my-tickets')
    await page.getByTestId('order-list').getByRole('link').first().click()

    // Refund: the quote first, then the refund; tickets are revoked and the seats are free again elsewhere.
    await page.getByRole('button', { name: 'Refund', exact: true }).click()
    await expect
      .poll(() => page.getByTestId('refund-quote').textContent())
      .toMatch(/^Refund ¥[\d.,]+ \(fee ¥[\d.,]+\)$/)
    await page.getByRole('button', { name: 'Confirm refund' }).click()
    await page.locator('[data-testid="order-status"][data-status="refunded"]').waitFor()
    await expect.poll(() => page.locator('img.qr').count()).toBe(0)
    await watcher.page.locator(`[data-seat-id="${firstId}"][data-state="free"]`).waitFor()
    await saveScreenshot(page, 'shop-order-refunded')
    await buyer.context.close()
    await watcher.context.close()
  })

  test('rebooking moves paid tickets to another performance (改签)', async () => {
    const { context, page } = await newPage(browser)
    await page.goto('/shows/shw_demo_film_4')
    await page.locator('form').filter({ hasText: 'Find seats' }).getByLabel('Quantity').selectOption('1')
    await page.getByRole('button', { name: 'Find seats' }).click()
    await payAtCheckout(page, 'rebooker@example.com')
    const oldOrder = page.url()
    await page.getByRole('heading', { level: 2, name: 'Change to another performance' }).waitFor()
    await page.getByLabel('Performance', { exact: true }).selectOption('shw_demo_film_5')
    await page.getByRole('button', { name: 'Change my tickets' }).click()
    // Same price: nothing to pay, the new order is complete at once and the old ticket is revoked.
    await page.waitForURL((url) => url.pathname.startsWith('/orders/') && url.href !== oldOrder)
    await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor()
    await expectQrCodesLoaded(page, 1)
    await saveScreenshot(page, 'shop-order-rebooked')
    await page.goto(oldOrder)
    await page.locator('[data-ticket-status="revoked"]').waitFor()
    await context.close()
  })

  test('the concert hall map shows 2,030 seats with wheelchair places, zooms and pans', async () => {
    const { context, page } = await newPage(browser)
    await page.goto('/shows/shw_demo_symphony')
    const map = page.getByTestId('seat-map')
    await map.waitFor()
    expect(await map.locator('[data-seat-id]').count()).toBe(2030)
    expect(await map.locator('rect[data-seat-id]').count()).toBeGreaterThan(0)
    expect(await map.locator('rect[data-seat-id]').first().getAttribute('aria-label')).toContain(
      'wheelchair space',
    )
    const width = async () => Number((await map.getAttribute('viewBox'))!.split(' ')[2])
    const left = async () => Number((await map.getAttribute('viewBox'))!.split(' ')[0])
    const before = await width()
    await page.getByRole('button', { name: 'Zoom in' }).click()
    await expect.poll(width).toBeLessThan(before)
    const box = (await map.boundingBox())!
    const startLeft = await left()
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2, { steps: 6 })
    await page.mouse.up()
    await expect.poll(left).toBeLessThan(startLeft)
    // Real-name event: best available is offered, and ID numbers come at checkout, after the hold.
    await page.getByRole('button', { name: 'Find seats' }).waitFor()
    expect(await page.getByRole('button', { name: 'Find seats' }).isEnabled()).toBe(true)
    expect(await page.getByLabel(/^ID number/).count()).toBe(0)
    await saveScreenshot(page, 'shop-show-concert-hall')
    await context.close()
  })

  test('best available holds seats in the chosen zone', async () => {
    const { context, page } = await newPage(browser)
    await page.goto('/shows/shw_demo_film_3')
    await page.getByRole('heading', { level: 2, name: 'Best available' }).waitFor()
    await page.locator('form').filter({ hasText: 'Find seats' }).getByLabel('Quantity').selectOption('3')
    await page.getByRole('button', { name: 'Find seats' }).click()
    await page.waitForURL(/\/checkout$/)
    await expect.poll(() => page.getByTestId('checkout-items').locator('li').count()).toBe(3)
    await context.close()
  })
})

describe('an on-sale that takes holds only from signed-in buyers', () => {
  test('asks a guest to sign in with a code, then holds the seats they asked for', async () => {
    const admin = await adminOverHttp(baseUrl(), 'owner@demo.local', 'demo-password-2026')
    const showId = await gridShowOnSale(admin, {
      rows: 4,
      venueName: `Sign-in hall ${Date.now()}`,
      maxTicketsPerBuyer: 4,
      price: 28000,
    })
    await admin(`/shows/${showId}`, 'PATCH', { signInToHold: true })
    const email = `signin-${Date.now()}@example.com`
    const { context, page } = await newPage(browser)
    await page.goto(`/shows/${showId}`)
    await page.getByText('For this on-sale, buyers sign in before they hold seats.').waitFor()
    await page.getByRole('button', { name: 'Find seats' }).click()
    const prompt = page.getByTestId('sign-in-prompt')
    await prompt.getByRole('heading', { name: 'Sign in to hold seats' }).waitFor()
    await prompt.getByLabel('Email or phone').fill(email)
    await prompt.getByRole('button', { name: 'Send code' }).click()
    await prompt.getByText(`We sent a code to ${email}.`).waitFor()
    await expectAccessible(page)
    const mailbox = (await (
      await fetch(`${baseUrl()}/api/dev/mailbox?to=${encodeURIComponent(email)}`)
    ).json()) as {
      items: { subject: string; body: string }[]
    }
    const code = /\b(\d{6})\b/.exec(`${mailbox.items[0]!.subject} ${mailbox.items[0]!.body}`)![1]!
    await prompt.getByLabel('Code (6 digits)').fill(code)
    await prompt.getByRole('button', { name: 'Sign in and hold' }).click()
    await page.waitForURL(/\/checkout$/)
    await expect.poll(() => page.getByTestId('checkout-items').locator('li').count()).toBe(2)
    await context.close()
  })
})
