// The seat map as a buyer on a phone (390×844, Chinese) and on a laptop (1366×900, English) meets it: the
// 2,030-seat hall opens on its sections, one tap gives seats a finger can hit with row labels and a mini-map;
// real-name seats are held first and their holders named at checkout; the cinema has readable seats with row
// letters, seats best available in the middle-back rows and warns before leaving a seat alone. A 12,000-seat
// stadium opens on its sections' overview and loads a section's seats only when the buyer opens it.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { org, ownerClient } from './support/admin.ts'
import { ApiSession } from './support/api-session.ts'
import {
  expectAccessible,
  launchBrowser,
  newPage,
  saveScreenshot,
  scrollsSideways,
} from './support/browser.ts'
import { expectQrCodesLoaded, idNumberFor } from './support/shop.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

/** Seats (circles, squares for wheelchair spaces) wholly inside the map's visible area: how many, and the smallest one's on-screen width. */
const visibleSeats = (page: Page) =>
  page.evaluate(() => {
    const svg = document.querySelector('[data-testid="seat-map"]')!
    const frame = svg.getBoundingClientRect()
    const boxes = [...svg.querySelectorAll('[data-seat-id]')]
      .map((seat) => seat.getBoundingClientRect())
      .filter(
        (b) =>
          b.left >= frame.left && b.right <= frame.right && b.top >= frame.top && b.bottom <= frame.bottom,
      )
    const frameText = `${frame.left},${frame.top},${frame.right},${frame.bottom} viewBox ${svg.getAttribute('viewBox')}`
    return { count: boxes.length, minWidth: Math.min(...boxes.map((b) => b.width)), frame: frameText }
  })

/** Each row label beside the map, with how far (px) it sits from the middle of its row's seats on screen. */
const rowLabelOffsets = (page: Page) =>
  page.evaluate(() => {
    const svg = document.querySelector('[data-testid="seat-map"]')!
    const frame = svg.getBoundingClientRect()
    return [...document.querySelectorAll<HTMLElement>('[data-testid="row-labels"] span')].map((label) => {
      const box = label.getBoundingClientRect()
      const middle = box.top + box.height / 2
      // The nearest visible seat whose accessible name starts with this row.
      const row = label.dataset.row!
      let nearest = Number.POSITIVE_INFINITY
      for (const seat of svg.querySelectorAll('[data-seat-id]')) {
        const b = seat.getBoundingClientRect()
        if (b.bottom < frame.top || b.top > frame.bottom) continue
        const name = seat.getAttribute('aria-label') ?? ''
        if (!new RegExp(`(^| )${row}排|[Rr]ow ${row}, `).test(name)) continue
        nearest = Math.min(nearest, Math.abs(b.top + b.height / 2 - middle))
      }
      return { row, text: label.textContent, offset: nearest }
    })
  })

