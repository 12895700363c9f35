import { describe, expect, it } from 'vitest'
import type { ShowConfig, ShowHoldRequest } from '../../durable-objects/show-inventory/contract.ts'
import { type ActiveHold, ShowSales } from '../../durable-objects/show-inventory/rules.ts'
import { availability, showHold } from '../../durable-objects/show-inventory/views.ts'
import { OutcomeLines, structuredOutcomes } from '../../durable-objects/show-inventory/wire.ts'
import { SHOW_HOLD_CAPS } from '../../worker/domain/hold-caps.ts'
import { splitOutcomeLines } from '../../worker/domain/hold-lines.ts'
import type { ShowPricing } from '../../worker/domain/price-schedule.ts'
import { type LayoutSeat, SeatLayout } from '../../worker/domain/seat-layout.ts'

// The show actor's rules with a price schedule and a flash sale: quotes made at hold time from counters kept
// beside the seats, on a controlled clock, without storage or an actor.

const NOW = Date.parse('2026-06-01T12:00:00Z')
const HOUR = 3600_000
const iso = (ms: number) => new Date(ms).toISOString()

const pricing: ShowPricing = {
  schedules: [
    {
      category: 'A',
      tiers: [
        { label: 'Early bird', price: 8000, quantity: 3 },
        { label: 'Advance', price: 9000, endsAt: iso(NOW + HOUR) },
      ],
    },
  ],
  flashSales: [
    {
      id: 'noon',
      label: 'Flash sale',
      category: 'B',
      price: 2000,
      units: 3,
      startsAt: iso(NOW),
      endsAt: iso(NOW + HOUR),
      perBuyer: 2,
    },
  ],
}

function show(overrides: Partial<ShowConfig> = {}) {
  const seats: LayoutSeat[] = []
  for (let r = 0; r < 2; r++)
    for (let s = 0; s < 10; s++)
      seats.push({
        id: `S-${r}-${s}`,
        label: String(s + 1),
        section: 'Stalls',
        row: String(r),
        ordinal: s,
        category: r === 0 ? 'A' : 'B',
        x: s * 20,
        y: 20 + r * 25,
        accessible: false,
        companion: false,
        restrictedView: false,
      })
  const config: ShowConfig = {
    showId: 'shw_priced',
    currency: 'CNY',
    holdMinutes: 15,
    saleStartsAt: iso(NOW - 24 * HOUR),
    saleEndsAt: iso(NOW + 24 * HOUR),
    status: 'scheduled',
    maxPerAccount: 10,
    realNameRequired: false,
    prices: { A: 10000, B: 6000 },
    categories: [
      { code: 'A', name: 'Stalls', color: '#111111' },
      { code: 'B', name: 'Circle', color: '#222222' },
    ],
    stage: null,
    pricing,
    ...overrides,
  }
  return new ShowSales(config, new SeatLayout(seats, null), SHOW_HOLD_CAPS)
}

const decide = (sales: ShowSales, request: ShowHoldRequest, now = NOW) =>
  sales.hold(request, now, now + 15 * 60_000, [])

function hold(sales: ShowSales, request: ShowHoldRequest, now = NOW): ActiveHold {
  const outcome = decide(sales, request, now)
  if ('ok' in outcome) throw new Error(`refused: ${outcome.code} ${outcome.detail}`)
  return outcome
}

