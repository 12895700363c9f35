import { describe, expect, it } from 'vitest'
import { PriceBook, type ShowPricing } from '../../../worker/domain/price-schedule.ts'
import { pricingErrors } from '../../../worker/domain/price-schedule-check.ts'

// Price schedules and flash sales as pure rules, on a controlled clock.

const T0 = Date.parse('2026-03-01T00:00:00.000Z')
const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()
const buyer = (holderId: string, idNumbers: string[] = []) => ({ holderId, idNumbers })

const earlyBird: ShowPricing = {
  schedules: [
    {
      category: 'A',
      tiers: [
        { label: 'Early bird', price: 38000, quantity: 3 },
        { label: 'Advance', price: 42000, endsAt: iso(T0 + DAY) },
      ],
    },
  ],
  flashSales: [
    {
      id: 'noon',
      label: 'Flash sale',
      category: 'B',
      price: 9900,
      units: 2,
      startsAt: iso(T0),
      endsAt: iso(T0 + 3600_000),
      perBuyer: 1,
    },
  ],
}
const LIST = { A: 48000, B: 20000 }

describe('price schedule tiers', () => {
  it('sells the first N at the first tier, then the next tier, then the list price at its end instant', () => {
    const book = new PriceBook(earlyBird, LIST)
    // A hold of 4 when 3 early-bird places are left: 3 at early bird, the fourth at the next tier.
    const quotes = book.quote(['A', 'A', 'A', 'A'], T0)!
    expect(quotes.map((q) => q?.price)).toEqual([38000, 38000, 38000, 42000])
    expect(quotes[0]).toEqual({ price: 38000, listPrice: 48000, tier: 'Early bird', key: 't:A:Early bird' })
    book.count(quotes, buyer('a'), 1)
    expect(book.quote(['A'], T0)![0]!.tier).toBe('Advance')
    // One millisecond before the window closes the tier still applies; at the instant it does not.
    expect(book.quote(['A'], T0 + DAY - 1)![0]!.price).toBe(42000)
    expect(book.quote(['A'], T0 + DAY)).toBeNull()
    expect(book.current('A', T0 + DAY)).toEqual({
      listPrice: 48000,
      price: 48000,
      tier: null,
      endsAt: null,
      unitsLeft: null,
    })
    // A category without a schedule is at list price; a show without schedules answers null at once.
    expect(book.quote(['B'], T0)).toBeNull()
    expect(new PriceBook(undefined, LIST).quote(['A'], T0)).toBeNull()
  })

  it('gives places back when a hold ends, and on refund only when the schedule reopens', () => {
    const book = new PriceBook(earlyBird, LIST)
    const held = book.quote(['A', 'A', 'A'], T0)!
    book.count(held, buyer('a'), 1)
    expect(book.current('A', T0)).toMatchObject({ tier: 'Advance', endsAt: iso(T0 + DAY) })
    book.count(held, buyer('a'), -1)
    expect(book.current('A', T0)).toMatchObject({ tier: 'Early bird', unitsLeft: 3 })
    book.count(held, buyer('a'), 1)
    book.returned(held[0], 'A')
    expect(book.current('A', T0).tier).toBe('Advance')
    const reopening = new PriceBook(
      { ...earlyBird, schedules: [{ ...earlyBird.schedules[0]!, reopenOnRefund: true }] },
      LIST,
    )
    reopening.count(held, buyer('a'), 1)
    reopening.returned(held[0], 'A')
    expect(reopening.current('A', T0)).toMatchObject({ tier: 'Early bird', unitsLeft: 1 })
  })

  it('keeps its counters when the organizer edits the schedule', () => {
    const book = new PriceBook(earlyBird, LIST)
    book.count(book.quote(['A', 'A'], T0), buyer('a'), 1)
    const edited = book.withSettings(
      {
        ...earlyBird,
        schedules: [{ category: 'A', tiers: [{ label: 'Early bird', price: 39000, quantity: 5 }] }],
      },
      LIST,
    )
    expect(edited.current('A', T0)).toMatchObject({ price: 39000, unitsLeft: 3 })
  })

  it('re-quotes a late payment only while the same tier still applies', () => {
    const book = new PriceBook(earlyBird, LIST)
    const quotes = book.quote(['A'], T0)!
    // The hold expired (its place given back): the same tier still has room now, but not after it ended.
    expect(book.stillApplies(['A'], quotes, T0 + 1000, buyer('a'))).toBe(true)
    book.count(book.quote(['A', 'A', 'A'], T0), buyer('b'), 1)
    expect(book.stillApplies(['A'], quotes, T0 + 1000, buyer('a'))).toBe(false)
    expect(book.stillApplies(['A'], [null], T0 + 2 * DAY, buyer('a'))).toBe(true)
  })
})

