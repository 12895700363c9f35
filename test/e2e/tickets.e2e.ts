// The buyer's tickets as they are used on the day: "我的门票" lists upcoming tickets with event, time, venue
// and seat (C排9座 in Chinese, "Row C, seat 9" in English) or the scenic product and slot, past ones behind
// a toggle; a concert ticket opens with its QR and the live 6-digit rotating code; and a gate admits the code
// read off the ticket page but refuses the one a 2-minute-old screenshot shows.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ApiSession } from './support/api-session.ts'
import {
  expectAccessible,
  launchBrowser,
  newPage,
  type PageOptions,
  saveScreenshot,
  scrollsSideways,
} from './support/browser.ts'
import { idNumberFor } from './support/shop.ts'

const org = 'org_demo'
const admin = `/api/admin/organizers/${org}`
const concert = 'shw_demo_symphony'
const siteId = 'site_demo_mountain'
const shanghaiDay = (at: number) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at)
const tomorrow = shanghaiDay(Date.now() + 86_400_000)

interface ApiTicket {
  ticketId: string
  lineId: string
  token: string
  place: {
    section: string
    sectionName: string
    sectionNameEn: string | null
    row: string
    number: string
  } | null
}

let browser: Browser
const staff = new ApiSession()
const buyer = new ApiSession()
let concertOrder: string
let concertTickets: ApiTicket[]
let tonightEvent: string
let tonightOrder: string
let tonightTickets: ApiTicket[]
const serial = Date.now() % 900

/** Hold → order → sandbox payment through the API; answers the order id and its tickets. */
async function buy(holdPath: string, hold: unknown, order: Record<string, unknown>) {
  const held = await buyer.json(holdPath, { body: hold }, 201)
  const created = await buyer.json(
    '/api/orders',
    {
      body: { ...order, holdId: held.id, email: 'wallet@example.com' },
      headers: { 'idempotency-key': `tickets-e2e-${Date.now()}-${Math.random()}` },
    },
    201,
  )
  await buyer.json(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, {
    body: { outcome: 'pay' },
  })
  const { items } = await buyer.json(`/api/orders/${created.orderId}/tickets`)
  return { orderId: created.orderId as string, tickets: items as ApiTicket[] }
}

/** A browser page as the buyer who bought everything above (their cookies), in a language and size. */
async function buyerPage(options: PageOptions & { width?: number }) {
  const opened = await newPage(browser, options)
  await opened.context.addCookies(buyer.cookiesFor())
  if (options.width) await opened.page.setViewportSize({ width: options.width, height: 900 })
  return opened
}

/** The 6 digits the ticket card shows now for one ticket. */
async function codeShown(page: Page, ticketId: string) {
  const digits = page.locator(`#ticket-${ticketId}`).getByTestId('rotating-code-digits')
  await expect.poll(async () => (await digits.textContent())?.replace(/\s/g, '')).toMatch(/^\d{6}$/)
  return (await digits.textContent())!.replace(/\s/g, '')
}

