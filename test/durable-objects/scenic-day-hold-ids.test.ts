import { describe, expect, it } from 'vitest'
import { admitHold, holdKey, type NewRows } from '../../durable-objects/scenic-day/rules/new-hold.ts'
import { dayPriceBook } from '../../durable-objects/scenic-day/rules/pricing.ts'
import { idNumberFor } from '../support/catalogue.ts'
import { day, decide, gateLine, li, NOW, request, stateOf, wang } from '../support/scenic-day-rules.ts'

// A day's holds and ticket lines are named in the order they are made, so the actor's storage appends each
// batch at the end of its indexes instead of touching a page per hold across them (the rate of holds fell
// as a day filled while ids were random). What a buyer or the order service sees: ids that are unique, and
// that sort as the holds were made.

describe('scenic day: hold and ticket-line ids', () => {
  it('sort in the order the holds were made, across milliseconds and days', () => {
    const times = [NOW, NOW + 1, NOW + 999, NOW + 86_400_000, NOW + 365 * 86_400_000]
    const keys = times.map((t) => holdKey(t))
    expect([...keys].sort()).toEqual(keys)
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/)
  })

  it('stay unique among many holds made in the same millisecond', () => {
    const keys = Array.from({ length: 20_000 }, () => holdKey(NOW))
    expect(new Set(keys).size).toBe(keys.length)
    // Their lines keep the time and 72 random bits of the key: unique too.
    expect(new Set(keys.map((k) => k.slice(0, 30))).size).toBe(keys.length)
  })

  it('a later hold’s ticket lines sort after an earlier hold’s, and a hold’s lines in their order', () => {
    const config = day()
    const state = { ...stateOf(config), prices: dayPriceBook(config) }
    const rows: NewRows = { holds: [], lines: [] }
    const expires = { at: NOW + 15 * 60_000, iso: new Date(NOW + 15 * 60_000).toISOString() }
    const admit = (visitors: (typeof wang)[], holderId: string, at: number) => {
      const asked = request(
        visitors.map((v) => gateLine(v)),
        { holderId },
      )
      const decided = decide(config, state, asked)
      if (!decided.ok) throw new Error(decided.detail)
      return admitHold(config, state, asked, decided.lines, holdKey(at), expires, rows, at)
    }
    const first = admit([wang], 'buy_a', NOW)
    const second = admit([li, { name: 'Zhao Min', idNumber: idNumberFor(803) }], 'buy_b', NOW + 1)
    const ids = [first.id, second.id]
    expect([...ids].sort()).toEqual(ids)
    const lineIds = [...first.lines, ...second.lines].map((l) => l.id)
    expect(lineIds).toHaveLength(3)
    expect([...lineIds].sort()).toEqual(lineIds)
    expect(rows.lines.map((l) => l[0])).toEqual(lineIds)
  })
})
