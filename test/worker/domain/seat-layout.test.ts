import { describe, expect, it } from 'vitest'
import {
  BLOCKED,
  FREE,
  HELD,
  type LayoutSeat,
  SeatLayout,
  type SeatState,
  SOLD,
} from '../../../worker/domain/seat-layout.ts'

const SPACING = 20

/**
 * Rows listed front (nearest the stage at y=0) to back; each string is one row: `A`/`B` categories,
 * `w` a wheelchair place of category A, `c` a companion seat of category A, `_` no seat (a gap of one seat), `|` an aisle (a double gap).
 * Seat `r-s` is row r, character s. The stage is centred over the seats unless given.
 */
function layout(rows: string[], stage?: { x: number; y: number } | null) {
  const seats: LayoutSeat[] = []
  rows.forEach((line, r) => {
    let x = 0
    for (const [s, ch] of [...line].entries()) {
      x += ch === '|' ? SPACING * 2 : SPACING
      if (ch === '|' || ch === '_') continue
      const special = ch === 'w' || ch === 'c'
      const placed = seat(`${r}-${s}`, String(r), s, special ? 'A' : ch, x, 20 + r * 25, ch === 'w')
      seats.push({ ...placed, companion: ch === 'c' })
    }
  })
  const xs = seats.map((s) => s.x)
  const centre = { x: (Math.min(...xs) + Math.max(...xs)) / 2, y: 0 }
  return new SeatLayout(seats, stage === undefined ? centre : stage)
}

function seat(
  id: string,
  row: string,
  ordinal: number,
  category: string,
  x: number,
  y: number,
  accessible = false,
  section = 'Main',
): LayoutSeat {
  return {
    id,
    label: id,
    section,
    row,
    ordinal,
    category,
    x,
    y,
    accessible,
    companion: false,
    restrictedView: false,
  }
}

const best = (l: SeatLayout, request: Parameters<SeatLayout['findBest']>[0]) => {
  const picked = l.findBest(request)
  return picked?.map((i) => l.seats[i]!.id) ?? null
}
const set = (l: SeatLayout, ids: string[], state: SeatState = SOLD) => {
  for (const id of ids) l.setState(l.indexOf(id)!, state)
}

describe('best available: one row, nearest the stage', () => {
  it('picks adjacent seats in the front row, centred on the stage', () => {
    const l = layout(['AAAAAAAA', 'AAAAAAAA'])
    expect(best(l, { category: 'A', quantity: 2 })).toEqual(['0-3', '0-4'])
    expect(best(l, { category: 'A', quantity: 3 })).toEqual(['0-2', '0-3', '0-4'])
    expect(best(l, { category: 'A', quantity: 8 })).toEqual([
      '0-0',
      '0-1',
      '0-2',
      '0-3',
      '0-4',
      '0-5',
      '0-6',
      '0-7',
    ])
    // No row seats nine together, and splitting was not asked for.
    expect(best(l, { category: 'A', quantity: 9 })).toBeNull()
  })

  it('prefers a side window of the front row only while it is nearer than the centre of the next row', () => {
    const near = layout(['AAAAAAAA', 'AAAAAAAA'])
    set(near, ['0-4'])
    // 0-2/0-3 is 28 from the stage, the centre of row 1 is 45.
    expect(best(near, { category: 'A', quantity: 2 })).toEqual(['0-2', '0-3'])
    const far = layout(['AAAAAAAA', 'AAAAAAAA'])
    set(far, ['0-2', '0-3', '0-4', '0-5'])
    // What is left in front (the two ends) is 63 away: the centre of row 1 wins.
    expect(best(far, { category: 'A', quantity: 2 })).toEqual(['1-3', '1-4'])
  })

  it('aims at wherever the stage is, or the front centre without one', () => {
    const left = layout(['AAAAAAAA', 'AAAAAAAA'], { x: 0, y: 0 })
    expect(best(left, { category: 'A', quantity: 2 })).toEqual(['0-0', '0-1'])
    const behind = layout(['AAAAAAAA', 'AAAAAAAA'], { x: 90, y: 200 })
    expect(best(behind, { category: 'A', quantity: 2 })).toEqual(['1-3', '1-4'])
    const none = layout(['AAAAAAAA', 'AAAAAAAA'], null)
    expect(best(none, { category: 'A', quantity: 2 })).toEqual(['0-3', '0-4'])
  })

  it('keeps to one category', () => {
    const l = layout(['AABBBBAA', 'BBBBBBBB'])
    expect(best(l, { category: 'A', quantity: 2 })).toEqual(['0-0', '0-1'])
    expect(best(l, { category: 'A', quantity: 3 })).toBeNull() // four A seats, never three together
    expect(best(l, { category: 'B', quantity: 4 })).toEqual(['0-2', '0-3', '0-4', '0-5'])
    expect(best(l, { category: 'C', quantity: 1 })).toBeNull()
  })

  it('skips taken seats: held, sold and blocked alike', () => {
    const l = layout(['AAAAAA'])
    set(l, ['0-1'], HELD)
    set(l, ['0-3'], SOLD)
    set(l, ['0-5'], BLOCKED)
    expect(best(l, { category: 'A', quantity: 2 })).toBeNull()
    expect(best(l, { category: 'A', quantity: 1 })).toEqual(['0-2'])
    expect(best(l, { category: 'A', quantity: 3, allowSplit: true })!.sort()).toEqual(['0-0', '0-2', '0-4'])
  })
})

