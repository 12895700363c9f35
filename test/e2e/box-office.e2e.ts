// The box office in Chromium against the real stack and the demo data: the demo clerk signs in, opens a shift,
// sells two cinema seats for cash (change shown), prints them on the 80 mm layout, and the printed QR code decodes
// back to the ticket's token; the screens pass axe in both languages. In the demo's 6,000-seat arena the clerk picks
// seats a section at a time (the page never reads the whole house), and a seat sold elsewhere after the list was
// read is refused with a message naming it, the list read again and the other pick kept.
import jsQR from 'jsqr'
import type { Browser, Page } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ApiSession } from './support/api-session.ts'
import { baseUrl, expectAccessible, launchBrowser, newPage, saveScreenshot } from './support/browser.ts'
import { idNumberFor } from './support/shop.ts'

const clerk = { email: 'box@demo.local', password: 'demo-password-2026' }
const box = '/api/box/organizers/org_demo'
let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('box office', () => {
  test('a clerk sells two seats for cash and prints them: the printed QR decodes to the ticket token', async () => {
    const { context, page } = await newPage(browser, { locale: 'en' })
    await page.goto('/box')
    await page.getByLabel('Email').fill(clerk.email)
    await page.getByLabel('Password').fill(clerk.password)
    await expectAccessible(page)
    await page.getByLabel('Password').press('Enter')

    // Open the shift with a 500.00 float: typed, then Enter.
    const float = page.getByLabel('Opening float (cash in the drawer)')
    await float.fill('500')
    await float.press('Enter')
    await page.getByTestId('shift-totals').waitFor()

    // A cinema screening (not real-name), two seats best available in its first zone, cash 200.00.
    const api = new ApiSession()
    await api.json('/api/auth/login', { body: clerk, headers: { origin: baseUrl() } })
    const catalogue = await api.json(`${box}/catalogue`)
    const film = catalogue.shows.find((s: { id: string }) => s.id.startsWith('shw_demo_film'))
    await page.getByLabel('Show', { exact: true }).selectOption(film.id)
    await page.getByLabel('Zone').locator('option').first().waitFor({ state: 'attached' })
    await page.getByLabel('Quantity').fill('2')
    await page.getByLabel('Cash received').fill('200')
    await expectAccessible(page)
    await page.getByLabel('Cash received').press('Enter')

    const order = page.getByTestId('order')
    await order.waitFor()
    const heading = await order.locator('#order-heading').textContent()
    const number = /order (\S+),/.exec(heading ?? '')?.[1]
    expect(number).toBeTruthy()
    const sold = await api.json(`${box}/orders/${number}`)
    expect(sold.tickets).toHaveLength(2)
    expect(sold.status).toBe('paid')
    await expect
      .poll(() => page.getByTestId('change').textContent())
      .toContain(String((20_000 - sold.total) / 100))
    // The shift counts the sale as cash.
    await expect.poll(async () => (await api.json(`${box}/shift`)).totals.sales.cash).toBe(sold.total)
    await expectAccessible(page)

    // Print (P): the browser's print is asked for, and the 80 mm sheet is what print media shows.
    await page.evaluate(() => {
      const w = window as unknown as { printed: number }
      w.printed = 0
      window.print = () => {
        w.printed++
      }
    })
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('p')
    await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1)
    await page.emulateMedia({ media: 'print' })
    const sheet = page.getByTestId('ticket-print')
    expect(await sheet.getAttribute('data-paper')).toBe('thermal80')
    for (const ticket of sold.tickets) {
      const qr = page.getByTestId(`print-qr-${ticket.ticketId}`)
      await qr.waitFor()
      const png = PNG.sync.read(await qr.screenshot())
      const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)
      expect(decoded?.data).toBe(ticket.token)
    }
    await page.screenshot({ path: 'test/e2e/screenshots/box-print-80mm.png' })
    await page.emulateMedia({ media: 'screen' })
    await saveScreenshot(page, 'box-sold')
    await context.close()
  })

  test('zh-CN: the shift and sale screens are in Chinese and pass axe', async () => {
    const { context, page } = await newPage(browser, {
      locale: 'zh-CN',
      viewport: { width: 820, height: 1180 },
    })
    await page.goto('/box')
    await page.getByLabel('邮箱').fill(clerk.email)
    await page.getByLabel('密码').fill(clerk.password)
    await page.getByLabel('密码').press('Enter')
    // The shift opened in the first test is still open: the desk shows its totals and the sale form.
    await page.getByTestId('shift-totals').waitFor()
    await page.getByLabel('张数').waitFor()
    expect(
      await page.evaluate(() => (window as unknown as { __missingMessages: string[] }).__missingMessages),
    ).toEqual([])
    await expectAccessible(page)
    await saveScreenshot(page, 'box-desk-zh')
    await context.close()
  })

  test('scenic: a gate ticket with a cable car attached to it, then a package, in the same shift', async () => {
    const { context, page, api } = await deskWithOpenShift()
    const tomorrow = new Date(Date.now() + 32 * 3600_000).toISOString().slice(0, 10)

    // Gate ticket (adult, real-name) + one cable car: the car asks no visitor of its own, it goes with the gate's.
    await page.getByRole('radio', { name: 'Scenic tickets' }).check()
    await page.getByLabel('Visit date').fill(tomorrow)
    await page.getByLabel('Ticket type').locator('option').first().waitFor({ state: 'attached' })
    await page.getByLabel('Ticket type').selectOption('prd_demo_adult')
    await page.getByLabel('Quantity').fill('1')
    await page.getByLabel(/^Summit cable car .*how many/).fill('1')
    await page.getByLabel('Visitor name 1').fill('李四')
    await page.getByLabel('ID number 1').fill(idNumberFor('19880515', 611))
    expect(await page.getByLabel('Visitor name 2').count()).toBe(0)
    await page.getByLabel('Cash received').fill('500')
    await expectAccessible(page)
    await page.getByLabel('Cash received').press('Enter')
    const order = page.getByTestId('order')
    await order.waitFor()
    const number = /order (\S+),/.exec((await order.locator('#order-heading').textContent()) ?? '')?.[1]
    const sold = await api.json(`${box}/orders/${number}`)
    expect(sold.status).toBe('paid')
    expect(sold.tickets.map((t: { product: string | null }) => t.product).sort()).toEqual([
      '成人票',
      '索道票',
    ])
    // Both tickets carry the gate ticket's visitor.
    expect(new Set(sold.tickets.map((t: { holder: string | null }) => t.holder))).toEqual(new Set(['李四']))

    // A package (gate + cable car) for another visitor: one name and ID, the two lines shown.
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('n')
    await page.getByRole('radio', { name: 'Scenic tickets' }).check()
    await page.getByLabel('Visit date').fill(tomorrow)
    await page.getByLabel('Package').locator('option').nth(1).waitFor({ state: 'attached' })
    await page.getByLabel('Package').selectOption('pkg_demo_gate_cablecar')
    await expect.poll(() => page.getByTestId('package-lines').textContent()).toContain('Summit cable car')
    expect(await page.getByLabel('Quantity').count()).toBe(0)
    await page.getByLabel('Visitor name 1').fill('王五')
    await page.getByLabel('ID number 1').fill(idNumberFor('19900307', 612))
    await page.getByLabel('Cash received').fill('500')
    await page.getByLabel('Cash received').press('Enter')
    await expect
      .poll(async () => /order (\S+),/.exec((await order.locator('#order-heading').textContent()) ?? '')?.[1])
      .not.toBe(number)
    const second = /order (\S+),/.exec((await order.locator('#order-heading').textContent()) ?? '')?.[1]
    const pkgSale = await api.json(`${box}/orders/${second}`)
    expect(pkgSale.status).toBe('paid')
    expect(pkgSale.tickets).toHaveLength(2)
    expect(new Set(pkgSale.tickets.map((t: { holder: string | null }) => t.holder))).toEqual(
      new Set(['王五']),
    )
    await context.close()
  })

  test('shows: the clerk picks two seats from the zone list by keyboard and exactly those are sold', async () => {
    const { context, page, api } = await deskWithOpenShift()
    const catalogue = await api.json(`${box}/catalogue`)
    const film = catalogue.shows.find((s: { id: string }) => s.id.startsWith('shw_demo_film'))
    await page.getByLabel('Show', { exact: true }).selectOption(film.id)
    await page.getByLabel('Zone').locator('option').first().waitFor({ state: 'attached' })
    // Best available is the default: the quantity is there until seats are picked.
    await page.getByLabel('Quantity').waitFor()
    await page.getByLabel('Pick seats (otherwise best available)').check()
    expect(await page.getByLabel('Quantity').count()).toBe(0)
    const seats = page.getByTestId('seat-pick').getByRole('checkbox')
    await seats.nth(3).waitFor()
    // Keyboard: focus a seat, Space picks it; Tab to the next seat, Space again.
    await seats.nth(2).focus()
    await page.keyboard.press('Space')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Space')
    const picked = await page
      .getByTestId('seat-pick')
      .locator('input:checked')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLElement).dataset.seatId))
    expect(picked).toHaveLength(2)
    await expect
      .poll(() => page.getByTestId('seat-pick').getByRole('status').textContent())
      .toContain('Seats picked: 2')
    await expectAccessible(page)
    await page.getByLabel('Cash received').fill('300')
    await page.getByLabel('Cash received').press('Enter')
    const order = page.getByTestId('order')
    await order.waitFor()
    const number = /order (\S+),/.exec((await order.locator('#order-heading').textContent()) ?? '')?.[1]
    const sold = await api.json(`${box}/orders/${number}`)
    expect(sold.status).toBe('paid')
    expect(sold.tickets).toHaveLength(2)
    const map = await api.json(`/api/shows/${film.id}/seat-map`)
    const states = new Map(map.seats.map((s: { id: string; state: string }) => [s.id, s.state]))
    for (const id of picked) expect(states.get(id)).toBe('sold')
    await context.close()
  })
})

