import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { signIn } from './support/admin.ts'
import { expectAccessible, launchBrowser, newPage } from './support/browser.ts'

// A house of 5,000 seats or more in the organizer's console (issue 22, big venues): the show page draws one
// section at a time, chosen from the overview's sections with their free seats, instead of every seat at once.
// The demo's 6,000-seat arena (worker/demo/demo-data.ts arenaChart): Floor 1,200, Lower and Upper 2,400 each.

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('a big house in the console', () => {
  test('the show page loads a section at a time and blocks seats in it', async () => {
    const { context, page } = await newPage(browser, { locale: 'zh-CN' })
    const sections: string[] = []
    page.on('request', (request) => {
      const match = /\/seat-map\/sections\/([^/?]+)/.exec(request.url())
      if (match) sections.push(decodeURIComponent(match[1]!))
    })
    await signIn(page)
    await page.goto('/admin/shows/shw_demo_countdown')
    const picker = page.getByLabel('显示的区域（大场馆按区加载座位）')
    await picker.waitFor()
    // Other browser tests share the demo and sell in the arena (the box office's seat pick), so free counts are
    // read, not assumed; names, totals and order are the house's.
    const options = await picker.locator('option').allTextContents()
    const shown = options.map((text) => /^(.+)：可售 (\d+) \/ 共 (\d+)$/.exec(text)?.slice(1))
    expect(shown.map((o) => [o?.[0], o?.[2]])).toEqual([
      ['内场', '1200'],
      ['看台一层', '2400'],
      ['看台二层', '2400'],
    ])
    for (const o of shown) expect(Number(o![1])).toBeLessThanOrEqual(Number(o![2]))
    const lowerFree = Number(shown[1]![1])
    const seats = page.getByTestId('seat-map').locator('circle[data-seat]')
    await expect.poll(() => seats.count()).toBe(1200)
    expect(sections).toEqual(['Floor'])

    await picker.selectOption('Lower')
    await expect.poll(() => seats.count()).toBe(2400)
    expect(sections).toEqual(['Floor', 'Lower'])
    await expectAccessible(page)

    // A seat of the Lower tier blocked: the section's free count drops, and the map stays on that section.
    await seats.first().click()
    await page.getByRole('button', { name: '本场封座' }).click()
    await expect
      .poll(() => picker.locator('option').nth(1).textContent())
      .toBe(`看台一层：可售 ${lowerFree - 1} / 共 2400`)
    expect(await picker.inputValue()).toBe('Lower')
    await page.getByRole('button', { name: '解除封座' }).click()
    await expect
      .poll(() => picker.locator('option').nth(1).textContent())
      .toBe(`看台一层：可售 ${lowerFree} / 共 2400`)
    await context.close()
  })
})
