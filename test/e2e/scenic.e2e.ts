// The scenic shop in a real browser against the real stack (demo site 云雾山): the calendar marks today and tomorrow
// with a price or sold-out per day, entry times are compact chips, the demo package (gate + cable car ¥180) is sold,
// a cable car is for a visitor picked from those already entered (or bought earlier), never typed again, and the
// wording speaks of tickets, not seats. On a 390 px phone in Chinese and a 1366 px laptop in English.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  expectAccessible,
  launchBrowser,
  newPage,
  saveScreenshot,
  scrollsSideways,
} from './support/browser.ts'
import { expectQrCodesLoaded, idNumberFor, payAtCheckout } from './support/shop.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

const SITE = '/scenic/site_demo_mountain'
/** A day in China (the site's zone) `ahead` days from today, as YYYY-MM-DD. */
const dayInChina = (ahead: number) =>
  new Date(Date.now() + 8 * 3600_000 + ahead * 86_400_000).toISOString().slice(0, 10)

/**
 * The demo adult gate ticket's price on a date (worker/demo/seed.ts): ¥150 on weekends, 2027-01-01 and the
 * Spring Festival week (¥160), else ¥120; the cable car is ¥80, so the package (¥180) saves the difference.
 */
const adultPrice = (date: string) => {
  if (date >= '2027-02-05' && date <= '2027-02-11') return 160
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
  return weekday === 0 || weekday === 6 || date === '2027-01-01' ? 150 : 120
}
const packageSaves = (date: string) => adultPrice(date) + 80 - 180

/** Opens the site on the month of `date` (tomorrow may be next month), its cell loaded. */
async function openSiteOn(page: Page, date: string) {
  await page.goto(SITE)
  if (date.slice(0, 7) !== dayInChina(0).slice(0, 7)) {
    await page.getByRole('button', { name: /Next month|下个月/ }).click()
  }
  await page.locator(`[data-date="${date}"] [data-testid="day-price"]`).waitFor()
}

async function laptop() {
  const opened = await newPage(browser, { locale: 'en' })
  await opened.page.setViewportSize({ width: 1366, height: 900 })
  return opened
}

describe('calendar and entry times', () => {
  test('zh-CN phone: 今天 and 明天 marked with prices, slot chips of two short lines, no sideways scroll', async () => {
    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    await openSiteOn(page, dayInChina(1))
    const tomorrow = page.locator(`[data-date="${dayInChina(1)}"]`)
    expect(await tomorrow.getByTestId('day-price').textContent()).toBe('¥60起')
    expect(await tomorrow.getByTestId('day-number').textContent()).toBe('明天')
    const today = page.locator(`[data-date="${dayInChina(0)}"]`)
    if (await today.count()) expect(await today.getByTestId('day-number').textContent()).toBe('今天')
    // Other days show their number; the day after tomorrow is neither marked nor missing its price.
    const later = dayInChina(2)
    if (later.slice(0, 7) === dayInChina(1).slice(0, 7)) {
      expect(await page.locator(`[data-date="${later}"]`).getByTestId('day-number').textContent()).toBe(
        String(Number(later.slice(8))),
      )
    }
    // The day's text fits its cell (no price cut off at 390 px).
    const fits = await tomorrow.evaluate((cell) => cell.scrollWidth <= cell.clientWidth + 1)
    expect(fits).toBe(true)

    await tomorrow.click()
    await page.getByRole('heading', { level: 2, name: '入园时段' }).waitFor()
    const chips = page.getByTestId('slot-chip')
    expect(await chips.count()).toBe(9)
    const first = chips.first()
    expect(await first.innerText()).toMatch(/^08:00–09:00\s+余 \d+$/)
    // Compact: at most two lines (time, what is left) and three or more chips per row on a phone.
    const boxes = await chips.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON()))
    for (const box of boxes) expect(box.height).toBeLessThanOrEqual(56)
    const firstRow = boxes.filter((box) => Math.abs(box.top - boxes[0]!.top) < 2)
    expect(firstRow.length).toBeGreaterThanOrEqual(3)
    expect(await scrollsSideways(page)).toBe(false)
    await page.getByRole('radio', { name: /^10:00–11:00，余 \d+/ }).check()
    expect(await chips.nth(2).getAttribute('class')).toContain('slot-chip-on')
    await expectAccessible(page)
    await saveScreenshot(page, 'scenic-calendar-zh')
    await context.close()
  })

  test('en laptop: Today and Tomorrow marked, prices per day, chips in one or two rows', async () => {
    const { context, page } = await laptop()
    await openSiteOn(page, dayInChina(1))
    const tomorrow = page.locator(`[data-date="${dayInChina(1)}"]`)
    expect(await tomorrow.getByTestId('day-price').textContent()).toBe('¥60')
    expect(await tomorrow.getByTestId('day-number').textContent()).toBe('Tomorrow')
    const today = page.locator(`[data-date="${dayInChina(0)}"]`)
    if (await today.count()) expect(await today.getByTestId('day-number').textContent()).toBe('Today')
    await tomorrow.click()
    const chips = page.getByTestId('slot-chip')
    await expect.poll(() => chips.count()).toBe(9)
    const tops = new Set(
      await chips.evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top))),
    )
    expect(tops.size).toBeLessThanOrEqual(2)
    expect(await chips.nth(3).innerText()).toMatch(/^11:00–12:00\s+\d+ left$/)
    await saveScreenshot(page, 'scenic-calendar-en')
    await context.close()
  })
})