beforeAll(async () => {
  browser = await launchBrowser()
  await staff.json('/api/auth/login', {
    body: { email: 'manager@demo.local', password: 'demo-password-2026' },
  })

  // Two seats of the demo concert (real-name, rotating codes), a visit tomorrow, both upcoming.
  const concertBuy = await buy(
    `/api/shows/${concert}/holds`,
    {
      best: { category: 'B', quantity: 2 },
      idNumbers: [idNumberFor('19880101', serial), idNumberFor('19880101', serial + 1)],
    },
    { kind: 'show', showId: concert, holderNames: ['李雷', '韩梅梅'] },
  )
  concertOrder = concertBuy.orderId
  concertTickets = concertBuy.tickets
  await buy(
    `/api/scenic-sites/${siteId}/days/${tomorrow}/holds`,
    {
      lines: [
        {
          productId: 'prd_demo_adult',
          slot: '10:00',
          visitor: { name: '王芳', idNumber: idNumberFor('19900307', serial), phone: '13800000088' },
        },
      ],
    },
    { kind: 'scenic', siteId, date: tomorrow },
  )

  // A concert tonight whose event asks gates for rotating codes: its tickets admit right now.
  const event = await staff.json(
    `${admin}/events`,
    {
      body: {
        name: 'Tonight at the Harbour 今晚港湾音乐会',
        kind: 'concert',
        status: 'published',
        maxTicketsPerBuyer: 10,
        rotatingCode: true,
      },
    },
    201,
  )
  tonightEvent = event.id
  const now = Date.now()
  // In two hours, or just before midnight in China when that comes first: the show stays tonight's, "today" at
  // the gate and sooner than tomorrow's visit whenever the suite runs (at 23:00 in Shanghai, two hours on is
  // tomorrow, after the visit's day has begun).
  const midnight = Date.parse(`${shanghaiDay(now + 86_400_000)}T00:00:00+08:00`)
  const startsAt = Math.max(now + 60_000, Math.min(now + 2 * 3_600_000, midnight - 60_000))
  const show = await staff.json(
    `${admin}/shows`,
    {
      body: {
        eventId: event.id,
        venueId: 'ven_demo_cinema1',
        startsAt: new Date(startsAt).toISOString(),
        saleStartsAt: new Date(now - 3_600_000).toISOString(),
        saleEndsAt: new Date(Math.min(now + 3_600_000, startsAt)).toISOString(),
        prices: { STD: 4500, PRM: 6500 },
        refundTiers: [{ minHoursBefore: 0, feePercent: 0 }],
      },
    },
    201,
  )
  const tonight = await buy(
    `/api/shows/${show.id}/holds`,
    { best: { category: 'STD', quantity: 3 } },
    { kind: 'show', showId: show.id },
  )
  tonightOrder = tonight.orderId
  tonightTickets = tonight.tickets
  // One of tonight's tickets is refunded: the wallet shows it with the past ones.
  await buyer.json(
    `/api/orders/${tonightOrder}/refunds`,
    {
      body: { lineIds: [tonightTickets[2]!.lineId] },
      headers: { 'idempotency-key': `tickets-e2e-refund-${Date.now()}` },
    },
    201,
  )
})

afterAll(async () => {
  await browser?.close()
})