describe('best available: aisles and sections', () => {
  it('never puts a party across an aisle', () => {
    const l = layout(['AA|AA', 'AAAAA'])
    // Row 0 has only pairs on either side of the aisle; three together must go to row 1, and of its two
    // central windows the one that does not strand seat 1-0 alone.
    expect(best(l, { category: 'A', quantity: 3 })).toEqual(['1-2', '1-3', '1-4'])
    set(l, ['1-0', '1-1', '1-2', '1-3', '1-4'])
    expect(best(l, { category: 'A', quantity: 3 })).toBeNull()
    expect(best(l, { category: 'A', quantity: 4 })).toBeNull()
    // Two on either side of the aisle are equally near; either pair, never one seat from each side.
    expect([
      ['0-0', '0-1'],
      ['0-3', '0-4'],
    ]).toContainEqual(best(l, { category: 'A', quantity: 2 }))
    // Splitting may cross it.
    expect(best(l, { category: 'A', quantity: 3, allowSplit: true })).toHaveLength(3)
  })

  it('treats a missing seat as a break in the row, like an aisle', () => {
    const l = layout(['AAA_AAA', 'AAAAAAA'])
    expect([
      ['1-0', '1-1', '1-2', '1-3'],
      ['1-3', '1-4', '1-5', '1-6'],
    ]).toContainEqual(best(l, { category: 'A', quantity: 4 }))
    set(l, ['1-0', '1-1', '1-2', '1-3', '1-4', '1-5', '1-6'])
    expect(best(l, { category: 'A', quantity: 4 })).toBeNull()
    expect([
      ['0-0', '0-1', '0-2'],
      ['0-4', '0-5', '0-6'],
    ]).toContainEqual(best(l, { category: 'A', quantity: 3 }))
  })

  it('does not join rows of the same label in different sections', () => {
    const seats = [
      seat('L-1', '1', 1, 'A', 20, 20, false, 'Left'),
      seat('L-2', '1', 2, 'A', 40, 20, false, 'Left'),
      seat('R-1', '1', 1, 'A', 60, 20, false, 'Right'),
      seat('R-2', '1', 2, 'A', 80, 20, false, 'Right'),
    ]
    const l = new SeatLayout(seats, { x: 50, y: 0 })
    expect(best(l, { category: 'A', quantity: 3 })).toBeNull()
    expect(best(l, { category: 'A', quantity: 2 })).toHaveLength(2)
    expect(best(l, { category: 'A', quantity: 3, allowSplit: true })).toHaveLength(3)
  })
})

