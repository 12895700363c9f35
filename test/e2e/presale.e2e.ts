// Presales in a real browser against the real stack. A buyer on a phone in Chinese meets the demo jazz night in
// its presale: the notice says for whom, until when and when the general sale opens, with a countdown; without
// a code the hold is refused with the opening time on Beijing's clock; a wrong code is said at the code field; a
// right one (typed as a buyer would) holds, checks out and pays. An organizer on a laptop in English makes a
// presale phase in the console (errors at their fields first), generates codes, exports them as CSV, revokes
// one, and watches a flash sale's live counters move after a hold made through the API.
import { readFile } from 'node:fs/promises'
import Papa from 'papaparse'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { demoPresale } from '../../worker/demo/presale-ids.ts'
import { type Client, expectAccessible, org, ownerClient, signIn } from './support/admin.ts'
import { baseUrl, launchBrowser, newPage, saveScreenshot } from './support/browser.ts'

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
/** 12月8日 周二 10:00: how the shop writes a moment on Beijing's clock in Chinese (this year). */
function zhWhen(iso: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('zh-CN', {
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: 'Asia/Shanghai',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  )
  const year = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Asia/Shanghai' })
  const prefix =
    year.format(new Date(iso)) === year.format(new Date()) ? '' : `${year.format(new Date(iso))}年`
  return `${prefix}${parts.month}月${parts.day}日 ${parts.weekday} ${parts.hour}:${parts.minute}`
}

describe('the shop in a presale', () => {
  test('zh-CN phone: the notice and countdown, not on sale without a code, a wrong code at its field, a right code buys', async () => {
    const show = await admin.call(`/api/shows/${demoPresale.show}`)
    expect(show.onSale).toBe(false)
    const phase = show.salePhases[0]
    expect(phase.status).toBe('active')
    // The demo presale runs until the general sale opens, so the notice names that moment once.
    expect(phase.endsAt).toBe(show.saleStartsAt)

    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    await page.goto(`/shows/${demoPresale.show}`)
    const presale = page.getByTestId('presale')
    await presale.waitFor()
    expect(await presale.getByRole('heading').textContent()).toBe(`预售 ${phase.label}`)
    expect(await presale.getByTestId('presale-notice').textContent()).toBe(
      `持优先购码用户及会员专享优先购进行中，${zhWhen(show.saleStartsAt)} 正式开售。`,
    )
    // The general sale opens in two to three days; the countdown runs.
    const countdown = () => presale.getByTestId('presale-countdown').textContent()
    const first = await countdown()
    expect(first).toMatch(/^距正式开售 [23]天 \d\d:\d\d:\d\d$/)
    await expect.poll(countdown, { timeout: 10_000 }).not.toBe(first)
    const box = (await presale.boundingBox())!
    expect(box.x + box.width).toBeLessThanOrEqual(390)
    await expectAccessible(page)
    await saveScreenshot(page, 'presale-shop-notice-zh')

    // Without a code (and no member tier): not on sale to this buyer, opening at the general sale.
    const best = page.locator('form').filter({ hasText: '自动选座' })
    await best.getByLabel('数量').selectOption('2')
    await page.getByRole('button', { name: '自动选座' }).click()
    await expect
      .poll(() => page.locator('[data-code="not_on_sale"]').textContent())
      .toContain(`暂未对您开售：${zhWhen(show.saleStartsAt)}（北京时间）开售。`)

    // A wrong code: the message at the code field, which takes the focus.
    const codeInput = presale.getByLabel('优先购码')
    await codeInput.fill('JAZZ-0000-0000')
    await page.getByRole('button', { name: '自动选座' }).click()
    const codeField = presale.locator('.field').filter({ has: page.getByLabel('优先购码') })
    await codeField.locator('.field-error').waitFor()
    expect(await codeField.locator('.field-error').textContent()).toBe('优先购码无效，请核对后重试。')
    expect(await codeInput.getAttribute('aria-invalid')).toBe('true')
    await expect.poll(() => codeInput.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await page.locator('.alert-error').count()).toBe(0)
    await saveScreenshot(page, 'presale-shop-wrong-code-zh')

    // The right code, typed in lower case: held, then checked out and paid.
    await codeInput.fill(demoPresale.codes[0].toLowerCase())
    expect(await codeField.locator('.field-error').count()).toBe(0)
    await page.getByRole('button', { name: '自动选座' }).click()
    await page.waitForURL(/\/checkout$/)
    const items = page.getByTestId('checkout-items').locator('li')
    await expect.poll(() => items.count()).toBe(2)
    await page.getByLabel('邮箱').fill('presale-fan@example.com')
    await page.getByRole('button', { name: /^支付 ¥/ }).click()
    await page.waitForURL(/\/api\/payments\/sandbox\/checkout\//)
    await page.getByRole('button', { name: /^(Pay|支付) ¥/ }).click()
    await page.getByTestId('back-to-order').click()
    await page.waitForURL(/\/orders\/ord_/)
    await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor()

    // The code's use is counted for the organizer.
    const codes = await admin.call(`${org}/shows/${demoPresale.show}/presale-codes`)
    const used = codes.codes.find(
      (c: { code: string }) => c.code === demoPresale.codes[0].replaceAll('-', ''),
    )
    expect(used.uses).toBe(1)
    await context.close()
  })
})

/** A published show whose general sale opens in two days, one zone of 2 x 10 seats, with an open flash sale. */
async function showBeforeSale(name: string) {
  const venue = await admin.call(`${org}/venues`, {
    body: {
      name: `${name} hall`,
      kind: 'theatre',
      city: '上海',
      sectionNames: [{ key: 'Stalls', name: '池座', nameEn: 'Stalls' }],
    },
  })
  await admin.call(`${org}/venues/${venue.id}/seat-map`, {
    method: 'PUT',
    body: {
      stage: { x: 100, y: -50 },
      categories: [{ code: 'A', name: '池座', nameEn: 'Stalls', color: '#aa3333' }],
      sections: [
        {
          name: 'Stalls',
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
  const saleStartsAt = new Date(now + 2 * day).toISOString()
  const show = await admin.call(`${org}/shows`, {
    body: {
      eventId: event.id,
      venueId: venue.id,
      startsAt: new Date(now + 30 * day).toISOString(),
      saleStartsAt,
      saleEndsAt: new Date(now + 29 * day).toISOString(),
      prices: { A: 48000 },
    },
  })
  await admin.call(`${org}/shows/${show.id}/pricing`, {
    method: 'PUT',
    body: {
      schedules: [],
      flashSales: [
        {
          id: 'fans',
          label: 'Fan flash sale',
          category: 'A',
          price: 19900,
          units: 5,
          perBuyer: 2,
          startsAt: new Date(now - 3_600_000).toISOString(),
          endsAt: new Date(now + day).toISOString(),
        },
      ],
    },
  })
  return { id: show.id as string, saleStartsAt }
}

describe('the console runs a presale', () => {
  test('en laptop: a phase with errors at its fields then saved, codes generated, exported, revoked; flash counters move', async () => {
    const show = await showBeforeSale(`Console presale ${Date.now().toString(36)}`)
    const { context, page } = await newPage(browser, { viewport: { width: 1366, height: 900 } })
    await signIn(page)
    await page.goto(`/admin/shows/${show.id}`)
    await page.getByRole('link', { name: 'Presale: phases and presale codes' }).click()
    await page.waitForURL(new RegExp(`/admin/shows/${show.id}/presale$`))

    // A phase without a name that opens after the general sale: both said at their fields, nothing saved.
    await page.getByRole('button', { name: 'Add a presale phase' }).click()
    const phase = page.getByTestId('presale-phase').first()
    await phase.getByLabel('Opens').fill(chinaLocal(Date.parse(show.saleStartsAt) + 3_600_000))
    await page.getByRole('button', { name: 'Save phases' }).click()
    const fieldOf = (label: string) =>
      phase.locator('.field').filter({ has: page.getByLabel(label, { exact: true }) })
    await fieldOf('Name buyers see').locator('.field-error').waitFor()
    expect(await fieldOf('Name buyers see').locator('.field-error').textContent()).toBe(
      'Give the phase a name.',
    )
    expect(await fieldOf('Opens').locator('.field-error').textContent()).toMatch(
      /^A presale opens before the general sale \(.+\)\.$/,
    )
    expect(await fieldOf('Closes').locator('.field-error').textContent()).toBe('Must be after the start.')
    expect((await admin.call(`${org}/shows/${show.id}/sale-phases`)).phases).toEqual([])
    await expectAccessible(page)
    await saveScreenshot(page, 'presale-console-invalid')

    await phase.getByLabel('Name buyers see').fill('Fan presale')
    await phase.getByLabel('Opens').fill(chinaLocal(Date.now() - 3_600_000))
    await page.getByRole('button', { name: 'Save phases' }).click()
    await page.getByTestId('phases-notice').waitFor()
    expect(await fieldOf('Opens').locator('.field-error').count()).toBe(0)
    await expect.poll(() => phase.locator('.badge').textContent()).toBe('Open now')
    const saved = await admin.call(`${org}/shows/${show.id}/sale-phases`)
    expect(saved.phases).toMatchObject([{ label: 'Fan presale', codes: true, memberTiers: [] }])

    // Codes: a bad count at its field, then 30 codes of 2 uses.
    const codes = page.getByTestId('presale-codes')
    await codes.getByLabel('How many codes').fill('0')
    await codes.getByRole('button', { name: 'Generate codes' }).click()
    const countField = codes.locator('.field').filter({ has: page.getByLabel('How many codes') })
    await countField.locator('.field-error').waitFor()
    expect(await countField.locator('.field-error').textContent()).toBe('Give a whole number from 1 to 1000.')
    await codes.getByLabel('How many codes').fill('30')
    await codes.getByLabel('Uses per code').fill('2')
    await codes.getByRole('button', { name: 'Generate codes' }).click()
    await expect.poll(() => codes.getByTestId('codes-notice').textContent()).toBe('30 codes generated.')
    await expect
      .poll(() => codes.getByTestId('codes-summary').textContent())
      .toBe('30 codes · 0 of 60 uses taken · 0 used up')
    expect(await codes.getByTestId('code-row').count()).toBe(25)
    expect(await codes.getByTestId('codes-page').textContent()).toBe('Page 1 of 2')
    await codes.getByRole('button', { name: 'Next page' }).click()
    expect(await codes.getByTestId('code-row').count()).toBe(5)

    // The CSV export: a header and one line per code, the same codes the API lists.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      codes.getByRole('button', { name: 'Export codes (CSV)' }).click(),
    ])
    const text = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '')
    const rows = Papa.parse<string[]>(text.trim()).data
    expect(rows[0]).toEqual(['Code', 'Uses allowed', 'Used', 'Generated'])
    expect(rows).toHaveLength(31)
    const listed = (await admin.call(`${org}/shows/${show.id}/presale-codes`)).codes as { code: string }[]
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(new Set(listed.map((c) => c.code)))
    expect(rows.slice(1).every((r) => r[1] === '2' && r[2] === '0')).toBe(true)

    // Find one code and revoke it (asked first).
    const [revoked, kept] = [listed[0]!.code, listed[1]!.code]
    await codes.getByLabel('Find a code').fill(revoked.slice(0, 8).toLowerCase())
    await expect.poll(() => codes.getByTestId('code-row').count()).toBe(1)
    await codes.getByRole('button', { name: `Revoke ${revoked}` }).click()
    await codes.getByRole('button', { name: 'Yes, revoke' }).click()
    await expect.poll(() => codes.getByTestId('codes-notice').textContent()).toBe(`Code ${revoked} revoked.`)
    await expect
      .poll(() => codes.getByTestId('codes-summary').textContent())
      .toBe('29 codes · 0 of 58 uses taken · 0 used up')
    await saveScreenshot(page, 'presale-console-codes')

    // The flash sale's live counters on the pricing page move after two units are held through the API.
    await page.getByRole('link', { name: 'Prices: early bird, tiers and flash sales' }).click()
    const counter = page.getByTestId('flash-counter').first()
    await expect.poll(() => counter.getByTestId('flash-sold').textContent()).toBe('0 of 5 sold')
    expect(await counter.getByTestId('flash-left').textContent()).toBe('5 left')
    expect(await counter.getByTestId('flash-state').textContent()).toBe('Open')
    const hold = await fetch(`${baseUrl()}/api/shows/${show.id}/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl() },
      body: JSON.stringify({ best: { category: 'A', quantity: 2 }, flashSaleId: 'fans', presaleCode: kept }),
    })
    expect(hold.status).toBe(201)
    await expect
      .poll(() => counter.getByTestId('flash-sold').textContent(), { timeout: 15_000 })
      .toBe('2 of 5 sold')
    expect(await counter.getByTestId('flash-left').textContent()).toBe('3 left')
    expect(await counter.locator('progress').evaluate((p: HTMLProgressElement) => p.value)).toBe(2)
    await expectAccessible(page)
    await saveScreenshot(page, 'presale-console-flash-live')
    await context.close()
  })
})
