import { describe, expect, it } from 'vitest'
import { PriceBook } from '../../../worker/domain/price-schedule.ts'
import {
  type DatePriceRule,
  daysAhead,
  priceOnDate,
  venueDate,
} from '../../../worker/domain/scenic-price-calendar.ts'
import { scenicPricingErrors } from '../../../worker/domain/scenic-price-check.ts'

// A scenic product's price per visit date and channel as pure rules: the most specific rule wins, OTA partners
// keep their settlement prices unless a rule names them, and "days ahead" turns at the venue's midnight.

const web = { channel: 'web' }
const ctrip = { channel: 'ctrip', partner: true }
const rules: DatePriceRule[] = [
  { weekdays: [0, 6], holidays: ['2026-10-01', '2027-01-01'], price: 12000, label: '周末价' },
  { from: '2026-10-01', to: '2026-10-07', price: 15000, label: '国庆' },
  { date: '2026-10-03', price: 18000, label: '烟花夜' },
  { from: '2026-12-24', to: '2026-12-26', price: 9000, channels: ['kiosk'] },
]

describe('priceOnDate', () => {
  it('charges the base price on a weekday no rule names', () => {
    // 2026-12-09 is a Wednesday.
    expect(priceOnDate(10000, rules, '2026-12-09', web)).toMatchObject({ price: 10000, rule: null })
  })

  it('charges the weekend price on Saturday and Sunday, and on a listed holiday', () => {
    expect(priceOnDate(10000, rules, '2026-12-12', web)).toMatchObject({ price: 12000, label: '周末价' })
    expect(priceOnDate(10000, rules, '2026-12-13', web).price).toBe(12000)
    // 2027-01-01 is a Friday, priced as a weekend by the holiday list.
    expect(priceOnDate(10000, rules, '2027-01-01', web).price).toBe(12000)
    expect(priceOnDate(10000, rules, '2026-12-11', web).price).toBe(10000)
  })

  it('lets a range beat a weekday rule, and a single date beat the range', () => {
    // 2026-10-04 is a Sunday inside the National Day range.
    expect(priceOnDate(10000, rules, '2026-10-04', web)).toMatchObject({ price: 15000, kind: 'range' })
    // 2026-10-01 is also on the weekday rule's holiday list: the range is more specific.
    expect(priceOnDate(10000, rules, '2026-10-01', web).price).toBe(15000)
    expect(priceOnDate(10000, rules, '2026-10-03', web)).toMatchObject({ price: 18000, kind: 'date' })
  })

  it('includes both ends of a range and nothing outside it', () => {
    expect(priceOnDate(10000, rules, '2026-10-07', web).price).toBe(15000)
    // 2026-10-08 is a Thursday, 2026-09-30 a Wednesday.
    expect(priceOnDate(10000, rules, '2026-10-08', web).price).toBe(10000)
    expect(priceOnDate(10000, rules, '2026-09-30', web).price).toBe(10000)
  })

  it('applies a channel rule only to that channel', () => {
    // 2026-12-24 is a Thursday.
    expect(priceOnDate(10000, rules, '2026-12-24', { channel: 'kiosk' })).toMatchObject({
      price: 9000,
      channelNamed: true,
    })
    expect(priceOnDate(10000, rules, '2026-12-24', web).price).toBe(10000)
  })

  it('prefers a rule naming the channel over an unnamed rule of the same kind', () => {
    const both: DatePriceRule[] = [
      { date: '2026-12-09', price: 11000 },
      { date: '2026-12-09', price: 10500, channels: ['kiosk'] },
    ]
    expect(priceOnDate(10000, both, '2026-12-09', { channel: 'kiosk' }).price).toBe(10500)
    expect(priceOnDate(10000, both, '2026-12-09', web).price).toBe(11000)
  })

  it('leaves an OTA partner on its settlement terms unless a rule names its channel', () => {
    expect(priceOnDate(10000, rules, '2026-12-12', ctrip)).toMatchObject({ rule: null, channelNamed: false })
    const named: DatePriceRule[] = [{ weekdays: [6], price: 11500, channels: ['ctrip'] }]
    expect(priceOnDate(10000, named, '2026-12-12', ctrip)).toMatchObject({ price: 11500, channelNamed: true })
  })
})