describe('package: gate + cable car', () => {
  test('zh-CN phone: the package is sold at ¥180 with the saving shown; the ride is for the gate ticket’s visitor', async () => {
    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    await openSiteOn(page, dayInChina(1))
    await page.locator(`[data-date="${dayInChina(1)}"]:not([disabled])`).click()
    const pkg = page.locator('[data-package-id="pkg_demo_gate_cablecar"]')
    await pkg.waitFor()
    expect(await pkg.getByTestId('package-price').textContent()).toBe('¥180')
    expect(await pkg.innerText()).toContain('含 成人票 + 索道票')
    expect(await pkg.getByTestId('package-saves').textContent()).toBe(`省 ¥${packageSaves(dayInChina(1))}`)
    await pkg.getByRole('button', { name: '选择' }).click()
    expect(await pkg.getByRole('button', { name: '已选' }).getAttribute('aria-pressed')).toBe('true')
    // Single tickets step aside; one visitor is typed, the ride follows it.
    expect(await page.getByTestId('products').count()).toBe(0)
    await page.getByRole('radio', { name: /^09:00–10:00/ }).check()
    const gate = page.getByTestId('visitor').first()
    await gate.getByLabel('姓名').fill('韩梅梅')
    await gate.getByLabel(/^身份证号/).fill(idNumberFor('19880515', 301))
    expect(await page.getByTestId('package-rider').textContent()).toBe('游客：韩梅梅（与套票中的门票相同）。')
    expect(await page.getByTestId('visitor').nth(1).getByRole('textbox').count()).toBe(0)
    expect(await page.getByTestId('scenic-total').textContent()).toContain('¥180')
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'scenic-package-zh')
    const holdButton = page.getByRole('button', { name: '预订套票' })
    expect(await holdButton.isDisabled()).toBe(false)
    await holdButton.click()
    await page.waitForURL(/\/checkout$/)
    await expect.poll(() => page.getByTestId('checkout-items').locator('li').count()).toBe(2)
    expect(await page.getByTestId('checkout-total').textContent()).toBe('¥180')
    await context.close()
  })

  test('en laptop: the package is bought and paid, two tickets at the package price', async () => {
    const { context, page } = await laptop()
    await openSiteOn(page, dayInChina(2))
    await page.locator(`[data-date="${dayInChina(2)}"]:not([disabled])`).click()
    const pkg = page.locator('[data-package-id="pkg_demo_gate_cablecar"]')
    expect(await pkg.getByTestId('package-saves').textContent()).toBe(`Save ¥${packageSaves(dayInChina(2))}`)
    expect(await pkg.innerText()).toContain(`¥${adultPrice(dayInChina(2)) + 80} separately`)
    await pkg.getByRole('button', { name: 'Choose' }).click()
    await page.getByRole('radio', { name: /^14:00–15:00, \d+ left/ }).check()
    const gate = page.getByTestId('visitor').first()
    await gate.getByLabel('Name').fill('Han Meimei')
    await gate.getByLabel(/^ID number/).fill(idNumberFor('19880515', 302))
    expect(await page.getByTestId('package-rider').textContent()).toBe(
      'For Han Meimei, the visitor of the gate ticket in this package.',
    )
    await page.getByRole('button', { name: 'Reserve the package' }).click()
    await page.waitForURL(/\/checkout$/)
    expect(await page.getByTestId('checkout-total').textContent()).toBe('¥180')
    await payAtCheckout(page, 'package@example.com')
    await expectQrCodesLoaded(page, 2)
    const tickets = await page.getByTestId('tickets').textContent()
    expect(tickets).toContain('cable car')
    expect(tickets).toContain('Han Meimei')
    await context.close()
  })

  test('dropping the package brings single tickets back', async () => {
    const { context, page } = await newPage(browser, { mobile: true, locale: 'en' })
    await openSiteOn(page, dayInChina(1))
    await page.locator(`[data-date="${dayInChina(1)}"]:not([disabled])`).click()
    await page
      .locator('[data-package-id="pkg_demo_gate_cablecar"]')
      .getByRole('button', { name: 'Choose' })
      .click()
    await page.getByRole('button', { name: 'Buy single tickets instead' }).click()
    await page.getByTestId('products').waitFor()
    expect(await page.getByRole('button', { name: 'Reserve 1 ticket' }).count()).toBe(0)
    expect(await page.getByText('Choose at least one ticket.').count()).toBe(1)
    await context.close()
  })
})

