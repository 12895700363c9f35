// 身份证核验 in a real browser against the real stack: a site gate enrolled with a code gets its keyed ID index,
// the network goes, and the gate still admits a real-name visitor by the ID number an ID-card reader types (keys
// then Enter), shows the masked name and ticket type for staff to confirm, refuses the same number the second
// time, and uploads the admission once the network is back: the ticket is redeemed on the server.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ApiSession } from './support/api-session.ts'
import { expectAccessible, launchBrowser, newPage, saveScreenshot } from './support/browser.ts'
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

/** A checksum-valid ID number born in 1985, distinct per `n`. */
const idNumber = (n: number) => idNumberFor(`198507${String(1 + (n % 28)).padStart(2, '0')}`, n % 1000)

let browser: Browser
let gate: { context: BrowserContext; page: Page }
const staff = new ApiSession()
const buyer = new ApiSession()
let orderId: string
let ticketId: string
let visitorId: string

const decision = (page: Page) => page.getByTestId('decision')

/** Keys the number in like a card reader (fast, then Enter) and waits for what the gate found. */
async function readCard(page: Page, number: string) {
  const field = page.getByLabel('Visitor’s ID number')
  await field.focus()
  await page.keyboard.type(number)
  await page.keyboard.press('Enter')
  const result = page.getByTestId('id-result')
  await result.waitFor()
  return result
}

/** Presses the focused Admit button (staff confirm with Enter) and returns the decision it made. */
async function admitChosen(page: Page) {
  const before = await decision(page).getAttribute('data-nonce')
  // Staff press Enter once the choice has focus (it takes it as it shows).
  await page.waitForFunction(() => document.activeElement?.closest('[data-testid="id-result"] li') != null)
  await page.keyboard.press('Enter')
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

/** Buys and pays a real-name adult ticket for today's 16:00 slot; answers the order and its ticket. */
async function buyTicketFor(idNumber: string, name: string, phone: string) {
  const hold = await buyer.json(
    `/api/scenic-sites/${siteId}/days/${today}/holds`,
    { body: { lines: [{ productId: adult, slot: '16:00', visitor: { name, idNumber, phone } }] } },
    201,
  )
  const created = await buyer.json(
    '/api/orders',
    {
      body: { kind: 'scenic', siteId, date: today, holdId: hold.id, phone },
      headers: { 'idempotency-key': `gate-id-e2e-${idNumber}-${Date.now()}` },
    },
    201,
  )
  await buyer.json(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, {
    body: { outcome: 'pay' },
  })
  const { items } = await buyer.json(`/api/orders/${created.orderId}/tickets`)
  return { orderId: created.orderId as string, ticketId: items[0].ticketId as string }
}

/** Every record of one of the gate's IndexedDB stores, read in the page. */
async function gateRecords<T = unknown>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('gate-scanner')
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => reject(open.error)
    })
    return new Promise<T[]>((resolve) => {
      const request = db.transaction(name).objectStore(name).getAll()
      request.onsuccess = () => resolve(request.result)
    })
  }, store)
}

/** What the gate stored about its ID index (key epoch and cursor). */
async function storedIdIndex(page: Page) {
  const [device] = await gateRecords<{ idIndex?: { epoch: unknown; cursor: unknown } }>(page, 'device')
  return device?.idIndex ? { epoch: device.idIndex.epoch, cursor: device.idIndex.cursor } : null
}

beforeAll(async () => {
  await staff.json('/api/auth/login', {
    body: { email: 'manager@demo.local', password: 'demo-password-2026' },
  })
  visitorId = idNumber(Date.now() % 997)
  ;({ orderId, ticketId } = await buyTicketFor(visitorId, '欧阳锋', '13800000088'))
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
})

