// Prices that move, in a real browser against the real stack: an organizer gives a show an early-bird tier (API);
// a buyer on a phone in Chinese sees the early-bird price, the struck list price and the countdown, buys, and the
// checkout, the order and the ticket show what was paid. Then an organizer on a laptop in English sets a
// schedule in the console: a bad price is refused at its field with nothing saved, a good one saves, and the
// preview tells what a buyer pays on two dates.
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

const day = 86_400_000
/** An instant as a datetime-local value in China time (what the console's inputs take). */
const chinaLocal = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16)

/** A published show on sale now at ¥480 in one zone of 2 rows x 10 seats named 内场 (no Latin code shown). */
async function showOnSale(name: string): Promise<string> {
  const venue = await admin.call(`${org}/venues`, {
    body: { name: `${name} 场馆`, kind: 'concert_hall', city: '上海' },
  })
  await admin.call(`${org}/venues/${venue.id}/seat-map`, {
    method: 'PUT',
    body: {
      stage: { x: 100, y: -50 },
      categories: [{ code: 'A', name: '内场', color: '#aa3333' }],
      sections: [
        {
          name: '池座',
          rows: ['1', '2'].map((label, r) => ({
            label,
            category: 'A',
            seats: Array.from({ length: 10 }, (_, s) => ({ number: String(s + 1), x: s * 20, y: r * 25 })),
          })),
        },
      ],
    },
  })
  const event = await admin.call(`${org}/events`, {
    body: { name, kind: 'concert', status: 'published', maxTicketsPerBuyer: 4 },
  })
  const now = Date.now()
  const show = await admin.call(`${org}/shows`, {
    body: {
      eventId: event.id,
      venueId: venue.id,
      startsAt: new Date(now + 40 * day).toISOString(),
      saleStartsAt: new Date(now - 3_600_000).toISOString(),
      saleEndsAt: new Date(now + 39 * day).toISOString(),
      prices: { A: 48000 },
    },
  })
  return show.id as string
}