describe('best available: orphan seats', () => {
  it('moves along the row rather than strand one seat beside the party', () => {
    const l = layout(['AAAAAA'])
    set(l, ['0-0'])
    // Free run 0-1..0-5: the central pairs 0-2/0-3 and 0-3/0-4 each strand a single seat; 0-1/0-2 does not.
    expect(best(l, { category: 'A', quantity: 2 })).toEqual(['0-1', '0-2'])
  })

  it('avoids leaving a single stranded seat when another choice exists, and uses it only when none does', () => {
    const l = layout(['AAA', 'AAAA'])
    // Row 0: any pair strands one seat; row 1 has clean pairs.
    const pick = best(l, { category: 'A', quantity: 2 })!
    expect(pick).toHaveLength(2)
    expect(pick.every((s) => s.startsWith('1-'))).toBe(true)
    set(l, ['1-0', '1-1', '1-2', '1-3'])
    const fallback = best(l, { category: 'A', quantity: 2 })!
    expect(fallback).toHaveLength(2)
    expect(fallback.every((s) => s.startsWith('0-'))).toBe(true)
  })

  it('counts a seat left between the party and a taken seat as stranded', () => {
    const l = layout(['AAAAAAA'], { x: 78, y: 0 })
    set(l, ['0-5'])
    // 0-2/0-3 is nearest (8 off centre) but leaves 0-4 alone next to the sold 0-5; 0-3/0-4 is 12 off.
    expect(best(l, { category: 'A', quantity: 2 })).toEqual(['0-3', '0-4'])
  })

  it('uses a stranding window when the row offers nothing else', () => {
    const l = layout(['AAAAA'])
    set(l, ['0-0', '0-4'])
    // Free run 0-1..0-3 of three: a pair always strands one, so it is used (the row has nothing else).
    expect(best(l, { category: 'A', quantity: 2 })).toHaveLength(2)
    expect(best(l, { category: 'A', quantity: 3 })).toEqual(['0-1', '0-2', '0-3'])
  })
})

describe('best available: wheelchair places', () => {
  it('keeps wheelchair places for those who ask for them', () => {
    const l = layout(['wAAw', 'AAAA'])
    const normal = best(l, { category: 'A', quantity: 2 })!
    expect(normal).not.toContain('0-0')
    expect(normal).not.toContain('0-3')
    const wheelchair = best(l, { category: 'A', quantity: 2, accessible: 1 })!
    expect(wheelchair).toHaveLength(2)
    expect(wheelchair.filter((s) => s === '0-0' || s === '0-3')).toHaveLength(1)
  })

  it('offers no window with a wheelchair place to others, even when nothing else is left', () => {
    const l = layout(['wAw'])
    expect(best(l, { category: 'A', quantity: 2 })).toBeNull()
    expect(best(l, { category: 'A', quantity: 1 })).toEqual(['0-1'])
    const both = layout(['wwAA'])
    expect(best(both, { category: 'A', quantity: 2, accessible: 2 })).toEqual(['0-0', '0-1'])
    // A request for wheelchair places is never met without them.
    const none = layout(['AAAA'])
    expect(best(none, { category: 'A', quantity: 2, accessible: 1 })).toBeNull()
  })

  it('never splits a party that needs wheelchair places, and a split never hands them out', () => {
    const l = layout(['wA', 'Aw'])
    // Every pair in a row has a wheelchair place: only a split fits, and it takes the other two seats.
    expect(best(l, { category: 'A', quantity: 2 })).toBeNull()
    expect(best(l, { category: 'A', quantity: 2, allowSplit: true })!.sort()).toEqual(['0-1', '1-0'])
    const gapped = layout(['wAA'])
    set(gapped, ['0-1'])
    expect(best(gapped, { category: 'A', quantity: 2, accessible: 1, allowSplit: true })).toBeNull()
  })
})

