import { describe, expect, it } from 'vitest'
import { DayCounts } from '../../durable-objects/scenic-day/rules/counts.ts'
import type { LineRow } from '../../durable-objects/scenic-day/rules/lines.ts'
import { reacquireRequest } from '../../durable-objects/scenic-day/rules/reacquire.ts'
import { planReturn } from '../../durable-objects/scenic-day/rules/returns.ts'
import { day, decide, li, stateOf, stored, wang } from '../support/scenic-day-rules.ts'

// What returning a scenic day's lines takes with it, and how a late payment is judged, on in-memory state
// alone (no HTTP, no actor, no storage).

describe('scenic day rules: returns and late payments', () => {
  const gate = stored('ln_gate', 'buy_a', 'gate', wang, { order_id: 'ord_gate' })
  const cable = stored('ln_cable', 'buy_a', 'cable', wang, { order_id: 'ord_cable' })
  const soldOf = (lines: LineRow[]) => (holderId: string) => lines.filter((l) => l.holder_id === holderId)

  it('blocks or cascades a parent’s return over the same buyer’s unused children only', () => {
    const block = day()
    const otherBuyers = stored('ln_theirs', 'buy_x', 'cable', wang, { order_id: 'ord_x' })
    const all = [gate, cable, otherBuyers]
    expect(planReturn(block, [gate], soldOf(all))).toMatchObject({
      ok: false,
      code: 'children_unused',
      unavailable: ['ln_cable'],
    })
    const cascade = day({}, { onParentRefund: 'cascade' })
    expect(planReturn(cascade, [gate], soldOf(all))).toEqual({
      ok: true,
      returning: [gate],
      cascaded: [cable],
    })
    // A used ride is spent: nothing goes with the gate ticket then.
    const redeemed = { ...cable, redeemed: 1 }
    expect(planReturn(block, [gate], soldOf([gate, redeemed, otherBuyers]))).toEqual({
      ok: true,
      returning: [gate],
      cascaded: [],
    })
  })

  it('keeps a child another parent of the buyer still covers, and returns only the lines asked for', () => {
    const block = day()
    const mother = stored(
      'ln_mother',
      'buy_a',
      'gate',
      { ...li, phone: wang.phone! },
      { order_id: 'ord_gate' },
    )
    const family = [gate, mother, cable]
    expect(planReturn(block, [gate, mother], soldOf(family), ['ln_gate'])).toEqual({
      ok: true,
      returning: [gate],
      cascaded: [],
    })
    expect(planReturn(block, [gate, mother], soldOf(family))).toMatchObject({
      ok: false,
      code: 'children_unused',
    })
  })

  it('judges a late payment as the request its hold would be today, parents included', () => {
    const held = { holder_id: 'buy_a', channel: 'web', package_id: null, client_network: '' }
    const lines = [
      stored('ln_1', 'buy_a', 'gate', wang, { status: 'expired' }),
      stored('ln_2', 'buy_a', 'cable', wang, { status: 'expired', parent_line_id: 'ln_1' }),
      stored('ln_3', 'buy_a', 'cable', li, { status: 'expired', parent_line_id: 'ln_other' }),
    ]
    const again = reacquireRequest(held, lines)
    expect(again).toEqual({
      holderId: 'buy_a',
      channel: 'web',
      client: {},
      lines: [
        { productId: 'gate', slot: '09:00', visitor: wang },
        { productId: 'cable', visitor: wang, parent: { line: 0 } },
        { productId: 'cable', visitor: li, parent: { lineId: 'ln_other', proven: true } },
      ],
    })
    // Meanwhile the day sold out: the late payment cannot have its tickets.
    const config = day({ dailyCapacity: 1 })
    const state = stateOf(config, [stored('ln_taker', 'buy_b', 'gate', li)])
    expect(decide(config, state, { ...again, lines: again.lines.slice(0, 2) })).toMatchObject({
      ok: false,
      code: 'sold_out',
    })
    expect(decide(config, stateOf(config), { ...again, lines: again.lines.slice(0, 2) })).toMatchObject({
      ok: true,
    })
  })

  it('counts a returned line out of every counter it was in', () => {
    const config = day({ quotas: { ctrip: 2 } })
    const used = new DayCounts()
    const line = stored('ln_1', 'buy_a', 'gate', wang, { channel: 'ctrip' })
    used.line(config, line, 1)
    expect([
      used.entry,
      used.channel.get('ctrip'),
      used.slot.get('09:00'),
      used.hasParent(config.rules, 'buy_a', wang),
    ]).toEqual([1, 1, 1, true])
    used.line(config, line, -1)
    expect([
      used.entry,
      used.channel.size,
      used.slot.size,
      used.id.size,
      used.hasParent(config.rules, 'buy_a', wang),
    ]).toEqual([0, 0, 0, 0, false])
  })
})
