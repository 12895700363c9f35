// The gate scanner in a real browser against the real stack: enroll with a code from the admin API, admit a
// bought ticket through Chromium's fake camera playing its QR code, refuse it the second time, keep deciding
// offline after a reload (a ticket refunded and synced before is refused as revoked), upload the log when
// back online, and see the conflict a second device made by admitting the same ticket while offline.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ApiSession } from './support/api-session.ts'
import { expectAccessible, launchBrowser, newPage, saveScreenshot } from './support/browser.ts'
import { writeQrVideo } from './support/fake-camera.ts'
import { idNumberFor } from './support/shop.ts'

const organizerId = 'org_demo'
const siteId = 'site_demo_mountain'
const adult = 'prd_demo_adult'
const today = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
}).format(new Date())

/** A checksum-valid ID number born in 1990, distinct per `n`. */
const idNumber = (n: number) => idNumberFor(`199003${String(1 + (n % 28)).padStart(2, '0')}`, n % 1000)

interface Ticket {
  ticketId: string
  lineId: string
  token: string
}

let browser: Browser
let videoDir: string
const staff = new ApiSession()
const buyer = new ApiSession()
let orderId: string
let camTicket: Ticket
let refundTicket: Ticket
let gateA: { context: BrowserContext; page: Page }

async function enrollmentCode(gateName: string): Promise<string> {
  const created = await staff.json(
    `/api/admin/organizers/${organizerId}/gate-enrollments`,
    { body: { gateName, siteId, fromDate: today, toDate: today } },
    201,
  )
  return created.code
}

async function openGate(): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await newPage(browser, { mobile: true, locale: 'en' })
  await opened.context.grantPermissions(['camera'])
  return opened
}

async function enroll(page: Page, code: string) {
  await page.goto('/gate')
  await page.getByRole('heading', { level: 2, name: 'Enroll this device' }).waitFor()
  await page.getByLabel('Enrollment code').fill(code)
  await page.getByRole('button', { name: 'Enroll' }).click()
  await page.getByTestId('gate-name').waitFor()
}

const decision = (page: Page) => page.getByTestId('decision')

/** Waits for the decision of the next scan (a new nonce on the panel) and returns what it says. */
async function nextDecision(page: Page, before: string | null) {
  await page.waitForFunction((previous) => {
    const nonce = document.querySelector('[data-testid="decision"]')?.getAttribute('data-nonce')
    return Boolean(nonce) && nonce !== previous
  }, before)
  const panel = decision(page)
  return {
    decision: await panel.getAttribute('data-decision'),
    reason: await panel.getAttribute('data-reason'),
    mode: await panel.getAttribute('data-mode'),
    source: await panel.getAttribute('data-source'),
    text: (await panel.textContent()) ?? '',
  }
}

/** Types (or, with `wedge`, keys in fast like a USB scanner) a code into the scan field and presses Enter. */
async function scanByKeyboard(page: Page, code: string, wedge = false) {
  const before = await decision(page).getAttribute('data-nonce')
  const field = page.getByLabel('Scan or type a ticket code')
  if (wedge) {
    await field.focus()
    await page.keyboard.type(code)
  } else await field.fill(code)
  await field.press('Enter')
  return nextDecision(page, before)
}

beforeAll(async () => {
  await staff.json('/api/auth/login', {
    body: { email: 'manager@demo.local', password: 'demo-password-2026' },
  })
  // Two visit tickets for today, bought through the API: hold → order → sandbox payment.
  const seed = Date.now() % 900
  const hold = await buyer.json(
    `/api/scenic-sites/${siteId}/days/${today}/holds`,
    {
      body: {
        lines: [0, 1].map((i) => ({
          productId: adult,
          slot: '16:00',
          visitor: { name: `Gate Tester ${i}`, idNumber: idNumber(seed + i), phone: '13800000077' },
        })),
      },
    },
    201,
  )
  const created = await buyer.json(
    '/api/orders',
    {
      body: { kind: 'scenic', siteId, date: today, holdId: hold.id, phone: '13800000077' },
      headers: { 'idempotency-key': `gate-e2e-${Date.now()}` },
    },
    201,
  )
  orderId = created.orderId
  await buyer.json(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, {
    body: { outcome: 'pay' },
  })
  const { items } = await buyer.json(`/api/orders/${orderId}/tickets`)
  expect(items).toHaveLength(2)
  camTicket = items[0] as Ticket
  refundTicket = items[1] as Ticket

  // The first ticket's QR code, as the buyer gets it, becomes the fake camera's video.
  const png = await buyer.fetch(`/api/orders/${orderId}/tickets/${camTicket.ticketId}/qr?format=png`)
  expect(png.headers.get('content-type')).toBe('image/png')
  videoDir = mkdtempSync(join(tmpdir(), 'gate-e2e-'))
  const video = join(videoDir, 'ticket-qr.y4m')
  writeQrVideo(new Uint8Array(await png.arrayBuffer()), video)
  browser = await launchBrowser({
    args: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  })
})

