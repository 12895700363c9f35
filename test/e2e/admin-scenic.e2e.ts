// A scenic site's settings as an organizer uses them (issue 19): sections in tabs instead of one 5,000 px page,
// and time slots edited as rows (start, end, capacity) that say what is wrong before anything is saved.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Client, expectAccessible, org, ownerClient, signIn } from './support/admin.ts'
import { launchBrowser, newPage, saveScreenshot } from './support/browser.ts'

interface Slot {
  start: string
  end: string
  capacity: number
}

async function siteWithSlots(admin: Client, name: string) {
  return admin.call<{ id: string }>(`${org}/scenic-sites`, {
    body: {
      name,
      city: '杭州',
      dailyCapacity: 300,
      timeSlots: [
        { code: '09:00', start: '09:00', end: '10:00', capacity: 100 },
        { code: '10:00', start: '10:00', end: '11:00', capacity: 100 },
      ],
    },
  })
}

/** PATCHes of the site sent by the page, to prove an invalid form sends nothing. */
function sitePatches(page: Page, siteId: string) {
  const sent: string[] = []
  page.on('request', (request) => {
    if (request.method() === 'PATCH' && request.url().endsWith(`/scenic-sites/${siteId}`))
      sent.push(request.url())
  })
  return sent
}

const pageHeight = (page: Page) => page.evaluate(() => document.documentElement.scrollHeight)

let browser: Browser
let admin: Client
beforeAll(async () => {
  browser = await launchBrowser()
  admin = await ownerClient()
})
afterAll(async () => {
  await browser?.close()
})

