// 定金 deposit presale in a real browser against the real stack with the demo data: the concert's VIP seats sell
// with a ¥200 deposit. A buyer on a phone in Chinese sees the offer on the show page, chooses the deposit at
// checkout (deposit and balance shown), pays ¥200, and the order page shows the balance step: what is left, its
// window, a countdown to the due time and the Pay balance button; paying it issues the ticket.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  expectAccessible,
  launchBrowser,
  newPage,
  saveScreenshot,
  scrollsSideways,
} from './support/browser.ts'
import { idNumberFor } from './support/shop.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('deposit presale on a phone', () => {
  test('choose the deposit, pay ¥200, see the balance step, then pay the balance and get the ticket', async () => {
    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    await page.goto('/shows/shw_demo_symphony')
    // The header says the show sells with a deposit; the terms sit beside where seats are picked.
    await page.getByTestId('deposit-badge').waitFor()
    expect(await page.getByTestId('deposit-badge').textContent()).toBe('定金预售')
    const offer = page.getByTestId('deposit-offer')
    await offer.waitFor()
    expect(await offer.getByRole('heading').textContent()).toContain('定金预售')
    expect(await offer.textContent()).toContain('每张先付定金 ¥200，尾款于')
    expect(await offer.textContent()).toContain('逾期未付尾款，座位将重新开售，定金不退。')
    const box = (await offer.boundingBox())!
    expect(box.x + box.width).toBeLessThanOrEqual(390)

    const best = page.locator('form').filter({ hasText: '自动选座' })
    await best.getByLabel('类别').selectOption('VIP')
    await best.getByLabel('数量').selectOption('1')
    await page.getByRole('button', { name: '自动选座' }).click()
    await page.waitForURL(/\/checkout$/)
    await expect.poll(() => page.getByTestId('checkout-items').locator('li').count()).toBe(1)
    expect(await page.getByTestId('checkout-total').textContent()).toBe('¥1,280')
    const choice = page.getByTestId('deposit-choice')
    expect(await choice.textContent()).toContain('全款支付 ¥1,280')
    await choice.getByText(/^先付定金 ¥200，尾款 ¥1,080 于 .+ 至 .+ 支付$/).click()
    expect(await page.getByTestId('checkout-deposit').textContent()).toBe('¥200')
    expect(await page.getByTestId('checkout-balance').textContent()).toBe('¥1,080')
    await page.getByLabel('姓名').fill('韩梅梅')
    await page.getByLabel(/^身份证号/).fill(idNumberFor('19900202', 611))
    await page.getByLabel('邮箱').fill('deposit-buyer@example.com')
    expect(await scrollsSideways(page)).toBe(false)
    await saveScreenshot(page, 'deposit-checkout')
    await page.getByRole('button', { name: '支付定金 ¥200' }).click()
    await page.waitForURL(/\/api\/payments\/sandbox\/checkout\//)
    await page.getByRole('button', { name: /^(Pay|支付) ¥200/ }).click()
    await page.getByTestId('back-to-order').click()
    await page.waitForURL(/\/orders\/ord_/)

    await page.locator('[data-testid="order-status"][data-status="deposit_paid"]').waitFor()
    expect(await page.getByTestId('order-status').textContent()).toBe('已付定金')
    const step = page.getByTestId('balance-step')
    expect(await step.getByRole('heading').textContent()).toBe('尾款')
    expect(await step.textContent()).toContain('已付定金：¥200')
    expect(await step.getByTestId('balance-amount').textContent()).toBe('待付尾款：¥1,080')
    expect(await step.getByTestId('balance-window').textContent()).toMatch(/^支付时间：.+ 至 .+$/)
    const countdown = () => step.getByTestId('balance-countdown').textContent()
    const first = await countdown()
    expect(first).toMatch(/^距截止 \d+天 \d\d:\d\d:\d\d$/)
    await expect.poll(countdown, { timeout: 10_000 }).not.toBe(first)
    expect(await step.textContent()).toContain('座位已为您锁定，付清尾款后出票。')
    // The lines are prices, not what was paid; no ticket before the balance.
    expect(await page.getByTestId('order-prices').getByRole('heading').textContent()).toBe('座位与票价')
    expect(await page.getByTestId('ticket').count()).toBe(0)
    const payBalance = step.getByRole('button', { name: '支付尾款 ¥1,080' })
    expect(await payBalance.isEnabled()).toBe(true)
    const button = (await payBalance.boundingBox())!
    expect(button.x + button.width).toBeLessThanOrEqual(390)
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'deposit-order-balance-step')

    await payBalance.click()
    await page.waitForURL(/\/api\/payments\/sandbox\/checkout\//)
    await page.getByRole('button', { name: /^(Pay|支付) ¥1,080/ }).click()
    await page.getByTestId('back-to-order').click()
    await page.waitForURL(/\/orders\/ord_/)
    await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor()
    expect(await page.getByTestId('balance-step').textContent()).toContain('已付定金 ¥200 与尾款 ¥1,080。')
    expect(await page.getByTestId('order-prices').getByRole('heading').textContent()).toBe('实付明细')
    await expect.poll(() => page.getByTestId('ticket').count(), { timeout: 30_000 }).toBe(1)
    await saveScreenshot(page, 'deposit-order-paid')
    await context.close()
  })
})
