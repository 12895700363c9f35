import { describe, expect, it } from 'vitest'
import { PriceBook, type SellThrough, type ShowPricing } from '../../../worker/domain/price-schedule.ts'
import { pricingErrors } from '../../../worker/domain/price-schedule-check.ts'
import { roundingUnit, stepAt, steppedPrice } from '../../../worker/domain/price-steps.ts'

// Price steps by sell-through as pure rules: which step a seat gets from the seats taken before it, the price
// it then pays (rounded to a whole yuan, within floor and ceiling), and the checks a schedule must pass.

const steps = [
  { atPercentSold: 70, percent: 10 },
  { atPercentSold: 90, percent: 30, label: '最后机会' },
]

/** A category of `onSale` seats with `taken` held or sold, as the seat layout counts them. */
const fill = (taken: number, onSale: number): SellThrough => ({
  takenIn: () => taken,
  onSaleIn: () => onSale,
})

describe('stepAt: the step a seat gets from the seats taken before it', () => {
  it('applies a step at exactly its share and not one seat before', () => {
    expect(stepAt(steps, 69, 100)).toBe(-1)
    expect(stepAt(steps, 70, 100)).toBe(0)
    expect(stepAt(steps, 89, 100)).toBe(0)
    expect(stepAt(steps, 90, 100)).toBe(1)
    expect(stepAt(steps, 100, 100)).toBe(1)
  })

  it('rounds a share that falls between seats up: 70% of 3 seats steps at the third seat taken', () => {
    expect(stepAt(steps, 2, 3)).toBe(-1) // 66.7%
    expect(stepAt(steps, 3, 3)).toBe(1) // 100%: both steps reached, the last one applies
    expect(stepAt(steps, 7, 10)).toBe(0)
    expect(stepAt(steps, 6, 10)).toBe(-1)
  })

  it('steps nothing in a category with no seat on sale', () => {
    expect(stepAt(steps, 0, 0)).toBe(-1)
  })
})

describe('steppedPrice: rounding, floor and ceiling', () => {
  const rule = { steps }
  it('rounds half up to a whole yuan', () => {
    expect(steppedPrice(9990, rule, 0, 100)).toBe(11000) // 10989 → 110 yuan
    expect(steppedPrice(10450, rule, 0, 100)).toBe(11500) // 11495 → 115 yuan (half up)
    expect(steppedPrice(10440, rule, 0, 100)).toBe(11500) // 11484 → 115 yuan
    expect(steppedPrice(10400, rule, 0, 100)).toBe(11400) // 11440 → 114 yuan
  })

  it('keeps the list price below the first step, whatever the bounds', () => {
    expect(steppedPrice(10000, { steps, floor: 12000, ceiling: 13000 }, -1, 100)).toBe(10000)
  })

  it('holds a stepped price within the ceiling and above the floor', () => {
    expect(steppedPrice(10000, { steps, ceiling: 12500 }, 1, 100)).toBe(12500) // 13000 capped
    expect(steppedPrice(10000, { steps, ceiling: 12500 }, 0, 100)).toBe(11000) // under the cap
    expect(steppedPrice(10000, { steps: [{ atPercentSold: 50, percent: -20 }], floor: 9000 }, 0, 100)).toBe(
      9000,
    )
  })

  it('rounds to a whole minor unit in currencies without decimals', () => {
    expect(roundingUnit('JPY')).toBe(1)
    expect(roundingUnit('CNY')).toBe(100)
    expect(steppedPrice(9999, rule, 0, roundingUnit('JPY'))).toBe(10999) // 10998.9 → 10999
  })
})

describe('PriceBook quotes with steps', () => {
  const pricing: ShowPricing = {
    schedules: [{ category: 'A', tiers: [], steps, ceiling: 12500 }],
    flashSales: [],
  }
  const now = Date.parse('2026-03-01T00:00:00Z')

  it('quotes a hold across the boundary seat by seat: the seats below 70% at list, the rest stepped', () => {
    const book = new PriceBook(pricing, { A: 10000, B: 20000 })
    // 10 seats on sale, 5 taken: seats 6 and 7 of the category are below 70%, seats 8+ are not.
    const quotes = book.quote(['A', 'A', 'A', 'B'], now, fill(5, 10))
    expect(quotes?.map((q) => q?.price ?? null)).toEqual([null, null, 11000, null])
    expect(quotes?.[2]).toMatchObject({ step: 70, listPrice: 11000, tier: null, key: null })
  })

  it('quotes the last step with its label, capped at the ceiling', () => {
    const book = new PriceBook(pricing, { A: 10000 })
    expect(book.quote(['A'], now, fill(9, 10))?.[0]).toMatchObject({
      price: 12500,
      tier: '最后机会',
      step: 90,
    })
    expect(book.current('A', now, fill(9, 10))).toMatchObject({ price: 12500, listPrice: 12500, step: 90 })
    expect(book.current('A', now, fill(6, 10))).toMatchObject({ price: 10000, tier: null })
  })

  it('lets an early-bird tier win over a step while it has places', () => {
    const book = new PriceBook(
      {
        schedules: [{ category: 'A', tiers: [{ label: '早鸟', price: 8000, quantity: 1 }], steps }],
        flashSales: [],
      },
      { A: 10000 },
    )
    const quotes = book.quote(['A', 'A'], now, fill(7, 10))
    expect(quotes?.map((q) => q?.price)).toEqual([8000, 11000])
  })

  it('refuses a late payment the quote of which no longer applies (the step moved)', () => {
    const book = new PriceBook(pricing, { A: 10000 })
    const quoted = book.quote(['A'], now, fill(6, 10)) // list price, no quote
    expect(book.stillApplies(['A'], quoted, now, { holderId: 'b', idNumbers: [] }, fill(6, 10))).toBe(true)
    expect(book.stillApplies(['A'], quoted, now, { holderId: 'b', idNumbers: [] }, fill(7, 10))).toBe(false)
  })
})

describe('pricingErrors for steps', () => {
  const facts = { A: { listPrice: 10000, capacity: 100 } }
  it('lists every bad field of the steps at once', () => {
    const errors = pricingErrors(
      {
        schedules: [
          {
            category: 'A',
            tiers: [],
            steps: [
              { atPercentSold: 70, percent: 10 },
              { atPercentSold: 60, percent: 2.5 },
              { atPercentSold: 100, percent: 0 },
            ],
            floor: 13000,
            ceiling: 12000.5,
          },
        ],
        flashSales: [],
      },
      facts,
    )
    expect(errors.map((e) => e.path).sort()).toEqual(
      [
        'json.schedules.0.steps.1.atPercentSold',
        'json.schedules.0.steps.1.percent',
        'json.schedules.0.steps.2.atPercentSold',
        'json.schedules.0.steps.2.percent',
        'json.schedules.0.ceiling',
      ].sort(),
    )
  })

  it('rejects a floor above the ceiling and takes sane steps', () => {
    const base = { category: 'A', tiers: [], steps }
    expect(
      pricingErrors({ schedules: [{ ...base, floor: 13000, ceiling: 12000 }], flashSales: [] }, facts),
    ).toEqual([{ path: 'json.schedules.0.ceiling', message: 'must be at least the floor 13000' }])
    expect(
      pricingErrors({ schedules: [{ ...base, floor: 9000, ceiling: 15000 }], flashSales: [] }, facts),
    ).toEqual([])
  })
})