describe('days ahead at the venue', () => {
  it('turns at midnight in Shanghai, not at midnight UTC', () => {
    // 15:59:59 UTC is 23:59:59 in Shanghai on the 5th; a second later it is the 6th there.
    const before = Date.parse('2026-12-05T15:59:59Z')
    const after = Date.parse('2026-12-05T16:00:00Z')
    expect(venueDate('Asia/Shanghai', before)).toBe('2026-12-05')
    expect(venueDate('Asia/Shanghai', after)).toBe('2026-12-06')
    expect(daysAhead('2026-12-12', before, 'Asia/Shanghai')).toBe(7)
    expect(daysAhead('2026-12-12', after, 'Asia/Shanghai')).toBe(6)
  })

  it('gives an early-bird tier (7+ days ahead) until the venue midnight seven days before', () => {
    const book = new PriceBook(
      {
        schedules: [{ category: 'gate', tiers: [{ label: '早鸟', price: 9000, minDaysAhead: 7 }] }],
        flashSales: [],
      },
      { gate: 10000 },
    )
    const at = (now: number) =>
      book.quote(['gate'], now, undefined, {
        channel: 'web',
        daysAhead: daysAhead('2026-12-12', now, 'Asia/Shanghai'),
        listPrices: { gate: 12000 },
      })?.[0]
    expect(at(Date.parse('2026-12-05T15:59:59Z'))).toMatchObject({
      price: 9000,
      listPrice: 12000,
      tier: '早鸟',
    })
    expect(at(Date.parse('2026-12-05T16:00:00Z'))).toBeUndefined()
  })

  it('counts the first N of a day and skips tiers for other channels, partners and dearer days', () => {
    const book = new PriceBook(
      {
        schedules: [
          {
            category: 'gate',
            tiers: [
              { label: 'Kiosk', price: 7000, channels: ['kiosk'] },
              { label: 'First 2', price: 8000, quantity: 2 },
            ],
          },
        ],
        flashSales: [],
      },
      { gate: 10000 },
    )
    const context = { channel: 'web', daysAhead: 3, listPrices: { gate: 10000 } }
    const quotes = book.quote(['gate', 'gate', 'gate'], 0, undefined, context)
    expect(quotes?.map((q) => q?.price ?? null)).toEqual([8000, 8000, null])
    book.count(quotes, { holderId: 'b', idNumbers: [] }, 1)
    expect(book.quote(['gate'], 0, undefined, context)).toBeNull()
    expect(book.quote(['gate'], 0, undefined, { ...context, channel: 'kiosk' })?.[0]?.price).toBe(7000)
    expect(book.quote(['gate'], 0, undefined, { ...context, channel: 'ctrip', partner: true })).toBeNull()
    // A tier never raises the price: on a day already at 7,500 the ¥80 tier does not apply.
    const fresh = new PriceBook(
      {
        schedules: [{ category: 'gate', tiers: [{ label: 'F', price: 8000, quantity: 9 }] }],
        flashSales: [],
      },
      {},
    )
    expect(fresh.quote(['gate'], 0, undefined, { ...context, listPrices: { gate: 7500 } })).toBeNull()
  })
})

describe('scenicPricingErrors', () => {
  const facts = { basePrice: 10000, dailyCapacity: 500, channels: ['web', 'kiosk', 'ctrip'] }

  it('accepts a weekend, a range, a single date and two tiers', () => {
    expect(
      scenicPricingErrors(
        { dates: rules.slice(0, 3), tiers: [{ label: '早鸟', price: 9000, minDaysAhead: 7 }] },
        facts,
      ),
    ).toEqual([])
  })

  it('reports every bad field at once, at its path', () => {
    const errors = scenicPricingErrors(
      {
        dates: [
          { date: '2026-13-40', price: 100 },
          { from: '2026-10-07', to: '2026-10-01', price: -5 },
          { price: 100 },
          { weekdays: [7], price: 100, channels: ['meituan'] },
        ],
        tiers: [
          { label: '', price: 20000, quantity: 600 },
          { label: 'x', price: 100, minDaysAhead: 0.5 },
        ],
      },
      facts,
    )
    expect(errors.map((e) => e.path)).toEqual([
      'json.dates.0.date',
      'json.dates.1.price',
      'json.dates.1.to',
      'json.dates.2.date',
      'json.dates.3.weekdays',
      'json.dates.3.channels',
      'json.tiers.0.label',
      'json.tiers.0.price',
      'json.tiers.0.quantity',
      'json.tiers.1.minDaysAhead',
    ])
  })

  it('refuses two single-date rules for the same day and channels', () => {
    const errors = scenicPricingErrors(
      {
        dates: [
          { date: '2026-10-03', price: 100 },
          { date: '2026-10-03', price: 200 },
        ],
        tiers: [],
      },
      facts,
    )
    expect(errors).toEqual([{ path: 'json.dates.1.date', message: 'rule 1 already prices 2026-10-03' }])
  })
})
