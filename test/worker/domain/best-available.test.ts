import { describe, expect, it } from 'vitest'
import { bestAvailable } from '../../../worker/domain/best-available.ts'
import { HELD, type LayoutSeat, SeatLayout } from '../../../worker/domain/seat-layout.ts'

/** One row of `count` seats of category A, 20 apart; `wheelchair` lists wheelchair places by position. */
function row(count: number, wheelchair: number[] = []) {
  const seats: LayoutSeat[] = Array.from({ length: count }, (_, i) => ({
    id: `s${i}`,
    label: `R-${i + 1}`,
    section: 'Main',
    row: 'R',
    ordinal: i,
    category: 'A',
    x: i * 20,
    y: 40,
    accessible: wheelchair.includes(i),
    companion: false,
    restrictedView: false,
  }))
  return new SeatLayout(seats, { x: (count * 20) / 2, y: 0 })
}

const prices = { A: 10000 }

describe('best available', () => {
  it('is sold out only when fewer seats are free than asked for, and says how many are', () => {
    const layout = row(12)
    for (let i = 1; i < 12; i += 2) layout.setState(i, HELD)
    expect(bestAvailable(layout, prices, { category: 'A', quantity: 8 })).toMatchObject({
      code: 'sold_out',
      available: 6,
    })
  })

  it('answers seats_not_together when enough are free but apart, and places them apart with allowSplit', () => {
    const layout = row(12)
    for (let i = 1; i < 12; i += 2) layout.setState(i, HELD)
    expect(bestAvailable(layout, prices, { category: 'A', quantity: 2 })).toMatchObject({
      code: 'seats_not_together',
      available: 6,
    })
    const apart = bestAvailable(layout, prices, { category: 'A', quantity: 2, allowSplit: true })
    expect(Array.isArray(apart) && apart.every((i) => i % 2 === 0)).toBe(true)
  })

  it('seats together when they can be, and never sells a category without a price', () => {
    const layout = row(6)
    expect(bestAvailable(layout, prices, { category: 'A', quantity: 3 })).toHaveLength(3)
    expect(bestAvailable(layout, {}, { category: 'A', quantity: 1 })).toMatchObject({
      code: 'invalid_request',
    })
  })

  it('says seats_unavailable when only wheelchair places are left for a party that did not ask for one', () => {
    const layout = row(4, [0, 3])
    layout.setState(1, HELD)
    layout.setState(2, HELD)
    expect(bestAvailable(layout, prices, { category: 'A', quantity: 2, allowSplit: true })).toMatchObject({
      code: 'seats_unavailable',
    })
  })
})
