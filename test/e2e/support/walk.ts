// What the page walk checks on every page, as a reader of that language would notice it: a message key shown
// instead of its text, a Latin code (price zone code, raw status, snake_case id) on a Chinese page, a page wider
// than the phone, the wrong `lang`, and axe-core's serious or critical findings. Each check returns findings as
// lines (page: what), so one run lists everything to fix rather than stopping at the first.
import type { Page } from 'playwright-core'
import { englishStatusReason, orderStatusReasonCodes } from '../../../worker/domain/order-status-reason.ts'
import { describeViolations, saveScreenshot, seriousA11yViolations } from './browser.ts'

export type WalkLocale = 'zh-CN' | 'en'

/** Status and role values the server sends; on a Chinese page any of them in plain sight is untranslated. */
export const rawStatusValues = [
  'pending',
  'paid',
  'paid_waiting',
  'expired',
  'cancelled',
  'refunded',
  'partially_refunded',
  'failed',
  'succeeded',
  'valid',
  'revoked',
  'used',
  'active',
  'rebooked',
  'deposit_paid',
  'forfeited',
  'forming',
  'void',
  'scheduled',
  'published',
  'draft',
  'owner',
  'manager',
  'admitted',
  'refused',
  'disabled',
]

/**
 * Waits until the page has a heading and nothing says "loading", then until web fonts are in; says what is still
 * missing after `timeout` instead of throwing, so the walk goes on and lists it with the rest.
 */
export async function settle(page: Page, timeout = 20_000): Promise<string | undefined> {
  try {
    await page.waitForFunction(() => Boolean(document.querySelector('h1, h2')), undefined, { timeout })
  } catch {
    return 'no heading appeared'
  }
  try {
    await page.waitForFunction(
      () =>
        ![...document.querySelectorAll('.loading')].some((el) => (el as HTMLElement).offsetParent !== null),
      undefined,
      { timeout },
    )
  } catch {
    return `still says "${await page.locator('.loading').first().textContent()}" after ${timeout / 1000} s`
  }
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  return undefined
}

/** Every piece of text a person can see or hear: rendered text, option texts, labels and alternatives. */
function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [document.title]
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    while (walker.nextNode()) {
      const node = walker.currentNode
      const element = node.parentElement
      if (!element || element.closest('code, kbd, samp, [translate="no"], script, style, template')) continue
      const shown =
        element.checkVisibility({ visibilityProperty: true }) || element.closest('.visually-hidden')
      if (shown && node.textContent?.trim()) texts.push(node.textContent.trim())
    }
    for (const option of document.querySelectorAll('select option')) texts.push(option.textContent ?? '')
    for (const element of document.querySelectorAll('[aria-label], [placeholder], img[alt], [title]')) {
      if (element.closest('[translate="no"], code')) continue
      for (const name of ['aria-label', 'placeholder', 'alt', 'title'])
        if (element.getAttribute(name)) texts.push(element.getAttribute(name)!)
    }
    return texts
  })
}

/** Latin codes on a Chinese page: price zone codes, raw status values and snake_case identifiers. */
export function latinCodesIn(texts: string[], categoryCodes: string[]): string[] {
  const statuses = new RegExp(`(?<![A-Za-z_])(${rawStatusValues.join('|')})(?![A-Za-z_])`, 'g')
  const categories = categoryCodes.length
    ? new RegExp(`(?<![A-Za-z])(${categoryCodes.join('|')})(?![A-Za-z])`, 'g')
    : null
  const found = new Set<string>()
  for (const raw of texts) {
    // Addresses and links are not meant to be translated.
    const text = raw.replace(/\S+@\S+/g, ' ').replace(/https?:\/\/\S+/g, ' ')
    for (const match of text.matchAll(/(?<![A-Za-z0-9_])[a-z][a-z0-9]*(?:_[a-z0-9]+)+/g))
      found.add(`code "${match[0]}" in "${raw.slice(0, 80)}"`)
    for (const match of text.matchAll(statuses)) found.add(`status "${match[0]}" in "${raw.slice(0, 80)}"`)
    if (categories)
      for (const match of text.matchAll(categories))
        found.add(`price zone code "${match[0]}" in "${raw.slice(0, 80)}"`)
  }
  return [...found]
}

/**
 * English on a Chinese page that the organizer or the server wrote: the demo's English names of events, price zones,
 * venues, the scenic site and its tickets, the group-buy campaign (shown only on English pages), and the English order status reasons (the apps localize codes).
 */
export function englishTextsIn(texts: string[], englishNames: string[]): string[] {
  const found = new Set<string>()
  for (const raw of texts) {
    for (const name of englishNames)
      if (new RegExp(`(?<![A-Za-z])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z])`).test(raw))
        found.add(`English name "${name}" in "${raw.slice(0, 80)}"`)
    for (const reason of englishReasonStarts)
      if (raw.includes(reason)) found.add(`English status reason in "${raw.slice(0, 80)}"`)
  }
  return [...found]
}

/** The first words of every English status reason the server stores beside its code (none may reach a page). */
const englishReasonStarts = [
  ...new Set(
    orderStatusReasonCodes.map((code) =>
      englishStatusReason({ code, order: 'X', minSize: 3, deadline: '', refunded: false } as never).slice(
        0,
        24,
      ),
    ),
  ),
]

export interface AuditOptions {
  name: string
  locale: WalkLocale
  /** Price zone codes that differ from their names (a code in sight means the name was not used). */
  categoryCodes: string[]
  /** The demo's English names (events, zones, venues, the site, its tickets, the campaign): never on a Chinese page. */
  englishNames: string[]
  /** The shop must never scroll sideways; the admin console and gate are checked for everything else. */
  noSidewaysScroll: boolean
  screenshot?: string
}

/** Runs every check on the page as it is now; returns the findings, each prefixed with the page's name. */
export async function auditPage(page: Page, options: AuditOptions): Promise<string[]> {
  const findings: string[] = []
  const say = (what: string) => findings.push(`${options.name} [${options.locale}]: ${what}`)
  const unsettled = await settle(page)
  if (unsettled) say(unsettled)

  const lang = await page.evaluate(() => document.documentElement.lang)
  if (lang !== options.locale) say(`<html lang="${lang}">, expected ${options.locale}`)

  const missing = await page.evaluate(
    () => (window as unknown as { __missingMessages?: string[] }).__missingMessages ?? [],
  )
  for (const key of missing) say(`untranslated message key ${key}`)

  if (options.locale === 'zh-CN')
    for (const code of latinCodesIn(await visibleTexts(page), options.categoryCodes)) say(code)
  if (options.locale === 'zh-CN')
    for (const text of englishTextsIn(await visibleTexts(page), options.englishNames)) say(text)

  if (options.noSidewaysScroll) {
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      widest: [...document.querySelectorAll('body *')]
        .map((el) => ({ el, right: el.getBoundingClientRect().right }))
        .filter(({ right }) => right > window.innerWidth + 1)
        .slice(0, 3)
        .map(
          ({ el, right }) =>
            `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''} to ${Math.round(right)} px`,
        ),
    }))
    if (widths.page > widths.viewport)
      say(
        `scrolls sideways: ${widths.page} px wide in a ${widths.viewport} px window (${widths.widest.join(', ')})`,
      )
  }

  const violations = await seriousA11yViolations(page)
  if (violations.length) say(`accessibility:\n${describeViolations(violations)}`)

  if (options.screenshot) await saveScreenshot(page, options.screenshot)
  return findings
}