describe('best available: companion seats', () => {
  it('seats a wheelchair party on the companion seats beside the wheelchair places, even a row further back', () => {
    // Front row: wheelchair places without companion seats; second row: wheelchair place + companion seat.
    const l = layout(['AwAAwA', 'AAwcAA'])
    expect(best(l, { category: 'A', quantity: 2, accessible: 1 })).toEqual(['1-2', '1-3'])
    // A party of three with two wheelchairs: the companion seat goes to the one companion.
    const pair = layout(['AwwAA', 'wwcAA'])
    expect(best(pair, { category: 'A', quantity: 3, accessible: 2 })).toEqual(['1-0', '1-1', '1-2'])
    // Without companion seats left, the party still sits together beside a wheelchair place.
    set(l, ['1-2'])
    expect(best(l, { category: 'A', quantity: 2, accessible: 1 })!.sort()).toEqual(['0-0', '0-1'])
  })

  it('keeps companion seats for wheelchair parties, handing them to others only when nothing else is left', () => {
    const l = layout(['AccA', 'AAAA'])
    // Every pair in the front row would take a companion seat: the next row is offered instead.
    expect(best(l, { category: 'A', quantity: 2 })).toEqual(['1-0', '1-1'])
    set(l, ['1-0', '1-1', '1-2', '1-3'])
    expect(best(l, { category: 'A', quantity: 2 })).toHaveLength(2)
    expect(best(l, { category: 'A', quantity: 4 })).toEqual(['0-0', '0-1', '0-2', '0-3'])
  })
})

describe('best available: splitting across rows', () => {
  it('only splits across rows when allowed and when no row fits', () => {
    const l = layout(['AAAA', 'BAAB', 'AAAB'])
    expect(best(l, { category: 'B', quantity: 2 })).toBeNull()
    expect(best(l, { category: 'B', quantity: 2, allowSplit: true })).toEqual(['1-0', '1-3'])
    expect(best(l, { category: 'B', quantity: 3, allowSplit: true })).toEqual(['1-0', '1-3', '2-3'])
    expect(best(l, { category: 'B', quantity: 4, allowSplit: true })).toBeNull()
    // A row that fits wins over a split even when allowed.
    expect(best(l, { category: 'A', quantity: 4, allowSplit: true })).toEqual(['0-0', '0-1', '0-2', '0-3'])
  })

  it('splits nearest the stage first when the rows are broken up', () => {
    const l = layout(['AAAAAA', 'AAAAAA', 'AAAAAA'])
    set(l, ['0-1', '0-4', '1-0', '1-2', '1-3', '1-5', '2-1', '2-3', '2-5'])
    // Longest free runs: 0-2/0-3 (two); no row has three together.
    expect(best(l, { category: 'A', quantity: 3 })).toBeNull()
    const split = best(l, { category: 'A', quantity: 3, allowSplit: true })!
    expect(split.slice(0, 2).sort()).toEqual(['0-2', '0-3'])
    expect(split[2]!.startsWith('0-')).toBe(true) // the front row still has 0-0 and 0-5
  })
})

describe('best available: channel allocations', () => {
  it('respects seats set aside for a channel', () => {
    const l = layout(['AAAA'])
    for (const s of [0, 1, 2]) l.allocation[l.indexOf(`0-${s}`)!] = 'ctrip'
    expect(best(l, { category: 'A', quantity: 2 })).toBeNull()
    expect(best(l, { category: 'A', quantity: 2, channel: 'ctrip' })).toHaveLength(2)
    expect(l.isOpenFor(l.indexOf('0-3')!, 'web')).toBe(true)
    expect(l.isOpenFor(l.indexOf('0-0')!, 'web')).toBe(false)
    expect(l.isOpenFor(l.indexOf('0-0')!)).toBe(false)
    expect(l.isOpenFor(l.indexOf('0-0')!, 'ctrip')).toBe(true)
    set(l, ['0-0'], HELD)
    expect(l.isOpenFor(l.indexOf('0-0')!, 'ctrip')).toBe(false)
  })

  it('steers others around the allocated block, and gives the block to its channel', () => {
    const l = layout(['AAAAAA'])
    l.allocation[l.indexOf('0-2')!] = 'ctrip'
    l.allocation[l.indexOf('0-3')!] = 'ctrip'
    const web = best(l, { category: 'A', quantity: 2, channel: 'web' })!
    expect([
      ['0-0', '0-1'],
      ['0-4', '0-5'],
    ]).toContainEqual(web)
    expect(best(l, { category: 'A', quantity: 2, channel: 'ctrip' })).toEqual(['0-2', '0-3'])
    expect(best(l, { category: 'A', quantity: 3, channel: 'web' })).toBeNull()
    const split = best(l, { category: 'A', quantity: 4, channel: 'web', allowSplit: true })!
    expect(split.sort()).toEqual(['0-0', '0-1', '0-4', '0-5'])
  })
})

