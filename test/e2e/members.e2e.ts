// A member on a phone (zh-CN, 390×844): signed in, the checkout shows their tier badge; they pay, and the member
// centre shows the points earned; on a second order they switch points on, see the lower price, and pay exactly it.

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ApiSession } from './support/api-session.ts'
import {
  baseUrl,
  expectAccessible,
  launchBrowser,
  newPage,
  saveScreenshot,
  scrollsSideways,
} from './support/browser.ts'

const admin = '/api/admin/organizers/org_demo'

let browser: Browser
const staff = new ApiSession()
const buyer = new ApiSession()
const email = `member-${Date.now()}@example.com`
let showId: string

beforeAll(async () => {
  browser = await launchBrowser()
  await staff.json('/api/auth/login', { body: { email: 'owner@demo.local', password: 'demo-password-2026' } })
  // 1 point per ¥1, 100 points = ¥1; one open tier with no discount, so other tests' prices stay as they are.
  await staff.json(`${admin}/points-rules`, {
    method: 'PUT',
    body: { earnPerYuan: 1, pointsPerYuan: 100, maxRedeemPercent: 50, expiryYears: 1 },
  })
  await staff.json(`${admin}/member-tiers`, {
    method: 'PUT',
    body: {
      tiers: [
        {
          code: 'standard',
          name: '普通',
          nameEn: 'Standard',
          minSpend: null,
          minPoints: null,
          discountPercent: 0,
          presaleAccess: false,
        },
      ],
    },
  })
  await buyer.json('/api/customer/auth/code', { body: { contact: email } }, 202)
  const mailbox = await (await fetch(`${baseUrl()}/api/dev/mailbox?to=${encodeURIComponent(email)}`)).json()
  const code = /\b(\d{6})\b/.exec(`${mailbox.items[0].subject} ${mailbox.items[0].body}`)![1]
  await buyer.json('/api/customer/auth/verify', { body: { contact: email, code } })

  const now = Date.now()
  const event = await staff.json(
    `${admin}/events`,
    {
      body: { name: '会员之夜 Members Night', kind: 'concert', status: 'published', maxTicketsPerBuyer: 10 },
    },
    201,
  )
  const show = await staff.json(
    `${admin}/shows`,
    {
      body: {
        eventId: event.id,
        venueId: 'ven_demo_cinema1',
        startsAt: new Date(now + 5 * 86_400_000).toISOString(),
        saleStartsAt: new Date(now - 3_600_000).toISOString(),
        saleEndsAt: new Date(now + 4 * 86_400_000).toISOString(),
        prices: { STD: 4500, PRM: 6500 },
      },
    },
    201,
  )
  showId = show.id
})

afterAll(async () => {
  await browser?.close()
})

const fen = (text: string | null) => Math.round(Number((text ?? '').replace(/[^\d.]/g, '')) * 100)

/** From the show page: best seats, then checkout (the hold's total as shown). */
async function toCheckout(page: Page) {
  await page.goto(`/shows/${showId}`)
  await page.getByRole('button', { name: '自动选座' }).click()
  await page.waitForURL(/\/checkout$/)
  await page.getByTestId('member-badge').waitFor()
}

