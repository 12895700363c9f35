// The shop home as a buyer sees it (one card per film or concert with its poster, "¥45起", a sold-out badge and
// showtime chips) on a 390×844 phone in Chinese and a 1366×900 laptop in English, and the organizer's poster
// upload in the admin event form, resized in the browser before it is sent.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { encodePng } from '../../worker/demo/png.ts'
import { adminOverHttp } from '../support/admin-over-http.ts'
import {
  baseUrl,
  expectAccessible,
  launchBrowser,
  newPage,
  saveScreenshot,
  scrollsSideways,
} from './support/browser.ts'

const owner = { email: 'owner@demo.local', password: 'demo-password-2026' }
let browser: Browser
/** A concert of the demo organizer whose only show has every seat held: sold out on the home page. */
let soldOut: { eventId: string; name: string }

beforeAll(async () => {
  browser = await launchBrowser()
  const admin = await adminOverHttp(baseUrl(), owner.email, owner.password)
  const name = `Sold-out recital 售罄独奏会 ${Date.now().toString(36)}`
  const venue = await admin('/venues', 'POST', { name: 'Recital Room', kind: 'theatre', city: '上海' })
  await admin(`/venues/${venue.id}/seat-map`, 'PUT', {
    stage: { x: 60, y: 0 },
    categories: [{ code: 'A', name: 'A', color: '#aa3333' }],
    sections: [
      {
        name: 'Room',
        rows: [
          {
            label: 'A',
            category: 'A',
            seats: [1, 2, 3].map((n) => ({ number: String(n), x: n * 30, y: 40 })),
          },
        ],
      },
    ],
  })
  const event = await admin('/events', 'POST', { name, kind: 'concert', status: 'published' })
  const now = Date.now()
  const show = await admin('/shows', 'POST', {
    eventId: event.id,
    venueId: venue.id,
    startsAt: new Date(now + 5 * 86_400_000).toISOString(),
    saleStartsAt: new Date(now - 3_600_000).toISOString(),
    saleEndsAt: new Date(now + 4 * 86_400_000).toISOString(),
    prices: { A: 9900 },
  })
  const hold = await fetch(`${baseUrl()}/api/shows/${show.id}/holds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl() },
    body: JSON.stringify({ best: { category: 'A', quantity: 3 } }),
  })
  if (hold.status !== 201) throw new Error(`hold: ${hold.status} ${await hold.text()}`)
  soldOut = { eventId: event.id!, name }
})
afterAll(async () => {
  await browser?.close()
})

/** The poster image of a card once loaded: its rendered box and the file the browser chose. */
const loadedPoster = (page: Page, card: ReturnType<Page['locator']>, selector = 'img.event-poster') =>
  expect
    .poll(() =>
      card.locator(selector).evaluate((img: HTMLImageElement) =>
        img.complete && img.naturalWidth > 0
          ? {
              width: Math.round(img.getBoundingClientRect().width),
              src: img.currentSrc,
              natural: img.naturalWidth,
            }
          : null,
      ),
    )
    .not.toBeNull()

describe('shop home grouped by event', () => {
  test('on a phone in Chinese: one card per film with poster, ¥45起, showtime chips; sold-out badge; no sideways scroll', async () => {
    const { context, page } = await newPage(browser, { mobile: true, locale: 'zh-CN' })
    await page.goto('/')
    await page.getByRole('heading', { level: 1, name: '近期演出与景区' }).waitFor()
    const film = page.getByTestId('event-card').filter({ hasText: '星际远航' })
    await film.waitFor()
    // Six screenings, one card.
    expect(await film.count()).toBe(1)
    expect(await film.getByTestId('from-price').textContent()).toBe('¥45起')
    const chips = film.getByTestId('showtime')
    expect(await chips.count()).toBe(6)
    expect(await chips.first().textContent()).toBe('明天 14:00')
    expect(await chips.nth(2).textContent()).toMatch(/^\d+月\d+日周.\s?14:00$/)
    // A chip is big enough to tap.
    expect((await chips.first().boundingBox())!.height).toBeGreaterThanOrEqual(36)

    await loadedPoster(page, film)
    const poster = await film.locator('img.event-poster').evaluate((img: HTMLImageElement) => ({
      width: img.getBoundingClientRect().width,
      height: img.getBoundingClientRect().height,
      src: img.currentSrc,
    }))
    // 96 px wide on the phone: the 400 px file, not the 800 px one.
    expect(poster).toMatchObject({ width: 96, height: 144 })
    expect(poster.src).toMatch(/\/api\/images\/img_demo_space\/400$/)

    const concert = page.getByTestId('event-card').filter({ hasText: '新年交响音乐会' })
    expect(await concert.getByTestId('from-price').textContent()).toBe('¥280起')

    const gone = page.getByTestId('event-card').filter({ hasText: soldOut.name })
    expect(await gone.getByTestId('sold-out').textContent()).toBe('已售罄')
    expect(await gone.getByTestId('from-price').textContent()).toBe('¥99起')
    expect(await film.getByTestId('sold-out').count()).toBe(0)

    const site = page.getByTestId('site-card').filter({ hasText: '云雾山' })
    expect(await site.getByTestId('from-price').textContent()).toBe('¥60起')
    // Posters below the fold load lazily; events other tests created can push the site card there.
    await site.scrollIntoViewIfNeeded()
    await loadedPoster(page, site, 'img.site-picture')

    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'shop-home-cards-zh')

    await chips.nth(1).click()
    await page.waitForURL(/\/shows\/shw_demo_film_2$/)
    await page.getByRole('heading', { level: 1, name: /星际远航/ }).waitFor()
    await context.close()
  })

  test('on a laptop in English: cards side by side, “From ¥45”, and a poster uploaded in the admin shows up', async () => {
    const { context, page } = await newPage(browser, { locale: 'en' })
    await page.setViewportSize({ width: 1366, height: 900 })
    await page.goto('/')
    const cards = page.getByTestId('event-card')
    const film = cards.filter({ hasText: 'Voyage Beyond' })
    await film.waitFor()
    expect(await film.getByTestId('from-price').textContent()).toBe('From ¥45')
    expect(await film.getByTestId('showtime').first().textContent()).toMatch(/^Tomorrow 14:00$/)
    const [a, b] = [(await cards.nth(0).boundingBox())!, (await cards.nth(1).boundingBox())!]
    expect(Math.abs(a.y - b.y)).toBeLessThan(2)
    expect(b.x).toBeGreaterThan(a.x + a.width - 1)
    await loadedPoster(page, film)
    expect(await film.locator('img.event-poster').evaluate((img) => img.getBoundingClientRect().width)).toBe(
      120,
    )
    expect(await cards.filter({ hasText: soldOut.name }).getByTestId('sold-out').textContent()).toBe(
      'Sold out',
    )
    expect(await scrollsSideways(page)).toBe(false)
    await expectAccessible(page)
    await saveScreenshot(page, 'shop-home-cards-en')

    // The organizer picks a large image; the browser sends it at 400 and 800 px.
    const admin = await context.newPage()
    await admin.goto('/admin')
    await admin.getByLabel('Email').fill(owner.email)
    await admin.getByLabel('Password').fill(owner.password)
    await admin.getByRole('button', { name: 'Sign in' }).click()
    await admin.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor()
    await admin.goto(`/admin/events/${soldOut.eventId}`)
    const field = admin.getByTestId('poster-field')
    await field.getByText('No poster yet').waitFor()
    await field.getByLabel('Choose a poster image').setInputFiles({
      name: 'not-a-poster.png',
      mimeType: 'image/png',
      buffer: Buffer.from('this is text, not an image'),
    })
    await field.getByRole('alert').getByText('This file is not an image the browser can read.').waitFor()

    const width = 1000
    const height = 1500
    const pixels = new Uint8Array(width * height * 3)
    for (let i = 0; i < pixels.length; i += 3) pixels.set([30, 60 + ((i / 3 / width) % 150), 140], i)
    const png = await encodePng({ width, height, pixels })
    await field.getByLabel('Choose a poster image').setInputFiles({
      name: 'recital.png',
      mimeType: 'image/png',
      buffer: Buffer.from(png),
    })
    await field.getByRole('status').getByText('Poster saved.').waitFor()
    const preview = field.getByRole('img', { name: 'Current poster' })
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(400)
    await expectAccessible(admin)
    const stored = await admin.evaluate(async (id) => {
      const base = `/api/admin/organizers/org_demo/events/${id}`
      return (await (await fetch(base)).json()).poster
    }, soldOut.eventId)
    expect(stored.type).toBe('image/jpeg')
    expect(stored.sizes.map((s: { width: number; height: number }) => [s.width, s.height])).toEqual([
      [400, 600],
      [800, 1200],
    ])

    await page.reload()
    const recital = page.getByTestId('event-card').filter({ hasText: soldOut.name })
    await loadedPoster(page, recital)
    expect(
      await recital.locator('img.event-poster').evaluate((img: HTMLImageElement) => img.currentSrc),
    ).toContain(`/api/images/${stored.id}/400`)
    await context.close()
  })
})
