// The page walk: every page of the shop, the admin console and the gate, in Chinese on a 390x844 phone and in
// English on a 1366x900 laptop, as their users would meet them. Each page fails the walk on a message key shown
// instead of its text, a price zone code, raw status or snake_case code on a Chinese page, a shop page wider than
// the window, a wrong `lang`, or a serious/critical axe-core finding; a screenshot of each is saved (git-ignored,
// test/e2e/screenshots/walk-*.png). Each app and language is one test listing all its findings at once.
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { baseUrl, launchBrowser, newPage } from './support/browser.ts'
import { auditPage, type WalkLocale } from './support/walk.ts'

const organizerId = 'org_demo'
const password = 'demo-password-2026'
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())

const layouts: { locale: WalkLocale; mobile: boolean; label: string }[] = [
  { locale: 'zh-CN', mobile: true, label: 'zh-CN at 390x844' },
  { locale: 'en', mobile: false, label: 'en at 1366x900' },
]

let browser: Browser
/** Price zone codes of the demo venues whose names differ from them (VIP is its own name; A/B/C are row letters too). */
let categoryCodes: string[] = []
/**
 * The demo's English names beside its Chinese ones (events, price zones, venues, their sections and cities, the
 * scenic site, its city, tickets and packages, the group-buy campaign).
 */
let englishNames: string[] = []

beforeAll(async () => {
  browser = await launchBrowser()
  const codes = new Set<string>()
  const english = new Set<string>()
  for (const show of ['shw_demo_symphony', 'shw_demo_film_1', 'shw_demo_tour', 'shw_demo_countdown']) {
    const detail = (await (await fetch(`${baseUrl()}/api/shows/${show}`)).json()) as {
      eventNameEn: string | null
      venueNameEn: string | null
      cityEn: string | null
      categories: { code: string; name: string; nameEn?: string }[]
    }
    if (detail.eventNameEn) english.add(detail.eventNameEn)
    if (detail.venueNameEn) english.add(detail.venueNameEn)
    if (detail.cityEn) english.add(detail.cityEn)
    // The seat map's sections (池座 / Stalls, 影厅 / Hall): a Chinese page shows their Chinese names only.
    const map = (await (await fetch(`${baseUrl()}/api/shows/${show}/seat-map`)).json()) as {
      sections: { key: string; name: string; nameEn?: string }[]
    }
    for (const section of map.sections) if (section.nameEn) english.add(section.nameEn)
    for (const category of detail.categories) {
      if (category.code.length > 1 && category.code !== category.name) codes.add(category.code)
      if (category.nameEn) english.add(category.nameEn)
    }
  }
  const site = (await (await fetch(`${baseUrl()}/api/scenic-sites/site_demo_mountain`)).json()) as {
    nameEn: string | null
    cityEn: string | null
    products: { nameEn: string | null }[]
    packages: { nameEn: string | null }[]
  }
  for (const named of [site, ...site.products, ...site.packages]) if (named.nameEn) english.add(named.nameEn)
  if (site.cityEn) english.add(site.cityEn)
  const campaign = (await (await fetch(`${baseUrl()}/api/group-buys/campaigns/gbc_demo_film`)).json()) as {
    nameEn: string | null
  }
  if (campaign.nameEn) english.add(campaign.nameEn)
  // The demo's sales channels (官网 / 携程 / 美团 / 自助机) by their English names, as the seed gives them.
  for (const channel of ['Own website', 'Ctrip', 'Meituan', 'Gate kiosks']) english.add(channel)
  categoryCodes = [...codes]
  expect(categoryCodes).toContain('PRM')
  englishNames = [...english]
  expect(englishNames).toEqual(
    expect.arrayContaining([
      'Premium',
      'Voyage Beyond',
      'Summit cable car',
      'Harbour Concert Hall',
      'Starlight Cinema — Hall 1',
      'Misty Mountain Scenic Area',
      'Voyage Beyond · groups of three',
      'Stalls',
      'Circle',
      'Balcony',
      'Hall',
      'Shanghai',
      'Hangzhou',
    ]),
  )
})
afterAll(async () => {
  await browser?.close()
})