describe('the 2,030-seat hall on a phone (zh-CN)', () => {
  test('opens on sections, one tap gives 24 px seats with row labels and a mini-map; ID numbers after the hold', async () => {
    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    await page.goto('/shows/shw_demo_symphony')
    await page.locator('[data-testid="seat-map"][data-mode="overview"]').waitFor()
    // The overview: one block per section, each with its name, a price "from" and the seats left.
    const blocks = page.locator('[data-section]')
    expect(await blocks.count()).toBe(3)
    // Sections by the names a Chinese buyer reads (the section key Stalls stays in seat labels only).
    const stalls = page.locator('[data-section="Stalls"]')
    expect(await stalls.textContent()).toMatch(/^池座 ¥[\d.,]+起 余 \d+$/)
    expect(await page.locator('[data-section="Circle"]').textContent()).toMatch(/^二层楼座 /)
    expect(await page.getByTestId('section-blocks').textContent()).not.toMatch(/Stalls|Circle|Balcony/)
    expect(await page.getByTestId('row-labels').locator('span').count()).toBe(0)
    expect(await page.getByTestId('mini-map').count()).toBe(0)
    // Seats are far too small to pick from here, which is why the overview is there.
    expect((await visibleSeats(page)).minWidth).toBeLessThan(16)
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'seat-map-hall-overview-zh')

    // One tap into the stalls.
    await stalls.tap()
    await page.locator('[data-testid="seat-map"][data-mode="seats"]').waitFor()
    const seen = await visibleSeats(page)
    expect(seen.count).toBeGreaterThanOrEqual(10)
    expect(seen.minWidth).toBeGreaterThanOrEqual(24)
    expect(await page.getByTestId('current-section').textContent()).toBe('池座')
    // Row labels beside the seats, each level with its row.
    const labels = await rowLabelOffsets(page)
    expect(labels.length).toBeGreaterThanOrEqual(5)
    for (const label of labels) expect(label.offset, `row ${label.row}`).toBeLessThan(4)
    // The mini-map frames the part of the hall in view: a small part of it.
    const mini = (await page.getByTestId('mini-map').boundingBox())!
    const frame = (await page.getByTestId('mini-map-frame').boundingBox())!
    expect(frame.width).toBeGreaterThan(4)
    expect(frame.width * frame.height).toBeLessThan((mini.width * mini.height) / 4)
    // The legend names the states and the zones, never a code.
    const states = await page.getByTestId('state-legend').textContent()
    for (const text of ['已选', '他人锁定中', '已售或不可售', '轮椅位']) expect(states).toContain(text)
    expect(await page.getByTestId('price-legend').textContent()).toMatch(/^特等 ¥[\d.,]+ · 余 \d+甲等/)
    expect(await scrollsSideways(page)).toBe(false)
    await saveScreenshot(page, 'seat-map-hall-section-zh')

    // Best available is offered on this real-name show too; the hold button says why it waits.
    await page.getByRole('button', { name: '自动选座' }).waitFor()
    expect(await page.getByRole('button', { name: '自动选座' }).isEnabled()).toBe(true)
    expect(await page.getByTestId('hold-picked').isDisabled()).toBe(true)
    expect(await page.getByTestId('disabled-reason').first().textContent()).toBe(
      '请先在座位图上选座，或使用下方的自动选座。',
    )
    // A seat is picked with no ID number asked for: names come after the hold.
    // A free seat in the middle of the view, tapped where the buyer sees it.
    const target = await page.evaluate(() => {
      const svg = document.querySelector('[data-testid="seat-map"]')!
      const f = svg.getBoundingClientRect()
      const middle = { x: (f.left + f.right) / 2, y: (f.top + f.bottom) / 2 }
      let best: { id: string; x: number; y: number; d: number } | null = null
      for (const seat of svg.querySelectorAll('circle[data-seat-id][data-state="free"]')) {
        const b = seat.getBoundingClientRect()
        const x = b.left + b.width / 2
        const y = b.top + b.height / 2
        const d = Math.hypot(x - middle.x, y - middle.y)
        if (!best || d < best.d) best = { id: seat.getAttribute('data-seat-id')!, x, y, d }
      }
      return best!
    })
    const seat = page.locator(`[data-seat-id="${target.id}"]`)
    await seat.scrollIntoViewIfNeeded()
    const box = (await seat.boundingBox())!
    await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2)
    await expect.poll(() => seat.getAttribute('aria-checked')).toBe('true')
    expect(await page.getByTestId('picked-seats').textContent()).toMatch(/^池座 \w+排\d+座 · (特等|甲等) · ¥/)
    expect(await page.getByLabel(/身份证号/).count()).toBe(0)
    expect(await page.getByTestId('real-name-note').textContent()).toContain('锁座后在结算页填写')
    await page.getByRole('button', { name: '锁定 1 个座位' }).click()
    await page.waitForURL(/\/checkout$/)

    // Checkout: the countdown runs while the holder is named; the pay button says what it still needs.
    await page.getByTestId('hold-countdown').waitFor()
    const holder = page.getByTestId('ticket-holder')
    expect(await holder.locator('legend').textContent()).toMatch(/^观演人：池座 \w+排\d+座$/)
    const pay = page.getByTestId('pay')
    expect(await pay.isDisabled()).toBe(true)
    const reason = () => page.getByTestId('disabled-reason').textContent()
    expect(await reason()).toBe('请先填写每位观演人的姓名和有效身份证号。')
    await holder.getByLabel('姓名').fill('李雷')
    await holder.getByLabel(/身份证号/).fill(idNumberFor('19900307', 919))
    await expect.poll(reason).toBe('请先填写邮箱或手机号。')
    await page.getByLabel('邮箱').fill('hall-buyer@example.com')
    await expect.poll(() => pay.isEnabled()).toBe(true)
    expect(await page.getByTestId('checkout-items').textContent()).toMatch(/^池座 \w+排\d+座 · (特等|甲等)¥/)
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'seat-map-checkout-holder-zh')
    await pay.click()
    await page.waitForURL(/\/api\/payments\/sandbox\/checkout\//)
    await page.getByRole('button', { name: /^(Pay|支付) ¥/ }).click()
    await page.getByTestId('back-to-order').click()
    await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor()
    // The paid order's line names the seat's section in Chinese too.
    await expect.poll(() => page.locator('main').textContent()).toMatch(/池座 \w+排\d+座/)
    expect(await page.locator('main').textContent()).not.toMatch(/Stalls/)
    await expectQrCodesLoaded(page, 1)
    await context.close()
  })
})

