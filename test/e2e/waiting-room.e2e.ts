// The waiting room in a real browser against the real stack (issue 22). A buyer on a laptop in English arrives
// before opening and reads the pre-queue promise with a countdown; a buyer without a pass who tries to hold is sent
// to the queue; the organizer opens the queue (its opening moved to now through the admin API) at one buyer a
// minute, so the page shows a place, people ahead and a progress bar; a reload keeps the place; the organizer lets
// buyers in and the page hands over to the seat map, where a hold with the pass succeeds. On a phone in Chinese two
// buyers wait, one over the live socket and one whose network refuses it (polling), and both are told when the
// sale sells out; a real-name scenic day asks the ID number and the organizer's bot check, then hands over to the
// day page for a hold. The console's panel switches a show's room on and shows who waits. axe-core finds nothing
// serious on each.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Client, org, ownerClient, signIn } from './support/admin.ts'
import { ApiSession } from './support/api-session.ts'
import {
  expectAccessible,
  launchBrowser,
  newPage,
  saveScreenshot,
  scrollsSideways,
} from './support/browser.ts'
import { idNumberFor } from './support/shop.ts'

let browser: Browser
let admin: Client
beforeAll(async () => {
  browser = await launchBrowser()
  admin = await ownerClient()
})
afterAll(async () => {
  await browser?.close()
})

const minute = 60_000
/** An instant `offset` days from now at `time` on Beijing's clock. */
const beijingDay = (offset: number, time: string) =>
  new Date(
    `${new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10)}T${time}:00+08:00`,
  ).toISOString()

/** A fresh screening in the demo cinema, on sale since yesterday (its own queue, untouched by other tests). */
async function newScreening(time: string): Promise<string> {
  const show = await admin.call(`${org}/shows`, {
    body: {
      eventId: 'evt_demo_film',
      venueId: 'ven_demo_cinema1',
      startsAt: beijingDay(12, time),
      saleStartsAt: beijingDay(-1, '09:00'),
      saleEndsAt: beijingDay(12, '08:00'),
      prices: { STD: 4500, PRM: 6500 },
    },
  })
  return show.id as string
}

interface Settings {
  enabled: boolean
  opensAt: string
  admissionPerMinute: number | null
  requireChallenge: boolean
  passMinutes: number
  shards?: number
}
const setWaitingRoom = (showId: string, settings: Settings) =>
  admin.call(`${org}/shows/${showId}/waiting-room`, { method: 'PUT', body: settings })

/** A buyer queueing from Node (their own cookie), to stand in the queue beside the browser's buyer. */
async function queueingBuyer(showId: string) {
  const buyer = new ApiSession()
  await buyer.json(`/api/shows/${showId}/queue`, { body: {} })
  return buyer
}

async function place(page: Page) {
  const box = page.getByTestId('queue-place')
  await box.waitFor()
  return Number(await box.getAttribute('data-position'))
}

