// Scenic date prices in a real browser against the real stack (issue 20): a buyer on a 390 px phone in Chinese
// sees a holiday's price in the calendar and pays it; an organizer on a laptop saves a single-date price in the
// site's price calendar, has a bad price named at its field first, and sees the saved price in the month view.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Client, org, ownerClient, signIn } from './support/admin.ts'
import {
  expectAccessible,
  launchBrowser,
  newPage,
  saveScreenshot,
  scrollsSideways,
} from './support/browser.ts'

let browser: Browser
let admin: Client
beforeAll(async () => {
  browser = await launchBrowser()
  admin = await ownerClient()
})
afterAll(async () => {
  await browser?.close()
})

/** A day in China (the sites' zone) `ahead` days from today, as YYYY-MM-DD. */
const dayInChina = (ahead: number) =>
  new Date(Date.now() + 8 * 3600_000 + ahead * 86_400_000).toISOString().slice(0, 10)

/** A site of its own (the demo site's prices stay as other tests expect them) with one ¥100 gate ticket. */
async function siteWithGateTicket(name: string) {
  const site = await admin.call<{ id: string }>(`${org}/scenic-sites`, {
    body: {
      name,
      city: '黄山',
      dailyCapacity: 300,
      timeSlots: [],
    },
  })
  const product = await admin.call<{ id: string }>(`${org}/visit-products`, {
    body: {
      siteId: site.id,
      name: '门票',
      kind: 'entry',
      ticketType: 'adult',
      price: 10000,
      timed: false,
      realNameRequired: false,
      maxPerIdPerDay: 0,
    },
  })
  return { siteId: site.id, productId: product.id }
}

/** Opens the shop's site page on the month of `date`, that day's cell loaded. */
async function openShopOn(page: Page, siteId: string, date: string) {
  await page.goto(`/scenic/${siteId}`)
  if (date.slice(0, 7) !== dayInChina(0).slice(0, 7))
    await page.getByRole('button', { name: /Next month|下个月/ }).click()
  await page.locator(`[data-date="${date}"] [data-testid="day-price"]`).waitFor()
}

describe('shop: a holiday price', () => {
  test('zh-CN phone: the calendar shows the holiday’s price, the ticket carries its label, the buyer pays it', async () => {
    const { siteId, productId } = await siteWithGateTicket('价格山')
    const holiday = dayInChina(3)
    await admin.call(`${org}/visit-products/${productId}/pricing`, {
      method: 'PUT',
      body: { dates: [{ date: holiday, price: 16800, label: '国庆' }], tiers: [] },
    })
    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    await openShopOn(page, siteId, holiday)
    const cell = page.locator(`[data-date="${holiday}"]`)
    expect(await cell.getByTestId('day-price').textContent()).toBe('¥168起')
    expect(await cell.getAttribute('class')).toContain('calendar-day-special')
    // The day before keeps the base price, unmarked.
    const before = page.locator(`[data-date="${dayInChina(2)}"]`)
    if (await before.count()) {
      expect(await before.getByTestId('day-price').textContent()).toBe('¥100起')
      expect(await before.getAttribute('class')).not.toContain('calendar-day-special')
    }
    // The price fits its cell at 390 px.
    expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true)

    await cell.click()
    const row = page.locator(`[data-product-id="${productId}"]`)
    await row.waitFor()
    expect(await row.getByTestId('price-date-label').textContent()).toBe('国庆')
    expect(await row.getByTestId('price-current').textContent()).toBe('¥168')
    await row.getByRole('button', { name: '增加一张门票' }).click()
    expect(await page.getByTestId('scenic-total').textContent()).toContain('¥168')
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'scenic-holiday-price-zh')

    await page.getByRole('button', { name: '预订 1 张票' }).click()
    await page.waitForURL(/\/checkout$/)
    expect(await page.getByTestId('checkout-total').textContent()).toBe('¥168')
    await page.getByLabel('邮箱').fill('holiday@example.com')
    await page.getByRole('button', { name: '支付 ¥168' }).click()
    await page.waitForURL(/\/api\/payments\/sandbox\/checkout\//)
    await page.getByRole('button', { name: /^(Pay|支付) ¥168/ }).click()
    await page.getByTestId('back-to-order').click()
    await page.waitForURL(/\/orders\/ord_/)
    await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor()
    expect(await page.locator('main').textContent()).toContain('¥168')
    await context.close()
  })
})