async function open(locale: WalkLocale, mobile: boolean) {
  return newPage(browser, { locale, mobile, viewport: { width: 1366, height: 900 } })
}

/** A JSON call from inside the browser context (its cookies, so the page's own buyer or staff member). */
async function call<T>(request: APIRequestContext, path: string, body?: unknown, key?: string): Promise<T> {
  const response = body
    ? await request.post(path, {
        data: body,
        headers: { origin: baseUrl(), ...(key ? { 'idempotency-key': key } : {}) },
      })
    : await request.get(path)
  if (!response.ok()) throw new Error(`${path}: ${response.status()} ${await response.text()}`)
  return (await response.json()) as T
}

interface Created {
  orderId: string
  paymentId: string
  checkoutUrl: string
}

/**
 * One best-available film seat held and ordered by this context's buyer; paid unless `pay` is false, `pay_late`
 * pays after the hold ran out (the order then carries a status reason).
 */
async function filmOrder(context: BrowserContext, show: string, pay: boolean | 'pay_late') {
  const hold = await call<{ id: string }>(context.request, `/api/shows/${show}/holds`, {
    best: { category: 'STD', quantity: 1 },
  })
  const created = await call<Created>(
    context.request,
    '/api/orders',
    { kind: 'show', showId: show, holdId: hold.id, email: 'walk@example.com' },
    crypto.randomUUID(),
  )
  if (pay)
    await call(context.request, `/api/payments/sandbox/checkout/${created.paymentId}/complete`, {
      outcome: pay === 'pay_late' ? 'pay_late' : 'pay',
    })
  return created
}

interface Walk {
  page: Page
  locale: WalkLocale
  app: 'shop' | 'admin' | 'gate' | 'box'
  noSidewaysScroll: boolean
  findings: string[]
}

async function visit(walk: Walk, name: string, path?: string, screenshot = true) {
  if (path) await walk.page.goto(path)
  const found = await auditPage(walk.page, {
    name: `${walk.app} ${name}${path ? ` (${path})` : ''}`,
    locale: walk.locale,
    categoryCodes,
    englishNames,
    noSidewaysScroll: walk.noSidewaysScroll,
    screenshot: screenshot ? `walk-${walk.app}-${name}-${walk.locale}` : undefined,
  })
  walk.findings.push(...found)
}

