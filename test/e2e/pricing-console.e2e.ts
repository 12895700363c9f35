// The show's pricing page in the console, in a real browser against the real stack (a laptop, English): deposit
// terms that cannot be sold (a deposit above the price, a balance due before it opens) are refused at their
// fields with nothing saved; good terms save and the shop's show page then offers the deposit. A price step by
// sell-through is refused at its field when bad, saves when good, and after holds made through the shop's API
// cross it, the page's step history shows the crossing.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Client, expectAccessible, org, ownerClient, signIn } from './support/admin.ts'
import { baseUrl, launchBrowser, newPage, saveScreenshot, scrollsSideways } from './support/browser.ts'

let browser: Browser
let admin: Client
beforeAll(async () => {
  browser = await launchBrowser()
  admin = await ownerClient()
})
afterAll(async () => {
  await browser?.close()
})

const day = 86_400_000
/** An instant as a datetime-local value in China time (what the console's inputs take). */
const chinaLocal = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16)

/** A published show on sale now at ¥480 in one zone of 2 rows x 10 seats named 内场. */
async function showOnSale(name: string): Promise<string> {
  const venue = await admin.call(`${org}/venues`, {
    body: { name: `${name} 场馆`, kind: 'concert_hall', city: '上海' },
  })
  await admin.call(`${org}/venues/${venue.id}/seat-map`, {
    method: 'PUT',
    body: {
      stage: { x: 100, y: -50 },
      categories: [{ code: 'A', name: '内场', color: '#aa3333' }],
      sections: [
        {
          name: '池座',
          rows: ['1', '2'].map((label, r) => ({
            label,
            category: 'A',
            seats: Array.from({ length: 10 }, (_, s) => ({ number: String(s + 1), x: s * 20, y: r * 25 })),
          })),
        },
      ],
    },
  })
  const event = await admin.call(`${org}/events`, {
    body: { name, kind: 'concert', status: 'published', maxTicketsPerBuyer: 4 },
  })
  const now = Date.now()
  const show = await admin.call(`${org}/shows`, {
    body: {
      eventId: event.id,
      venueId: venue.id,
      startsAt: new Date(now + 40 * day).toISOString(),
      saleStartsAt: new Date(now - 3_600_000).toISOString(),
      saleEndsAt: new Date(now + 39 * day).toISOString(),
      prices: { A: 48000 },
    },
  })
  return show.id as string
}

