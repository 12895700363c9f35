import { describe, expect, it } from 'vitest'
import { type RowSeat, seatRuns, strandedSeats } from '../../../worker/domain/lone-seats.ts'

/** Row E of a cinema: seats 1–12, 22 apart, an aisle (a wider gap) after seat 5. */
const rowE: RowSeat[] = Array.from({ length: 12 }, (_, i) => ({
  id: `E-${i + 1}`,
  section: 'Hall',
  row: 'E',
  x: 30 + i * 22 + (i >= 5 ? 30 : 0),
  y: 100,
}))

const stranded = (picked: string[], taken: string[] = []) =>
  strandedSeats(seatRuns(rowE), (seat) => !taken.includes(seat.id), new Set(picked)).map((seat) => seat.id)

describe('seats a pick leaves alone', () => {
  it('splits a row at its aisle, left to right', () => {
    expect(seatRuns([...rowE].reverse()).map((run) => run.map((seat) => seat.id))).toEqual([
      ['E-1', 'E-2', 'E-3', 'E-4', 'E-5'],
      ['E-6', 'E-7', 'E-8', 'E-9', 'E-10', 'E-11', 'E-12'],
    ])
  })

  it('names the seat left between two picked seats (E-8 and E-10 leave E-9)', () => {
    expect(stranded(['E-8', 'E-10'])).toEqual(['E-9'])
  })

  it('names a seat left at the end of a block, beside a picked seat or against a sold one', () => {
    expect(stranded(['E-2', 'E-3'])).toEqual(['E-1'])
    // E-6 sits at the aisle: E-7 picked leaves it, and E-8 against a sold E-9.
    expect(stranded(['E-7'], ['E-9'])).toEqual(['E-6', 'E-8'])
  })

  it('says nothing when every free seat keeps a free neighbour, or a seat was alone before the pick', () => {
    expect(stranded(['E-6', 'E-7'])).toEqual([])
    expect(stranded(['E-1', 'E-2'])).toEqual([])
    // E-1 was already alone between the row's end and a sold E-2; picking E-3 is not what stranded it.
    expect(stranded(['E-3'], ['E-2'])).toEqual([])
    // Across the aisle is not beside: the whole left block picked leaves E-6 with E-7.
    expect(stranded(['E-1', 'E-2', 'E-3', 'E-4', 'E-5'])).toEqual([])
  })
})
