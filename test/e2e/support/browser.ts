// One Chromium per test file (Debian's, never a downloaded build), with helpers every e2e test uses:
// a page on the stack, an axe-core accessibility check, and a screenshot saved for people to look at.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { expect, inject } from 'vitest'
import { chromiumPath } from '../chromium.ts'

export const baseUrl = () => inject('baseUrl')
const screenshots = join(import.meta.dirname, '..', 'screenshots')
const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
let axeText: string | undefined

/** Generous: two slow cores shared by workerd, Chromium and the test itself. */
export const NAVIGATION_TIMEOUT = 60_000
export const ACTION_TIMEOUT = 30_000

/** `args` adds Chromium switches (e.g. a fake camera playing a prepared video). */
export async function launchBrowser(options: { args?: string[] } = {}): Promise<Browser> {
  const executablePath = chromiumPath()
  if (!existsSync(executablePath)) {
    throw new Error(
      `${executablePath} is missing: \`node test/e2e/chromium.ts\` installs Debian's or says what to run`,
    )
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
  })
}

export interface PageOptions {
  locale?: 'zh-CN' | 'en'
  /** A phone-sized viewport (the shop is mobile-first); desktop otherwise. */
  mobile?: boolean
  /** An exact desktop size instead of the default 1280x900 (e.g. the 1366x900 laptop of the page walk). */
  viewport?: { width: number; height: number }
  /** A touch screen (taps), e.g. the kiosk's portrait 1080×1920. Phones have touch anyway. */
  touch?: boolean
}

/** A fresh browser context (own cookies, so its own buyer) with the app language preset. */
export async function newPage(
  browser: Browser,
  options: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    locale: options.locale ?? 'en',
    viewport: options.mobile
      ? { width: 390, height: 844 }
      : (options.viewport ?? { width: 1280, height: 900 }),
    deviceScaleFactor: 1,
    hasTouch: options.touch ?? options.mobile ?? false,
    timezoneId: 'Asia/Shanghai',
  })
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT)
  context.setDefaultTimeout(ACTION_TIMEOUT)
  // Only a first visit gets the preset language, so a switch made in the test survives reloads.
  await context.addInitScript((locale) => {
    if (!localStorage.getItem('locale')) localStorage.setItem('locale', locale)
  }, options.locale ?? 'en')
  const page = await context.newPage()
  // Browser-side errors fail loudly in the test output instead of silently breaking a page.
  page.on('pageerror', (error) => console.error(`[browser] ${error.message}`))
  // Anything the Content-Security-Policy blocked is a broken page: the accessibility check reports it.
  const blocked: string[] = []
  cspViolations.set(page, blocked)
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      blocked.push(message.text())
      console.error(`[browser] ${message.text()}`)
    }
  })
  return { context, page }
}

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[]; failureSummary?: string }[]
}

const cspViolations = new WeakMap<Page, string[]>()
/** What the page's Content-Security-Policy blocked so far (script, style, image, connection…). */
export const blockedByCsp = (page: Page) => [...(cspViolations.get(page) ?? [])]

/**
 * Runs axe-core in the page; returns the serious and critical violations (the ones that fail a test), and
 * anything the Content-Security-Policy blocked, as one more violation.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated rather than added as a <script>: the pages' policy refuses inline scripts, as it should.
  axeText ??= readFileSync(axeSource, 'utf8')
  await page.evaluate(axeText)
  const blocked = blockedByCsp(page)
  const policy: AxeViolation[] = blocked.length
    ? [
        {
          id: 'content-security-policy',
          impact: 'serious',
          help: 'The page tried to load something its Content-Security-Policy blocks',
          nodes: blocked.map((text) => ({ target: [text] })),
        },
      ]
    : []
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<any> } })
      .axe
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations as AxeViolation[]
  })
  return [
    ...policy,
    ...violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical'),
  ]
}

/** Formats violations so a failing assertion says what to fix. */
export const describeViolations = (violations: AxeViolation[]) =>
  violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n')

/** Fails with axe's serious and critical findings on the page, listed so the failure says what to fix. */
export async function expectAccessible(page: Page) {
  const violations = await seriousA11yViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

/** The page scrolls sideways: its content is wider than the viewport. */
export const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)

export async function saveScreenshot(page: Page, name: string) {
  mkdirSync(screenshots, { recursive: true })
  // From the top, so sticky headers sit where a person sees them rather than mid-page in the full capture.
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true })
}
