import { describe, expect, it } from 'vitest'
import { type ListedShowRow, listedShow, summarizeEvent } from '../../../worker/domain/listing.ts'

const now = Date.parse('2026-12-01T00:00:00Z')
const row = (
  id: string,
  startsAt: string,
  venueName = 'Hall 1',
  venueNameEn: string | null = null,
): ListedShowRow => ({
  id,
  eventId: 'evt_1',
  startsAt,
  venueName,
  venueNameEn,
  city: '上海',
  cityEn: 'Shanghai',
  prices: { STD: 4500, PRM: 6500 },
  saleStartsAt: '2026-11-01T00:00:00Z',
  saleEndsAt: '2026-12-31T00:00:00Z',
})
const counts = (std: number, prm: number, onSale = true) => ({
  onSale,
  categories: [
    { price: 4500, available: std },
    { price: 6500, available: prm },
  ],
})

describe('event cards of the shop home', () => {
  it('prices from the cheapest seat still free on a show on sale, and is sold out only when every show is', () => {
    const rows = [row('a', '2026-12-02T06:00:00Z'), row('b', '2026-12-02T11:40:00Z', '二号厅', 'Hall 2')]
    const standardGone = [listedShow(rows[0]!, counts(0, 5), now), listedShow(rows[1]!, counts(0, 3), now)]
    expect(standardGone.map((s) => [s.fromPrice, s.soldOut])).toEqual([
      [6500, false],
      [6500, false],
    ])
    const card = summarizeEvent(rows, standardGone)
    expect(card).toMatchObject({
      fromPrice: 6500,
      soldOut: false,
      onSale: true,
      venues: ['Hall 1', '二号厅'],
      // English pages list each venue's English name, or its main one when it has none.
      venuesEn: ['Hall 1', 'Hall 2'],
      // Cities too: the main name for Chinese pages, the English one for English pages.
      cities: ['上海'],
      citiesEn: ['Shanghai'],
      firstStartsAt: '2026-12-02T06:00:00Z',
      lastStartsAt: '2026-12-02T11:40:00Z',
    })

    const oneLeft = [listedShow(rows[0]!, counts(0, 0), now), listedShow(rows[1]!, counts(2, 0), now)]
    expect(summarizeEvent(rows, oneLeft)).toMatchObject({ fromPrice: 4500, soldOut: false })
    expect(oneLeft[0]!.soldOut).toBe(true)

    const allGone = [listedShow(rows[0]!, counts(0, 0), now), listedShow(rows[1]!, counts(0, 0), now)]
    // Sold out still says what a ticket cost, the way apps show a greyed price.
    expect(summarizeEvent(rows, allGone)).toMatchObject({ soldOut: true, onSale: false, fromPrice: 4500 })
  })

  it('ignores shows not on sale yet for the from-price, and falls back to catalogue prices when an actor is silent', () => {
    const rows = [row('a', '2026-12-02T06:00:00Z'), row('b', '2026-12-03T06:00:00Z')]
    const shows = [
      listedShow(rows[0]!, { onSale: false, categories: [{ price: 1000, available: 9 }] }, now),
      listedShow(rows[1]!, counts(4, 0), now),
    ]
    expect(summarizeEvent(rows, shows).fromPrice).toBe(4500)
    const silent = listedShow(rows[0]!, null, now)
    expect(silent).toMatchObject({ onSale: true, soldOut: false, fromPrice: 4500 })
    expect(listedShow({ ...rows[0]!, saleStartsAt: '2026-12-05T00:00:00Z' }, null, now).onSale).toBe(false)
  })
})