afterAll(async () => {
  await browser?.close()
  if (videoDir) rmSync(videoDir, { recursive: true, force: true })
})

describe('gate scanner', () => {
  test('enrolls with a one-time code from the admin console', async () => {
    gateA = await openGate()
    const { page } = gateA
    await page.goto('/gate')
    await page.getByRole('heading', { level: 1, name: 'Gate scanner' }).waitFor()
    await page.getByRole('heading', { level: 2, name: 'Enroll this device' }).waitFor()
    await expectAccessible(page)
    await saveScreenshot(page, 'gate-enroll')

    await page.getByLabel('Enrollment code').fill('ZZZZ9999')
    await page.getByRole('button', { name: 'Enroll' }).click()
    await page.getByRole('alert').getByText('unknown, already used or expired').waitFor()

    await enroll(page, await enrollmentCode('Gate A'))
    await expect(page.getByTestId('gate-name').textContent()).resolves.toContain('Gate A')
    await expect(decision(page).getAttribute('data-decision')).resolves.toBe('none')
    // The scan field sits at the top of the phone screen, above the decision; the scope is named in local,
    // short words below, with no raw timestamps.
    const field = (await page.getByLabel('Scan or type a ticket code').boundingBox())!
    expect(field.y + field.height).toBeLessThan(844 / 2)
    expect(field.y).toBeLessThan((await decision(page).boundingBox())!.y)
    const scope = (await page.getByTestId('scope').textContent()) ?? ''
    expect(scope).toContain('Misty Mountain Scenic Area')
    expect(scope).not.toMatch(/\d{4}-\d\d-\d\d/)
    // Admitted / expected for today: at least the two tickets bought above are expected.
    const attendance = page.getByTestId('attendance')
    expect(Number(await attendance.getAttribute('data-expected'))).toBeGreaterThanOrEqual(2)
    expect(await attendance.textContent()).toMatch(/^\d+ \/ \d+ admitted today$/)
    await expectAccessible(page)
    await saveScreenshot(page, 'gate-ready')
  })

  test('admits a ticket read by the camera, then refuses it as already used', async () => {
    const { page } = gateA
    const before = await decision(page).getAttribute('data-nonce')
    const admittedBefore = Number(await page.getByTestId('attendance').getAttribute('data-admitted'))
    await page.getByRole('button', { name: 'Start camera' }).click()
    const first = await nextDecision(page, before)
    expect(first).toMatchObject({ decision: 'admit', source: 'camera', mode: 'online' })
    expect(first.text).toContain('ADMIT')
    expect(first.text).toContain(camTicket.ticketId)
    // The product's name and entry slot, not its short code.
    expect(first.text).toContain('Gate ticket — adult · entry 16:00')
    expect(first.text).not.toContain('@16:00')
    await page.locator(`[data-testid="attendance"][data-admitted="${admittedBefore + 1}"]`).waitFor()
    await expect(page.getByTestId('decoder').textContent()).resolves.toMatch(/Decoder/)
    await saveScreenshot(page, 'gate-admit')
    await page.getByRole('button', { name: 'Stop camera' }).click()

    const again = await scanByKeyboard(page, camTicket.token)
    expect(again).toMatchObject({ decision: 'refuse', reason: 'already_used' })
    expect(again.text).toContain('REFUSED')
    expect(again.text).toMatch(/Already used at .+ at gate Gate A/)
    await expectAccessible(page)
    await saveScreenshot(page, 'gate-refused-used')

    const forged = await scanByKeyboard(page, `${camTicket.token.slice(0, -4)}AAAA`)
    expect(forged).toMatchObject({ decision: 'refuse', reason: 'bad_signature' })
  })

  test('decides offline after a reload; a ticket refunded before the last sync is refused as revoked', async () => {
    const { context, page } = gateA
    await staff.json(
      `/api/admin/organizers/${organizerId}/orders/${orderId}/refunds`,
      {
        body: { lineIds: [refundTicket.lineId], reason: 'gate e2e' },
        headers: { 'idempotency-key': `gate-e2e-refund-${Date.now()}` },
      },
      201,
    )
    await page.getByRole('button', { name: 'Sync now' }).click()
    await page.locator('[data-testid="revocations"]:not([data-count="0"])').waitFor()
    await page.locator('[data-testid="pending"][data-count="0"]').waitFor()
    // The service worker holds the app shell before the network goes.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })

    await context.setOffline(true)
    await page.reload()
    await page.getByTestId('gate-name').waitFor()
    // The page came from the service worker: the network is gone for this browser context.
    expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true)
    expect(
      await page.evaluate(() =>
        fetch('/healthz').then(
          () => 'reached',
          () => 'unreachable',
        ),
      ),
    ).toBe('unreachable')
    await page.locator('[data-testid="sync-status"][data-online="false"]').waitFor()
    // Offline is a banner at the top, above the scan field, not a line in a card below it.
    const banner = page.getByTestId('offline-banner')
    await banner.waitFor()
    expect(await banner.textContent()).toContain('Offline')
    expect((await banner.boundingBox())!.y).toBeLessThan(
      (await page.getByLabel('Scan or type a ticket code').boundingBox())!.y,
    )

    const used = await scanByKeyboard(page, camTicket.token)
    expect(used).toMatchObject({ decision: 'refuse', reason: 'already_used', mode: 'offline' })
    const revoked = await scanByKeyboard(page, refundTicket.token, true)
    expect(revoked).toMatchObject({ decision: 'refuse', reason: 'revoked', mode: 'offline' })
    expect(revoked.text).toContain('Revoked')
    await page.locator('[data-testid="pending"][data-count="2"]').waitFor()
    await expectAccessible(page)
    await saveScreenshot(page, 'gate-offline-revoked')
  })

  test('back online, uploads the log and shows the conflict a second device made offline', async () => {
    const second = await openGate()
    await enroll(second.page, await enrollmentCode('Gate B'))
    await second.context.setOffline(true)
    await second.page.locator('[data-testid="sync-status"][data-online="false"]').waitFor()
    const offlineAdmit = await scanByKeyboard(second.page, camTicket.token)
    expect(offlineAdmit).toMatchObject({ decision: 'admit', mode: 'offline' })
    await second.page.locator('[data-testid="pending"][data-count="1"]').waitFor()

    await gateA.context.setOffline(false)
    await gateA.page.locator('[data-testid="pending"][data-count="0"]').waitFor()

    await second.context.setOffline(false)
    await second.page.locator('[data-testid="pending"][data-count="0"]').waitFor()
    const conflicts = second.page.getByTestId('conflicts')
    await conflicts.waitFor()
    await expect(conflicts.textContent()).resolves.toContain(camTicket.ticketId)
    await expectAccessible(second.page)
    await saveScreenshot(second.page, 'gate-conflict')

    const reported = await staff.json(`/api/admin/organizers/${organizerId}/gate-conflicts`)
    expect(reported.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ticketId: camTicket.ticketId,
          gateName: 'Gate B',
          first: expect.objectContaining({ gateName: 'Gate A' }),
        }),
      ]),
    )
    await second.context.close()
    await gateA.context.close()

    // The organizer sees it in the admin console's list of offline admissions to check.
    const admin = await newPage(browser, { locale: 'en' })
    await admin.page.goto('/admin')
    await admin.page.getByLabel('Email').fill('manager@demo.local')
    await admin.page.getByLabel('Password').fill('demo-password-2026')
    await admin.page.getByRole('button', { name: 'Sign in' }).click()
    await admin.page.getByRole('link', { name: 'Gates' }).click()
    const row = admin.page
      .getByRole('table', { name: 'Offline admissions to check' })
      .getByRole('row')
      .filter({ hasText: camTicket.ticketId })
    await row.waitFor()
    await expect(row.textContent()).resolves.toContain('Admitted twice')
    await expect(row.textContent()).resolves.toContain('Gate A')
    await expectAccessible(admin.page)
    await admin.context.close()
  })
})