describe('seat layout counters', () => {
  it('counts free seats per category through every state change', () => {
    const l = layout(['AAAA', 'BAAB', 'AAAB'])
    expect(l.size).toBe(12)
    expect(l.available()).toEqual({ A: 9, B: 3 })
    expect(l.availableIn('B')).toBe(3)
    expect(l.availableIn('Z')).toBe(0)
    set(l, ['0-0'], HELD)
    expect(l.available()).toEqual({ A: 8, B: 3 })
    set(l, ['0-0'], SOLD) // held → sold: still not free, counted once
    expect(l.availableIn('A')).toBe(8)
    set(l, ['0-0'], SOLD) // no change
    expect(l.availableIn('A')).toBe(8)
    set(l, ['1-0', '1-3'], BLOCKED)
    expect(l.available()).toEqual({ A: 8, B: 1 })
    set(l, ['0-0', '1-0'], FREE)
    expect(l.available()).toEqual({ A: 9, B: 2 })
    set(l, ['0-0'], FREE) // freeing a free seat does not count it twice
    expect(l.availableIn('A')).toBe(9)
    expect(l.state[l.indexOf('1-3')!]).toBe(BLOCKED)
    expect(l.indexOf('nope')).toBeUndefined()
  })

  it('refuses more than the category has free before looking at rows', () => {
    const l = layout(['AAAA'])
    set(l, ['0-0', '0-1'])
    expect(best(l, { category: 'A', quantity: 3, allowSplit: true })).toBeNull()
    expect(best(l, { category: 'A', quantity: 0 })).toBeNull()
  })

  it('goes back to a front row that opens up again after selling out', () => {
    const l = layout(['AAAAAA', 'AAAAAA', 'AAAAAA'])
    set(l, ['0-0', '0-1', '0-2', '0-3', '0-4', '0-5', '1-0', '1-1', '1-2', '1-3', '1-4', '1-5'])
    expect(best(l, { category: 'A', quantity: 2 })).toEqual(['2-2', '2-3'])
    set(l, ['0-2', '0-3'], FREE) // e.g. a hold in the front row expired
    expect(best(l, { category: 'A', quantity: 2 })).toEqual(['0-2', '0-3'])
    set(l, ['0-2', '0-3'])
    set(l, ['1-5'], FREE)
    expect(best(l, { category: 'A', quantity: 1 })).toEqual(['1-5'])
    expect(best(l, { category: 'A', quantity: 2 })).toEqual(['2-2', '2-3'])
  })

  it('keeps the sold-out shortcut per category', () => {
    const l = layout(['BBBB', 'AAAA', 'BBBB'])
    set(l, ['0-0', '0-1', '0-2', '0-3'])
    // The centre pair would strand an end seat: the pair at one end is taken.
    expect(best(l, { category: 'B', quantity: 2 })).toEqual(['2-0', '2-1'])
    // Selling out B's front row must not make A skip row 1.
    expect(best(l, { category: 'A', quantity: 2 })).toEqual(['1-0', '1-1'])
    set(l, ['0-3'], FREE)
    expect(best(l, { category: 'B', quantity: 1 })).toEqual(['0-3'])
  })
})