describe('page walk', () => {
  for (const layout of layouts) {
    test(`shop, ${layout.label}`, async () => {
      const { context, page } = await open(layout.locale, layout.mobile)
      const walk: Walk = { page, locale: layout.locale, app: 'shop', noSidewaysScroll: true, findings: [] }
      await page.goto('/')
      const paid = await filmOrder(context, 'shw_demo_film_2', true)
      const pending = await filmOrder(context, 'shw_demo_film_3', false)
      // A group the buyer leads and paid for (a group shows once its leader has paid).
      const { membership } = await call<{ membership: { groupId: string; paymentId: string } }>(
        context.request,
        '/api/group-buys/campaigns/gbc_demo_film/groups',
        { showId: 'shw_demo_film_4', category: 'STD', quantity: 1, email: 'walk-leader@example.com' },
      )
      await call(context.request, `/api/payments/sandbox/checkout/${membership.paymentId}/complete`, {
        outcome: 'pay',
      })

      await visit(walk, 'home', '/')
      await visit(walk, 'concert', '/shows/shw_demo_symphony')
      await visit(walk, 'cinema', '/shows/shw_demo_film_1')
      await visit(walk, 'arena', '/shows/shw_demo_countdown')
      await visit(walk, 'presale', '/shows/shw_demo_jazz')
      await visit(walk, 'waiting-room-show', '/shows/shw_demo_tour')
      await visit(walk, 'waiting-room', '/shows/shw_demo_tour/queue')
      await visit(walk, 'group-buys', '/shows/shw_demo_film_1/group-buys')
      await visit(walk, 'group', `/group-buys/${membership.groupId}`)
      await visit(walk, 'scenic', '/scenic/site_demo_mountain')
      await visit(walk, 'my-tickets', '/my-tickets')
      await visit(walk, 'order', `/orders/${paid.orderId}`)
      // A status reason reads in the page's language (the server stores a code; its English text is for partners).
      const late = await filmOrder(context, 'shw_demo_film_2', 'pay_late')
      await visit(walk, 'order-paid-late', `/orders/${late.orderId}`)
      expect(await page.getByTestId('status-reason').textContent()).toBe(
        layout.locale === 'zh-CN'
          ? '付款晚于锁座时限，但原票仍未售出，已为您保留。'
          : 'Paid after the hold expired; the same tickets were still free and are yours.',
      )
      await visit(walk, 'sandbox-payment', new URL(pending.checkoutUrl).pathname)
      await visit(walk, 'distributor', '/distributor')
      await visit(walk, 'not-found', '/no-such-page', false)

      // Checkout with a hold in hand: held through the API, handed to the shop as its pages do.
      const show = await call<{ eventName: string; startsAt: string }>(
        context.request,
        '/api/shows/shw_demo_film_5',
      )
      const hold = await call(context.request, '/api/shows/shw_demo_film_5/holds', {
        best: { category: 'PRM', quantity: 2 },
      })
      // The show page hands checkout the sections' names in the page's language with the hold.
      const { sections } = await call<{ sections: { key: string; name: string; nameEn?: string }[] }>(
        context.request,
        '/api/shows/shw_demo_film_5/seat-map',
      )
      const sectionNames = Object.fromEntries(
        sections.map((s) => [s.key, layout.locale === 'en' ? (s.nameEn ?? s.name) : s.name]),
      )
      await page.evaluate(
        (held) => sessionStorage.setItem('current-hold', held),
        JSON.stringify({
          kind: 'show',
          hold,
          title: show.eventName,
          startsAt: show.startsAt,
          realNameRequired: false,
          sectionNames,
        }),
      )
      await visit(walk, 'checkout', '/checkout')
      await context.close()
      expect(walk.findings, walk.findings.join('\n')).toEqual([])
    })

    test(`admin console, ${layout.label}`, async () => {
      const { context, page } = await open(layout.locale, layout.mobile)
      const walk: Walk = { page, locale: layout.locale, app: 'admin', noSidewaysScroll: false, findings: [] }
      await visit(walk, 'sign-in', '/admin')
      const buyer = await browser.newContext({ baseURL: baseUrl() })
      const order = await filmOrder(buyer, 'shw_demo_film_6', true)
      await buyer.close()
      await call(context.request, '/api/auth/login', { email: 'owner@demo.local', password })
      // The console opens the organizer the account chose last (remembered on the server, not in this browser).
      const chose = await context.request.put('/api/auth/me/organizer', {
        data: { organizerId },
        headers: { origin: baseUrl() },
      })
      expect(chose.status()).toBe(204)
      const pages: [string, string][] = [
        ['dashboard', '/admin'],
        ['venues', '/admin/venues'],
        ['venue', '/admin/venues/ven_demo_hall'],
        ['events', '/admin/events'],
        ['event', '/admin/events/evt_demo_symphony'],
        ['show', '/admin/shows/shw_demo_symphony'],
        ['show-arena', '/admin/shows/shw_demo_countdown'],
        ['show-presale', '/admin/shows/shw_demo_jazz/presale'],
        ['show-waiting-room', '/admin/shows/shw_demo_tour'],
        ['scenic-sites', '/admin/scenic'],
        ['scenic-site', '/admin/scenic/site_demo_mountain'],
        ['orders', '/admin/orders'],
        ['order', `/admin/orders/${order.orderId}`],
        ['channels', '/admin/channels'],
        ['staff', '/admin/staff'],
        ['partners', '/admin/partners'],
        ['webhooks', '/admin/webhooks'],
        ['messages', '/admin/messages'],
        ['gates', '/admin/gates'],
        ['kiosks', '/admin/kiosks'],
        ['group-buys', '/admin/group-buys'],
        ['coupons', '/admin/coupons'],
        ['members', '/admin/members'],
        ['distribution', '/admin/distribution'],
        ['account', '/admin/account'],
      ]
      for (const [name, path] of pages) await visit(walk, name, path)
      await context.close()
      expect(walk.findings, walk.findings.join('\n')).toEqual([])
    })

    test(`box office, ${layout.label}`, async () => {
      const { context, page } = await open(layout.locale, layout.mobile)
      // A counter PC or tablet: the phone layout may scroll sideways, as the console does.
      const walk: Walk = { page, locale: layout.locale, app: 'box', noSidewaysScroll: false, findings: [] }
      await visit(walk, 'sign-in', '/box')
      await call(context.request, '/api/auth/login', { email: 'box@demo.local', password })
      // Each layout's walk has its own stack state: the clerk's shift is open after the first one.
      const box = `/api/box/organizers/${organizerId}`
      const { shift } = await call<{ shift: unknown }>(context.request, `${box}/shift`)
      if (!shift) await visit(walk, 'open-shift', '/box')
      if (!shift) await call(context.request, `${box}/shift`, { openingFloat: 50_000 })
      await visit(walk, 'desk', '/box')
      await page.locator('.box-check input').check()
      await page.getByTestId('seat-pick').waitFor()
      await visit(walk, 'seat-pick')
      // The 6,000-seat arena: its sections to choose from, the zone's one opened.
      await page.locator('select:has(option[value="shw_demo_countdown"])').selectOption('shw_demo_countdown')
      await page.locator('[data-testid="seat-list"][data-section="Floor"]').waitFor()
      await visit(walk, 'seat-pick-arena')
      await page.locator('input[name="sale-kind"]').nth(1).check()
      await page.locator('option[value="pkg_demo_gate_cablecar"]').waitFor({ state: 'attached' })
      await visit(walk, 'scenic')
      // Leave the demo clerk as found: box-office.e2e.ts opens its own shift on the same stack.
      if (!shift) {
        const opened = await call<{ shift: { id: string } }>(context.request, `${box}/shift`)
        await call(context.request, `${box}/shift/close`, { shiftId: opened.shift.id, countedCash: 50_000 })
      }
      await context.close()
      expect(walk.findings, walk.findings.join('\n')).toEqual([])
    })

    test(`gate, ${layout.label}`, async () => {
      const staff = await browser.newContext({ baseURL: baseUrl() })
      await call(staff.request, '/api/auth/login', { email: 'manager@demo.local', password })
      const { code } = await call<{ code: string }>(
        staff.request,
        `/api/admin/organizers/${organizerId}/gate-enrollments`,
        { gateName: `Walk ${layout.locale}`, siteId: 'site_demo_mountain', fromDate: today, toDate: today },
      )
      await staff.close()

      const { context, page } = await open(layout.locale, layout.mobile)
      const walk: Walk = { page, locale: layout.locale, app: 'gate', noSidewaysScroll: true, findings: [] }
      await visit(walk, 'enroll', '/gate')
      await page.locator('input.enroll-code').fill(code)
      await page.locator('button[type="submit"]').click()
      await page.getByTestId('gate-name').waitFor()
      await visit(walk, 'scan')
      // 身份证核验: the ID-number mode, and its answer for a number with no ticket here.
      await page.getByTestId('mode-id').click()
      await page.locator('#id-input').fill('110101199003070011')
      await page.locator('#id-input').press('Enter')
      await page.getByTestId('id-result').waitFor()
      await visit(walk, 'id number')
      await context.close()
      expect(walk.findings, walk.findings.join('\n')).toEqual([])
    })
  }
})
