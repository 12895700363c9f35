import { describe, expect, it } from 'vitest'
import { mergeRoomOrders, orderTime, queueOutcome } from '../../../worker/domain/waiting-room-order.ts'

const opening = Date.parse('2026-12-06T08:00:00Z')

describe('what became of a queued place', () => {
  it('is admitted once admitted, even after the pass lapsed; otherwise waiting, or skipped as abandoned', () => {
    expect(queueOutcome({ state: 'admitted', admittedAt: opening })).toBe('admitted')
    expect(queueOutcome({ state: 'expired', admittedAt: opening })).toBe('admitted')
    expect(queueOutcome({ state: 'waiting', admittedAt: null })).toBe('waiting')
    expect(queueOutcome({ state: 'expired', admittedAt: null })).toBe('skipped')
  })
})

describe('the order across rooms', () => {
  it('counts a place from its join, or from the opening if it joined before it', () => {
    expect(orderTime(opening + 5, opening)).toBe(opening + 5)
    expect(orderTime(opening - 5, opening)).toBe(opening)
    expect(orderTime(opening - 5, null)).toBe(opening - 5)
  })

  const place = (room: number, ticket: number, admissionTime: number) => ({ room, ticket, admissionTime })

  it('takes the room head with the earliest admission time, the lower room on a tie', () => {
    const rooms = [
      [place(0, 1, 10), place(0, 2, 30), place(0, 3, 31)],
      [place(1, 1, 20), place(1, 2, 30)],
      [],
      [place(3, 1, 5)],
    ]
    expect(mergeRoomOrders(rooms).map((p) => `${p.room}:${p.ticket}`)).toEqual([
      '3:1',
      '0:1',
      '1:1',
      '0:2',
      '1:2',
      '0:3',
    ])
    expect(mergeRoomOrders([])).toEqual([])
  })

  it('never reorders a room’s own places, even when its clock ran back', () => {
    // Room 0's second ticket carries an earlier time than its first: the room still admits by ticket.
    const rooms = [[place(0, 1, 50), place(0, 2, 40)], [place(1, 1, 45)]]
    expect(mergeRoomOrders(rooms).map((p) => `${p.room}:${p.ticket}`)).toEqual(['1:1', '0:1', '0:2'])
  })
})
