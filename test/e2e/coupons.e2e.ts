// Coupons in a real browser against the real stack. A buyer on a phone in Chinese picks a seat, types a promo code
// at checkout, sees the total drop before ordering, pays, and finds the coupon on the order's line. An organizer on
// a laptop in English creates a coupon in the console, first with a bad percentage (the error at its field).
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Client, expectAccessible, org, ownerClient, signIn } from './support/admin.ts'
import { launchBrowser, newPage, saveScreenshot } from './support/browser.ts'

let browser: Browser
let admin: Client
beforeAll(async () => {
  browser = await launchBrowser()
  admin = await ownerClient()
})
afterAll(async () => {
  await browser?.close()
})

describe('a coupon at checkout', () => {
  test('zh-CN phone: the code lowers the total live, the order charges it and shows it on the line', async () => {
    const code = `XMAS${Date.now().toString(36).toUpperCase()}`
    await admin.call(`${org}/coupons`, {
      body: {
        title: '满40减10',
        titleEn: '¥10 off ¥40',
        kind: 'amount_off',
        amountOff: 1000,
        minSpend: 4000,
        code,
      },
    })
    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    await page.goto('/shows/shw_demo_film_1')
    await page.locator('[data-testid="live-status"][data-live="true"]').waitFor()
    await page.locator('[data-seat-id][data-state="free"]').first().click()
    await page.getByRole('button', { name: '锁定 1 个座位' }).click()
    await page.waitForURL(/\/checkout$/)
    const totalText = () => page.getByTestId('checkout-total').textContent()
    const before = await totalText()
    const yuan = (text: string | null) => Number((text ?? '').replace(/[^\d.]/g, ''))
    expect(yuan(before)).toBeGreaterThanOrEqual(40)

    // A wrong code first: said in Chinese, the total unchanged.
    await page.getByLabel('优惠券或优惠码').fill('NOPE-0000')
    await page.getByRole('button', { name: '使用', exact: true }).click()
    await expect
      .poll(() => page.locator('[data-code="coupon_invalid"]').textContent())
      .toContain('优惠码不存在，请检查后重试。')
    expect(await totalText()).toBe(before)

    // The right code, typed in lower case with a dash: ¥10 off, live.
    await page
      .getByLabel('优惠券或优惠码')
      .fill(`${code.slice(0, 4).toLowerCase()}-${code.slice(4).toLowerCase()}`)
    await page.getByRole('button', { name: '使用', exact: true }).click()
    await page.getByTestId('checkout-coupon-discount').waitFor()
    expect(await page.getByTestId('checkout-coupon-discount').textContent()).toBe('−¥10')
    expect(yuan(await totalText())).toBe(yuan(before) - 10)
    const box = (await page.getByTestId('coupon-applied').boundingBox())!
    expect(box.x + box.width).toBeLessThanOrEqual(390)
    await expectAccessible(page)
    await saveScreenshot(page, 'coupons-checkout-zh')

    await page.getByLabel('邮箱').fill('coupon-buyer@example.com')
    const pay = page.getByRole('button', { name: /^支付 ¥/ })
    expect(yuan(await pay.textContent())).toBe(yuan(before) - 10)
    await pay.click()
    await page.waitForURL(/\/api\/payments\/sandbox\/checkout\//)
    await page.getByRole('button', { name: /^(Pay|支付) ¥/ }).click()
    await page.getByTestId('back-to-order').click()
    await page.waitForURL(/\/orders\/ord_/)
    await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor()
    expect(await page.getByTestId('order-line-coupon').textContent()).toBe(' 优惠券 −¥10')
    expect(await page.getByTestId('order-coupon-discount').textContent()).toBe('−¥10')
    await saveScreenshot(page, 'coupons-order-zh')

    // The organizer's counters show the use.
    const list = await admin.call<{ items: { code: string | null; counters: { used: number } }[] }>(
      `${org}/coupons`,
    )
    expect(list.items.find((c) => c.code === code)?.counters.used).toBe(1)
    await context.close()
  })
})

describe('the console', () => {
  test('en laptop: a bad percentage is refused at its field, then the coupon is created and listed', async () => {
    const { context, page } = await newPage(browser, { locale: 'en', viewport: { width: 1366, height: 900 } })
    await signIn(page)
    await page.goto('/admin/coupons')
    await page.getByRole('heading', { level: 1, name: 'Coupons' }).waitFor()
    const title = `Spring ${Date.now().toString(36)}`
    await page.getByLabel('Title').fill(title)
    await page.getByLabel('Kind').selectOption('percent_off')
    await page.getByLabel('Percent off (1–100)').fill('150')
    await page.getByRole('button', { name: 'Create' }).click()
    const percentField = page.locator('.field').filter({ has: page.getByLabel('Percent off (1–100)') })
    await percentField.locator('.field-error').waitFor()
    expect(await percentField.locator('.field-error').textContent()).toBe('A whole percentage from 1 to 100.')
    expect(await page.getByLabel('Percent off (1–100)').getAttribute('aria-invalid')).toBe('true')

    await page.getByLabel('Percent off (1–100)').fill('15')
    await page.getByLabel('At most (yuan)').fill('30')
    await page.getByLabel('Uses in all').fill('100')
    await page.getByRole('button', { name: 'Create' }).click()
    await page.getByRole('status').filter({ hasText: 'Coupon created.' }).waitFor()
    const row = page.locator('tr').filter({ hasText: title })
    await row.waitFor()
    expect(await row.locator('td').nth(1).textContent()).toBe('15% off, up to ¥30')
    await row.getByRole('button', { name: 'Generate' }).click()
    await page.getByRole('status').filter({ hasText: '100 codes generated.' }).waitFor()
    await row.getByRole('link', { name: 'Download 100 codes (CSV)' }).waitFor()
    await expectAccessible(page)
    await saveScreenshot(page, 'coupons-console-en')
    await context.close()
  })
})
