import { describe, expect, it } from 'vitest'
import { allAnalyticsText, Browser, eventually, IPHONE, rollups } from '../../../support/analytics.ts'
import { problemOf } from '../../../support/api.ts'
import { gridChart, idNumberFor, showOnSale } from '../../../support/catalogue.ts'
import { uniqueAddress } from '../../../support/clients.ts'

describe('the page beacon', () => {
  it('refuses fields that could carry a person, and malformed kinds, with a validation problem', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const browser = new Browser(IPHONE, uniqueAddress())
    const refusals = [
      { kind: 'show_view', showId: show.showId, email: 'someone@example.com' },
      { kind: 'show_view', showId: show.showId, source: { utmCampaign: '13800138000' } },
      { kind: 'show_view', showId: show.showId, source: { utmSource: 'me@example.com' } },
      { kind: 'show_view', showId: show.showId, source: { idNumber: idNumberFor(1) } },
      { kind: 'listing_view', showId: show.showId },
      { kind: 'day_view' },
      { kind: 'purchase', showId: show.showId },
    ]
    for (const body of refusals) {
      const res = await browser.beacon(body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect((await problemOf(res)).code).toBe('validation')
    }
    // Nothing refused reached the queue: once a valid view sent after them is stored, it is the show's only event.
    expect((await browser.beacon({ kind: 'show_view', showId: show.showId })).status).toBe(204)
    await eventually(async () =>
      expect(await rollups(show.organizerId)).toMatchObject([{ kind: 'show_view', events: 1 }]),
    )
    expect(await allAnalyticsText()).not.toContain('13800138000')
  })

  it('is rate limited per network address', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const browser = new Browser(IPHONE, uniqueAddress())
    const answers: Response[] = []
    // 41 in a row: the limiter counts per wall-clock minute, so even a burst straddling two windows meets the limit.
    for (let i = 0; i < 41; i++)
      answers.push(await browser.beacon({ kind: 'show_view', showId: show.showId }))
    const refused = answers.filter((res) => res.status === 429)
    expect(refused.length).toBeGreaterThan(0)
    expect(await problemOf(refused[0]!)).toMatchObject({ code: 'rate_limited' })
    expect(refused[0]!.headers.get('retry-after')).toBe('60')
    // Another address is not held back.
    expect(
      (await new Browser(IPHONE, uniqueAddress()).beacon({ kind: 'show_view', showId: show.showId })).status,
    ).toBe(204)
  })
})