describe('flash sales', () => {
  it('opens at its start instant, ends at its end instant, and sells its units once', () => {
    const book = new PriceBook(earlyBird, LIST)
    expect(book.flashQuote('noon', 1, T0 - 1, buyer('a'))).toMatchObject({ ok: false, code: 'not_on_sale' })
    const q = book.flashQuote('noon', 1, T0, buyer('a'))
    expect(q).toEqual({ price: 9900, listPrice: 20000, tier: 'Flash sale', key: 'f:noon' })
    expect(book.flashQuote('noon', 1, T0 + 3600_000, buyer('a'))).toMatchObject({ code: 'not_on_sale' })
    book.count([q as never], buyer('a'), 1)
    expect(book.flashQuote('noon', 1, T0, buyer('a'))).toMatchObject({ code: 'buyer_limit' })
    book.count([book.flashQuote('noon', 1, T0, buyer('b')) as never], buyer('b'), 1)
    expect(book.flashQuote('noon', 1, T0, buyer('c'))).toMatchObject({ code: 'sold_out', available: 0 })
    expect(book.flashSales(T0)[0]).toMatchObject({ unitsLeft: 0, status: 'active' })
    expect(book.flashQuote('other', 1, T0, buyer('c'))).toMatchObject({ code: 'invalid_request' })
  })

  it('limits each real-name ID as well as each account', () => {
    const book = new PriceBook(
      { ...earlyBird, flashSales: [{ ...earlyBird.flashSales[0]!, units: 10 }] },
      LIST,
    )
    const q = book.flashQuote('noon', 1, T0, buyer('a', ['id1']))
    book.count([q as never], buyer('a', ['id1']), 1)
    expect(book.flashQuote('noon', 1, T0, buyer('z', ['id1']))).toMatchObject({ code: 'buyer_limit' })
    expect(book.flashQuote('noon', 1, T0, buyer('z', ['id2']))).toMatchObject({ price: 9900 })
  })
})

describe('pricing checks', () => {
  const facts = { A: { listPrice: 48000, capacity: 100 }, B: { listPrice: 20000, capacity: 10 } }

  it('accepts a sound schedule', () => {
    expect(pricingErrors(earlyBird, facts)).toEqual([])
  })

  it('lists every bad field at once', () => {
    const bad: ShowPricing = {
      schedules: [
        {
          category: 'A',
          tiers: [
            { label: 'One', price: 50000, startsAt: iso(T0), endsAt: iso(T0 + 2 * DAY) },
            { label: 'Two', price: -5, startsAt: iso(T0 + DAY), endsAt: iso(T0 + 3 * DAY) },
            { label: 'Three', price: 100.5, quantity: 101 },
            { label: 'Four', price: 30000 },
          ],
        },
        { category: 'Z', tiers: [] },
      ],
      flashSales: [
        {
          id: 'x',
          label: 'X',
          category: 'B',
          price: 9900,
          units: 11,
          startsAt: iso(T0),
          endsAt: iso(T0),
          perBuyer: 0,
        },
      ],
    }
    const paths = pricingErrors(bad, facts).map((e) => e.path)
    expect(paths).toEqual([
      'json.schedules.0.tiers.0.price',
      'json.schedules.0.tiers.1.price',
      'json.schedules.0.tiers.2.price',
      'json.schedules.0.tiers.2.quantity',
      'json.schedules.0.tiers.3.endsAt',
      'json.schedules.0.tiers.1.startsAt',
      'json.schedules.1.category',
      'json.flashSales.0.units',
      'json.flashSales.0.perBuyer',
      'json.flashSales.0.endsAt',
    ])
  })
})