let buyers = 0
/** A buyer of the shop (an address of their own) holding `quantity` best-available seats of category A. */
async function holdSeats(showId: string, quantity: number) {
  const n = buyers++
  const res = await fetch(`${baseUrl()}/api/shows/${showId}/holds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': `198.19.7.${n + 1}` },
    body: JSON.stringify({ best: { category: 'A', quantity, allowSplit: true } }),
  })
  expect(res.status, await res.clone().text()).toBe(201)
}

describe('deposit terms in the console', () => {
  test('bad terms are refused at their fields and nothing is saved; good ones save and the shop offers them', async () => {
    const showId = await showOnSale('Deposit console concert')
    const { context, page } = await newPage(browser, { viewport: { width: 1366, height: 900 } })
    await signIn(page)
    await page.goto(`/admin/shows/${showId}/pricing`)
    const terms = page.getByTestId('deposit-terms')
    await terms.getByLabel('Sell with a deposit').check()
    const now = Date.now()
    await terms.getByLabel('Deposit per ticket (¥)').fill('600')
    await terms.getByLabel('内场').check()
    await terms.getByLabel('Balance opens').fill(chinaLocal(now + 20 * day))
    await terms.getByLabel('Balance due').fill(chinaLocal(now + 10 * day))
    await terms.getByLabel('Reminder before the due time (hours)').fill('12')
    await terms.getByRole('button', { name: 'Save deposit terms' }).click()

    const errorOf = (label: string) =>
      terms
        .locator('.field')
        .filter({ has: page.getByLabel(label) })
        .locator('.field-error')
    await errorOf('Deposit per ticket (¥)').waitFor()
    expect(await errorOf('Deposit per ticket (¥)').textContent()).toBe(
      'The deposit must be less than the lowest price it applies to (¥480).',
    )
    expect(await errorOf('Balance due').textContent()).toBe('The balance must be due after it opens.')
    expect(await terms.getByLabel('Balance due').getAttribute('aria-invalid')).toBe('true')
    expect(await errorOf('Balance opens').count()).toBe(0)
    expect(await terms.getByTestId('deposit-invalid').textContent()).toBe(
      'Nothing was saved: fix the marked fields.',
    )
    expect((await admin.call(`${org}/shows/${showId}/deposit`)).deposit).toBeNull()
    await expectAccessible(page)
    await saveScreenshot(page, 'pricing-console-deposit-invalid')

    // Fixed: ¥200 a ticket, the balance from day 10 to day 20, refunded if unpaid.
    await terms.getByLabel('Deposit per ticket (¥)').fill('200')
    await terms.getByLabel('Balance opens').fill(chinaLocal(now + 10 * day))
    await terms.getByLabel('Balance due').fill(chinaLocal(now + 20 * day))
    await terms.getByLabel('Deposit of an unpaid balance').selectOption('refund')
    expect(await terms.getByTestId('deposit-buyer-sees').textContent()).toMatch(
      /^Buyers will see: Deposit ¥200 per ticket, balance payable from .+ to .+\. An unpaid balance releases the seats and the deposit is refunded\.$/,
    )
    await terms.getByRole('button', { name: 'Save deposit terms' }).click()
    await terms.getByTestId('deposit-notice').waitFor()
    expect(await terms.getByTestId('deposit-notice').textContent()).toBe('Deposit terms saved.')
    expect(await terms.locator('.field-error').count()).toBe(0)
    const stored = await admin.call(`${org}/shows/${showId}/deposit`)
    expect(stored.deposit).toMatchObject({
      amount: 20000,
      categories: ['A'],
      reminderLeadMinutes: 720,
      forfeit: 'refund',
    })
    await saveScreenshot(page, 'pricing-console-deposit-saved')

    // The shop's show page offers it.
    await page.goto(`/shows/${showId}`)
    const offer = page.getByTestId('deposit-offer')
    await offer.waitFor()
    expect(await offer.textContent()).toContain('¥200')
    await context.close()

    // An organizer on a phone in Chinese reads the saved terms the buyer's way, on a page that fits the screen.
    const phone = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    await signIn(phone.page)
    await phone.page.goto(`/admin/shows/${showId}/pricing`)
    const line = phone.page.getByTestId('deposit-buyer-sees')
    await line.waitFor()
    expect(await line.textContent()).toMatch(
      /^买家将看到： 定金 ¥200\/张，尾款 .+ 至 .+ 支付。 逾期未付尾款，座位释放，定金退还。$/,
    )
    expect(await phone.page.getByTestId('deposit-terms').getByLabel('内场').isChecked()).toBe(true)
    expect(await scrollsSideways(phone.page)).toBe(false)
    await saveScreenshot(phone.page, 'pricing-console-deposit-phone')
    // Turned off, the show sells without a deposit again.
    const phoneTerms = phone.page.getByTestId('deposit-terms')
    await phoneTerms.getByLabel('开启定金预售').uncheck()
    expect(await line.count()).toBe(0)
    await phoneTerms.getByRole('button', { name: '保存定金设置' }).click()
    await phoneTerms.getByTestId('deposit-notice').waitFor()
    expect(await phoneTerms.getByTestId('deposit-notice').textContent()).toBe('本场次不再支持定金预售。')
    expect((await admin.call(`${org}/shows/${showId}/deposit`)).deposit).toBeNull()
    await phone.context.close()
  })
})

describe('price steps by sell-through in the console', () => {
  test('a bad step is refused at its field; a good one saves, and holds crossing it show in the history', async () => {
    const showId = await showOnSale('Step console concert')
    const { context, page } = await newPage(browser, { viewport: { width: 1366, height: 900 } })
    await signIn(page)
    await page.goto(`/admin/shows/${showId}/pricing`)
    const category = page.getByTestId('pricing-category').first()
    await category.getByRole('button', { name: 'Add a price step' }).click()
    const step = category.getByTestId('price-step').first()
    await step.getByLabel('From % sold').fill('50')
    await step.getByLabel('Change (%)').fill('0')
    await step.getByLabel('Label shown to buyers').fill('Hot seats')
    await category.getByLabel('Highest stepped price (¥)').fill('520')
    // The preview leaves steps out, and says so.
    expect(await page.getByTestId('preview-steps-note').textContent()).toBe(
      'The preview shows tiers and flash sales only: price steps depend on sales and are not in it.',
    )
    await page.getByRole('button', { name: 'Save pricing' }).click()
    const percentField = step.locator('.field').filter({ has: page.getByLabel('Change (%)') })
    await percentField.locator('.field-error').waitFor()
    expect(await percentField.locator('.field-error').textContent()).toBe(
      'A whole percent from -50 to 200, not 0.',
    )
    expect(await step.getByLabel('Change (%)').getAttribute('aria-invalid')).toBe('true')
    expect(
      await step
        .locator('.field')
        .filter({ has: page.getByLabel('From % sold') })
        .locator('.field-error')
        .count(),
    ).toBe(0)
    expect((await admin.call(`${org}/shows/${showId}/pricing`)).schedules).toEqual([])
    expect(await page.getByTestId('step-history').textContent()).toContain('No step crossed yet.')

    await step.getByLabel('Change (%)').fill('+10')
    await page.getByRole('button', { name: 'Save pricing' }).click()
    await page.getByTestId('notice').waitFor()
    const saved = await admin.call(`${org}/shows/${showId}/pricing`)
    expect(saved.schedules[0]).toMatchObject({
      category: 'A',
      steps: [{ atPercentSold: 50, percent: 10, label: 'Hot seats' }],
      ceiling: 52000,
    })

    // Three buyers hold 4 seats each: the 11th of 20 seats is past 50%, at ¥480 +10% = ¥528, capped at ¥520.
    for (let k = 0; k < 3; k++) await holdSeats(showId, 4)
    await page.reload()
    const crossing = page.getByTestId('step-crossing')
    await crossing.first().waitFor()
    expect(await crossing.count()).toBe(1)
    const cells = await crossing.first().locator('td').allTextContents()
    expect(cells.slice(1)).toEqual(['内场', 'List price → from 50% sold', '¥480 → ¥520'])
    // The step row came back from the server as saved.
    expect(await page.getByTestId('price-step').first().getByLabel('Change (%)').inputValue()).toBe('10')
    await expectAccessible(page)
    await saveScreenshot(page, 'pricing-console-step-history')
    await context.close()
  })
})