describe('the hall on a laptop (en)', () => {
  test('sections by mouse and keyboard, seats at least 24 px, back to all sections', async () => {
    const { context, page } = await newPage(browser)
    await page.setViewportSize({ width: 1366, height: 900 })
    await page.goto('/shows/shw_demo_symphony')
    await page.locator('[data-testid="seat-map"][data-mode="overview"]').waitFor()
    expect(await page.locator('[data-section="Circle"]').textContent()).toMatch(
      /^Circle from ¥[\d.,]+ \d+ left$/,
    )
    // An English buyer reads the sections' English names.
    expect(await page.locator('[data-section="Stalls"]').textContent()).toMatch(/^Stalls from ¥/)
    expect(await page.getByTestId('section-blocks').textContent()).not.toMatch(/池座|楼座/)
    await page.locator('[data-section="Circle"]').click()
    await page.locator('[data-testid="seat-map"][data-mode="seats"]').waitFor()
    expect((await visibleSeats(page)).minWidth).toBeGreaterThanOrEqual(24)
    expect(await page.getByTestId('current-section').textContent()).toBe('Circle')
    await saveScreenshot(page, 'seat-map-hall-section-en')
    // A resized window (or a rotated phone) keeps the buyer in the section they opened.
    await page.setViewportSize({ width: 1200, height: 860 })
    // The resize observer and the render after it run within two frames.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
    expect(await page.locator('[data-testid="seat-map"]').getAttribute('data-mode')).toBe('seats')
    expect(await page.getByTestId('current-section').textContent()).toBe('Circle')
    await page.getByRole('button', { name: 'All sections' }).click()
    await page.locator('[data-testid="seat-map"][data-mode="overview"]').waitFor()

    // Keyboard: a section is a button; Enter opens it and puts focus on a free seat there.
    await page.locator('[data-section="Balcony"]').focus()
    await page.keyboard.press('Enter')
    await page.locator('[data-testid="seat-map"][data-mode="seats"]').waitFor()
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''))
      .toMatch(/^Balcony, row \w+, seat \d+, Zone C, ¥[\d.,]+, available/)
    await page.keyboard.press('Escape')
    await page.locator('[data-testid="seat-map"][data-mode="overview"]').waitFor()
    await expectAccessible(page)
    await context.close()
  })
})

describe('the cinema on a phone (zh-CN)', () => {
  test('readable seats with row letters, a warning for a seat left alone, best available mid-back', async () => {
    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    await page.goto('/shows/shw_demo_film_3')
    // 160 seats: no overview, the whole hall at once with every row's letter.
    await page.locator('[data-testid="seat-map"][data-mode="seats"]').waitFor()
    await expect
      .poll(async () => (await visibleSeats(page)).count)
      .toBe(160)
      .catch(async (error) => {
        throw new Error(`${error}: ${JSON.stringify(await visibleSeats(page))}`)
      })
    expect((await visibleSeats(page)).minWidth).toBeGreaterThanOrEqual(18)
    const labels = await rowLabelOffsets(page)
    // The hall's rows as named (cinemas skip I).
    expect(labels.map((label) => label.text)).toEqual([...'ABCDEFGHJK'])
    for (const label of labels) expect(label.offset, `row ${label.row}`).toBeLessThan(4)
    expect(await scrollsSideways(page)).toBe(false)

    // E-3 and E-5 leave E-4 alone: said before the hold.
    await page.locator('[aria-label^="E排3座"]').tap()
    await page.locator('[aria-label^="E排5座"]').tap()
    const warning = page.getByTestId('lone-seat-warning')
    await warning.waitFor()
    expect(await warning.textContent()).toMatch(/^您的选择会让 E排4座 单独空出/)
    await saveScreenshot(page, 'seat-map-cinema-lone-seat-zh')
    await page.locator('[aria-label^="E排4座"]').tap()
    await warning.waitFor({ state: 'detached' })
    // Against the aisle counts as alone too: E-7 picked leaves E-8, the last seat before the aisle.
    await page.locator('[aria-label^="E排7座"]').tap()
    await expect.poll(() => warning.textContent()).toMatch(/^您的选择会让 E排6座、E排8座 单独空出/)
    await page.getByRole('button', { name: '清空', exact: true }).click()

    // Best available for two premium seats: the middle-back row G, not row A under the screen.
    const best = page.locator('form').filter({ hasText: '自动选座' })
    const premium = await best
      .getByLabel('类别')
      .locator('option', { hasText: '优选座' })
      .getAttribute('value')
    await best.getByLabel('类别').selectOption(premium!)
    await best.getByLabel(/数量/).selectOption('2')
    await page.getByRole('button', { name: '自动选座' }).click()
    await page.waitForURL(/\/checkout$/)
    const items = page.getByTestId('checkout-items').locator('li')
    await expect.poll(() => items.count()).toBe(2)
    for (const text of await items.allTextContents()) expect(text).toMatch(/^影厅 G排\d+座 · 优选座¥/)
    await context.close()
  })
})