describe('my tickets wallet', () => {
  test('zh-CN on a phone: upcoming tickets with time, venue and 排/座 seats; past behind a toggle; a ticket opens with QR and live code', async () => {
    const { context, page } = await buyerPage({ locale: 'zh-CN', mobile: true })
    await page.goto('/my-tickets')
    await page.getByRole('heading', { level: 1, name: '我的门票' }).waitFor()
    const upcoming = page.getByTestId('wallet-upcoming').getByTestId('wallet-ticket')
    await expect.poll(() => upcoming.count()).toBe(5) // 2 concert, 1 visit, 2 tonight
    const concertCard = upcoming.filter({ hasText: '新年交响音乐会' }).first()
    const seat = (await concertCard.getByTestId('wallet-place').textContent())!
    const [first] = concertTickets
    // The section by its Chinese name (二层楼座), never its key (Circle) that the seat label keeps.
    expect(seat).toBe(`${first!.place!.sectionName} ${first!.place!.row}排${first!.place!.number}座`)
    expect(seat).toMatch(/^二层楼座 [A-Z]排\d+座$/)
    // Chinese date and time in Beijing time, no ISO timestamps, no English state words.
    expect(await concertCard.getByTestId('wallet-when').textContent()).toMatch(/\d+月\d+日.*\d\d:\d\d/)
    expect(await concertCard.textContent()).toContain('待使用')
    expect(await concertCard.textContent()).toContain('港湾音乐厅')
    // The visit tomorrow: the product's name and the entry slot's times.
    const visit = upcoming.filter({ hasText: '云雾山景区' })
    expect(await visit.getByTestId('wallet-place').textContent()).toBe('成人票 · 入园时段 10:00–11:00')
    // Tonight's first: the soonest ticket leads the list.
    expect(await upcoming.first().textContent()).toContain('今晚港湾音乐会')
    const text = (await page.locator('main').textContent()) ?? ''
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT|valid|refunded|Row /)

    // The refunded ticket waits behind the toggle.
    const past = page.getByTestId('wallet-past')
    expect(await past.isVisible()).toBe(false)
    await page.getByRole('button', { name: '已结束、已使用和已退票（1）' }).click()
    await past.waitFor()
    expect(await past.getByTestId('wallet-ticket').textContent()).toContain('已退票')
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'tickets-wallet-zh')

    // Tapping the concert ticket opens it: QR code, the 6-digit code and its countdown in Chinese.
    await concertCard.getByRole('link').click()
    await page.waitForURL(new RegExp(`/orders/${concertOrder}#ticket-${first!.ticketId}$`))
    const card = page.locator(`#ticket-${first!.ticketId}`)
    await card.locator('img.qr').waitFor()
    expect(await card.getByTestId('ticket-place').textContent()).toBe(seat)
    expect(await card.textContent()).toContain('持票人：李雷')
    await codeShown(page, first!.ticketId)
    await expect
      .poll(() => card.getByTestId('rotating-code-countdown').textContent())
      .toMatch(/^([1-9]|[12]\d|30) 秒后更新$/)
    expect(await card.textContent()).toContain('截图无法入场')
    // On a phone the code is large and the QR fills most of the width.
    const digits = (await card.getByTestId('rotating-code-digits').boundingBox())!
    expect(digits.height).toBeGreaterThanOrEqual(32)
    const qr = (await card.locator('img.qr').boundingBox())!
    expect(qr.width).toBeGreaterThanOrEqual(200)
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'tickets-concert-ticket-zh')
    await context.close()
  })

  test('en on a laptop: seats read "Row C, seat 9", times in the venue’s zone, and the code counts down', async () => {
    const { context, page } = await buyerPage({ locale: 'en', width: 1366 })
    await page.goto('/my-tickets')
    await page.getByRole('heading', { level: 1, name: 'My tickets' }).waitFor()
    const upcoming = page.getByTestId('wallet-upcoming').getByTestId('wallet-ticket')
    await expect.poll(() => upcoming.count()).toBe(5)
    const concertCard = upcoming.filter({ hasText: 'New Year Symphony Gala' }).first()
    const [first] = concertTickets
    expect(await concertCard.getByTestId('wallet-place').textContent()).toBe(
      `${first!.place!.sectionNameEn}, row ${first!.place!.row}, seat ${first!.place!.number}`,
    )
    expect(first!.place!.sectionNameEn).toBe('Circle')
    expect(await concertCard.textContent()).toContain('Valid')
    // The hall by its English name (港湾音乐厅 on Chinese pages).
    expect(await concertCard.textContent()).toContain('Harbour Concert Hall')
    expect(await concertCard.textContent()).not.toContain('港湾音乐厅')
    expect(await page.getByRole('button', { name: 'Past, used and refunded (1)' }).count()).toBe(1)
    await expectAccessible(page)
    await saveScreenshot(page, 'tickets-wallet-en')

    await page.goto(`/orders/${concertOrder}`)
    const code = await codeShown(page, first!.ticketId)
    const countdown = page.locator(`#ticket-${first!.ticketId}`).getByTestId('rotating-code-countdown')
    await expect.poll(() => countdown.textContent()).toMatch(/^changes in ([1-9]|[12]\d|30) s$/)
    const secondsNow = Number(await countdown.getAttribute('data-seconds'))
    await expect.poll(async () => Number(await countdown.getAttribute('data-seconds'))).not.toBe(secondsNow)
    // Each ticket has its own code.
    expect(await codeShown(page, concertTickets[1]!.ticketId)).not.toBe(code)
    await expectAccessible(page)
    await saveScreenshot(page, 'tickets-concert-ticket-en')

    // A step later (the page's clock moved on 30 s) the code and the QR drawn with it have both changed.
    await page.clock.install()
    await page.reload()
    const qr = page.locator(`#ticket-${first!.ticketId} img.qr`)
    const before = { code: await codeShown(page, first!.ticketId), qr: await qr.getAttribute('src') }
    expect(before.qr).toMatch(/^data:image\/svg\+xml/)
    await page.clock.fastForward(30_000)
    await expect.poll(() => codeShown(page, first!.ticketId)).not.toBe(before.code)
    await expect.poll(() => qr.getAttribute('src')).not.toBe(before.qr)
    await context.close()
  })
})

