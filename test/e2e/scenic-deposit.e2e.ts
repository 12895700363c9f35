// 定金 for a scenic day in a real browser against the real stack: the organizer sells a ¥100 ticket with a ¥20
// deposit (balance due the day before the visit). A buyer on a 390 px phone in Chinese sees the deposit beside the
// price on the chosen day, chooses it at checkout, pays ¥20, and the order page keeps the day's place without a
// ticket until the ¥80 balance is paid; paying it issues the ticket.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Client, org, ownerClient } from './support/admin.ts'
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

const dayInChina = (ahead: number) =>
  new Date(Date.now() + 8 * 3600_000 + ahead * 86_400_000).toISOString().slice(0, 10)

describe('shop: a scenic day bought with a deposit', () => {
  test('zh-CN phone: deposit beside the price, ¥20 at checkout, place kept, balance ¥80, then the ticket', async () => {
    const site = await admin.call<{ id: string }>(`${org}/scenic-sites`, {
      body: { name: '定金山', city: '黄山', dailyCapacity: 50, timeSlots: [] },
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
    await admin.call(`${org}/visit-products/${product.id}/deposit`, {
      method: 'PUT',
      body: {
        deposit: {
          amount: 2000,
          balanceOpensDaysBefore: 30,
          balanceDueDaysBefore: 1,
          reminderLeadMinutes: 60,
          forfeit: 'keep',
        },
      },
    })
    const visit = dayInChina(5)
    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    await page.goto(`/scenic/${site.id}`)
    if (visit.slice(0, 7) !== dayInChina(0).slice(0, 7))
      await page.getByRole('button', { name: /Next month|下个月/ }).click()
    const cell = page.locator(`[data-date="${visit}"]`)
    await cell.getByTestId('day-price').waitFor()
    await cell.click()
    const row = page.locator(`[data-product-id="${product.id}"]`)
    await row.waitFor()
    const note = row.getByTestId('scenic-deposit-note')
    expect(await note.textContent()).toMatch(/^定金预售：每张付定金 ¥20 即可锁定名额，尾款须在 .+ 前付清$/)
    expect(await scrollsSideways(page)).toBe(false)
    await row.getByRole('button', { name: '增加一张门票' }).click()
    await page.getByRole('button', { name: '预订 1 张票' }).click()
    await page.waitForURL(/\/checkout$/)
    expect(await page.getByTestId('checkout-total').textContent()).toBe('¥100')
    const choice = page.getByTestId('deposit-choice')
    expect(await choice.textContent()).toContain('全款支付 ¥100')
    await choice.getByText(/^先付定金 ¥20，尾款 ¥80 于 .+ 至 .+ 支付$/).click()
    expect(await page.getByTestId('checkout-deposit').textContent()).toBe('¥20')
    expect(await page.getByTestId('checkout-balance').textContent()).toBe('¥80')
    await page.getByLabel('邮箱').fill('scenic-deposit@example.com')
    expect(await scrollsSideways(page)).toBe(false)
    await saveScreenshot(page, 'scenic-deposit-checkout')
    await page.getByRole('button', { name: '支付定金 ¥20' }).click()
    await page.waitForURL(/\/api\/payments\/sandbox\/checkout\//)
    await page.getByRole('button', { name: /^(Pay|支付) ¥20/ }).click()
    await page.getByTestId('back-to-order').click()
    await page.waitForURL(/\/orders\/ord_/)

    await page.locator('[data-testid="order-status"][data-status="deposit_paid"]').waitFor()
    const step = page.getByTestId('balance-step')
    expect(await step.getByTestId('balance-amount').textContent()).toBe('待付尾款：¥80')
    expect(await step.textContent()).toContain('当日名额已为您保留，付清尾款后出票。')
    expect(await page.getByTestId('order-prices').getByRole('heading').textContent()).toBe('门票与票价')
    expect(await page.getByTestId('ticket').count()).toBe(0)
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'scenic-deposit-order')

    await step.getByRole('button', { name: '支付尾款 ¥80' }).click()
    await page.waitForURL(/\/api\/payments\/sandbox\/checkout\//)
    await page.getByRole('button', { name: /^(Pay|支付) ¥80/ }).click()
    await page.getByTestId('back-to-order').click()
    await page.waitForURL(/\/orders\/ord_/)
    await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor()
    expect(await page.getByTestId('balance-step').textContent()).toContain('已付定金 ¥20 与尾款 ¥80。')
    await expect.poll(() => page.getByTestId('ticket').count(), { timeout: 30_000 }).toBe(1)
    await context.close()
  })
})
