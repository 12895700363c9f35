// The console's outgoing messages (issue 24): an order's confirmation listed for its organizer, a sign-in code in
// the platform's list for a platform admin, each with its channel and status, in Chinese, accessible.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Client, expectAccessible, signIn } from './support/admin.ts'
import { launchBrowser, newPage, saveScreenshot } from './support/browser.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('console: outgoing messages', () => {
  test('an order confirmation and a sign-in code are listed as sent, with attempts, by scope', async () => {
    const email = `messages.${Date.now()}@buyers.test`
    const buyer = new Client()
    const hold = await buyer.call('/api/shows/shw_demo_film_3/holds', {
      body: { best: { category: 'STD', quantity: 1 } },
    })
    const order = await buyer.call('/api/orders', {
      body: { kind: 'show', showId: 'shw_demo_film_3', holdId: hold.id, email },
      key: crypto.randomUUID(),
    })
    await buyer.call(`/api/payments/sandbox/checkout/${order.paymentId}/complete`, {
      body: { outcome: 'pay' },
    })
    const contact = `code.${Date.now()}@buyers.test`
    await new Client().call('/api/customer/auth/code', { body: { contact } })

    const { context, page } = await newPage(browser, { locale: 'zh-CN' })
    try {
      await signIn(page)
      const confirmation = page.getByRole('row').filter({ hasText: email })
      // Delivered right after the payment (to the dev mailbox locally): reload until the run has marked it sent.
      await expect
        .poll(
          async () => {
            await page.goto('/admin/messages')
            await page.getByRole('heading', { name: '消息发送记录' }).waitFor()
            await page.locator('main table, main p.muted').first().waitFor()
            return (await confirmation.count()) ? await confirmation.textContent() : ''
          },
          { timeout: 20_000, interval: 1000 },
        )
        .toContain('已发送')
      const row = (await confirmation.textContent()) ?? ''
      expect(row).toContain('出票通知')
      expect(row).toContain('开发信箱')
      // The organizer's list has no sign-in codes; the platform's does, without the code.
      expect(await page.getByRole('row').filter({ hasText: contact }).count()).toBe(0)
      await page.getByLabel('范围').selectOption('platform')
      const code = page.getByRole('row').filter({ hasText: contact })
      await code.waitFor()
      const codeRow = (await code.textContent()) ?? ''
      expect(codeRow).toContain('登录验证码')
      expect(codeRow.replace(contact, '')).not.toMatch(/\d{6}/)
      await expectAccessible(page)
      await saveScreenshot(page, 'admin-messages-zh')
    } finally {
      await context.close()
    }
  })
})