describe('checkout after the hold ran out (en)', () => {
  test('the pay button is off, says why, and offers to pick again', async () => {
    const { context, page } = await newPage(browser, { mobile: true })
    await page.goto('/shows/shw_demo_film_1')
    await page.locator('[data-testid="seat-map"][data-mode="seats"]').waitFor()
    await page.locator('form').filter({ hasText: 'Find seats' }).getByLabel('Quantity').selectOption('1')
    await page.getByRole('button', { name: 'Find seats' }).click()
    await page.waitForURL(/\/checkout$/)
    await page.getByLabel('Email').fill('late@example.com')
    const pay = page.getByTestId('pay')
    await expect.poll(() => pay.isEnabled()).toBe(true)
    // The hold runs out (its expiry moved into the past in the stored hold, as time passing would).
    await page.evaluate(() => {
      const held = JSON.parse(sessionStorage.getItem('current-hold')!)
      held.hold.expiresAt = new Date(Date.now() - 1000).toISOString()
      sessionStorage.setItem('current-hold', JSON.stringify(held))
    })
    await page.reload()
    await expect.poll(() => pay.isDisabled()).toBe(true)
    expect(await page.getByTestId('disabled-reason').textContent()).toBe(
      'Your hold has expired, so it can no longer be paid. Pick your seats again.',
    )
    expect(await scrollsSideways(page)).toBe(false)
    await saveScreenshot(page, 'seat-map-checkout-expired-en')
    await page.getByRole('button', { name: 'Pick seats again' }).click()
    await page.waitForURL(/\/shows\/shw_demo_film_1$/)
    await page.getByTestId('seat-map').waitFor()
    await context.close()
  })
})

/** A stadium of 12 sections (4 × 3) of 20 rows × 50 seats, on sale since yesterday: its show id. */
async function stadiumShow(): Promise<string> {
  const admin = await ownerClient()
  const venue = await admin.call(`${org}/venues`, {
    body: {
      name: `体育场 ${Date.now()}`,
      nameEn: `Stadium ${Date.now()}`,
      kind: 'stadium',
      city: '上海',
      cityEn: 'Shanghai',
    },
  })
  const sections = Array.from({ length: 12 }, (_, k) => ({
    name: `S${k + 1}`,
    rows: Array.from({ length: 20 }, (_, r) => ({
      label: `R${r + 1}`,
      category: k < 4 ? 'A' : 'B',
      seats: Array.from({ length: 50 }, (_, n) => ({
        number: String(n + 1),
        x: (k % 4) * 1200 + n * 20,
        y: 100 + Math.floor(k / 4) * 700 + r * 25,
      })),
    })),
  }))
  await admin.call(`${org}/venues/${venue.id}/seat-map`, {
    method: 'PUT',
    body: {
      stage: { x: 2300, y: 0 },
      categories: [
        { code: 'A', name: '内场', nameEn: 'Floor', color: '#c0392b' },
        { code: 'B', name: '看台', nameEn: 'Stand', color: '#2c6fbb' },
      ],
      sections,
    },
  })
  const event = await admin.call(`${org}/events`, {
    body: {
      name: '体育场之夜',
      nameEn: 'Stadium Night',
      kind: 'sport',
      status: 'published',
      maxTicketsPerBuyer: 4,
    },
  })
  const day = 86_400_000
  const show = await admin.call(`${org}/shows`, {
    body: {
      eventId: event.id,
      venueId: venue.id,
      startsAt: new Date(Date.now() + 30 * day).toISOString(),
      saleStartsAt: new Date(Date.now() - day).toISOString(),
      saleEndsAt: new Date(Date.now() + 29 * day).toISOString(),
      prices: { A: 68000, B: 38000 },
    },
  })
  return show.id as string
}