describe('shop: an early-bird tier', () => {
  test('zh-CN phone: days booked 7+ days ahead show 早鸟 and the tier price, the list price struck', async () => {
    const { siteId, productId } = await siteWithGateTicket('早鸟山')
    await admin.call(`${org}/visit-products/${productId}/pricing`, {
      method: 'PUT',
      body: { dates: [], tiers: [{ label: '早鸟', price: 8000, minDaysAhead: 7 }] },
    })
    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    const early = dayInChina(10)
    await openShopOn(page, siteId, early)
    const cell = page.locator(`[data-date="${early}"]`)
    expect(await cell.getByTestId('day-price').textContent()).toBe('¥80起')
    expect(await cell.getByTestId('day-tier').textContent()).toBe('早鸟')
    expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true)
    // Six days ahead is too late for the early bird.
    const late = page.locator(`[data-date="${dayInChina(6)}"]`)
    if (await late.count()) {
      expect(await late.getByTestId('day-price').textContent()).toBe('¥100起')
      expect(await late.getByTestId('day-tier').count()).toBe(0)
    }
    await cell.click()
    const row = page.locator(`[data-product-id="${productId}"]`)
    await row.waitFor()
    expect(await row.getByTestId('price-tier').textContent()).toBe('早鸟')
    expect(await row.getByTestId('price-current').textContent()).toBe('¥80')
    expect(await row.getByTestId('price-list').textContent()).toBe('¥100')
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'scenic-early-bird-zh')
    await context.close()
  })
})

describe('console: the price calendar', () => {
  test('1366 px, English: a bad price is named at its field, a single-date price saves and shows in the month view', async () => {
    const { siteId, productId } = await siteWithGateTicket('Price Peak')
    const date = dayInChina(10)
    const { context, page } = await newPage(browser, { locale: 'en' })
    await page.setViewportSize({ width: 1366, height: 900 })
    await signIn(page)
    await page.goto(`/admin/scenic/${siteId}`)
    await page.getByRole('tab', { name: 'Prices' }).click()
    const editor = page.getByTestId('price-rules')
    await editor.getByText('Base price ¥100').waitFor()
    await editor.getByRole('button', { name: 'Add a date price' }).click()
    const rule = editor.getByTestId('price-rule')
    await rule.getByLabel('Applies to').selectOption('date')
    await rule.getByLabel('Date', { exact: true }).fill(date)
    await rule.getByLabel('Price (¥)').fill('-5')
    await rule.getByLabel('Label buyers see').fill('Festival')
    await editor.getByRole('button', { name: 'Save prices' }).click()
    const priceField = rule.locator('.field').filter({ has: page.getByLabel('Price (¥)') })
    await expect
      .poll(() => priceField.locator('.field-error').textContent())
      .toBe('Give a positive amount in yuan (at most 2 decimals).')
    expect(await rule.getByLabel('Price (¥)').getAttribute('aria-invalid')).toBe('true')
    const unsaved = await admin.call<{ dates: unknown[] }>(`${org}/visit-products/${productId}/pricing`)
    expect(unsaved.dates).toEqual([])

    await rule.getByLabel('Price (¥)').fill('158')
    await editor.getByRole('button', { name: 'Save prices' }).click()
    await editor.getByTestId('notice').waitFor()
    expect(await editor.getByTestId('notice').textContent()).toBe(
      'Prices saved: the calendar and new holds use them now.',
    )
    const saved = await admin.call<{ dates: { date: string; price: number }[] }>(
      `${org}/visit-products/${productId}/pricing`,
    )
    expect(saved.dates).toEqual([expect.objectContaining({ date, price: 15800, label: 'Festival' })])

    const month = page.getByTestId('price-month')
    if (date.slice(0, 7) !== dayInChina(0).slice(0, 7))
      await month.getByRole('button', { name: 'Next month' }).click()
    const day = month.locator(`[data-date="${date}"]`)
    expect(await day.getByTestId('price-month-price').textContent()).toBe('¥158')
    expect(await day.textContent()).toContain('Festival')
    expect(await day.getAttribute('class')).toContain('price-month-day-ruled')
    const plain = month.locator(`[data-date="${date.slice(0, 8)}${date.slice(8) === '01' ? '02' : '01'}"]`)
    expect(await plain.getByTestId('price-month-price').textContent()).toBe('¥100')
    // The day's box is readable at a laptop's width.
    const box = await day.boundingBox()
    expect(box!.width).toBeGreaterThanOrEqual(40)
    await expectAccessible(page)
    await saveScreenshot(page, 'admin-scenic-price-calendar-en')
    await context.close()
  })
})