describe('a priced show: tiers decided at hold time', () => {
  it('quotes the first three seats at early bird, then the next tier, and carries the quote in the hold', () => {
    const sales = show()
    const first = hold(sales, { holderId: 'a', seatIds: ['S-0-0', 'S-0-1'] })
    const second = hold(sales, { holderId: 'b', best: { category: 'A', quantity: 2 } })
    expect(showHold(sales, first)).toMatchObject({ total: 16000, discount: 4000 })
    const quoted = showHold(sales, second)
    expect(quoted.seats.map((s) => [s.price, s.listPrice, s.tier])).toEqual([
      [8000, 10000, 'Early bird'],
      [9000, 10000, 'Advance'],
    ])
    expect(quoted).toMatchObject({ total: 17000, discount: 3000 })
    expect(availability(sales, NOW).categories[0]!.current).toEqual({
      listPrice: 10000,
      price: 9000,
      tier: 'Advance',
      endsAt: iso(NOW + HOUR),
      unitsLeft: null,
    })
    // At the instant the advance window closes, the list price applies.
    expect(showHold(sales, hold(sales, { holderId: 'c', seatIds: ['S-0-9'] }, NOW + HOUR)).total).toBe(10000)
  })

  it('gives early-bird places back when a hold ends unsold, and keeps the quote of a sold seat after the tier ends', () => {
    const sales = show()
    const first = hold(sales, { holderId: 'a', seatIds: ['S-0-0', 'S-0-1', 'S-0-2'] })
    expect(sales.book.current('A', NOW).tier).toBe('Advance')
    sales.endHold(first, [])
    expect(sales.book.current('A', NOW)).toMatchObject({ tier: 'Early bird', unitsLeft: 3 })
    const kept = hold(sales, { holderId: 'b', seatIds: ['S-0-3'] })
    sales.sell(kept.seats, kept, kept, [])
    // The schedule is edited afterwards: the sold seat's quote stands, the counters carry over.
    sales.config = { ...sales.config, pricing: { ...pricing, schedules: [] } }
    expect(showHold(sales, kept).seats[0]).toMatchObject({ price: 8000, tier: 'Early bird' })
  })

  it('writes quoted outcome lines exactly as JSON.stringify writes the structured outcome', () => {
    const sales = show()
    const outcomes = [
      decide(sales, { holderId: 'a', seatIds: ['S-0-0', 'S-1-0'] }),
      decide(sales, { holderId: 'b', best: { category: 'B', quantity: 2 }, flashSaleId: 'noon' }),
      decide(sales, { holderId: 'c', best: { category: 'B', quantity: 2 }, flashSaleId: 'noon' }),
    ]
    expect(splitOutcomeLines(new OutcomeLines().encode(sales, outcomes), 3)).toEqual(
      structuredOutcomes(sales, outcomes).map((o) => JSON.stringify(o)),
    )
  })

  it('re-acquires a late payment at its quote only while the same tier still applies', () => {
    const sales = show()
    const late = hold(sales, { holderId: 'a', seatIds: ['S-0-0'] })
    sales.endHold(late, [])
    expect(sales.reacquireRefusal(late, late.seats, NOW + 60_000)).toBeNull()
    // Meanwhile the early-bird places went to others.
    hold(sales, { holderId: 'b', seatIds: ['S-0-1', 'S-0-2', 'S-0-3'] })
    expect(sales.reacquireRefusal(late, late.seats, NOW + 60_000)).toMatchObject({ code: 'hold_expired' })
  })

  it('refunds reopen a tier place only when the schedule says so', () => {
    for (const reopenOnRefund of [false, true]) {
      const sales = show({
        pricing: { ...pricing, schedules: [{ ...pricing.schedules[0]!, reopenOnRefund }] },
      })
      const sold = hold(sales, { holderId: 'a', seatIds: ['S-0-0', 'S-0-1', 'S-0-2'] })
      sales.sell(sold.seats, sold, sold, [])
      sales.returnSeat(sold.seats[0]!, 'a', undefined, sold.quotes?.[0], [])
      expect(sales.book.current('A', NOW).tier).toBe(reopenOnRefund ? 'Early bird' : 'Advance')
    }
  })
})

describe('a priced show: flash sale', () => {
  it('sells its units at its price within its window and per-buyer limit, then answers sold out', () => {
    const sales = show()
    const early = decide(
      sales,
      { holderId: 'a', best: { category: 'B', quantity: 1 }, flashSaleId: 'noon' },
      NOW - 1,
    )
    expect(early).toMatchObject({ ok: false, code: 'not_on_sale' })
    const a = hold(sales, { holderId: 'a', best: { category: 'B', quantity: 2 }, flashSaleId: 'noon' })
    expect(showHold(sales, a)).toMatchObject({ total: 4000, discount: 8000 })
    expect(decide(sales, { holderId: 'a', seatIds: ['S-1-9'], flashSaleId: 'noon' })).toMatchObject({
      code: 'buyer_limit',
    })
    expect(decide(sales, { holderId: 'b', seatIds: ['S-0-9'], flashSaleId: 'noon' })).toMatchObject({
      code: 'invalid_request',
    })
    hold(sales, { holderId: 'b', seatIds: ['S-1-9'], flashSaleId: 'noon' })
    expect(
      decide(sales, { holderId: 'c', best: { category: 'B', quantity: 1 }, flashSaleId: 'noon' }),
    ).toMatchObject({
      code: 'sold_out',
      available: 0,
    })
    // The category itself still sells at its price; the flash sale's units were counted apart.
    expect(showHold(sales, hold(sales, { holderId: 'c', best: { category: 'B', quantity: 1 } })).total).toBe(
      6000,
    )
    expect(availability(sales, NOW).flashSales[0]).toMatchObject({ unitsLeft: 0, status: 'active' })
  })

  it('rebuilds its counters from restored holds', () => {
    const before = show()
    const a = hold(before, { holderId: 'a', best: { category: 'B', quantity: 2 }, flashSaleId: 'noon' })
    const after = show()
    after.restoreHold({ ...a })
    expect(after.book.flashSales(NOW)[0]!.unitsLeft).toBe(1)
    expect(decide(after, { holderId: 'a', seatIds: ['S-1-8'], flashSaleId: 'noon' })).toMatchObject({
      code: 'buyer_limit',
    })
  })
})
