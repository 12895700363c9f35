// "我的门票" at a gate with no signal: after one online visit the wallet page loads from the shop's service
// worker and lists the upcoming tickets kept on the phone, each with the QR drawn from its stored token and the
// rotating code computed on the phone, under an "offline — saved at" notice. Back online, a ticket refunded
// meanwhile leaves the phone; signing out takes the rest.

import type { Browser, Page } from 'playwright-core'
import QRCode from 'qrcode'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { rotatingCode } from '../../worker/domain/rotating-code.ts'
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
const walletKey = 'shop.wallet.v1'

interface ApiTicket {
  ticketId: string
  lineId: string
  token: string
  rotatingCode: { secret: string; stepSeconds: number } | null
}

let browser: Browser
const staff = new ApiSession()
const buyer = new ApiSession()
const email = `wallet-offline-${Date.now()}@example.com`
let orderId: string
let tickets: ApiTicket[]

const fromBase64Url = (text: string) =>
  Uint8Array.from(Buffer.from(text.replaceAll('-', '+').replaceAll('_', '/'), 'base64'))

/** The code and QR a ticket card shows now (digits without the space, the QR image's data URL). */
async function shown(page: Page, ticketId: string) {
  const card = page.locator(`#ticket-${ticketId}`)
  const digits = (await card.getByTestId('rotating-code-digits').textContent())?.replace(/\s/g, '') ?? ''
  return { code: digits, qr: (await card.locator('img.qr').getAttribute('src')) ?? '' }
}

/** The QR image the shop draws for a payload (web/shop/components/ticket-qr.tsx: level M, margin 2, SVG). */
async function qrOf(payload: string) {
  const svg = await QRCode.toString(payload, { errorCorrectionLevel: 'M', margin: 2, type: 'svg' })
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}

/** What the phone keeps: ticket id → token. */
async function keptTokens(page: Page) {
  const text = await page.evaluate((key) => localStorage.getItem(key), walletKey)
  if (!text) return null
  const saved = JSON.parse(text) as { tickets: { ticketId: string; pass: { token: string } }[] }
  return Object.fromEntries(saved.tickets.map((t) => [t.ticketId, t.pass.token]))
}

beforeAll(async () => {
  browser = await launchBrowser()
  await staff.json('/api/auth/login', {
    body: { email: 'manager@demo.local', password: 'demo-password-2026' },
  })
  // The buyer signs in with a one-time code (from the dev mailbox), so the wallet has someone to sign out.
  await buyer.json('/api/customer/auth/code', { body: { contact: email } }, 202)
  const mailbox = await (await fetch(`${baseUrl()}/api/dev/mailbox?to=${encodeURIComponent(email)}`)).json()
  const code = /\b(\d{6})\b/.exec(`${mailbox.items[0].subject} ${mailbox.items[0].body}`)![1]
  await buyer.json('/api/customer/auth/verify', { body: { contact: email, code } })

  // A concert tonight whose gates ask for the rotating code; two seats bought and paid.
  const now = Date.now()
  const event = await staff.json(
    `${admin}/events`,
    {
      body: {
        name: 'Harbour Nights 港湾之夜',
        kind: 'concert',
        status: 'published',
        maxTicketsPerBuyer: 10,
        rotatingCode: true,
      },
    },
    201,
  )
  const show = await staff.json(
    `${admin}/shows`,
    {
      body: {
        eventId: event.id,
        venueId: 'ven_demo_cinema1',
        startsAt: new Date(now + 3 * 3_600_000).toISOString(),
        saleStartsAt: new Date(now - 3_600_000).toISOString(),
        saleEndsAt: new Date(now + 2 * 3_600_000).toISOString(),
        prices: { STD: 4500, PRM: 6500 },
        refundTiers: [{ minHoursBefore: 0, feePercent: 0 }],
      },
    },
    201,
  )
  const held = await buyer.json(
    `/api/shows/${show.id}/holds`,
    { body: { best: { category: 'STD', quantity: 2 } } },
    201,
  )
  const created = await buyer.json(
    '/api/orders',
    {
      body: { kind: 'show', showId: show.id, holdId: held.id, email },
      headers: { 'idempotency-key': `wallet-offline-${now}` },
    },
    201,
  )
  await buyer.json(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, {
    body: { outcome: 'pay' },
  })
  orderId = created.orderId
  tickets = (await buyer.json(`/api/orders/${orderId}/tickets`)).items
  expect(tickets).toHaveLength(2)
  expect(tickets.every((t) => t.rotatingCode)).toBe(true)
})