describe('scenic site settings', () => {
  test('1366 px, English: the demo site in five tabs, each a short page; keys and the address move between them', async () => {
    const { context, page } = await newPage(browser, { locale: 'en' })
    await page.setViewportSize({ width: 1366, height: 900 })
    await signIn(page)
    await page.getByRole('link', { name: 'Scenic sites', exact: true }).click()
    // The demo site by name: other files add sites whose ids sort before it, and the first link was then a site
    // with no slots, so the height check below measured a short page instead of the demo's nine slots.
    await page.getByRole('link', { name: 'Misty Mountain Scenic Area', exact: true }).click()
    const tablist = page.getByRole('tablist')
    await tablist.waitFor()
    expect(await tablist.getByRole('tab').allTextContents()).toEqual([
      'Site',
      'Tickets',
      'Packages',
      'Daily quotas',
      'Prices',
    ])
    const sections = [
      ['Site', 'site', 'Site details'],
      ['Tickets', 'products', 'Visit products'],
      ['Packages', 'packages', 'Packages'],
      ['Daily quotas', 'quotas', 'Quotas for one day'],
      ['Prices', 'prices', 'Price calendar (next 14 days)'],
    ] as const
    const heights: Record<string, number> = {}
    for (const [tab, key, heading] of sections) {
      await tablist.getByRole('tab', { name: tab }).click()
      const panel = page.getByRole('tabpanel', { name: tab })
      await panel.getByRole('heading', { level: 2, name: heading }).waitFor()
      expect(await tablist.getByRole('tab', { name: tab }).getAttribute('aria-selected')).toBe('true')
      expect(new URL(page.url()).searchParams.get('tab')).toBe(key)
      // One section at a time: the other sections' headings are not on the page.
      for (const [, otherKey, other] of sections)
        if (otherKey !== key)
          expect(await page.getByRole('heading', { name: other, exact: true }).count()).toBe(0)
      // The Site tab measured with all of the demo's nine slots (and the refund-as-coupon card) on it.
      if (key === 'site') expect(await panel.getByRole('listitem', { name: /^Slot \d+$/ }).count()).toBe(9)
      heights[key] = await pageHeight(page)
      await expectAccessible(page)
    }
    // Each section is at most about two screens high, where the single page was about five thousand pixels.
    for (const [key, height] of Object.entries(heights)) expect(height, key).toBeLessThanOrEqual(2000)

    // Arrow keys move between tabs (and the focus with them); the address keeps the section over a reload.
    await tablist.getByRole('tab', { name: 'Prices' }).focus()
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Daily quotas')
    await page.getByRole('heading', { level: 2, name: 'Quotas for one day' }).waitFor()
    await page.reload()
    await page.getByRole('heading', { level: 2, name: 'Quotas for one day' }).waitFor()
    expect(await tablist.getByRole('tab', { name: 'Daily quotas' }).getAttribute('aria-selected')).toBe(
      'true',
    )
    await saveScreenshot(page, 'admin-scenic-tabs-en')

    // The slot editor speaks English too: a slot ending before it starts is named at its End field.
    const site = await siteWithSlots(admin, 'E2E Slot Park')
    const patches = sitePatches(page, site.id)
    await page.goto(`/admin/scenic/${site.id}`)
    const second = page.getByRole('listitem', { name: 'Slot 2' })
    await second.getByLabel('End').fill('09:30')
    await second.getByText('The slot must end after it starts.').waitFor()
    await page.getByRole('button', { name: 'Save time slots' }).click()
    await page.getByRole('alert').getByText('Fix the marked time slots first; nothing was saved.').waitFor()
    expect(await second.getByLabel('End').evaluate((el) => el === document.activeElement)).toBe(true)
    expect(patches).toEqual([])
    await context.close()
  })

  test('390 px, Chinese: slots as rows — add, remove, each mistake named at its field, nothing saved until right', async () => {
    const site = await siteWithSlots(admin, '分时段测试景区')
    const { context, page } = await newPage(browser, { locale: 'zh-CN', mobile: true })
    await signIn(page)
    const patches = sitePatches(page, site.id)
    await page.goto(`/admin/scenic/${site.id}`)
    await page.getByRole('heading', { level: 1, name: '分时段测试景区' }).waitFor()
    const editor = page.getByTestId('slot-editor')
    const row = (n: number) => editor.getByRole('listitem', { name: `第 ${n} 个时段` })
    await row(2).waitFor()
    expect(await row(1).getByLabel('开始').inputValue()).toBe('09:00')
    expect(await row(2).getByLabel('结束').inputValue()).toBe('11:00')
    expect(await editor.getByTestId('slots-total').textContent()).toBe('共 2 个时段，合计 200 人')

    // A new slot starts where the last one ends, as long and as large.
    await editor.getByRole('button', { name: '添加时段' }).click()
    expect(await row(3).getByLabel('开始').inputValue()).toBe('11:00')
    expect(await row(3).getByLabel('结束').inputValue()).toBe('12:00')
    expect(await row(3).getByLabel('容量').inputValue()).toBe('100')

    // Mistakes are written at the field they concern, in Chinese.
    await row(3).getByLabel('开始').fill('10:30')
    await row(3).getByText('与第 2 个时段（10:00–11:00）重叠。').waitFor()
    await row(3).getByLabel('容量').fill('500')
    await row(3).getByText('超过了每日容量 300。').waitFor()
    await page.getByRole('button', { name: '保存分时段' }).click()
    await page.getByRole('alert').getByText('请先修正标出的时段，尚未保存。').waitFor()
    expect(
      await row(3)
        .getByLabel('开始')
        .evaluate((el) => el === document.activeElement),
    ).toBe(true)
    expect(patches).toEqual([])
    // On a phone every field of a row is inside the screen, nothing scrolls sideways.
    for (const field of ['开始', '结束', '容量']) {
      const box = (await row(3).getByLabel(field).boundingBox())!
      expect(box.x, field).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width, field).toBeLessThanOrEqual(390)
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await expectAccessible(page)
    await saveScreenshot(page, 'admin-scenic-slots-zh-mobile')

    // Fixed, the first slot removed: one save, and the site has exactly the rows on screen.
    await row(3).getByLabel('开始').fill('11:00')
    await row(3).getByLabel('容量').fill('80')
    expect(await editor.getByTestId('slot-error').count()).toBe(0)
    await row(1).getByRole('button', { name: '删除第 1 个时段' }).click()
    await expect.poll(() => editor.getByRole('listitem').count()).toBe(2)
    await page.getByRole('button', { name: '保存分时段' }).click()
    await page.getByRole('status').getByText('已保存。').waitFor()
    expect(patches).toHaveLength(1)
    const saved = await admin.call<{ timeSlots: Slot[] }>(`${org}/scenic-sites/${site.id}`)
    expect(saved.timeSlots.map(({ start, end, capacity }) => ({ start, end, capacity }))).toEqual([
      { start: '10:00', end: '11:00', capacity: 100 },
      { start: '11:00', end: '12:00', capacity: 80 },
    ])
    await page.reload()
    await row(2).waitFor()
    expect(await row(1).getByLabel('开始').inputValue()).toBe('10:00')
    expect(await row(2).getByLabel('容量').inputValue()).toBe('80')
    await context.close()
  })
})