describe('a 12,000-seat stadium on a laptop (en)', () => {
  test('opens on its sections without a seat, loads a section when it is opened, and keeps it live', async () => {
    const showId = await stadiumShow()
    const { context, page } = await newPage(browser, { locale: 'en', viewport: { width: 1366, height: 900 } })
    const asked: string[] = []
    page.on('request', (request) => {
      const match = /\/seat-map\/sections\/([^/?]+)/.exec(request.url())
      if (match) asked.push(decodeURIComponent(match[1]!))
    })
    const overviewAnswer = page.waitForResponse((r) => r.url().endsWith(`/api/shows/${showId}/seat-map`))
    await page.goto(`/shows/${showId}`)
    const map = page.locator('[data-testid="seat-map"][data-layout="sections"]')
    await map.and(page.locator('[data-mode="overview"]')).waitFor()
    // The overview: twelve blocks with their seats left, no seat drawn, no section asked for, a few kB.
    expect((await (await overviewAnswer).body()).length).toBeLessThan(12_000)
    expect(await page.locator('[data-section]').count()).toBe(12)
    expect(await page.locator('[data-section="S6"]').textContent()).toMatch(
      /^S6 from ¥380(\.00)? 1,?000 left$/,
    )
    expect(await page.locator('[data-seat-id]').count()).toBe(0)
    expect(asked).toEqual([])
    await saveScreenshot(page, 'seat-map-stadium-overview-en')

    // Opening S6 asks for it (and at most the sections beside it in view), and draws its 1,000 seats.
    await page.locator('[data-section="S6"]').click()
    await map.and(page.locator('[data-mode="seats"]')).waitFor()
    const buyer = new ApiSession()
    const s6 = (await buyer.json(`/api/shows/${showId}/seat-map/sections/S6`)).seats as { id: string }[]
    await expect.poll(() => page.locator('[data-seat-id]').count()).toBeGreaterThanOrEqual(1_000)
    const drawn = new Set(
      await page
        .locator('[data-seat-id]')
        .evaluateAll((seats) => seats.map((s) => s.getAttribute('data-seat-id'))),
    )
    expect(s6.every((seat) => drawn.has(seat.id))).toBe(true)
    expect(asked).toContain('S6')
    expect(asked.length).toBeLessThan(12)
    expect(new Set(asked).size).toBe(asked.length)
    expect((await visibleSeats(page)).minWidth).toBeGreaterThanOrEqual(24)
    await saveScreenshot(page, 'seat-map-stadium-section-en')

    // Another buyer holds a seat of S6: the live delta marks it here.
    const taken = s6[0]!.id
    await buyer.json(`/api/shows/${showId}/holds`, { body: { seatIds: [taken] } }, 201)
    await expect
      .poll(() => page.locator(`[data-seat-id="${taken}"]`).getAttribute('data-state'), { timeout: 15_000 })
      .toBe('held')
    // A free seat is picked as in any hall.
    const inView = await page.evaluate(() => {
      const frame = document.querySelector('[data-testid="seat-map"]')!.getBoundingClientRect()
      return [...document.querySelectorAll('[data-seat-id][data-state="free"]')]
        .find((seat) => {
          const b = seat.getBoundingClientRect()
          return (
            b.left >= frame.left && b.right <= frame.right && b.top >= frame.top && b.bottom <= frame.bottom
          )
        })!
        .getAttribute('data-seat-id')!
    })
    await page.locator(`[data-seat-id="${inView}"]`).click()
    await expect.poll(() => page.getByTestId('picked-seats').locator('li').count()).toBe(1)

    // Keyboard: Enter on a section not loaded yet focuses one of its seats once they arrive.
    await page.getByRole('button', { name: 'All sections' }).click()
    await map.and(page.locator('[data-mode="overview"]')).waitFor()
    await page.locator('[data-section="S11"]').focus()
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''))
      .toMatch(/^S11, row R\d+, seat \d+, Stand/)
    expect(asked.filter((key) => key === 'S11')).toHaveLength(1)
    await expectAccessible(page)
    await context.close()
  })
})