describe('early-bird price, bought and shown as paid', () => {
  test('a buyer on a phone in Chinese sees 早鸟 ¥380 over ¥480 with its countdown, pays ¥380', async () => {
    const showId = await showOnSale('早鸟测试音乐会')
    const endsAt = new Date(Date.now() + 9 * day + 5 * 3_600_000).toISOString()
    await admin.call(`${org}/shows/${showId}/pricing`, {
      method: 'PUT',
      body: {
        schedules: [{ category: 'A', tiers: [{ label: '早鸟', price: 38000, endsAt, quantity: 15 }] }],
        flashSales: [],
      },
    })

    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    await page.goto(`/shows/${showId}`)
    const price = page.getByTestId('category-price').first()
    await price.waitFor()
    expect(await price.getByTestId('price-tier').textContent()).toBe('早鸟')
    expect(await price.getByTestId('price-current').textContent()).toBe('¥380')
    expect(await price.getByTestId('price-list').textContent()).toBe('¥480')
    expect(await price.locator('s').evaluate((s) => getComputedStyle(s).textDecorationLine)).toBe(
      'line-through',
    )
    expect(await price.getByTestId('price-units-left').textContent()).toBe('此价格剩余 15 张')
    // The countdown reads 9 days and some hours, and runs.
    const countdown = () => price.getByTestId('price-countdown').textContent()
    const first = await countdown()
    expect(first).toMatch(/^距结束 9天 0[45]:\d\d:\d\d$/)
    await expect.poll(countdown, { timeout: 10_000 }).not.toBe(first)
    // The seat map's legend and the best-available choice say the early-bird price too.
    expect(await page.getByTestId('price-legend').textContent()).toContain('内场 ¥380')
    await expect.poll(() => page.getByTestId('price-legend').locator('s').textContent()).toContain('¥480')
    // Fits the phone: the price line is not wider than the screen.
    const box = (await price.boundingBox())!
    expect(box.x + box.width).toBeLessThanOrEqual(390)
    await expectAccessible(page)
    await saveScreenshot(page, 'pricing-show-early-bird')

    await page.locator('form').filter({ hasText: '自动选座' }).getByLabel('数量').selectOption('2')
    await page.getByRole('button', { name: '自动选座' }).click()
    await page.waitForURL(/\/checkout$/)
    const items = page.getByTestId('checkout-items').locator('li')
    await expect.poll(() => items.count()).toBe(2)
    for (const item of await items.all()) {
      expect(await item.textContent()).toContain('早鸟')
      expect(await item.getByTestId('price-current').textContent()).toBe('¥380')
      expect(await item.getByTestId('price-list').textContent()).toBe('¥480')
    }
    expect(await page.getByTestId('checkout-discount').textContent()).toBe('−¥200')
    expect(await page.getByTestId('checkout-total').textContent()).toBe('¥760')
    await saveScreenshot(page, 'pricing-checkout')

    await page.getByLabel('邮箱').fill('early-bird@example.com')
    await page.getByRole('button', { name: '支付 ¥760' }).click()
    await page.waitForURL(/\/api\/payments\/sandbox\/checkout\//)
    await page.getByRole('button', { name: /^(Pay|支付) ¥760/ }).click()
    await page.getByTestId('back-to-order').click()
    await page.waitForURL(/\/orders\/ord_/)
    await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor()

    const lines = page.getByTestId('order-price-line')
    await expect.poll(() => lines.count()).toBe(2)
    for (const line of await lines.all()) {
      expect(await line.getByTestId('price-current').textContent()).toBe('¥380')
      await expect.poll(() => line.getByTestId('price-list').textContent()).toBe('¥480')
      // The zone's name comes with the show; the list price and the tier are the order line's own.
      await expect.poll(() => line.textContent()).toContain('内场')
      expect(await line.textContent()).toContain('早鸟')
    }
    expect(await page.getByTestId('order-discount').textContent()).toBe('−¥200')
    const paid = page.getByTestId('ticket').getByTestId('ticket-paid')
    await expect.poll(() => paid.count(), { timeout: 30_000 }).toBe(2)
    expect(await paid.allTextContents()).toEqual(['实付 ¥380', '实付 ¥380'])
    await expectAccessible(page)
    await saveScreenshot(page, 'pricing-order-paid')

    // The early-bird places left went down by the two sold.
    await page.goto(`/shows/${showId}`)
    await expect
      .poll(() => page.getByTestId('category-price').first().getByTestId('price-units-left').textContent())
      .toBe('此价格剩余 13 张')
    await context.close()
  })
})

describe('flash sales on the show page', () => {
  test('an open flash sale holds at its price with flashSaleId; a later one says when it opens', async () => {
    const showId = await showOnSale('Flash sale concert')
    const now = Date.now()
    const opensAt = now + 2 * day + 3 * 3_600_000
    await admin.call(`${org}/shows/${showId}/pricing`, {
      method: 'PUT',
      body: {
        schedules: [],
        flashSales: [
          {
            id: 'noon',
            label: 'Noon flash',
            category: 'A',
            price: 19900,
            units: 3,
            perBuyer: 1,
            startsAt: new Date(now - 3_600_000).toISOString(),
            endsAt: new Date(now + 3_600_000).toISOString(),
          },
          {
            id: 'later',
            label: 'Weekend flash',
            category: 'A',
            price: 29900,
            units: 5,
            perBuyer: 2,
            startsAt: new Date(opensAt).toISOString(),
            endsAt: new Date(opensAt + 3_600_000).toISOString(),
          },
        ],
      },
    })
    const { context, page } = await newPage(browser, { mobile: true })
    await page.goto(`/shows/${showId}`)
    const sales = page.getByTestId('flash-sale')
    await expect.poll(() => sales.count()).toBe(2)
    const open = sales.filter({ hasText: 'Noon flash' })
    const later = sales.filter({ hasText: 'Weekend flash' })
    expect(await open.getByTestId('price-current').textContent()).toBe('¥199')
    expect(await open.getByTestId('price-list').textContent()).toBe('¥480')
    expect(await open.getByTestId('flash-left').textContent()).toBe('3 of 3 left')
    expect(await open.getByTestId('flash-countdown').textContent()).toMatch(/^Ends in 0?[01]:\d\d:\d\d$/)
    expect(await later.getByTestId('flash-hold').isDisabled()).toBe(true)
    expect(await later.getByTestId('disabled-reason').textContent()).toBe(
      'The flash sale has not opened yet.',
    )
    expect(await later.getByTestId('flash-opens').textContent()).toMatch(
      /^Opens .+ · Opens in 2 d 0[23]:\d\d:\d\d$/,
    )
    await expectAccessible(page)
    await saveScreenshot(page, 'pricing-flash-sales')

    await open.getByRole('button', { name: 'Grab 1 at ¥199' }).click()
    await page.waitForURL(/\/checkout$/)
    const item = page.getByTestId('checkout-items').locator('li')
    await expect.poll(() => item.count()).toBe(1)
    expect(await item.textContent()).toContain('Noon flash')
    expect(await item.getByTestId('price-current').textContent()).toBe('¥199')
    expect(await page.getByTestId('checkout-discount').textContent()).toBe('−¥281')
    // The unit is counted: the show now has 2 of 3 left.
    await page.goto(`/shows/${showId}`)
    await expect
      .poll(() =>
        page
          .getByTestId('flash-sale')
          .filter({ hasText: 'Noon flash' })
          .getByTestId('flash-left')
          .textContent(),
      )
      .toBe('2 of 3 left')
    await context.close()
  })
})

describe('the console sets a schedule', () => {
  test('a bad price is refused at its field and nothing is saved; a good one saves; the preview tells two dates', async () => {
    const showId = await showOnSale('Console pricing concert')
    const { context, page } = await newPage(browser, { viewport: { width: 1366, height: 900 } })
    await signIn(page)
    await page.goto(`/admin/shows/${showId}`)
    await page.getByRole('link', { name: 'Prices: early bird, tiers and flash sales' }).click()
    await page.waitForURL(new RegExp(`/admin/shows/${showId}/pricing$`))
    const category = page.getByTestId('pricing-category').first()
    await category.getByRole('button', { name: 'Add a tier' }).click()
    const tier = category.getByTestId('pricing-tier').first()
    const until = Date.now() + 10 * day
    await tier.getByLabel('Label').fill('Early bird')
    await tier.getByLabel('Price (¥)').fill('600')
    await tier.getByLabel('Until').fill(chinaLocal(until))
    await page.getByRole('button', { name: 'Save pricing' }).click()

    // The message sits under the price field (and is tied to it), the label field has none, nothing is saved.
    const priceField = tier.locator('.field').filter({ has: page.getByLabel('Price (¥)') })
    await priceField.locator('.field-error').waitFor()
    expect(await priceField.locator('.field-error').textContent()).toBe('Above the list price ¥480.')
    expect(await tier.getByLabel('Price (¥)').getAttribute('aria-invalid')).toBe('true')
    expect(
      await tier
        .locator('.field')
        .filter({ has: page.getByLabel('Label') })
        .locator('.field-error')
        .count(),
    ).toBe(0)
    expect(await page.getByTestId('pricing-invalid').textContent()).toBe(
      'Nothing was saved. Fix the marked fields.',
    )
    const stored = await admin.call(`${org}/shows/${showId}/pricing`)
    expect(stored.schedules).toEqual([])
    await expectAccessible(page)
    await saveScreenshot(page, 'pricing-console-invalid')

    await tier.getByLabel('Price (¥)').fill('380')
    await page.getByRole('button', { name: 'Save pricing' }).click()
    await page.getByTestId('notice').waitFor()
    expect(await page.getByTestId('notice').textContent()).toBe(
      'Pricing saved: new holds are quoted from it.',
    )
    expect(await priceField.locator('.field-error').count()).toBe(0)
    const saved = await admin.call(`${org}/shows/${showId}/pricing`)
    expect(saved.schedules[0].tiers[0]).toMatchObject({ label: 'Early bird', price: 38000 })

    // The preview: before the tier ends a buyer pays ¥380 (Early bird), after it the list price ¥480.
    const preview = page.getByTestId('pricing-preview')
    await preview.getByLabel('On').fill(chinaLocal(Date.now() + 3 * day))
    await expect.poll(() => preview.getByTestId('preview-at').textContent()).toBe('内场: ¥380 · Early bird')
    await preview.getByLabel('On').fill(chinaLocal(until + day))
    await expect.poll(() => preview.getByTestId('preview-at').textContent()).toBe('内场: ¥480 · List price')
    const steps = preview.getByTestId('preview-timeline').locator('li')
    expect(await steps.count()).toBe(2)
    expect(await steps.nth(0).textContent()).toBe('From the start of sales: ¥380 · Early bird')
    expect(await steps.nth(1).textContent()).toMatch(/^From .+: ¥480 · List price$/)
    // Form and preview side by side on the laptop.
    const formBox = (await page.locator('.pricing-layout > form').boundingBox())!
    const previewBox = (await preview.boundingBox())!
    expect(previewBox.x).toBeGreaterThanOrEqual(formBox.x + formBox.width)
    await expectAccessible(page)
    await saveScreenshot(page, 'pricing-console-saved')
    await context.close()
  })
})
