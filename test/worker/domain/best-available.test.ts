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

describe('best available in a cinema', () => {
  /** A 10-row cinema (rows A–J, A under the screen at y=0), 16 seats per row with a centre aisle. */
  function cinema(focus: 'screen' | 'stage') {
    const seats: LayoutSeat[] = []
    for (let r = 0; r < 10; r++)
      for (let s = 0; s < 16; s++)
        seats.push({
          id: `${'ABCDEFGHIJ'[r]}-${s + 1}`,
          label: `${'ABCDEFGHIJ'[r]}-${s + 1}`,
          section: 'Hall',
          row: 'ABCDEFGHIJ'[r]!,
          ordinal: s,
          category: 'A',
          x: 30 + s * 22 + (s >= 8 ? 16 : 0),
          y: 60 + r * 26,
          accessible: false,
          companion: false,
          restrictedView: false,
        })
    return new SeatLayout(seats, { x: 200, y: 0 }, focus)
  }
  const rowsOf = (layout: SeatLayout, picked: number[] | unknown) =>
    (picked as number[]).map((i) => layout.seats[i]!.row)

  it('seats a couple in the middle-back rows, centred, not in row A under the screen', () => {
    const layout = cinema('screen')
    const picked = bestAvailable(layout, prices, { category: 'A', quantity: 2 })
    expect(rowsOf(layout, picked)).toEqual(['G', 'G'])
    const numbers = (picked as number[]).map((i) => layout.seats[i]!.ordinal + 1).sort((a, b) => a - b)
    expect(numbers).toEqual([7, 8])
    // A concert hall keeps the front rows first.
    expect(
      rowsOf(cinema('stage'), bestAvailable(cinema('stage'), prices, { category: 'A', quantity: 2 })),
    ).toEqual(['A', 'A'])
  })

  it('moves out from the sweet spot, row by row, as it fills', () => {
    const layout = cinema('screen')
    const rows: string[] = []
    for (let k = 0; k < 4; k++) {
      const picked = bestAvailable(layout, prices, { category: 'A', quantity: 8 }) as number[]
      for (const i of picked) layout.setState(i, HELD)
      rows.push(layout.seats[picked[0]!]!.row)
    }
    // Row G's two halves first, then the rows either side of it; never row A while the middle has room.
    expect(rows.slice(0, 2)).toEqual(['G', 'G'])
    expect(rows.slice(2).every((row) => row === 'F' || row === 'H')).toBe(true)
  })
})
