// 团购 in real browsers against the real stack: buyer A starts a group on the demo campaign (3 to 8 people) and
// pays; B (in Chinese) and C open the share link read from A's page in their own browser contexts, join and pay;
// the group succeeds for everyone and each buyer's ticket appears with its QR code. Also: leaving before success.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  expectAccessible,
  launchBrowser,
  newPage,
  saveScreenshot,
  scrollsSideways,
} from './support/browser.ts'
import { expectQrCodesLoaded } from './support/shop.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

const POLL = { timeout: 30_000 }
const memberStatus = (page: Page) =>
  page
    .getByTestId('your-membership')
    .getAttribute('data-member-status', { timeout: 1000 })
    .catch(() => null)

/** From a group page with an unpaid membership: pay on the sandbox page, then come back to the group from the order. */
async function payAndReturn(page: Page, groupUrl: string) {
  await page.getByTestId('group-pay').click()
  await page.waitForURL(/\/api\/payments\/sandbox\/checkout\//)
  await page.getByRole('button', { name: /^(Pay|支付) ¥/ }).click()
  await page.getByTestId('back-to-order').click()
  await page.waitForURL(/\/orders\/ord_/)
  // A paid member's order waits for the group; the order page says so (never "awaiting payment") and links back to it.
  expect(await page.getByTestId('order-status').textContent()).not.toMatch(/Awaiting payment|待支付/)
  await page.getByTestId('order-group').getByRole('link').click()
  await page.waitForURL(groupUrl)
  await page.getByTestId('group-page').waitFor()
}

describe('start → share → join → success', () => {
  test('three buyers in their own browsers fill a group; everyone gets a QR ticket', async () => {
    const a = await newPage(browser, { mobile: true, locale: 'en' })
    const b = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    const c = await newPage(browser, { locale: 'en' })

    // A finds the group buy from the screening's page: group prices per category, no open group yet.
    await a.page.goto('/shows/shw_demo_film_6')
    await a.page.getByTestId('group-buy-link').click()
    await a.page.waitForURL(/\/shows\/shw_demo_film_6\/group-buys$/)
    await a.page.getByRole('heading', { level: 1, name: /Group buy · Voyage Beyond/ }).waitFor()
    const prices = a.page.getByTestId('group-prices')
    await expect.poll(() => prices.locator('tr').count(), POLL).toBe(2)
    expect(await prices.innerText()).toContain('30')
    await a.page.getByText('No group is open yet').waitFor()
    await expectAccessible(a.page)
    await saveScreenshot(a.page, 'group-buy-screening')

    // A starts a group (best available, one seat) and lands on its page as the leader, awaiting payment.
    await a.page.getByLabel('Price category').selectOption('STD')
    await a.page.getByLabel('Seats', { exact: true }).selectOption('1')
    await a.page.getByLabel('Email for your tickets').fill('leader@example.com')
    await a.page.getByRole('button', { name: 'Start and hold seats' }).click()
    await a.page.waitForURL(/\/group-buys\/[^/]+$/)
    const groupUrl = a.page.url()
    await a.page.locator('[data-testid="your-membership"][data-member-status="awaiting_payment"]').waitFor()
    await a.page.getByText('Your role in this group: Leader.').waitFor()
    await a.page.getByTestId('your-seats').waitFor()
    // Leader pays the group price minus the leader's 5.00.
    expect(await a.page.getByTestId('group-pay').innerText()).toContain('25')
    const shareUrl = await a.page.getByTestId('share-link').inputValue()
    expect(shareUrl).toBe(groupUrl)
    await a.context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await a.page.getByRole('button', { name: 'Copy link' }).click()
    await a.page.getByText('Link copied.').waitFor()
    expect(await a.page.evaluate(() => navigator.clipboard.readText())).toBe(shareUrl)
    await a.page.waitForFunction(
      () => {
        const img = document.querySelector<HTMLImageElement>('[data-testid="share-qr"]')
        return Boolean(img?.complete && img.naturalWidth > 0)
      },
      undefined,
      POLL,
    )
    expect(await a.page.getByTestId('group-countdown').innerText()).toMatch(/Closes in \d+:\d\d:\d\d/)
    await expectAccessible(a.page)
    await saveScreenshot(a.page, 'group-buy-started')

    await payAndReturn(a.page, groupUrl)
    await expect.poll(() => memberStatus(a.page), POLL).toBe('paid')
    await expect.poll(() => a.page.getByTestId('group-progress-text').innerText(), POLL).toBe('1 of 3 paid')
    expect(await a.page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('1')

    // The screening's page now offers A's group to newcomers.
    await c.page.goto('/shows/shw_demo_film_6/group-buys')
    await c.page.getByTestId('open-groups').getByRole('link', { name: 'Join this group' }).first().waitFor()
    await expectAccessible(c.page)

    // B opens the shared link (in Chinese), joins and pays.
    await b.page.goto(shareUrl)
    await b.page.getByRole('heading', { level: 2, name: '参加这个团' }).waitFor()
    await b.page.getByText('已支付 1/3 人').waitFor()
    await expectAccessible(b.page)
    await saveScreenshot(b.page, 'group-buy-join-zh')
    await b.page.getByLabel('接收门票的邮箱').fill('friend-b@example.com')
    await b.page.getByRole('button', { name: '参团并锁座' }).click()
    await b.page.locator('[data-testid="your-membership"][data-member-status="awaiting_payment"]').waitFor()
    await payAndReturn(b.page, groupUrl)
    await expect.poll(() => memberStatus(b.page), POLL).toBe('paid')

    // C joins through the same link; their payment is the third: the group succeeds.
    await c.page.goto(shareUrl)
    await c.page.getByText('2 of 3 paid').waitFor()
    await c.page.getByLabel('Email for your tickets').fill('friend-c@example.com')
    await c.page.getByRole('button', { name: 'Join and hold seats' }).click()
    await c.page.locator('[data-testid="your-membership"][data-member-status="awaiting_payment"]').waitFor()
    await payAndReturn(c.page, groupUrl)

    // Everyone's page shows success (A and B refresh on their own), then each buyer's ticket with its QR code.
    for (const { page } of [a, b, c]) {
      await expect
        .poll(() => page.getByTestId('group-page').getAttribute('data-status'), POLL)
        .toBe('succeeded')
      await expect.poll(() => memberStatus(page), POLL).toBe('confirmed')
      await page.getByTestId('group-outcome').waitFor()
    }
    await expectAccessible(a.page)
    await saveScreenshot(a.page, 'group-buy-succeeded')
    await expectAccessible(b.page)
    await saveScreenshot(b.page, 'group-buy-succeeded-zh')
    for (const { page } of [a, b, c]) {
      await page.getByTestId('group-order-link').click()
      await page.waitForURL(/\/orders\/ord_/)
      await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor()
      await expectQrCodesLoaded(page, 1)
    }
    await saveScreenshot(c.page, 'group-buy-tickets')
    for (const { context } of [a, b, c]) await context.close()
  })
})

describe('leaving before success', () => {
  test('a member who paid leaves: refunded, and the group counts them out', async () => {
    const leader = await newPage(browser, { mobile: true })
    const friend = await newPage(browser, { mobile: true })
    await leader.page.goto('/shows/shw_demo_film_6/group-buys')
    await leader.page.getByLabel('Email for your tickets').first().fill('leader2@example.com')
    await leader.page.getByRole('button', { name: 'Start and hold seats' }).first().click()
    await leader.page.waitForURL(/\/group-buys\/[^/]+$/)
    const groupUrl = leader.page.url()

    await friend.page.goto(await leader.page.getByTestId('share-link').inputValue())
    await friend.page.getByLabel('Email for your tickets').fill('leaver@example.com')
    await friend.page.getByRole('button', { name: 'Join and hold seats' }).click()
    await friend.page
      .locator('[data-testid="your-membership"][data-member-status="awaiting_payment"]')
      .waitFor()
    await payAndReturn(friend.page, groupUrl)
    await expect.poll(() => memberStatus(friend.page), POLL).toBe('paid')
    await friend.page.getByText('1 of 3 paid').waitFor()

    await friend.page.getByRole('button', { name: 'Leave the group' }).click()
    await friend.page.getByRole('button', { name: 'Leave and get a full refund' }).click()
    await expect.poll(() => memberStatus(friend.page), POLL).toBe('left')
    await friend.page.getByText('You left the group; any payment is refunded in full.').waitFor()
    await friend.page.getByText('0 of 3 paid').waitFor()
    await expectAccessible(friend.page)
    await saveScreenshot(friend.page, 'group-buy-left')

    // Their order was refunded in full.
    const order = await friend.page.evaluate(async () => {
      const list = await (await fetch('/api/orders')).json()
      return list.items[0] as { status: string; refundedTotal: number; total: number }
    })
    expect(order.status).toBe('cancelled')
    expect(order.refundedTotal).toBe(order.total)
    for (const { context } of [leader, friend]) await context.close()
  })
})

/** Two free seats of a category side by side on a show's live seat map, read as the page would. */
async function freeSeatsOf(page: Page, showId: string, category: string) {
  return page.evaluate(
    async ({ showId, category }) => {
      const map = (await (await fetch(`/api/shows/${showId}/seat-map`)).json()) as {
        seats: { id: string; label: string; row: string; category: string; state: string; x: number }[]
      }
      const free = map.seats.filter((s) => s.category === category && s.state === 'free')
      for (const seat of free) {
        const next = free.find((o) => o.row === seat.row && o.x > seat.x && o.x - seat.x < 40)
        if (next) return [seat, next]
      }
      return []
    },
    { showId, category },
  )
}

describe('starting a group: labelled prices, seats picked on the map, the system share sheet', () => {
  test('zh-CN phone: the leader seats the group on the map and shares through the share sheet', async () => {
    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    // A phone with a share sheet: what it is handed is recorded for the test.
    await context.addInitScript(() => {
      const shared: ShareData[] = []
      Object.assign(window, { sharedForTest: shared })
      Object.defineProperty(Navigator.prototype, 'share', {
        configurable: true,
        value: async (data: ShareData) => {
          shared.push(data)
        },
      })
    })
    await page.goto('/shows/shw_demo_film_5/group-buys')
    await page.getByRole('heading', { level: 1, name: /团购 · / }).waitFor()
    // The way back to normal booking says what it is, with its price.
    expect(await page.getByTestId('buy-alone').textContent()).toBe('单独购买 ¥45起')
    // Every price is labelled: group price, buying alone, the saving per seat.
    const table = page.getByTestId('campaign').locator('table')
    expect(await table.locator('thead th').allTextContents()).toEqual([
      '票价类别',
      '团购价',
      '单独购买价',
      '每张省',
    ])
    const std = await table.locator('tbody tr').first().locator('th, td').allTextContents()
    expect(std.slice(1)).toEqual(['¥30', '¥45', '¥15'])
    expect(await page.getByTestId('leader-saves').textContent()).toBe('开团的团长每单再减 ¥5。')

    // The leader picks two seats on the seat map.
    await page.getByRole('radio', { name: '在座位图上选座' }).check()
    await page.getByTestId('seat-map').waitFor()
    await page.getByText('请先在座位图上选座。').waitFor()
    const seats = await freeSeatsOf(page, 'shw_demo_film_5', 'STD')
    expect(seats).toHaveLength(2)
    for (const seat of seats) await page.locator(`[data-seat-id="${seat.id}"]`).click()
    const picked = page.getByTestId('group-picked-seats').locator('li')
    await expect.poll(() => picked.count()).toBe(2)
    expect(await picked.first().textContent()).toContain('团购价 ¥30')
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'group-buy-pick-seats-zh')
    await page.getByLabel('接收门票的邮箱').fill('picker@example.com')
    await page.getByRole('button', { name: /^开团并锁座 \(已选 2 座\)/ }).click()
    await page.waitForURL(/\/group-buys\/[^/]+$/)
    // The group holds exactly the seats picked.
    const yours = await page.getByTestId('your-seats').textContent()
    // Named as a Chinese ticket prints them (E排5座), never by the venue's label (Hall-E-5).
    for (const seat of seats) {
      expect(yours).toContain(`${seat.row}排${seat.label.split('-').at(-1)}座`)
      expect(yours).not.toContain(seat.label)
    }
    // Leader price: 2 × 30 − 5.
    expect(await page.getByTestId('group-pay').textContent()).toContain('¥55')

    // The group page labels its prices too, and shares through the system sheet.
    await expect
      .poll(() => page.getByTestId('group-prices').locator('tr').first().textContent())
      .toMatch(/^普通座¥30¥45¥15$/)
    await page.getByRole('button', { name: '分享给好友' }).click()
    await page.getByTestId('share-feedback').getByText('已分享。').waitFor()
    const shared = await page.evaluate(
      () => (window as unknown as { sharedForTest: ShareData[] }).sharedForTest,
    )
    expect(shared).toHaveLength(1)
    expect(shared[0]!.url).toBe(page.url())
    expect(shared[0]!.text).toMatch(/团购价每张 ¥30，还差 3 人/)
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'group-buy-share-zh')
    await context.close()
  })

  test('en laptop without a share sheet: copying the link is the way, and says so', async () => {
    const { context, page } = await newPage(browser, { locale: 'en' })
    await page.setViewportSize({ width: 1366, height: 900 })
    await context.addInitScript(() => {
      // A desktop browser without the Web Share API.
      delete (Navigator.prototype as { share?: unknown }).share
    })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await page.goto('/shows/shw_demo_film_4/group-buys')
    expect(await page.getByTestId('buy-alone').textContent()).toBe('Buy alone at the regular price, from ¥45')
    const table = page.getByTestId('campaign').locator('table')
    expect(await table.locator('thead th').allTextContents()).toEqual([
      'Price category',
      'Group price',
      'Buying alone',
      'You save',
    ])
    await page.getByLabel('Email for your tickets').fill('copier@example.com')
    await page.getByRole('button', { name: 'Start and hold seats' }).click()
    await page.waitForURL(/\/group-buys\/[^/]+$/)
    await page.getByTestId('share-link').waitFor()
    expect(await page.getByRole('button', { name: 'Share with friends' }).count()).toBe(0)
    expect(await page.getByTestId('group-progress').textContent()).toContain('3 more needed to succeed')
    await page.getByRole('button', { name: 'Copy link' }).click()
    await page.getByTestId('share-feedback').getByText('Link copied.').waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url())
    await saveScreenshot(page, 'group-buy-copy-en')
    await context.close()
  })
})