describe('gate: admission by ID number, offline', () => {
  test('enrolls a site gate; its bundle lets it find tickets by ID number', async () => {
    const created = await staff.json(
      `/api/admin/organizers/${organizerId}/gate-enrollments`,
      { body: { gateName: 'ID Gate', siteId, fromDate: today, toDate: today } },
      201,
    )
    gate = await newPage(browser, { mobile: true, locale: 'en' })
    const { page } = gate
    await page.goto('/gate')
    await page.getByLabel('Enrollment code').fill(created.code)
    await page.getByRole('button', { name: 'Enroll' }).click()
    await page.getByTestId('gate-name').waitFor()
    await page.locator('[data-testid="id-tickets"]:not([data-count="0"])').waitFor()
    // The device keeps hashes only: the number is nowhere in what it stored.
    const stored = JSON.stringify([await gateRecords(page, 'device'), await gateRecords(page, 'idPages')])
    expect(stored).toContain(ticketId.slice(4))
    expect(stored).not.toContain(visitorId)
    expect(stored).not.toContain('欧阳锋')
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
  })

  test('each sync moves the stored ID index on: a ticket sold since is found, from where the last sync ended', async () => {
    const { page } = gate
    const before = await storedIdIndex(page)
    expect(before?.cursor).toBeTruthy()
    const count = Number(await page.getByTestId('id-tickets').getAttribute('data-count'))
    await buyTicketFor(idNumber((Date.now() + 500) % 997), '黄药师', '13800000089')
    await page.getByRole('button', { name: 'Sync now' }).click()
    await page.locator(`[data-testid="id-tickets"][data-count="${count + 1}"]`).waitFor()
    const after = await storedIdIndex(page)
    expect(after?.epoch).toBe(before?.epoch)
    expect(after?.cursor).not.toEqual(before?.cursor)
  })

  test('offline, admits the visitor by the number a card reader types, once', async () => {
    const { context, page } = gate
    await context.setOffline(true)
    await page.reload()
    await page.getByTestId('gate-name').waitFor()
    await page.locator('[data-testid="sync-status"][data-online="false"]').waitFor()
    await page.getByTestId('offline-banner').waitFor()

    await page.getByTestId('mode-id').click()
    await expect(page.getByTestId('mode-id').getAttribute('aria-pressed')).resolves.toBe('true')
    // The field has focus, as a reader needs: it types wherever focus is.
    await page.waitForFunction(() => document.activeElement?.id === 'id-input')

    // A typo in the check character is caught before anything is looked up.
    const typo = await readCard(page, `${visitorId.slice(0, 17)}${visitorId[17] === '1' ? '2' : '1'}`)
    await expect(typo.getAttribute('data-result')).resolves.toBe('invalid')

    const found = await readCard(page, visitorId.toLowerCase())
    await expect(found.getAttribute('data-result')).resolves.toBe('found')
    await expect(found.getAttribute('data-count')).resolves.toBe('1')
    const text = (await found.textContent()) ?? ''
    expect(text).toContain('欧*锋')
    expect(text).toContain('Gate ticket — adult · entry 16:00')
    // The number is off the screen as soon as it was read.
    expect(await page.getByLabel('Visitor’s ID number').inputValue()).toBe('')
    await expectAccessible(page)
    await saveScreenshot(page, 'gate-id-found')

    const admitted = await admitChosen(page)
    expect(admitted).toMatchObject({ decision: 'admit', mode: 'offline', source: 'id_card' })
    expect(admitted.text).toContain('ADMIT')
    expect(admitted.text).toContain('Holder 欧*锋')
    expect(admitted.text).toContain(ticketId)
    await page.locator('[data-testid="pending"][data-count="1"]').waitFor()
    await saveScreenshot(page, 'gate-id-admit')

    await readCard(page, visitorId)
    const again = await admitChosen(page)
    expect(again).toMatchObject({ decision: 'refuse', reason: 'already_used', source: 'id_card' })
    expect(again.text).toMatch(/Already used at .+ at gate ID Gate/)
    await page.locator('[data-testid="pending"][data-count="2"]').waitFor()
    await expectAccessible(page)
  })

  test('back online, the admission uploads and the ticket is redeemed on the server', async () => {
    const { context, page } = gate
    const { items: before } = await buyer.json(`/api/orders/${orderId}/tickets`)
    expect(before[0].redeemedAt).toBeNull()
    await context.setOffline(false)
    await page.getByRole('button', { name: 'Sync now' }).click()
    await page.locator('[data-testid="pending"][data-count="0"]').waitFor()
    const { items } = await buyer.json(`/api/orders/${orderId}/tickets`)
    expect(items[0].redeemedAt).not.toBeNull()
    const conflicts = await staff.json(`/api/admin/organizers/${organizerId}/gate-conflicts`)
    expect(conflicts.items.filter((c: { ticketId: string }) => c.ticketId === ticketId)).toEqual([])
    await context.close()
  })
})
