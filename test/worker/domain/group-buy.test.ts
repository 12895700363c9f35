import { describe, expect, it } from 'vitest'
import {
  groupDeadline,
  groupProgress,
  groupShareUrl,
  type MapSeat,
  seatsNearGroup,
} from '../../../worker/domain/group-buy.ts'

describe('group buy rules', () => {
  const now = Date.parse('2026-11-23T10:00:00.000Z')

  it('closes a group after its lifetime', () => {
    expect(groupDeadline(now, 24 * 60, '2026-12-01T00:00:00.000Z').toISOString()).toBe(
      '2026-11-24T10:00:00.000Z',
    )
  })

  it('never lets a group outlive the show sale end', () => {
    expect(groupDeadline(now, 24 * 60, '2026-11-23T12:30:00.000Z').toISOString()).toBe(
      '2026-11-23T12:30:00.000Z',
    )
  })

  it('measures progress by paid members toward the minimum, capped at 100', () => {
    expect(groupProgress(0, 3)).toBe(0)
    expect(groupProgress(2, 3)).toBe(66)
    expect(groupProgress(5, 3)).toBe(100)
  })

  it('shares a link to the group page', () => {
    expect(groupShareUrl('https://tickets.example', 'grp_1')).toBe('https://tickets.example/group-buys/grp_1')
  })
})

describe('seats next to the group', () => {
  // Two rows of 8 seats (x = 0, 10, … 70, an aisle between seats 4 and 5), row 2 behind row 1.
  const seats = (taken: string[] = [], category = (_row: number, _n: number) => 'A'): MapSeat[] =>
    [1, 2].flatMap((row) =>
      Array.from({ length: 8 }, (_, i) => ({
        id: `r${row}s${i + 1}`,
        section: 'Hall',
        row: `R${row}`,
        category: category(row, i + 1),
        x: i * 10 + (i >= 4 ? 30 : 0),
        y: row * 10,
        state: taken.includes(`r${row}s${i + 1}`) ? 'held' : 'free',
      })),
    )

  it('picks the free seats right beside the group', () => {
    expect(seatsNearGroup(seats(['r2s7']), ['r2s7'], 'A', 1)).toEqual(['r2s6'])
    expect(seatsNearGroup(seats(['r2s7']), ['r2s7'], 'A', 2)).toEqual(['r2s5', 'r2s6'])
  })

  it('never spans an aisle, and looks at nearby rows when the group row is full', () => {
    const full = ['r1s1', 'r1s2', 'r1s3', 'r1s4']
    // Seats 3–4 and 5–6 are on either side of the aisle: the pair must come from one side.
    expect(seatsNearGroup(seats(full), ['r1s4'], 'A', 2)).toEqual(['r2s3', 'r2s4'])
  })

  it('keeps to the category asked for, and gives up (best available) when nothing fits', () => {
    const premiumBack = (row: number) => (row === 2 ? 'P' : 'A')
    expect(seatsNearGroup(seats(['r2s1'], premiumBack), ['r2s1'], 'A', 1)).toEqual(['r1s1'])
    expect(seatsNearGroup(seats(), [], 'A', 1)).toBeNull()
    expect(seatsNearGroup(seats(), ['r1s1'], 'A', 5)).toBeNull()
  })
})
