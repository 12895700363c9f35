import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  describeViolations,
  launchBrowser,
  newPage,
  saveScreenshot,
  seriousA11yViolations,
} from './support/browser.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('shop home', () => {
  test('lists the demo shows, switches language, and passes axe', async () => {
    const { context, page } = await newPage(browser, { mobile: true })
    await page.goto('/')
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('What’s on')
    await page.getByText('Voyage Beyond', { exact: false }).first().waitFor()
    const violations = await seriousA11yViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
    await saveScreenshot(page, 'shop-home')

    await page.getByTestId('language-switch').selectOption('zh-CN')
    await page.getByRole('heading', { level: 1, name: '近期演出与景区' }).waitFor()
    expect(await page.evaluate(() => localStorage.getItem('locale'))).toBe('zh-CN')
    await context.close()
  })

  test('serves the admin and gate apps on their paths, including deep links', async () => {
    const { context, page } = await newPage(browser)
    await page.goto('/admin/venues/anything')
    await page.getByRole('heading', { level: 1, name: 'Admin console' }).waitFor()
    await page.goto('/gate')
    await page.getByRole('heading', { level: 1, name: 'Gate scanner' }).waitFor()
    await context.close()
  })
})
