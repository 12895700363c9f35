import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { org, ownerClient } from './support/admin.ts'
import { baseUrl, expectAccessible, launchBrowser, newPage, saveScreenshot } from './support/browser.ts'
import { chartShown } from './support/charts.ts'

const fixtures = join(import.meta.dirname, 'fixtures')
const owner = { email: 'owner@demo.local', password: 'demo-password-2026' }
const ownerAccount = owner

/** A buyer talking to the stack's API from Node, keeping its cookie like a browser would. */
class Buyer {
  cookie = ''
  async call<T = Record<string, any>>(
    path: string,
    init: { method?: string; body?: unknown; key?: string } = {},
  ) {
    const res = await fetch(`${baseUrl()}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        'content-type': 'application/json',
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(init.key ? { 'idempotency-key': init.key } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })
    const set = res.headers.get('set-cookie')
    if (set) this.cookie = set.split(';')[0]!
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }
}

/** A paid order for `quantity` best-available seats of a demo screening, made through the public API. */
async function demoSale(showId: string, category: string, quantity: number) {
  const buyer = new Buyer()
  const hold = await buyer.call(`/api/shows/${showId}/holds`, { body: { best: { category, quantity } } })
  const order = await buyer.call('/api/orders', {
    body: { kind: 'show', showId, holdId: hold.id, email: 'e2e-admin@example.com' },
    key: crypto.randomUUID(),
  })
  await buyer.call(`/api/payments/sandbox/checkout/${order.paymentId}/complete`, { body: { outcome: 'pay' } })
  return buyer.call<{ number: string; status: string; total: number }>(`/api/orders/${order.orderId}`)
}

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('admin console', () => {
  test('signs in, imports a seat map, edits seats, creates an event and a show, and charts demo sales', async () => {
    const sales = [await demoSale('shw_demo_film_1', 'STD', 2), await demoSale('shw_demo_film_2', 'PRM', 1)]
    expect(sales.map((s) => s.status)).toEqual(['paid', 'paid'])

    const { context, page } = await newPage(browser, { locale: 'en' })
    await page.goto('/admin')
    await page.getByRole('heading', { level: 2, name: 'Sign in' }).waitFor()
    await expectAccessible(page)
    await page.getByLabel('Email').fill(owner.email)
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').getByText('Wrong email or password.').waitFor()
    await page.getByLabel('Password').fill(owner.password)
    await page.getByRole('button', { name: 'Sign in' }).click()

    // Dashboard: figures and charts for the demo sales just made.
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor()
    const totals = page.getByTestId('sales-totals')
    await totals.waitFor()
    const ticketsSold = Number(
      await totals
        .locator('div', { has: page.locator('dt', { hasText: 'Tickets sold' }) })
        .locator('dd .figure-value')
        .textContent(),
    )
    expect(ticketsSold).toBeGreaterThanOrEqual(3)
    // The charts draw the sales report of the page's range: each table under a chart holds the report's rows.
    const admin = await ownerClient()
    const from = await page.locator('input[name="report-from"]').inputValue()
    const to = await page.locator('input[name="report-to"]').inputValue()
    const report = await admin.call(`${org}/reports/sales?from=${from}&to=${to}`)
    const days = await chartShown(page.getByTestId('chart-days'))
    expect(days.inked).toBeGreaterThan(500)
    // One row per day of the range, days without sales at zero; the days' amounts add up to the report's.
    expect(days.rows.length).toBe(Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1)
    const dayTotal = days.rows.reduce(
      (sum, [, amount]) => sum + Math.round(Number(amount!.replace(/[^0-9.-]/g, '')) * 100),
      0,
    )
    expect(dayTotal).toBe(report.byDay.reduce((sum: number, d: { amount: number }) => sum + d.amount, 0))
    const types = await chartShown(page.getByTestId('chart-types'))
    expect(types.inked).toBeGreaterThan(500)
    // Row by row the report's ticket types (a scenic one by its type's name) and tickets.
    expect(types.rows.map(([, tickets]) => tickets)).toEqual(
      report.byTicketType.map((r: { tickets: number }) => r.tickets.toLocaleString('en')),
    )
    for (const [i, r] of report.byTicketType.entries())
      if (r.kind === 'show') expect(types.rows[i]![0]).toBe(r.nameEn ?? r.name)
    // Both ticket types sold above, by the names the venue gives them, never by their codes; on this English
    // page by their English names (普通座 / 优选座 are Standard / Premium).
    const typeNames = types.rows.map(([name]) => name).join(' ')
    expect(typeNames).toMatch(/Standard .*Premium|Premium .*Standard/)
    expect(typeNames).not.toMatch(/普通座|优选座/)
    expect(typeNames).not.toMatch(/\b(STD|PRM)\b/)
    const channels = await chartShown(page.getByTestId('chart-channels'))
    expect(channels.inked).toBeGreaterThan(500)
    expect(channels.rows.map(([name]) => name)).toEqual(
      report.byChannel.map((r: { name: string; nameEn?: string }) => r.nameEn ?? r.name),
    )
    expect(channels.rows.map(([name]) => name).join(' ')).toContain('web')
    const through = await admin.call(`${org}/reports/sell-through`)
    const sellThrough = await chartShown(page.getByTestId('chart-sell-through'))
    expect(sellThrough.inked).toBeGreaterThan(500)
    expect(sellThrough.rows.length).toBe(through.shows.length)
    await expectAccessible(page)
    await saveScreenshot(page, 'admin-dashboard')

    // Venue with a seat map: a bad chart lists every bad row, a good one is drawn.
    await page.getByRole('link', { name: 'Venues' }).click()
    await page.getByRole('heading', { level: 1, name: 'Venues' }).waitFor()
    await page.locator('main table').first().waitFor()
    await expectAccessible(page)
    await page.locator('input[name="venue-name"]').fill('E2E Studio')
    await page.locator('input[name="venue-city"]').fill('Suzhou')
    await page.getByLabel('Price categories').fill('A,Front,#1f6f8b\nB,Back,#7b4f9d')
    await page.getByRole('button', { name: 'Create' }).click()
    await page.getByRole('heading', { level: 1, name: 'E2E Studio' }).waitFor()
    await page.getByText('No seats yet: import a chart.').waitFor()

    await page.getByLabel('Chart file (.json or .csv)').setInputFiles(join(fixtures, 'hall-bad.csv'))
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    const problem = page.locator('[data-code="validation"]')
    await problem.waitFor()
    const badRows = await problem.locator('li').allTextContents()
    expect(badRows.length).toBeGreaterThanOrEqual(3)
    for (const line of [3, 4, 5]) expect(badRows.some((text) => text.startsWith(`#${line} `))).toBe(true)
    await expectAccessible(page)

    await page.getByLabel('Chart file (.json or .csv)').setInputFiles(join(fixtures, 'hall.csv'))
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await page.getByTestId('notice').getByText('Imported 40 seats.').waitFor()
    const map = page.getByTestId('seat-map')
    await expect.poll(() => map.locator('circle[data-seat]').count()).toBe(40)

    // Drag a box over the first two rows' left blocks, then make them category B.
    await map.scrollIntoViewIfNeeded()
    const first = await map.locator('circle[data-seat]').nth(0).boundingBox()
    const sixth = await map.locator('circle[data-seat]').nth(14).boundingBox()
    if (!first || !sixth) throw new Error('seat circles are not laid out')
    await page.mouse.move(first.x - 6, first.y - 6)
    await page.mouse.down()
    await page.mouse.move(sixth.x + sixth.width + 6, sixth.y + sixth.height + 6, { steps: 5 })
    await page.mouse.up()
    await page.getByTestId('selection-count').getByText('10 selected').waitFor()
    // Shift+click adds one more seat; the row picker adds a whole row from the keyboard.
    await map
      .locator('circle[data-seat]')
      .nth(20)
      .click({ modifiers: ['Shift'] })
    await page.getByTestId('selection-count').getByText('11 selected').waitFor()
    await page.getByLabel('Price category').selectOption('B')
    await page.getByRole('button', { name: 'Change category' }).click()
    await page.getByTestId('notice').getByText('11 seats updated.').waitFor()
    await page.getByRole('button', { name: 'Clear selection' }).click()
    // Rows are offered as people read them: the section (by its key Floor until it is named) and the row.
    await page.getByLabel('Row', { exact: true }).selectOption({ label: 'Floor, row D' })
    await page.getByRole('button', { name: 'Add row to selection' }).click()
    await page.getByLabel('Flag').selectOption('blocked')
    await page.getByRole('button', { name: 'Set flag' }).click()
    await page.getByTestId('notice').getByText('10 seats updated.').waitFor()
    await expectAccessible(page)
    await saveScreenshot(page, 'admin-seat-map')

    // An event and a show on the new venue.
    await page.getByRole('link', { name: 'Events' }).click()
    await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor()
    await page.locator('main table').first().waitFor()
    await expectAccessible(page)
    await page.locator('input[name="event-name"]').fill('E2E Quartet')
    await page.locator('select[name="event-status"]').selectOption('published')
    await page.getByRole('button', { name: 'Create' }).click()
    await page.getByRole('heading', { level: 1, name: 'E2E Quartet' }).waitFor()
    await page
      .locator('select[name="show-venue"] option', { hasText: 'E2E Studio' })
      .waitFor({ state: 'attached' })
    await page.locator('select[name="show-venue"]').selectOption({ label: 'E2E Studio (40)' })
    const day = (offset: number, time: string) =>
      `${new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10)}T${time}`
    await page.locator('input[name="show-starts"]').fill(day(20, '19:30'))
    await page.locator('input[name="show-sale-starts"]').fill(day(-1, '10:00'))
    await page.locator('input[name="show-sale-ends"]').fill(day(20, '18:00'))
    await page.locator('input[name="price-A"]').fill('280')
    await page.locator('input[name="price-B"]').fill('180')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Create show' }).click()
    await page.getByRole('heading', { level: 1, name: /^E2E Quartet · / }).waitFor()
    await page.getByRole('heading', { level: 2, name: 'Inventory' }).waitFor()
    // The live map: 40 seats, the blocked row drawn as blocked.
    await expect.poll(() => page.getByTestId('seat-map').locator('circle[data-seat]').count()).toBe(40)
    // Edit the show's price: the form is prefilled with what was saved.
    expect(await page.locator('input[name="price-B"]').inputValue()).toBe('180')
    await page.locator('input[name="price-A"]').fill('300')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('status').getByText('Saved.').waitFor()
    await expectAccessible(page)
    await saveScreenshot(page, 'admin-show')

    // Orders: find a demo sale by its number and open it.
    await page.getByRole('link', { name: 'Orders' }).click()
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor()
    await page.locator('input[name="order-search"]').fill(sales[0]!.number)
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByRole('link', { name: sales[0]!.number }).click()
    await page.getByRole('heading', { level: 1, name: `Order ${sales[0]!.number}` }).waitFor()
    await page.getByRole('heading', { level: 2, name: 'History' }).waitFor()
    await expectAccessible(page)
    await saveScreenshot(page, 'admin-order')

    // The remaining sections render and pass axe.
    for (const [link, heading] of [
      ['Scenic sites', 'Scenic sites'],
      ['Sales channels', 'Sales channels'],
      ['Staff', 'Staff'],
    ] as const) {
      await page.getByRole('link', { name: link, exact: true }).click()
      await page.getByRole('heading', { level: 1, name: heading }).waitFor()
      await page.locator('table').first().waitFor()
      await expectAccessible(page)
    }
    await page.getByRole('link', { name: 'Scenic sites' }).click()
    await page.locator('main a[href^="/admin/scenic/"]').first().click()
    // The site's settings are in tabs: each section renders when chosen and passes axe.
    await page.getByRole('tab', { name: 'Daily quotas' }).click()
    await page.getByRole('heading', { level: 2, name: 'Quotas for one day' }).waitFor()
    await page.getByText(/left this day/).waitFor()
    await expectAccessible(page)
    await saveScreenshot(page, 'admin-scenic-site')
    await page.getByRole('tab', { name: 'Prices' }).click()
    await page.getByRole('heading', { level: 2, name: /Price calendar/ }).waitFor()
    await expectAccessible(page)

    // A partner's signing secret is shown once, on creation, and never listed.
    await page.getByRole('link', { name: 'Partners' }).click()
    await page.getByRole('heading', { level: 1, name: 'Partners' }).waitFor()
    await page.locator('input[name="partner-name"]').fill('E2E Travel')
    await page.getByLabel('Channel').selectOption('ctrip')
    await page.getByRole('button', { name: 'Create' }).click()
    const secretBox = page.getByTestId('secret-once')
    await secretBox.waitFor()
    const shownSecret = (await secretBox.locator('code').last().textContent()) ?? ''
    expect(shownSecret.length).toBeGreaterThan(16)
    await expectAccessible(page)
    await secretBox.getByRole('button', { name: 'I have stored it' }).click()
    await page.getByRole('cell', { name: 'E2E Travel', exact: true }).waitFor()
    expect(await page.locator('main').textContent()).not.toContain(shownSecret)

    // A webhook endpoint: its secret once, then its (still empty) delivery log.
    await page.getByRole('link', { name: 'Webhooks' }).click()
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor()
    await page.locator('input[name="endpoint-url"]').fill('https://hooks.example.com/tickets')
    await page.getByRole('button', { name: 'Create' }).click()
    await page.getByTestId('secret-once').waitFor()
    await expectAccessible(page)
    await page.getByTestId('secret-once').getByRole('button', { name: 'I have stored it' }).click()
    await page.getByRole('link', { name: 'https://hooks.example.com/tickets' }).click()
    await page.getByRole('heading', { level: 2, name: 'Deliveries' }).waitFor()
    await page.getByRole('button', { name: 'Deactivate' }).waitFor()
    await expectAccessible(page)

    // Gates: a one-time enrollment code for the new event's shows.
    await page.getByRole('link', { name: 'Gates' }).click()
    await page.getByRole('heading', { level: 1, name: 'Gates' }).waitFor()
    await page.locator('input[name="gate-name"]').fill('North gate')
    await page.getByLabel('Tickets it checks').selectOption({ label: 'Event: E2E Quartet' })
    await page.getByRole('button', { name: 'Create a one-time code' }).click()
    expect(await page.locator('.enrollment-code').textContent()).toMatch(/^[A-Z0-9-]{8,9}$/)
    await expectAccessible(page)
    await saveScreenshot(page, 'admin-gates')

    // A group-buy campaign on the new show, at a group price below the regular one.
    await page.getByRole('link', { name: 'Group buys' }).click()
    await page.getByRole('heading', { level: 1, name: 'Group buys' }).waitFor()
    await page.locator('input[name="campaign-name"]').fill('E2E Friends')
    await page.getByRole('checkbox', { name: /E2E Quartet/ }).check()
    // Group prices are asked per price zone by the name the venue gives it (zone A is "Front"), never by its code.
    await page.getByLabel('Front', { exact: true }).fill('250')
    await page.getByRole('button', { name: 'Create' }).click()
    const campaign = page
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'E2E Friends', exact: true }) })
    await campaign.waitFor()
    expect(await campaign.textContent()).toContain('Front ¥250')
    await expectAccessible(page)
    await context.close()
  })

  test('pages carry the security headers their policy allows the apps to work under', async () => {
    for (const path of ['/', '/admin', '/admin/staff', '/gate', '/shows/shw_demo_film_1']) {
      const res = await fetch(`${baseUrl()}${path}`)
      expect(res.status, path).toBe(200)
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toMatch(/script-src 'self' 'sha256-[\w+/=]+'/)
      expect(csp, path).toContain("frame-ancestors 'none'")
      expect(csp, path).toContain("object-src 'none'")
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
      expect(res.headers.get('strict-transport-security'), path).toContain('max-age=31536000')
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin')
      await res.arrayBuffer()
    }
    const api = await fetch(`${baseUrl()}/api/shows`)
    expect(api.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(api.headers.get('x-content-type-options')).toBe('nosniff')
  })

  test('invites a staff member, who sets their own password on the invitation page and later changes it', async () => {
    const email = `e2e.${Date.now().toString(36)}@staff.test`
    const owner = await newPage(browser, { locale: 'en' })
    await owner.page.goto('/admin')
    await owner.page.getByLabel('Email').fill(ownerAccount.email)
    await owner.page.getByLabel('Password').fill(ownerAccount.password)
    await owner.page.getByRole('button', { name: 'Sign in' }).click()
    await owner.page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor()
    await owner.page.getByRole('link', { name: 'Staff', exact: true }).click()
    await owner.page.getByRole('heading', { level: 2, name: 'Invite a staff member' }).waitFor()
    await owner.page.locator('input[name="invite-email"]').fill(email)
    await owner.page.getByLabel('Role', { exact: true }).selectOption('manager')
    await owner.page.getByRole('button', { name: 'Send invitation' }).click()
    await owner.page.getByRole('status').getByText(`Invitation sent to ${email}.`).waitFor()
    await owner.page.getByRole('cell', { name: email, exact: true }).waitFor()
    await expectAccessible(owner.page)
    await saveScreenshot(owner.page, 'admin-staff-invitations')

    // The invitee opens the link from their inbox (the dev mailbox here).
    const mailbox = await (await fetch(`${baseUrl()}/api/dev/mailbox?to=${encodeURIComponent(email)}`)).json()
    const link = String(mailbox.items[0].body).match(/https?:\/\/\S+\/admin\/invitation#token=[\w-]+/)?.[0]
    expect(link).toBeTruthy()
    const invitee = await newPage(browser, { locale: 'zh-CN' })
    await invitee.page.goto(link!.replace(/^https?:\/\/[^/]+/, ''))
    await invitee.page.getByRole('heading', { level: 1, name: '员工邀请' }).waitFor()
    await invitee.page.getByText(`（${email}）`).waitFor()
    await expectAccessible(invitee.page)
    await invitee.page.getByLabel('您的姓名').fill('E2E Manager')
    await invitee.page.getByLabel('设置密码（至少 10 位）').fill('my-own-password-2026')
    await invitee.page.getByRole('button', { name: '创建账号并加入' }).click()
    await invitee.page
      .getByRole('status')
      .getByText(/您已加入/)
      .waitFor()
    await invitee.page.getByRole('link', { name: '进入控制台' }).click()
    await invitee.page.getByRole('heading', { level: 1, name: '数据看板' }).waitFor()

    // Their own password, changed from the account page: the current one is needed.
    await invitee.page.getByRole('link', { name: new RegExp(email.replace('.', '\\.')) }).click()
    await invitee.page.getByRole('heading', { level: 1, name: '我的账号' }).waitFor()
    await invitee.page.getByLabel('当前密码').fill('not-my-password')
    await invitee.page.getByLabel('新密码（至少 10 位）').fill('a-newer-password-2026')
    await invitee.page.getByRole('button', { name: '修改密码' }).click()
    await invitee.page.getByRole('alert').getByText('is not your current password').waitFor()
    await invitee.page.getByLabel('当前密码').fill('my-own-password-2026')
    await invitee.page.getByRole('button', { name: '修改密码' }).click()
    await invitee.page.getByRole('status').getByText('密码已修改，其他设备上的登录已退出。').waitFor()
    await expectAccessible(invitee.page)
    await saveScreenshot(invitee.page, 'admin-account-zh')

    // The owner sees the new manager and no pending invitation; a second invitation is revoked.
    await owner.page.reload()
    await owner.page.getByRole('cell', { name: 'E2E Manager', exact: true }).waitFor()
    await owner.page.getByText('No pending invitations.').waitFor()
    const second = `e2e.revoked.${Date.now().toString(36)}@staff.test`
    await owner.page.locator('input[name="invite-email"]').fill(second)
    await owner.page.getByRole('button', { name: 'Send invitation' }).click()
    owner.page.once('dialog', (dialog) => dialog.accept())
    await owner.page.getByRole('button', { name: `Revoke ${second}` }).click()
    await owner.page.getByText('No pending invitations.').waitFor()
    await invitee.context.close()
    await owner.context.close()
  })

  test('works on a phone in Chinese, and signing out returns to the sign-in form', async () => {
    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    await page.goto('/admin')
    await page.getByRole('heading', { level: 2, name: '登录' }).waitFor()
    await page.getByLabel('邮箱').fill(owner.email)
    await page.getByLabel('密码').fill(owner.password)
    await page.getByRole('button', { name: '登录' }).click()
    await page.getByRole('heading', { level: 1, name: '数据看板' }).waitFor()
    await page.getByTestId('sales-totals').waitFor()
    expect(await page.getByTestId('organizer-switch').locator('option').count()).toBeGreaterThanOrEqual(1)
    await expectAccessible(page)
    await saveScreenshot(page, 'admin-dashboard-zh-mobile')
    await page.getByRole('button', { name: '退出登录' }).click()
    await page.getByRole('heading', { level: 2, name: '登录' }).waitFor()
    await context.close()
  })
})
