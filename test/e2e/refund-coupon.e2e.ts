// Refund as coupon (优惠券补偿) in a real browser against the real stack. The organizer offers a ¥30 coupon instead
// of the refund fee on an event; a signed-in buyer on a phone in Chinese pays for a seat, opens the refund, sees the
// coupon offered beside the cash refund, takes it, and finds it among "my coupons" at the next checkout.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Client, org, ownerClient, signIn } from './support/admin.ts'
import { baseUrl, expectAccessible, launchBrowser, newPage, saveScreenshot } from './support/browser.ts'

let browser: Browser
let admin: Client
beforeAll(async () => {
  browser = await launchBrowser()
  admin = await ownerClient()
})
afterAll(async () => {
  await browser?.close()
})

/** A show of a new event whose refunds always deduct a 20% fee, with the coupon offered instead of the fee. */
async function showWithRefundCoupon(couponTitle: string) {
  const stamp = Date.now().toString(36)
  const venue = await admin.call(`${org}/venues`, {
    body: { name: `补偿厅 ${stamp}`, kind: 'concert_hall', city: '上海', cityEn: 'Shanghai' },
  })
  await admin.call(`${org}/venues/${venue.id}/seat-map`, {
    method: 'PUT',
    body: {
      stage: { x: 100, y: 0 },
      categories: [{ code: 'A', name: 'A', color: '#aa3333' }],
      sections: [
        {
          name: 'Floor',
          rows: [
            {
              label: 'R1',
              category: 'A',
              seats: Array.from({ length: 10 }, (_, s) => ({ number: String(s + 1), x: s * 20, y: 40 })),
            },
          ],
        },
      ],
    },
  })
  const event = await admin.call(`${org}/events`, {
    body: { name: `退票补偿音乐会 ${stamp}`, kind: 'concert', status: 'published', maxTicketsPerBuyer: 4 },
  })
  const now = Date.now()
  const show = await admin.call(`${org}/shows`, {
    body: {
      eventId: event.id,
      venueId: venue.id,
      startsAt: new Date(now + 20 * 86_400_000).toISOString(),
      saleStartsAt: new Date(now - 3_600_000).toISOString(),
      saleEndsAt: new Date(now + 19 * 86_400_000).toISOString(),
      prices: { A: 10000 },
      refundTiers: [{ minHoursBefore: 0, feePercent: 20 }],
    },
  })
  const coupon = await admin.call(`${org}/coupons`, {
    body: { title: couponTitle, kind: 'amount_off', amountOff: 3000, minSpend: 10000 },
  })
  await admin.call(`${org}/events/${event.id}/refund-compensation`, {
    method: 'PUT',
    body: { compensation: { couponId: coupon.id, mode: 'instead_of_fee' } },
  })
  return { showId: show.id as string, eventId: event.id as string, couponId: coupon.id as string }
}

/** Signs the browser's customer in with a one-time code from the dev mailbox. */
async function signInCustomer(page: Page, email: string) {
  const headers = { origin: baseUrl() }
  await page.request.post('/api/customer/auth/code', { data: { contact: email }, headers })
  const mailbox = (await (
    await fetch(`${baseUrl()}/api/dev/mailbox?to=${encodeURIComponent(email)}`)
  ).json()) as { items: { subject: string; body: string }[] }
  const code = /\b(\d{6})\b/.exec(`${mailbox.items[0]!.subject} ${mailbox.items[0]!.body}`)![1]!
  const verified = await page.request.post('/api/customer/auth/verify', {
    data: { contact: email, code },
    headers,
  })
  expect(verified.ok()).toBe(true)
}

async function holdFirstFreeSeat(page: Page, showId: string) {
  await page.goto(`/shows/${showId}`)
  await page.locator('[data-testid="live-status"][data-live="true"]').waitFor()
  await page.locator('[data-seat-id][data-state="free"]').first().click()
  await page.getByRole('button', { name: '锁定 1 个座位' }).click()
  await page.waitForURL(/\/checkout$/)
}

