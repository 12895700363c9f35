// Distribution (分销) in real browsers: the organizer makes a distributor and a share link; a buyer opens the link,
// buys and pays; the distributor, signed in in a second browser context, sees the order and its pending
// commission, in Chinese on a phone. The console shows the link with its QR code and its click.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { formatMoney } from '../../web/lib/format.ts'
import { org, ownerClient, signIn } from './support/admin.ts'
import {
  baseUrl,
  expectAccessible,
  launchBrowser,
  newPage,
  saveScreenshot,
  scrollsSideways,
} from './support/browser.ts'
import { payAtCheckout } from './support/shop.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('distribution', () => {
  test('a buyer through a share link earns the distributor pending commission they see on their page', async () => {
    const owner = await ownerClient()
    const contact = `kol-${Date.now()}@example.com`
    const kol = await owner.call(`${org}/distributors`, {
      body: { name: '山城旅行社', kind: 'agency', contact, commissionKind: 'percent', commissionValue: 1000 },
    })
    const link = await owner.call(`${org}/distributors/${kol.id}/links`, {
      body: { targetKind: 'show', targetId: 'shw_demo_film_6' },
    })

    // The buyer opens the share link; the shop counts the click and takes the code off the address.
    const buyer = await newPage(browser)
    const clicked = buyer.page.waitForResponse((r) => r.url().endsWith('/api/distribution/clicks'))
    await buyer.page.goto(`/shows/shw_demo_film_6?ref=${link.ref}`)
    expect((await clicked).status()).toBe(201)
    await expect.poll(() => new URL(buyer.page.url()).search).toBe('')
    await buyer.page
      .locator('form')
      .filter({ hasText: 'Find seats' })
      .getByLabel('Quantity')
      .selectOption('2')
    await buyer.page.getByRole('button', { name: 'Find seats' }).click()
    await payAtCheckout(buyer.page, 'friend-of-kol@example.com')
    const orderNumber = (
      await buyer.page
        .getByTestId('order-number')
        .textContent()
        .catch(() => null)
    )?.trim()
    const orderId = buyer.page.url().match(/\/orders\/(ord_\w+)/)![1]!
    const order = await (await buyer.context.request.get(`${baseUrl()}/api/orders/${orderId}`)).json()
    const paid = (order.lines as { price: number }[]).reduce((sum, l) => sum + l.price, 0)
    // 10% of what the buyer paid, per ticket, rounded down to the fen.
    const commission = (order.lines as { price: number }[]).reduce(
      (sum, l) => sum + Math.floor(l.price / 10),
      0,
    )
    expect(paid).toBeGreaterThan(0)

    // The distributor signs in on their phone, in Chinese, with the contact the organizer registered.
    const kolPage = await newPage(browser, { locale: 'zh-CN', mobile: true })
    await kolPage.page.goto('/distributor')
    const form = kolPage.page.getByTestId('distributor-sign-in')
    await form.getByLabel('邮箱或手机号').fill(contact)
    await form.getByRole('button', { name: '发送验证码' }).click()
    await form.getByLabel('验证码（6 位）').waitFor()
    const mailbox = (await (
      await fetch(`${baseUrl()}/api/dev/mailbox?to=${encodeURIComponent(contact)}`)
    ).json()) as {
      items: { subject: string; body: string }[]
    }
    const code = /\b(\d{6})\b/.exec(`${mailbox.items[0]!.subject} ${mailbox.items[0]!.body}`)![1]!
    await form.getByLabel('验证码（6 位）').fill(code)
    await form.getByRole('button', { name: '登录' }).click()

    const section = kolPage.page.getByTestId('distributor')
    await section.getByRole('heading', { name: '山城旅行社' }).waitFor()
    const yuan = (fen: number) => formatMoney(fen, 'CNY', 'zh-CN')
    // The commission arrives when the payment's events are handled (right after the payment, or the cron).
    await expect
      .poll(
        async () => {
          await kolPage.page.reload()
          return (await section.getByTestId('commission-pending').textContent())?.trim()
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toBe(yuan(commission))
    await section.getByText('通过您的链接成交 1 单').waitFor()
    const row = section.getByTestId('statement-order')
    await expect.poll(() => row.count()).toBe(1)
    const cells = await row.locator('td').allTextContents()
    expect(cells[1]).toBe(yuan(paid))
    expect(cells[2]).toBe(yuan(commission))
    expect(cells[3]).toBe('待结算（演出或游玩日未过）')
    expect(cells[0]).toBe(order.number)
    await expect.poll(() => section.locator('li').first().textContent()).toContain('点击 1')
    expect(await scrollsSideways(kolPage.page)).toBe(false)
    await expectAccessible(kolPage.page)
    await saveScreenshot(kolPage.page, 'distribution-distributor-zh')

    // The console: the distributor's link with its QR code and one click.
    const console = await newPage(browser, { viewport: { width: 1366, height: 900 } })
    await signIn(console.page)
    await console.page.goto('/admin/distribution')
    await console.page.getByRole('button', { name: 'Links and statements 山城旅行社' }).click()
    const shareLink = console.page.getByTestId('share-link').first()
    await expect.poll(() => shareLink.getByTestId('share-url').inputValue()).toContain(`ref=${link.ref}`)
    await shareLink.getByRole('img').waitFor()
    await shareLink.getByText('Clicks 1').waitFor()
    await expectAccessible(console.page)
    await saveScreenshot(console.page, 'distribution-console')
    await buyer.context.close()
    await kolPage.context.close()
    await console.context.close()
  })
})