describe('the waiting room', () => {
  test('en 1366x900: pre-queue, a place after opening that survives a reload, then the seat map and a hold', async () => {
    const showId = await newScreening('19:00')
    await setWaitingRoom(showId, {
      enabled: true,
      opensAt: new Date(Date.now() + 30 * minute).toISOString(),
      admissionPerMinute: 1,
      requireChallenge: false,
      passMinutes: 10,
    })

    // The show page says the sale goes through a waiting room, and when it opens.
    const { context, page } = await newPage(browser, { locale: 'en', viewport: { width: 1366, height: 900 } })
    await page.goto(`/shows/${showId}`)
    const notice = page.getByTestId('queue-notice')
    await notice.waitFor()
    expect(await notice.textContent()).toMatch(/opens through a waiting room at .+ \(Beijing time\)/)
    await notice.getByRole('link', { name: 'Go to the waiting room' }).click()
    await page.waitForURL(`**/shows/${showId}/queue`)

    // Before opening: in the queue, a random place at opening, a countdown.
    const before = page.getByTestId('queue-before-open')
    await before.waitFor()
    expect(await before.textContent()).toContain('You are in the queue.')
    expect(await before.textContent()).toContain('everyone waiting here gets a place in random order')
    expect(await page.getByTestId('queue-countdown').textContent()).toMatch(/^Opens in 00:(29|30):\d\d$/)
    expect(await page.getByTestId('queue-next').textContent()).toContain(
      'When it is your turn, this page takes you to the seat map by itself.',
    )
    await expectAccessible(page)

    // A buyer without a pass who goes straight to the seat map is sent to the queue by the hold's refusal.
    const stranger = await newPage(browser, { locale: 'en' })
    await stranger.page.goto(`/shows/${showId}`)
    await stranger.page.getByRole('button', { name: 'Find seats' }).click()
    await stranger.page.waitForURL(`**/shows/${showId}/queue`)
    await stranger.page.getByTestId('queue-before-open').waitFor()
    await stranger.context.close()

    // Others queue too, so places are shared out at opening (at one a minute nobody is let in for a while, and
    // the browser's buyer is first of 20 only by a 1-in-20 draw).
    await Promise.all(Array.from({ length: 18 }, () => queueingBuyer(showId)))

    // The organizer opens now, at one buyer a minute: the page shows a place and a progress bar.
    await setWaitingRoom(showId, {
      enabled: true,
      opensAt: new Date(Date.now() - 1_000).toISOString(),
      admissionPerMinute: 1,
      requireChallenge: false,
      passMinutes: 10,
    })
    const position = await place(page)
    expect(position).toBeGreaterThanOrEqual(1)
    expect(position).toBeLessThanOrEqual(20)
    expect(await page.getByTestId('queue-position').textContent()).toBe(`No. ${position}`)
    expect(await page.getByTestId('queue-ahead').textContent()).toBe(
      position === 1
        ? 'Nobody ahead of you'
        : `${position - 1} ${position === 2 ? 'person' : 'people'} ahead of you`,
    )
    const bar = page.getByRole('progressbar', { name: 'Progress through the queue' })
    expect(await bar.getAttribute('aria-valuetext')).toBe(`Place ${position}, ${position - 1} ahead`)
    // One polite live region speaks the changes; the countdown and figures are not read out every second.
    expect(await page.locator('[aria-live="polite"][data-testid="queue-announcement"]').count()).toBe(1)
    await expectAccessible(page)
    expect(await scrollsSideways(page)).toBe(false)
    await saveScreenshot(page, 'waiting-room-place-en')

    // A reload lands on the same place, not at the back behind the 19 others (the server keeps it per buyer).
    await page.reload()
    const again = await place(page)
    expect(again).toBeLessThanOrEqual(position)
    expect(again).toBeGreaterThanOrEqual(1)

    // The organizer lets buyers in as they finish: the page hands over to the seat map with the pass.
    await setWaitingRoom(showId, {
      enabled: true,
      opensAt: new Date(Date.now() - 1_000).toISOString(),
      admissionPerMinute: null,
      requireChallenge: false,
      passMinutes: 10,
    })
    await page.waitForURL(`**/shows/${showId}`, { timeout: 60_000 })
    const turn = page.getByTestId('queue-turn')
    await turn.waitFor()
    expect(await turn.textContent()).toMatch(/^Your turn: hold your tickets before \d\d:\d\d\.$/)
    expect(
      await page.evaluate((key) => sessionStorage.getItem(key), `admission-pass:show:${showId}`),
    ).toContain('"pass"')
    await page.getByRole('button', { name: 'Find seats' }).click()
    await page.waitForURL('**/checkout')
    await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor()
    await context.close()
  })

  test('zh-CN 390x844: two buyers waiting, one live and one polling, are both told when the sale sells out', async () => {
    const showId = await newScreening('21:30')
    await setWaitingRoom(showId, {
      enabled: true,
      opensAt: new Date(Date.now() - 1_000).toISOString(),
      admissionPerMinute: 1,
      requireChallenge: false,
      passMinutes: 10,
    })
    // Two buyers queued first (first come first served after opening), so at one a minute the browsers' buyers
    // stay in the queue.
    await queueingBuyer(showId)
    await queueingBuyer(showId)
    const buyers = await Promise.all([1, 2].map(() => newPage(browser, { locale: 'zh-CN', mobile: true })))
    // The second one's network refuses WebSockets: its page follows the queue by reading it every few seconds.
    await buyers[1]!.page.routeWebSocket(/\/queue\/live$/, (socket) => socket.close({ code: 1011 }))
    for (const [index, { page }] of buyers.entries()) {
      await page.goto(`/shows/${showId}/queue`)
      await page.getByTestId('queue-place').waitFor()
      expect(await page.getByTestId('queue-position').textContent()).toBe(`第 ${index + 3} 位`)
      expect(await page.getByTestId('queue-ahead').textContent()).toBe(`您前面还有 ${index + 2} 人`)
    }
    await expect.poll(() => buyers[0]!.page.getByTestId('queue-live').textContent()).toBe('实时')
    await expect.poll(() => buyers[1]!.page.getByTestId('queue-live').textContent()).toBe('每隔几秒刷新')
    await expectAccessible(buyers[0]!.page)
    expect(await scrollsSideways(buyers[0]!.page)).toBe(false)
    await saveScreenshot(buyers[0]!.page, 'waiting-room-place-zh')

    // The hall is sold out (every seat blocked by the organizer): the queue closes for everyone.
    const seats = await admin.call<{ seats: { id: string }[] }>(`/api/shows/${showId}/seat-map`)
    await admin.call(`${org}/shows/${showId}/seat-blocks`, {
      body: { seatIds: seats.seats.map((seat) => seat.id), blocked: true },
    })
    for (const { page } of buyers) {
      const soldOut = page.getByTestId('queue-sold-out')
      await soldOut.waitFor({ timeout: 60_000 })
      expect(await soldOut.getByRole('heading').textContent()).toBe('已售罄')
      expect(await soldOut.textContent()).toContain('本场门票已全部售出，排队已结束。')
    }
    await expectAccessible(buyers[1]!.page)
    for (const { context } of buyers) await context.close()
  })

  test('zh-CN 390x844, a real-name scenic day: ID number and the bot check, then the day page and a hold', async () => {
    const site = 'site_demo_mountain'
    const date = new Date(Date.now() + 8 * 3_600_000 + 20 * 86_400_000).toISOString().slice(0, 10)
    const dayRoom = `${org}/scenic-sites/${site}/days/${date}/waiting-room`
    await admin.call(dayRoom, {
      method: 'PUT',
      body: {
        enabled: true,
        opensAt: new Date(Date.now() - 1_000).toISOString(),
        admissionPerMinute: null,
        requireChallenge: true,
        passMinutes: 10,
      },
    })
    const { context, page } = await newPage(browser, { locale: 'zh-CN', mobile: true })
    try {
      // The day page says its sale goes through a queue and sends the buyer there.
      await page.goto(`/scenic/${site}?date=${date}`)
      const notice = page.getByTestId('queue-notice')
      await notice.waitFor()
      expect(await notice.textContent()).toContain('本场购票人数较多，需排队依次进入。')
      await notice.getByRole('link', { name: '进入排队' }).click()
      await page.waitForURL(`**/scenic/${site}/queue?date=${date}`)

      // Real-name: one place per ID number, so the ID is asked first; the organizer's bot check follows.
      const join = page.getByTestId('queue-join')
      await join.waitFor()
      const button = join.getByRole('button', { name: '加入排队' })
      expect(await button.isDisabled()).toBe(true)
      await join.getByLabel(/^购票人身份证号/).fill(idNumberFor('19900101', 422))
      expect(await join.textContent()).toContain('本场为实名制：每个身份证号只能排一个位置')
      await button.click()
      const check = page.getByTestId('queue-challenge')
      await check.waitFor()
      expect(await check.textContent()).toContain('主办方要求每位购票人排队前先完成安全验证。')
      // Nothing failed yet: the check was only missing.
      expect(await check.getByRole('alert').count()).toBe(0)
      expect(await button.isDisabled()).toBe(true)
      await expectAccessible(page)
      expect(await scrollsSideways(page)).toBe(false)
      await check.getByRole('checkbox', { name: '我不是机器人' }).check()
      await button.click()

      // Let in at once (the organizer follows buyers' pace): back on the day, its pass kept, and a hold goes in.
      await page.waitForURL(`**/scenic/${site}?date=${date}`, { timeout: 60_000 })
      const turn = page.getByTestId('queue-turn')
      await turn.waitFor()
      expect(await turn.textContent()).toMatch(/^已轮到您：请在 \d\d:\d\d 前锁定门票。$/)
      await page.getByRole('button', { name: '增加一张成人票' }).click()
      await page.getByRole('radio', { name: /^09:00–10:00/ }).check()
      const visitor = page.getByTestId('visitor').first()
      await visitor.getByLabel('姓名').fill('李雷')
      await visitor.getByLabel(/^身份证号/).fill(idNumberFor('19900101', 422))
      await page.getByRole('button', { name: '预订 1 张票' }).click()
      await page.waitForURL(/\/checkout$/)
      await expect.poll(() => page.getByTestId('checkout-items').locator('li').count()).toBe(1)
    } finally {
      await context.close()
      await admin.call(dayRoom, {
        method: 'PUT',
        body: { enabled: false, opensAt: new Date().toISOString(), admissionPerMinute: null },
      })
    }
  })

  test('en 1366x900, the console: the organizer switches a show’s waiting room on and watches who waits', async () => {
    const showId = await newScreening('15:00')
    const { context, page } = await newPage(browser, { locale: 'en', viewport: { width: 1366, height: 900 } })
    await signIn(page)
    await page.goto(`/admin/shows/${showId}`)
    const panel = page.getByTestId('waiting-room-panel')
    await panel.waitFor()
    await panel.getByRole('checkbox', { name: 'Use a waiting room for this sale' }).check()
    const opensAt = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / minute) * minute)
    await panel
      .getByLabel('Queue opens (Beijing time)')
      .fill(new Date(opensAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 16))
    await panel.getByRole('radio', { name: 'A fixed number per minute' }).check()
    await panel.getByLabel('Buyers let in per minute').fill('30')
    await panel.getByRole('checkbox', { name: 'Ask buyers to pass a bot check before queueing' }).check()
    await panel.getByLabel('Minutes an admitted buyer has to hold tickets').fill('8')
    // Queue rooms: the help says what one takes; 65 is refused under the field before anything is sent.
    const shards = panel.getByLabel('Queue rooms (shards)')
    expect(await shards.inputValue()).toBe('1')
    expect(await panel.textContent()).toContain('about 250 buyers joining per second')
    await shards.fill('65')
    await panel.getByRole('button', { name: 'Save waiting room' }).click()
    await expect.poll(() => shards.getAttribute('aria-invalid')).toBe('true')
    expect(await panel.textContent()).toContain('Enter a whole number from 1 to 64.')
    expect((await admin.call(`${org}/shows/${showId}/waiting-room`)).settings).toBeNull()
    await shards.fill('6')
    await panel.getByRole('button', { name: 'Save waiting room' }).click()
    await panel.getByTestId('waiting-room-saved').waitFor()
    expect(await shards.getAttribute('aria-invalid')).toBeNull()
    const saved = await admin.call(`${org}/shows/${showId}/waiting-room`)
    expect(saved.settings).toEqual({
      enabled: true,
      opensAt: opensAt.toISOString(),
      admissionPerMinute: 30,
      requireChallenge: true,
      passMinutes: 8,
      shards: 6,
    })
    // The shop's show page now names the opening; a buyer who passes the check waits, and the console counts them.
    const shop = await admin.call(`/api/shows/${showId}`)
    expect(shop.waitingRoom).toEqual({ opensAt: opensAt.toISOString(), state: 'before_open' })
    const buyer = new ApiSession()
    await buyer.json(`/api/shows/${showId}/queue`, { body: { challengeToken: 'pass' } })
    const live = panel.getByTestId('waiting-room-live')
    await expect.poll(() => live.getAttribute('data-state')).toBe('before_open')
    await expect.poll(() => panel.getByTestId('waiting-room-waiting').textContent()).toBe('1')
    expect(await live.textContent()).toContain('Not open yet')
    // With a buyer waiting, fewer rooms would lose them their place: the panel says so and the count stays.
    await shards.fill('2')
    await panel.getByRole('button', { name: 'Save waiting room' }).click()
    const refused = panel.locator('[role="alert"][data-code="conflict"]')
    await refused.waitFor()
    expect(await refused.textContent()).toContain('cannot change now')
    expect((await admin.call(`${org}/shows/${showId}/waiting-room`)).settings.shards).toBe(6)
    await expectAccessible(page)
    await context.close()
  })
})