describe('refund as coupon', () => {
  test('zh-CN phone: the refund offers the coupon for the fee; taken, it is in my coupons at checkout', async () => {
    const couponTitle = `退票补偿券 ${Date.now().toString(36)}`
    const { showId } = await showWithRefundCoupon(couponTitle)
    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    const email = `refund-coupon-${Date.now()}@example.com`
    await page.goto('/')
    await signInCustomer(page, email)

    await holdFirstFreeSeat(page, showId)
    const emailField = page.getByLabel('邮箱')
    if (!(await emailField.inputValue())) await emailField.fill(email)
    await page.getByRole('button', { name: /^支付 ¥/ }).click()
    await page.waitForURL(/\/api\/payments\/sandbox\/checkout\//)
    await page.getByRole('button', { name: /^(Pay|支付) ¥/ }).click()
    await page.getByTestId('back-to-order').click()
    await page.waitForURL(/\/orders\/ord_/)
    await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor()

    // The refund: ¥80 back (¥20 fee), and the coupon offered for the fee.
    await page.locator('#refund-heading').locator('..').getByRole('button', { name: '退票' }).click()
    const offer = page.getByTestId('refund-compensation')
    await offer.waitFor()
    expect(await page.getByTestId('refund-quote').textContent()).toBe('退款 ¥80（手续费 ¥20）')
    expect(await offer.locator('p').textContent()).toBe(
      `主办方为 ¥20 手续费提供补偿券：${couponTitle}（满 ¥100 减 ¥30）。`,
    )
    const take = offer.getByLabel('退款 ¥80 并领取优惠券')
    const only = offer.getByLabel('仅退款 ¥80')
    expect(await take.isChecked()).toBe(true)
    await only.check()
    await take.check()
    const box = (await offer.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(390)
    await expectAccessible(page)
    await saveScreenshot(page, 'refund-coupon-offer-zh')

    await page.getByRole('button', { name: '确认退票' }).click()
    await page.locator('[data-testid="order-status"][data-status="refunded"]').waitFor()
    await page
      .getByRole('status')
      .filter({ hasText: '已退款 ¥80。 优惠券已放入“我的优惠券”，下次购票可用。' })
      .waitFor()

    // The next checkout lists it under my coupons; tapped, it takes ¥30 off the ¥100 seat.
    await holdFirstFreeSeat(page, showId)
    const mine = page.getByTestId('my-coupons')
    await mine.getByRole('button', { name: couponTitle }).waitFor({ timeout: 30_000 })
    await mine.getByRole('button', { name: couponTitle }).click()
    await page.getByTestId('checkout-coupon-discount').waitFor()
    expect(await page.getByTestId('checkout-coupon-discount').textContent()).toBe('−¥30')
    await saveScreenshot(page, 'refund-coupon-my-coupons-zh')
    await context.close()
  })
})

describe('the console', () => {
  test('en laptop: the event page sets the refund coupon and its mode, and turns it off', async () => {
    const couponTitle = `Refund voucher ${Date.now().toString(36)}`
    const { eventId, couponId } = await showWithRefundCoupon(couponTitle)
    const path = `${org}/events/${eventId}/refund-compensation`
    const { context, page } = await newPage(browser, { locale: 'en', viewport: { width: 1366, height: 900 } })
    await signIn(page)
    await page.goto(`/admin/events/${eventId}`)
    const form = page.getByTestId('refund-compensation')
    await form.getByRole('heading', { name: 'Refund as coupon' }).waitFor()
    const select = form.getByLabel('Coupon')
    await expect.poll(() => select.inputValue()).toBe(couponId)
    expect(await form.getByLabel('Instead of the fee: offered when a refund deducts a fee').isChecked()).toBe(
      true,
    )
    await form.getByLabel('On top: offered with every refund').check()
    await form.getByRole('button', { name: 'Save' }).click()
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
    expect(await admin.call(path)).toEqual({ compensation: { couponId, mode: 'on_top' } })
    await expectAccessible(page)
    await saveScreenshot(page, 'refund-coupon-console-en')

    await select.selectOption('')
    expect(await form.getByLabel('On top: offered with every refund').count()).toBe(0)
    await form.getByRole('button', { name: 'Save' }).click()
    await expect.poll(async () => (await admin.call(path)).compensation).toBeNull()
    await context.close()
  })
})