afterAll(async () => {
  await browser?.close()
})

describe('the wallet with no network', () => {
  test('en on a laptop: the shop’s worker is this build’s, revalidated on every visit; offline the notice reads in English', async () => {
    // The worker keeps exactly the files the current page boots (so a rebuild brings a new worker and cache),
    // and is never taken from an HTTP cache.
    const sw = await fetch(`${baseUrl()}/sw.js`)
    expect(sw.headers.get('cache-control')).toBe('no-cache')
    const source = await sw.text()
    const html = await (await fetch(`${baseUrl()}/my-tickets`)).text()
    const shopEntry = /"shop":\{"js":"(\/assets\/[^"]+)"/.exec(html)?.[1]
    expect(shopEntry).toMatch(/^\/assets\/shop-\w+\.js$/)
    expect(source).toContain(`"${shopEntry}"`)
    expect(source).toMatch(/shop-shell-/)

    const { context, page } = await newPage(browser, { locale: 'en', viewport: { width: 1366, height: 900 } })
    await context.addCookies(buyer.cookiesFor())
    await page.goto('/my-tickets')
    await expect.poll(() => page.getByTestId('wallet-upcoming').getByTestId('wallet-ticket').count()).toBe(2)
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller))
    await context.setOffline(true)
    await page.reload()
    const notice = page.getByTestId('wallet-offline')
    await notice.waitFor()
    expect(await notice.textContent()).toMatch(
      /^Offline — tickets saved on this device at \d\d:\d\dShow the QR code at the gate; it works without a connection\.$/,
    )
    await expect.poll(() => page.getByTestId('wallet-saved').locator('img.qr').count()).toBe(2)
    expect(await page.getByTestId('wallet-saved').getByTestId('rotating-code').first().textContent()).toMatch(
      /Entry code\d{3} \d{3}changes in \d+ s/,
    )
    await expectAccessible(page)
    await saveScreenshot(page, 'wallet-offline-en')
    await context.close()
  })

  test('zh-CN on a phone: opens offline with QR and live code, loses a refunded ticket, and sign-out clears it', async () => {
    const { context, page } = await newPage(browser, { locale: 'zh-CN', mobile: true })
    await context.addCookies(buyer.cookiesFor())
    const [first, second] = tickets as [ApiTicket, ApiTicket]

    // One online visit: the wallet lists both tickets and keeps them (tokens as issued) on the phone.
    await page.goto('/my-tickets')
    const upcoming = page.getByTestId('wallet-upcoming').getByTestId('wallet-ticket')
    await expect.poll(() => upcoming.count()).toBe(2)
    await expect
      .poll(() => keptTokens(page))
      .toEqual({ [first.ticketId]: first.token, [second.ticketId]: second.token })
    expect(await page.getByTestId('customer-session').textContent()).toContain(`已登录：${email}`)
    // The service worker holds the shop's page and files before the network goes.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller))

    await page.clock.install()
    await context.setOffline(true)
    await page.reload()
    await page.getByRole('heading', { level: 1, name: '我的门票' }).waitFor()
    expect(
      await page.evaluate(() =>
        fetch('/healthz').then(
          () => 'reached',
          () => 'unreachable',
        ),
      ),
    ).toBe('unreachable')
    const notice = page.getByTestId('wallet-offline')
    await notice.waitFor()
    expect(await notice.textContent()).toMatch(
      /^离线 — 本机保存于 \d\d:\d\d入场时出示二维码即可，无需联网。$/,
    )
    expect(await page.locator('main').textContent()).toContain('订单需联网查看。')
    const cards = page.getByTestId('wallet-saved').getByTestId('ticket')
    expect(await cards.count()).toBe(2)
    expect(await cards.first().textContent()).toContain('港湾之夜')
    expect(await cards.first().textContent()).toContain('待使用')

    // Each QR is drawn from the stored token with the code the phone computes from the ticket's own secret.
    for (const ticket of [first, second]) {
      await expect
        .poll(async () => {
          const now = await page.evaluate(() => Date.now())
          const expected = await rotatingCode(fromBase64Url(ticket.rotatingCode!.secret), now)
          const { code, qr } = await shown(page, ticket.ticketId)
          return code === expected && qr === (await qrOf(`${ticket.token}~${code}`))
        })
        .toBe(true)
    }
    // A step later the code, and the QR drawn with it, have changed; still offline.
    const before = await shown(page, first.ticketId)
    await page.clock.fastForward(30_000)
    // (The QR is redrawn just after the digits: it waits for the new code.)
    await expect
      .poll(async () => {
        const { code, qr } = await shown(page, first.ticketId)
        return code !== before.code && qr !== before.qr && qr === (await qrOf(`${first.token}~${code}`))
      })
      .toBe(true)
    // Large enough to scan on the phone, and nothing scrolls sideways.
    expect(
      (await page.locator(`#ticket-${first.ticketId} img.qr`).boundingBox())!.width,
    ).toBeGreaterThanOrEqual(200)
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'wallet-offline-zh')

    // The order's own page opens offline too, with its kept tickets; the admin console is not the shop's to
    // keep, so it does not open offline from the shop's worker.
    await page.goto(`/orders/${orderId}`)
    await notice.waitFor()
    expect(await cards.count()).toBe(2)
    await page.locator(`#ticket-${second.ticketId} img.qr`).waitFor()
    const consolePage = await context.newPage()
    await expect(consolePage.goto('/admin')).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/)
    await consolePage.close()
    await page.goto('/my-tickets')
    await notice.waitFor()

    // Meanwhile one ticket is refunded; back online, the wallet loads again and the phone forgets it.
    await buyer.json(
      `/api/orders/${orderId}/refunds`,
      {
        body: { lineIds: [first.lineId] },
        headers: { 'idempotency-key': `wallet-offline-refund-${Date.now()}` },
      },
      201,
    )
    await context.setOffline(false)
    await notice.waitFor({ state: 'detached' })
    await expect.poll(() => upcoming.count()).toBe(1)
    await expect.poll(() => keptTokens(page)).toEqual({ [second.ticketId]: second.token })
    await context.setOffline(true)
    await page.reload()
    await notice.waitFor()
    expect(await cards.count()).toBe(1)
    expect(await page.locator(`#ticket-${first.ticketId}`).count()).toBe(0)
    await page.locator(`#ticket-${second.ticketId} img.qr`).waitFor()

    // Signing out (online) leaves no ticket on the phone: offline there is nothing to show.
    await context.setOffline(false)
    await page.reload()
    await page.getByRole('button', { name: '退出登录' }).click()
    await page.getByText('已退出登录，本机保存的门票已清除。').waitFor()
    expect(await keptTokens(page)).toBeNull()
    await context.setOffline(true)
    await page.reload()
    await page.getByRole('heading', { level: 1, name: '我的门票' }).waitFor()
    await page.getByRole('alert').first().waitFor()
    expect(await notice.count()).toBe(0)
    expect(await page.getByTestId('ticket').count()).toBe(0)
    await context.close()
  })
})
