import { describe, expect, it } from 'vitest'
import {
  creditedClick,
  lineCommission,
  newRefCode,
  payableAfter,
  refPattern,
  ruleFor,
  statementMonth,
} from '../../../worker/domain/distribution.ts'

describe('distribution rules', () => {
  const order = '2026-12-10T12:00:00.000Z'
  it('credits the last click before the order, within the window only', () => {
    const clicks = [
      { id: 'a', clickedAt: '2026-12-05T12:00:00.000Z' },
      { id: 'b', clickedAt: '2026-12-09T12:00:00.000Z' },
      { id: 'c', clickedAt: '2026-12-10T12:00:01.000Z' }, // after the order: not it
    ]
    expect(creditedClick(clicks, order, 7)?.id).toBe('b')
    expect(creditedClick([clicks[0]!], order, 5)?.id).toBe('a') // exactly 5 days: still in
    expect(creditedClick([clicks[0]!], order, 4)).toBeUndefined()
    expect(creditedClick([clicks[2]!], order, 7)).toBeUndefined()
  })

  it('rounds a percentage down to the fen, caps a fixed amount at the price, never negative', () => {
    expect(lineCommission({ kind: 'percent', value: 1000 }, 9999)).toBe(999)
    expect(lineCommission({ kind: 'percent', value: 333 }, 10_000)).toBe(333)
    expect(lineCommission({ kind: 'fixed', value: 500 }, 300)).toBe(300)
    expect(lineCommission({ kind: 'fixed', value: 500 }, 0)).toBe(0)
    expect(lineCommission({ kind: 'percent', value: 20_000 }, 100)).toBe(100)
  })

  it('takes the distributor’s own rule, then the rule for all, then the default', () => {
    const rules = [
      { distributorId: null, scopeKind: 'event' as const, scopeId: 'e1', kind: 'fixed' as const, value: 300 },
      {
        distributorId: 'd1',
        scopeKind: 'event' as const,
        scopeId: 'e1',
        kind: 'percent' as const,
        value: 1500,
      },
    ]
    const fallback = { kind: 'percent' as const, value: 500 }
    expect(ruleFor(rules, 'd1', { kind: 'event', id: 'e1' }, fallback)).toEqual({
      kind: 'percent',
      value: 1500,
    })
    expect(ruleFor(rules, 'd2', { kind: 'event', id: 'e1' }, fallback)).toEqual({ kind: 'fixed', value: 300 })
    expect(ruleFor(rules, 'd1', { kind: 'event', id: 'e2' }, fallback)).toEqual(fallback)
  })

  it('puts statements and payable days on Beijing time', () => {
    expect(statementMonth('2026-11-30T16:30:00.000Z')).toBe('2026-12')
    expect(statementMonth('2026-11-30T15:59:00.000Z')).toBe('2026-11')
    // A show at 19:30 Beijing on 12-20 is over at Beijing midnight, 16:00 UTC the same date.
    expect(payableAfter('2026-12-20T11:30:00.000Z', null)).toBe('2026-12-20T16:00:00.000Z')
    expect(payableAfter(null, '2026-12-20')).toBe('2026-12-20T16:00:00.000Z')
  })

  it('makes share codes of 10 unambiguous characters, different each time', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newRefCode()))
    expect(codes.size).toBe(200)
    for (const code of codes) expect(code).toMatch(refPattern)
  })
})
