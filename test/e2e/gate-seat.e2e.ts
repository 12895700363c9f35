// Gate staff on a Chinese phone scan a cinema ticket: the gate names the seat as a Chinese ticket prints it (C排9座),
// from the ticket's seat label read with the seat map's sections, never as the venue's label (Hall-C-9).
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ApiSession } from './support/api-session.ts'
import { launchBrowser, newPage, saveScreenshot } from './support/browser.ts'

const organizerId = 'org_demo'
const screening = 'shw_demo_film_6'

let browser: Browser
const staff = new ApiSession()
const buyer = new ApiSession()

beforeAll(async () => {
  browser = await launchBrowser()
  await staff.json('/api/auth/login', {
    body: { email: 'manager@demo.local', password: 'demo-password-2026' },
  })
})
afterAll(async () => {
  await browser?.close()
})

test('zh-CN gate: a scanned cinema ticket reads 排/座, not the seat label', async () => {
  const hold = await buyer.json(
    `/api/shows/${screening}/holds`,
    { body: { best: { category: 'STD', quantity: 1 } } },
    201,
  )
  const created = await buyer.json(
    '/api/orders',
    {
      body: { kind: 'show', showId: screening, holdId: hold.id, email: 'gate-seat@example.com' },
      headers: { 'idempotency-key': `gate-seat-${Date.now()}` },
    },
    201,
  )
  await buyer.json(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, {
    body: { outcome: 'pay' },
  })
  const { items } = await buyer.json(`/api/orders/${created.orderId}/tickets`)
  const ticket = items[0] as { token: string; seat: string; place: { row: string; number: string } }
  const { code } = await staff.json(
    `/api/admin/organizers/${organizerId}/gate-enrollments`,
    { body: { gateName: 'Cinema door', eventId: 'evt_demo_film' } },
    201,
  )

  const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
  await page.goto('/gate')
  await page.locator('input.enroll-code').fill(code)
  await page.locator('button[type="submit"]').click()
  await page.getByTestId('gate-name').waitFor()
  await page.locator('#scan-input').fill(ticket.token)
  await page.locator('#scan-input').press('Enter')
  const panel = page.locator('[data-testid="decision"][data-nonce]')
  await panel.waitFor()
  const text = (await panel.textContent()) ?? ''
  // One section (the hall): the seat alone, as on the ticket.
  expect(text).toContain(`${ticket.place.row}排${ticket.place.number}座`)
  expect(text).not.toContain(ticket.seat)
  expect(text).not.toMatch(/Row |seat /)
  await saveScreenshot(page, 'gate-seat-zh')
  await context.close()
})