async function payHere(page: Page) {
  await page.getByLabel('邮箱').fill(email)
  await page.getByRole('button', { name: /^支付 ¥/ }).click()
  await page.waitForURL(/\/api\/payments\/sandbox\/checkout\//)
  await page.getByRole('button', { name: /^(Pay|支付) ¥/ }).click()
  await page.getByTestId('back-to-order').click()
  await page.waitForURL(/\/orders\/ord_/)
  await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor()
  return /\/orders\/(ord_[^/?#]+)/.exec(page.url())![1]!
}

/** The member centre's balance once the points of `orderId` are in (earned right after payment, or by the cron). */
async function balanceAfter(page: Page, orderId: string) {
  await expect
    .poll(
      async () => {
        const member = await buyer.json('/api/members/me?organizer=org_demo')
        return member.points.history.some(
          (h: { orderId: string; kind: string }) => h.orderId === orderId && h.kind === 'earn',
        )
      },
      { timeout: 90_000, interval: 1000 },
    )
    .toBe(true)
  await page.goto('/member/org_demo')
  const balance = page.getByTestId('points-balance')
  await balance.waitFor()
  return balance
}

describe('members and points in the shop', () => {
  test('zh-CN on a phone: badge at checkout, points earned on paying, then redeemed for a lower price', async () => {
    const { context, page } = await newPage(browser, { locale: 'zh-CN', mobile: true })
    await context.addCookies(buyer.cookiesFor())

    await toCheckout(page)
    expect(await page.getByTestId('member-badge').textContent()).toBe('普通会员')
    expect(await page.getByTestId('use-points').count()).toBe(0) // no points yet
    const firstTotal = fen(await page.getByTestId('checkout-total').textContent())
    await saveScreenshot(page, 'members-checkout-badge-zh')
    const first = await payHere(page)
    const earned = Math.floor(firstTotal / 100)

    const balance = await balanceAfter(page, first)
    expect(await balance.textContent()).toBe(`${earned} 积分`)
    const latest = page.getByTestId('points-history').locator('li').first()
    expect(await latest.textContent()).toContain('消费获得')
    expect(await latest.getByTestId('points-change').textContent()).toBe(`+${earned}`)
    expect(await page.getByTestId('member-badge').textContent()).toBe('普通会员')
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'members-centre-zh')

    // Second order: points on, the total drops by their worth (100 points = ¥1), and that is what is charged.
    await toCheckout(page)
    const before = fen(await page.getByTestId('checkout-total').textContent())
    const toggle = page.getByTestId('use-points')
    const label = (await toggle.locator('xpath=..').textContent()) ?? ''
    expect(label).toMatch(new RegExp(`^使用 ${earned} 积分（−¥[\\d.]+）$`))
    expect(fen(label.slice(label.indexOf('¥')))).toBe(earned)
    await toggle.check()
    await expect
      .poll(async () => fen(await page.getByTestId('checkout-total').textContent()))
      .toBe(before - earned)
    expect(fen(await page.getByTestId('checkout-points-discount').textContent())).toBe(earned)
    await saveScreenshot(page, 'members-checkout-points-zh')
    const second = await payHere(page)
    const order = await buyer.json(`/api/orders/${second}`)
    expect(order.total).toBe(before - earned)
    expect(order.discounts).toMatchObject([{ source: 'points', amount: earned }])

    const after = await balanceAfter(page, second)
    expect(await after.textContent()).toBe(`${Math.floor((before - earned) / 100)} 积分`)
    const kinds = await page.getByTestId('points-history').locator('li').allTextContents()
    expect(kinds.some((k) => k.includes('下单抵扣') && k.includes(`-${earned}`))).toBe(true)
    await context.close()
  })

  test('zh-CN on a phone: a member applies a coupon, pays the quoted total, and earns points on what was paid', async () => {
    const code = `MEMBER${Date.now().toString(36).toUpperCase()}`
    await staff.json(
      `${admin}/coupons`,
      { body: { title: '会员满减', kind: 'amount_off', amountOff: 500, code, stacksWithMember: true } },
      201,
    )
    const { context, page } = await newPage(browser, { locale: 'zh-CN', mobile: true })
    await context.addCookies(buyer.cookiesFor())
    await toCheckout(page)
    const before = fen(await page.getByTestId('checkout-total').textContent())
    await page.getByLabel('优惠券或优惠码').fill(code)
    await page.getByRole('button', { name: '使用', exact: true }).click()
    await page.getByTestId('checkout-coupon-discount').waitFor()
    expect(await page.getByTestId('checkout-coupon-discount').textContent()).toBe('−¥5')
    expect(fen(await page.getByTestId('checkout-total').textContent())).toBe(before - 500)
    // The member still sees their badge; points are set aside while a coupon is applied, and it says so.
    expect(await page.getByTestId('member-badge').textContent()).toBe('普通会员')
    expect(await page.getByTestId('use-points').count()).toBe(0)
    expect(await page.getByTestId('checkout-points-aside').textContent()).toContain('积分不与优惠券同时使用')
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'members-checkout-coupon-zh')
    const orderId = await payHere(page)
    const order = await buyer.json(`/api/orders/${orderId}`)
    expect(order.total).toBe(before - 500)
    expect(order.discounts).toMatchObject([{ source: 'coupon', amount: 500 }])
    const balance = await balanceAfter(page, orderId)
    const member = await buyer.json('/api/members/me?organizer=org_demo')
    const earned = member.points.history.find(
      (h: { orderId: string; kind: string }) => h.orderId === orderId && h.kind === 'earn',
    )
    expect(earned.points).toBe(Math.floor((before - 500) / 100))
    expect(await balance.textContent()).toBe(`${member.points.balance} 积分`)
    await context.close()
  })

  test('zh-CN on a phone: the member centre shows my invite link, copies it, and names the coupon both get', async () => {
    const settings = await staff.json(`${admin}/distribution-settings`)
    const coupon = await staff.json(
      `${admin}/coupons`,
      { body: { title: '邀请好友礼券', titleEn: 'Invite gift', kind: 'amount_off', amountOff: 500 } },
      201,
    )
    await staff.json(`${admin}/distribution-settings`, {
      method: 'PUT',
      body: { attributionDays: settings.attributionDays, inviteCouponId: coupon.id },
    })
    try {
      const { code } = await buyer.json('/api/distribution/invite?organizerId=org_demo')
      const { context, page } = await newPage(browser, { locale: 'zh-CN', mobile: true })
      await context.addCookies(buyer.cookiesFor())
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl() })
      await page.goto('/member/org_demo')
      const invite = page.getByTestId('member-invite')
      await invite.waitFor()
      expect(await invite.getByRole('heading').textContent()).toBe('邀请好友')
      const link = invite.getByLabel('我的邀请链接')
      expect(await link.inputValue()).toBe(`${baseUrl()}/?invite=${code}`)
      expect(await invite.getByTestId('invite-reward').textContent()).toBe(
        '好友在这里的首笔订单支付后，你们都将获得「邀请好友礼券」。',
      )
      await invite.getByRole('button', { name: '复制链接' }).click()
      // The copy is asynchronous: wait for its word, as a reader would.
      await invite.getByTestId('share-feedback').getByText('链接已复制。').waitFor()
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseUrl()}/?invite=${code}`)
      // The link and its buttons fit the phone's width.
      const box = (await link.boundingBox())!
      expect(box.x + box.width).toBeLessThanOrEqual(390)
      expect(await scrollsSideways(page)).toBe(false)
      await expectAccessible(page)
      await saveScreenshot(page, 'members-invite-zh')
      await context.close()
    } finally {
      await staff.json(`${admin}/distribution-settings`, { method: 'PUT', body: settings })
    }
  })
})