describe('box office, a big house (the 6,000-seat arena, read a section at a time)', () => {
  const arena = 'shw_demo_countdown'
  const overviewPath = `/api/shows/${arena}/seat-map`
  const floorPath = `${overviewPath}/sections/Floor`

  /** The arena's seat reads the page makes: the overview, and each section by key. */
  function seatReads(page: Page) {
    const reads = { overviews: 0, sections: [] as string[], layouts: new Set<string>() }
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname
      if (path === overviewPath) reads.overviews++
      const section = /\/seat-map\/sections\/([^/?]+)$/.exec(path)
      if (path.startsWith(overviewPath) && section) reads.sections.push(decodeURIComponent(section[1]!))
    })
    page.on('response', async (response) => {
      if (new URL(response.url()).pathname === overviewPath) reads.layouts.add((await response.json()).layout)
    })
    return reads
  }

  /** The clerk at the desk with the arena chosen, zone Floor, seats picked from the list. */
  async function arenaPick() {
    const desk = await deskWithOpenShift()
    const reads = seatReads(desk.page)
    await desk.page.getByLabel('Show', { exact: true }).selectOption(arena)
    await desk.page
      .getByLabel('Zone', { exact: true })
      .locator('option')
      .first()
      .waitFor({ state: 'attached' })
    await desk.page.getByLabel('Pick seats (otherwise best available)').check()
    return { ...desk, reads }
  }

  const pickedIds = (page: Page) =>
    page
      .getByTestId('seat-list')
      .locator('input:checked')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLElement).dataset.seatId!))

  const soldOrder = async (page: Page, api: ApiSession) => {
    const order = page.getByTestId('order')
    await order.waitFor()
    const number = /order (\S+),/.exec((await order.locator('#order-heading').textContent()) ?? '')?.[1]
    return api.json(`${box}/orders/${number}`)
  }

  test('the clerk picks two seats in one section and sells them for cash; only that section is read', async () => {
    const { context, page, api, reads } = await arenaPick()
    // The zone (Floor) is on one section: it opens at once; the other sections say what they have in other zones.
    const sections = page.getByTestId('seat-sections')
    const floor = sections.getByRole('radio', { name: /^Floor: 1200 free in this zone/ })
    await floor.waitFor()
    expect(await floor.isChecked()).toBe(true)
    const lower = sections.getByRole('radio', {
      name: /^Lower tier: 0 free in this zone · other zones: Lower tier 2400/,
    })
    expect(await lower.isDisabled()).toBe(true)
    const list = page.getByTestId('seat-list')
    expect(await list.getAttribute('data-section')).toBe('Floor')
    const seats = list.getByRole('checkbox')
    await expect.poll(() => seats.count()).toBe(1200)
    expect(await list.locator('legend').first().textContent()).toBe('Floor, row 1')

    // Keyboard: a seat focused, Space picks it; Tab to its neighbour, Space again.
    await seats.nth(4).focus()
    await page.keyboard.press('Space')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Space')
    const picked = await pickedIds(page)
    expect(picked).toHaveLength(2)
    await expect
      .poll(() => page.getByTestId('seat-pick').getByRole('status').textContent())
      .toBe('Seats picked: 2 (at most 20) — Floor, row 1, seat 5; Floor, row 1, seat 6')
    await expectAccessible(page)
    await saveScreenshot(page, 'box-arena-seats')
    await page.getByLabel('Cash received').fill('4000')
    await page.getByLabel('Cash received').press('Enter')
    const sold = await soldOrder(page, api)
    expect(sold.status).toBe('paid')
    expect(sold.tickets).toHaveLength(2)
    const floorSeats = await api.json(floorPath)
    const states = new Map(floorSeats.seats.map((s: { id: string; state: string }) => [s.id, s.state]))
    for (const id of picked) expect(states.get(id)).toBe('sold')

    // Another zone opens its own section; nothing else of the house was read, and no whole map was answered.
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('n')
    await page.getByLabel('Show', { exact: true }).selectOption(arena)
    await page.getByLabel('Pick seats (otherwise best available)').check()
    await page.getByTestId('seat-list').waitFor()
    await page.getByLabel('Zone', { exact: true }).selectOption('B')
    await expect.poll(() => page.getByTestId('seat-list').getAttribute('data-section')).toBe('Lower')
    expect(new Set(reads.sections)).toEqual(new Set(['Floor', 'Lower']))
    expect(reads.overviews).toBeGreaterThan(0)
    expect([...reads.layouts]).toEqual(['sections'])
    await context.close()
  })

  test('a seat sold elsewhere after the list was read: refused, named, the list read again, the other pick kept', async () => {
    const { context, page, api, reads } = await arenaPick()
    const seats = page.getByTestId('seat-list').getByRole('checkbox')
    await seats.nth(20).waitFor()
    await seats.nth(10).check()
    await seats.nth(11).check()
    const [taken, kept] = await pickedIds(page)
    const takenName = await page.locator(`[data-seat-id="${taken}"]`).getAttribute('aria-label')
    const keptName = await page.locator(`[data-seat-id="${kept}"]`).getAttribute('aria-label')

    // Meanwhile another window sells the first of them.
    const elsewhere = await api.json(
      `${box}/sales`,
      {
        body: {
          items: { kind: 'show', showId: arena, seatIds: [taken] },
          tender: { kind: 'cash', tendered: 200_000 },
        },
        headers: { origin: baseUrl(), 'idempotency-key': `race-${Date.now()}` },
      },
      201,
    )
    expect(elsewhere.tickets).toHaveLength(1)
    const floorReads = reads.sections.length

    await page.getByLabel('Cash received').fill('4000')
    await page.getByLabel('Cash received').press('Enter')
    const alert = page.getByTestId('seats-taken')
    await alert.waitFor()
    expect(await alert.getAttribute('role')).toBe('alert')
    expect(await alert.textContent()).toBe(
      `Not sold: taken meanwhile by another sale: ${takenName}. The seat list has been refreshed.` +
        'The other picked seats (1) are still free and stay picked.',
    )
    // The list was read again: the taken seat shows sold and cannot be picked; the other stays picked.
    const takenBox = page.locator(`[data-seat-id="${taken}"]`)
    await expect.poll(() => takenBox.getAttribute('data-state')).toBe('sold')
    expect(reads.sections.length).toBeGreaterThan(floorReads)
    expect(await takenBox.isDisabled()).toBe(true)
    expect(await takenBox.isChecked()).toBe(false)
    expect(await takenBox.getAttribute('aria-label')).toBe(`${takenName} (taken)`)
    expect(await pickedIds(page)).toEqual([kept])
    // The zones' counts too: three Floor seats sold in all, and the one still picked is free.
    await expect
      .poll(() => page.getByLabel('Zone', { exact: true }).locator('option').first().textContent())
      .toBe('Floor · ¥1,680 · 1197 left')
    await expect
      .poll(() => page.getByTestId('seat-pick').getByRole('status').textContent())
      .toBe(`Seats picked: 1 (at most 20) — ${keptName}`)
    await expectAccessible(page)
    await saveScreenshot(page, 'box-arena-seat-taken')

    // Enter again sells the seat still picked, and only it.
    await page.getByLabel('Cash received').press('Enter')
    const sold = await soldOrder(page, api)
    expect(sold.tickets).toHaveLength(1)
    const states = new Map(
      (await api.json(floorPath)).seats.map((s: { id: string; state: string }) => [s.id, s.state]),
    )
    expect(states.get(kept)).toBe('sold')
    expect(new Set(reads.sections)).toEqual(new Set(['Floor']))
    expect([...reads.layouts]).toEqual(['sections'])
    await context.close()
  })
})

/** The demo clerk signed in (English) at the desk of the shift the first test opened, and their API session. */
async function deskWithOpenShift() {
  const { context, page } = await newPage(browser, { locale: 'en' })
  await page.goto('/box')
  await page.getByLabel('Email').fill(clerk.email)
  await page.getByLabel('Password').fill(clerk.password)
  await page.getByLabel('Password').press('Enter')
  await page.getByTestId('shift-totals').waitFor()
  const api = new ApiSession()
  await api.json('/api/auth/login', { body: clerk, headers: { origin: baseUrl() } })
  return { context, page, api }
}