describe('rotating code at the gate', () => {
  let gate: { context: BrowserContext; page: Page }
  let shop: { context: BrowserContext; page: Page }

  /** Types the code read off a ticket page into the gate, scans the token, and answers the decision panel. */
  async function checkAtGate(token: string, code: string) {
    const { page } = gate
    const panel = page.getByTestId('decision')
    const before = await panel.getAttribute('data-nonce')
    await page.getByLabel('Rotating code').fill(code)
    await page.getByLabel('Scan or type a ticket code').fill(token)
    await page.getByLabel('Scan or type a ticket code').press('Enter')
    await page.waitForFunction((previous) => {
      const nonce = document.querySelector('[data-testid="decision"]')?.getAttribute('data-nonce')
      return Boolean(nonce) && nonce !== previous
    }, before)
    return {
      decision: await panel.getAttribute('data-decision'),
      reason: await panel.getAttribute('data-reason'),
      text: (await panel.textContent()) ?? '',
    }
  }

  beforeAll(async () => {
    const { code } = await staff.json(
      `${admin}/gate-enrollments`,
      { body: { gateName: 'Harbour door 1', eventId: tonightEvent } },
      201,
    )
    gate = await newPage(browser, { mobile: true, locale: 'en' })
    await gate.page.goto('/gate')
    await gate.page.getByLabel('Enrollment code').fill(code)
    await gate.page.getByRole('button', { name: 'Enroll' }).click()
    await gate.page.getByTestId('gate-name').waitFor()
    shop = await buyerPage({ locale: 'en', mobile: true })
  })

  afterAll(async () => {
    await gate?.context.close()
    await shop?.context.close()
  })

  test('admits the code the ticket page shows now', async () => {
    await shop.page.goto(`/orders/${tonightOrder}`)
    const code = await codeShown(shop.page, tonightTickets[0]!.ticketId)
    const result = await checkAtGate(tonightTickets[0]!.token, code)
    expect(result).toMatchObject({ decision: 'admit' })
    expect(result.text).toContain('ADMIT')
    await saveScreenshot(gate.page, 'tickets-gate-live-code')
  })

  test('refuses the code a screenshot taken 2 minutes ago shows', async () => {
    // The same ticket page as it looked 2 minutes ago: the holder's screenshot.
    const old = await buyerPage({ locale: 'en', mobile: true })
    await old.page.clock.setFixedTime(Date.now() - 120_000)
    await old.page.goto(`/orders/${tonightOrder}`)
    const screenshotCode = await codeShown(old.page, tonightTickets[1]!.ticketId)
    await old.context.close()
    await shop.page.goto(`/orders/${tonightOrder}`)
    expect(await codeShown(shop.page, tonightTickets[1]!.ticketId)).not.toBe(screenshotCode)

    const result = await checkAtGate(tonightTickets[1]!.token, screenshotCode)
    expect(result).toMatchObject({ decision: 'refuse', reason: 'rotating_code_stale' })
    expect(result.text).toContain('Rotating code missing or stale (screenshot?)')
    await saveScreenshot(gate.page, 'tickets-gate-screenshot-refused')

    // The live code for that same ticket still gets its holder in.
    const live = await codeShown(shop.page, tonightTickets[1]!.ticketId)
    expect(await checkAtGate(tonightTickets[1]!.token, live)).toMatchObject({ decision: 'admit' })
  })

  test('in Chinese on the phone, the gate counts today’s admissions and names its scope in local words', async () => {
    const { page } = gate
    await page.getByTestId('language-switch').selectOption('zh-CN')
    await page.getByRole('heading', { level: 1, name: '检票' }).waitFor()
    const attendance = page.getByTestId('attendance')
    // Three tickets bought, one refunded: two expected tonight, both now admitted.
    await expect.poll(() => attendance.textContent()).toBe('2 / 2 今日已入场')
    const scope = (await page.getByTestId('scope').locator('summary').textContent()) ?? ''
    expect(scope).toMatch(/^可入场：Tonight at the Harbour 今晚港湾音乐会 · \d+月\d+日\s?周.\s?\d\d:\d\d$/)
    expect(await page.getByTestId('decision').textContent()).toContain('通过')
    const field = (await page.getByLabel('扫码或输入票码').boundingBox())!
    expect(field.y + field.height).toBeLessThan(844 / 2)
    await expectAccessible(page)
    await saveScreenshot(page, 'tickets-gate-zh')
  })

  test('after the gate, the buyer’s wallet puts the admitted tickets with the past ones as used, without a QR', async () => {
    const { page } = shop
    await page.goto('/my-tickets')
    const upcoming = page.getByTestId('wallet-upcoming').getByTestId('wallet-ticket')
    await expect.poll(() => upcoming.count()).toBe(3) // the concert's two and the visit
    expect(await upcoming.filter({ hasText: 'Tonight at the Harbour' }).count()).toBe(0)
    await page.getByRole('button', { name: 'Past, used and refunded (3)' }).click()
    const used = page.getByTestId('wallet-past').locator('[data-testid="wallet-ticket"][data-state="used"]')
    await expect.poll(() => used.count()).toBe(2)
    expect(await used.first().textContent()).toContain('Used')
    await used.first().getByRole('link').click()
    await page.waitForURL(new RegExp(`/orders/${tonightOrder}#ticket-`))
    const card = page.locator(`#${new URL(page.url()).hash.slice(1)}`)
    await expect.poll(() => card.getAttribute('data-ticket-state')).toBe('used')
    expect(await card.textContent()).toMatch(/Admitted \w{3}, \w{3} \d+, \d\d:\d\d$/)
    expect(await card.locator('img.qr').count()).toBe(0)
    expect(await card.getByTestId('rotating-code').count()).toBe(0)
  })
})
