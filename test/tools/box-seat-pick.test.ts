// The window's seat pick (web/box/seat-rows.ts): a big house's sections with their free seats in the zone and the
// other zones, the section opened before the clerk chooses, one section's rows (free seats, and the ones a refused
// sale found taken), and what a refused sale leaves picked.
import { describe, expect, test } from 'vitest'
import { afterRefusal, seatRows, sectionChoices, soleSection } from '../../web/box/seat-rows.ts'
import { ApiError } from '../../web/lib/api.ts'
import type { SeatMapArea } from '../../worker/routes/contracts/seat-map.ts'
import type { Seat } from '../../worker/routes/contracts/shows.ts'

const box = { x0: 0, y0: 0, x1: 1, y1: 1 }
const area = (key: string, free: Record<string, number>): SeatMapArea => ({ key, seats: 100, box, free })
const seat = (id: string, row: string, category: string, state: Seat['state'] = 'free'): Seat => ({
  id,
  label: `Floor-${row}-${id}`,
  section: 'Floor',
  row,
  category,
  x: 0,
  y: 0,
  accessible: false,
  companion: false,
  restrictedView: false,
  state,
})
const refusal = (code: string, unavailable?: unknown) =>
  new ApiError({ title: 'Seats not available', status: 409, code, ...(unavailable ? { unavailable } : {}) })

describe('box office seat pick', () => {
  test('sections list their free seats in the zone and in the other zones that have some', () => {
    const areas = [area('Floor', { A: 12 }), area('Lower', { B: 30, A: 2, C: 0 }), area('Upper', { C: 5 })]
    expect(sectionChoices(areas, 'A')).toEqual([
      { key: 'Floor', free: 12, others: [] },
      { key: 'Lower', free: 2, others: [['B', 30]] },
      { key: 'Upper', free: 0, others: [['C', 5]] },
    ])
  })

  test('the section opened unasked is the only one with free seats in the zone, else none', () => {
    const areas = [area('Floor', { A: 12 }), area('Lower', { B: 30, A: 2 }), area('Upper', { C: 5 })]
    expect(soleSection(areas, 'C')).toBe('Upper')
    expect(soleSection(areas, 'B')).toBe('Lower')
    expect(soleSection(areas, 'A')).toBeNull()
    expect(soleSection(areas, 'D')).toBeNull()
    expect(soleSection([area('Floor', { A: 0 })], 'A')).toBeNull()
  })

  test('rows list the zone’s free seats in map order, and the taken ones only when the last sale named them', () => {
    const seats = [
      seat('s1', '1', 'A'),
      seat('s2', '1', 'A', 'sold'),
      seat('s3', '1', 'B'),
      seat('s4', '2', 'A', 'held'),
      seat('s5', '2', 'A'),
      seat('s6', '3', 'A', 'blocked'),
    ]
    const ids = (taken: string[]) =>
      seatRows(seats, 'A', new Set(taken)).map((row) => [row.row, row.seats.map((s) => s.id)])
    expect(ids([])).toEqual([
      ['1', ['s1']],
      ['2', ['s5']],
    ])
    expect(ids(['s4'])).toEqual([
      ['1', ['s1']],
      ['2', ['s4', 's5']],
    ])
  })

  test('a refusal for seats taken keeps the other picks; any other refusal keeps them all', () => {
    const picked = [seat('s1', '1', 'A'), seat('s2', '1', 'A'), seat('s3', '2', 'A')]
    const after = afterRefusal(picked, refusal('seats_unavailable', ['s2', 'elsewhere']))
    expect(after.taken.map((s) => s.id)).toEqual(['s2'])
    expect(after.kept.map((s) => s.id)).toEqual(['s1', 's3'])
    for (const other of [refusal('buyer_limit'), refusal('seats_unavailable'), new Error('offline')]) {
      expect(afterRefusal(picked, other)).toEqual({ taken: [], kept: picked })
    }
    // A malformed list names nothing it cannot read.
    expect(afterRefusal(picked, refusal('seats_unavailable', 's1')).taken).toEqual([])
  })
})