describe('single tickets: gate ticket, then cable car', () => {
  test('the ride is for a visitor picked from those entered; later, for a gate ticket bought earlier', async () => {
    const date = dayInChina(1)
    const visitorId = idNumberFor('19900307', 101)
    const { context, page } = await newPage(browser, { mobile: true })
    await openSiteOn(page, date)
    await page.locator(`[data-date="${date}"]:not([disabled])`).click()
    await page.getByRole('heading', { level: 2, name: 'Tickets' }).waitFor()

    // Refused: with no gate ticket held or owned, the cable car cannot be added.
    const cableCar = page.locator('[data-product-id="prd_demo_cablecar"]')
    expect(await cableCar.getByTestId('needs-parent').textContent()).toContain('Buy the gate ticket first')
    expect(await cableCar.getByRole('button', { name: /^Add one/ }).isDisabled()).toBe(true)

    // The gate ticket: one adult, a real-name visitor whose ID is checked as typed.
    await page
      .locator('[data-product-id="prd_demo_adult"]')
      .getByRole('button', { name: /^Add one/ })
      .click()
    // No entry time yet: the greyed button says why.
    await page.getByText('Pick an entry time.').waitFor()
    await page.getByRole('radio', { name: /^10:00–11:00/ }).check()
    const visitor = page.getByTestId('visitor').first()
    await visitor.getByLabel('Name').fill('Li Lei')
    await visitor
      .getByLabel(/^ID number/)
      .fill(`${visitorId.slice(0, 17)}${visitorId[17] === '0' ? '1' : '0'}`)
    await visitor.getByText('Not a valid ID number').waitFor()
    await visitor.getByLabel(/^ID number/).fill(visitorId)
    await visitor.getByText('ID number looks right.').waitFor()
    // A ride in the same order is for a visitor already entered: picked, nothing typed.
    await cableCar.getByRole('button', { name: /^Add one/ }).click()
    const rider = page.getByTestId('visitor').nth(1)
    const choice = rider.getByRole('radio', { name: 'Li Lei · Gate ticket — adult' })
    expect(await choice.isChecked()).toBe(true)
    expect(await rider.getByRole('textbox').count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Reserve 2 tickets' }).isDisabled()).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'scenic-cable-car-picked')
    // This visit buys the gate ticket alone: the wording is tickets, never seats.
    await cableCar.getByRole('button', { name: /^Remove one/ }).click()
    expect(await page.getByText(/seat/i).count()).toBe(0)
    await page.getByRole('button', { name: 'Reserve 1 ticket' }).click()
    await payAtCheckout(page, 'visitor@example.com')
    await expectQrCodesLoaded(page, 1)

    // Back on the site: the owned gate ticket unlocks the cable car for that day, for that ticket's visitor.
    await openSiteOn(page, date)
    await page.locator(`[data-date="${date}"]:not([disabled])`).click()
    await page.getByText('You already have a gate ticket for this day.').waitFor()
    await cableCar.getByRole('button', { name: /^Add one/ }).click()
    const owned = page.getByTestId('visitor').first().getByTestId('visitor-choice')
    await expect
      .poll(() => owned.allInnerTexts())
      .toEqual([`Li Lei ${visitorId.slice(0, 3)}${'*'.repeat(11)}${visitorId.slice(-4)} · bought earlier`])
    expect(await page.getByTestId('visitor').first().getByRole('textbox').count()).toBe(0)
    await page.getByRole('button', { name: 'Reserve 1 ticket' }).click()
    await payAtCheckout(page, 'visitor@example.com')
    await expectQrCodesLoaded(page, 1)
    expect(await page.getByTestId('tickets').textContent()).toContain('cable car')
    await context.close()
  })
})
