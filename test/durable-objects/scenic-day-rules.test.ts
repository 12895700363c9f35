import { describe, expect, it } from 'vitest'
import { dayAvailability } from '../../durable-objects/scenic-day/rules/availability.ts'
import { countTaken } from '../../durable-objects/scenic-day/rules/counts.ts'
import { decideHold } from '../../durable-objects/scenic-day/rules/decide-hold.ts'
import { admitHold, type NewRows } from '../../durable-objects/scenic-day/rules/new-hold.ts'
import { dayPriceBook, quoteHold } from '../../durable-objects/scenic-day/rules/pricing.ts'
import { withQuotas } from '../../durable-objects/scenic-day/rules/quotas.ts'
import { SCENIC_HOLD_CAPS } from '../../worker/domain/scenic-hold-caps.ts'
import { idNumberFor } from '../support/catalogue.ts'
import {
  cableLine,
  DATE,
  day,
  decide,
  gateLine,
  idNumberBornIn,
  li,
  NOW,
  request,
  stateOf,
  stored,
  TODAY,
  wang,
} from '../support/scenic-day-rules.ts'

// The scenic day's hold rules on in-memory state alone: no HTTP, no actor, no storage. The actor's own tests
// (scenic-day-inventory.test.ts) race the same rules through the real Durable Object; returns and late
// payments are in scenic-day-returns.test.ts.

describe('scenic day rules: parent-child (父子票) by ownership', () => {
  it('sells a child line with the same buyer’s parent line for the same visitor, in the hold or bought before', () => {
    const config = day()
    expect(decide(config, stateOf(config), request([cableLine(wang)]))).toMatchObject({
      ok: false,
      code: 'parent_ticket_required',
    })
    expect(decide(config, stateOf(config), request([gateLine(wang), cableLine(wang)]))).toMatchObject({
      ok: true,
    })
    // In the same hold, but for another visitor: no parent.
    expect(decide(config, stateOf(config), request([gateLine(li), cableLine(wang)]))).toMatchObject({
      ok: false,
      code: 'parent_ticket_required',
    })
    const bought = stateOf(config, [stored('ln_gate', 'buy_a', 'gate', wang)])
    expect(decide(config, bought, request([cableLine({ phone: wang.phone! })]))).toMatchObject({ ok: true })
  })

  it('never counts another buyer’s parent line, and answers the same as for a visitor nobody bought for', () => {
    const config = day()
    const others = stateOf(config, [stored('ln_gate', 'buy_other', 'gate', wang)])
    const refused = decide(config, others, request([cableLine(wang)]))
    const nobody = decide(config, stateOf(config), request([cableLine(wang)]))
    expect(refused).toMatchObject({ ok: false, code: 'parent_ticket_required' })
    expect(refused).toEqual(nobody)
  })

  it('matches by the rule’s key only: a phone rule ignores the ID number', () => {
    const config = day({}, { matchBy: 'phone' })
    const bought = stateOf(config, [stored('ln_gate', 'buy_a', 'gate', wang)])
    expect(decide(config, bought, request([cableLine({ idNumber: wang.idNumber! })]))).toMatchObject({
      ok: false,
      code: 'parent_ticket_required',
    })
    expect(decide(config, bought, request([cableLine({ phone: wang.phone! })]))).toMatchObject({ ok: true })
  })

  it('a named parent line lends its visitor to the buyer’s own child line, and only with proof to another buyer', () => {
    const config = day()
    const taken = [stored('ln_gate', 'buy_v', 'gate', wang)]
    const own = decide(
      config,
      stateOf(config, taken),
      request([cableLine(undefined, { lineId: 'ln_gate' })], { holderId: 'buy_v' }),
    )
    expect(own).toMatchObject({
      ok: true,
      lines: [{ productId: 'cable', visitor: wang, parentLineId: 'ln_gate' }],
    })
    // Another buyer: not without the ticket's code, and with it only for the same visitor (nothing is lent).
    const unproven = decide(config, stateOf(config, taken), request([cableLine(wang, { lineId: 'ln_gate' })]))
    expect(unproven).toMatchObject({ ok: false, code: 'parent_ticket_required' })
    const blind = decide(
      config,
      stateOf(config, taken),
      request([cableLine(undefined, { lineId: 'ln_gate', proven: true })]),
    )
    expect(blind).toMatchObject({ ok: false, code: 'parent_ticket_required' })
    const proven = decide(
      config,
      stateOf(config, taken),
      request([cableLine(wang, { lineId: 'ln_gate', proven: true })]),
    )
    expect(proven).toMatchObject({ ok: true, lines: [{ parentLineId: 'ln_gate' }] })
    // A returned parent line, or one that is no parent of this product, entitles nothing.
    const returned = [stored('ln_gate', 'buy_v', 'gate', wang, { status: 'returned' })]
    expect(
      decide(
        config,
        stateOf(config, returned),
        request([cableLine(undefined, { lineId: 'ln_gate' })], { holderId: 'buy_v' }),
      ),
    ).toMatchObject({ ok: false, code: 'parent_ticket_required' })
    const senior = [stored('ln_senior', 'buy_v', 'senior', wang)]
    expect(
      decide(
        config,
        stateOf(config, senior),
        request([cableLine(undefined, { lineId: 'ln_senior' })], { holderId: 'buy_v' }),
      ),
    ).toMatchObject({ ok: false, code: 'parent_ticket_required' })
  })

  it('a parent named by its place in the hold must be another line there, of a parent product', () => {
    const config = day()
    expect(
      decide(config, stateOf(config), request([gateLine(wang), cableLine(undefined, { line: 0 })])),
    ).toMatchObject({
      ok: true,
      lines: [{ productId: 'gate' }, { productId: 'cable', visitor: wang, parentIndex: 0 }],
    })
    for (const line of [1, 5]) {
      expect(
        decide(config, stateOf(config), request([gateLine(wang), cableLine(undefined, { line })])),
      ).toMatchObject({ ok: false, code: 'invalid_request' })
    }
    expect(
      decide(config, stateOf(config), request([gateLine(wang), cableLine(li, { line: 0 })])),
    ).toMatchObject({
      ok: false,
      code: 'parent_ticket_required',
    })
  })
})

describe('scenic day rules: capacity and quotas', () => {
  /** `n` web entries (child-like, no real name) taken in one slot, on `channel`. */
  const entries = (n: number, channel = 'web', slot = '09:00') =>
    Array.from({ length: n }, (_, i) =>
      stored(
        `ln_${channel}_${i}`,
        `buy_${i}`,
        'gate',
        { name: `V${i}`, idNumber: idNumberFor(900 + i) },
        { channel, slot },
      ),
    )

  it('refuses past the day, a slot, a product cap and a channel’s allocation, naming each', () => {
    const config = day({
      dailyCapacity: 6,
      quotas: { ctrip: 2 },
      slots: [
        { code: '09:00', start: '09:00', end: '10:00', capacity: 3 },
        { code: '10:00', start: '10:00', end: '11:00', capacity: 6 },
      ],
    })
    // Slot 09:00 is full; the general pool (6 - 2 for Ctrip) has one left.
    const state = stateOf(config, entries(3))
    expect(decide(config, state, request([gateLine(wang, '09:00')]))).toMatchObject({
      ok: false,
      code: 'sold_out',
      unavailable: ['slot:09:00'],
    })
    expect(decide(config, state, request([gateLine(wang, '10:00')]))).toMatchObject({ ok: true })
    expect(decide(config, state, request([gateLine(wang, '10:00'), gateLine(li, '10:00')]))).toMatchObject({
      ok: false,
      unavailable: ['day'],
    })
    // Ctrip sells its own two whatever the general pool has left, and no more.
    const ctrip = request([gateLine(wang, '10:00'), gateLine(li, '10:00')], { channel: 'ctrip' })
    expect(decide(config, state, ctrip)).toMatchObject({ ok: true })
    const ctripSold = stateOf(config, [...entries(3), ...entries(2, 'ctrip', '10:00')])
    expect(decide(config, ctripSold, request([gateLine(wang, '10:00')], { channel: 'ctrip' }))).toMatchObject(
      {
        ok: false,
        unavailable: ['channel:ctrip'],
      },
    )
    // A product's own cap counts only its product.
    const capped = day({
      products: { ...day().products, cable: { ...day().products.cable!, dailyCapacity: 1 } },
    })
    const cableSold = stateOf(capped, [
      stored('ln_g', 'buy_a', 'gate', wang),
      stored('ln_c', 'buy_a', 'cable', wang),
    ])
    expect(decide(capped, cableSold, request([cableLine(wang)]))).toMatchObject({
      ok: false,
      unavailable: ['cable'],
    })
  })

  it('a batch sees each hold it admitted: the request after the last ticket is sold out', () => {
    const config = day({ dailyCapacity: 2 })
    const state = { ...stateOf(config), prices: dayPriceBook(config) }
    const rows: NewRows = { holds: [], lines: [] }
    const expires = { at: NOW + 15 * 60_000, iso: new Date(NOW + 15 * 60_000).toISOString() }
    const first = decide(config, state, request([gateLine(wang), gateLine(li)]))
    if (!first.ok) throw new Error(first.detail)
    const hold = admitHold(
      config,
      state,
      request([gateLine(wang), gateLine(li)]),
      first.lines,
      'a'.repeat(32),
      expires,
      rows,
      NOW,
    )
    expect(hold).toMatchObject({ id: `hld_${'a'.repeat(32)}`, siteId: 'site_1', date: DATE, total: 24_000 })
    expect(hold.lines.map((l) => l.id)).toEqual([`ln_${'a'.repeat(30)}00`, `ln_${'a'.repeat(30)}01`])
    expect(rows.holds).toEqual([[hold.id, 'buy_a', 'web', null, null, 0]])
    expect(rows.lines).toHaveLength(2)
    expect(
      decide(
        config,
        state,
        request([gateLine({ name: 'C', idNumber: idNumberFor(803) })], { holderId: 'buy_b' }),
      ),
    ).toMatchObject({
      ok: false,
      code: 'sold_out',
      unavailable: ['day'],
    })
  })

  it('one ID number holds one gate ticket a day whoever buys it; real-name lines need a name and ID number', () => {
    const config = day()
    const state = stateOf(config, [stored('ln_gate', 'buy_other', 'gate', wang)])
    expect(decide(config, state, request([gateLine(wang, '10:00')]))).toMatchObject({
      ok: false,
      code: 'buyer_limit',
    })
    expect(decide(config, stateOf(config), request([gateLine(wang), gateLine(wang, '10:00')]))).toMatchObject(
      {
        ok: false,
        code: 'buyer_limit',
      },
    )
    expect(decide(config, stateOf(config), request([gateLine({ phone: '13900000001' })]))).toMatchObject({
      ok: false,
      code: 'invalid_request',
    })
  })

  it('decides age from the ID number on the visit date', () => {
    const config = day()
    expect(decide(config, stateOf(config), request([{ productId: 'senior', visitor: wang }]))).toMatchObject({
      ok: false,
      code: 'not_eligible',
      line: 0,
      rule: 'minAge',
    })
    const born1950 = { name: 'Old', idNumber: idNumberBornIn(1950, 805) }
    expect(
      decide(config, stateOf(config), request([{ productId: 'senior', visitor: born1950 }])),
    ).toMatchObject({
      ok: true,
    })
  })

  it('caps a public buyer’s active holds (partners’ holds are not capped here)', () => {
    const config = day({ dailyCapacity: 1000 })
    const state = stateOf(config)
    for (let i = 0; i < SCENIC_HOLD_CAPS.holdsPerBuyer; i++)
      state.tallies.add('buy_a', 'net', 1, NOW + 60_000)
    const visitor = { name: 'X', idNumber: idNumberFor(804) }
    expect(
      decide(config, state, request([gateLine(visitor)], { client: { network: 'net2' } })),
    ).toMatchObject({
      ok: false,
      code: 'hold_limit',
      scope: 'buyer',
      retryAfter: 60,
    })
    expect(decide(config, state, request([gateLine(visitor)]))).toMatchObject({ ok: true })
  })

  it('books only within the window, and packages only as their components at the package price', () => {
    const config = day()
    expect(decideHold(config, stateOf(config), request([gateLine(wang)]), '2026-12-11', NOW)).toMatchObject({
      ok: false,
      code: 'not_on_sale',
    })
    expect(decideHold(config, stateOf(config), request([gateLine(wang)]), '2026-11-01', NOW)).toMatchObject({
      ok: false,
      code: 'not_on_sale',
    })
    const combo = request([gateLine(wang), cableLine(wang)], { packageId: 'combo' })
    expect(decide(config, stateOf(config), combo)).toMatchObject({ ok: true })
    expect(quoteHold(config, dayPriceBook(config), combo, NOW).map((q) => q.price)).toEqual([10_800, 7_200])
    expect(decide(config, stateOf(config), { ...combo, lines: [gateLine(wang)] })).toMatchObject({
      ok: false,
      code: 'invalid_request',
    })
  })

  it('shows each channel what it may sell, and never below zero', () => {
    const config = day({ dailyCapacity: 6, quotas: { ctrip: 2 } })
    const used = countTaken(config, [...entries(3), stored('ln_c', 'buy_a', 'cable', wang)])
    const pricing = { book: dayPriceBook(config), audience: { channel: 'web' }, now: NOW }
    const web = dayAvailability(config, used, TODAY, undefined, pricing)
    expect(web).toMatchObject({
      onSale: true,
      capacity: 6,
      remaining: 1,
      channels: { ctrip: { quota: 2, remaining: 2 } },
    })
    expect(web.slots.map((s) => s.remaining)).toEqual([1, 1])
    expect(web.products.find((p) => p.id === 'cable')?.remaining).toBe(1)
    expect(dayAvailability(config, used, TODAY, 'ctrip', pricing).remaining).toBe(2)
  })

  it('sets a date’s allocations only above what each channel and the general pool hold', () => {
    const config = day({ dailyCapacity: 6, quotas: { ctrip: 3 } })
    const taken = [...entries(2, 'ctrip'), ...entries(2)]
    expect(withQuotas(config, { ctrip: 7 }, taken)).toMatchObject({ ok: false, code: 'invalid_request' })
    expect(withQuotas(config, { ctrip: 1 }, taken)).toMatchObject({
      ok: false,
      detail: expect.stringContaining('ctrip already holds 2'),
    })
    // Meituan's 3 would leave the general pool 1 for the 2 web tickets taken.
    expect(withQuotas(config, { ctrip: 2, meituan: 3 }, taken)).toMatchObject({
      ok: false,
      detail: expect.stringContaining('only 1'),
    })
    const set = withQuotas(config, { ctrip: 2, meituan: 2 }, taken)
    expect(set).toMatchObject({
      ok: true,
      config: { quotas: { ctrip: 2, meituan: 2 }, quotasOverridden: true },
    })
    // Without an allocation, Ctrip's sales count in the general pool.
    const dropped = withQuotas(config, {}, taken)
    if (!dropped.ok) throw new Error(dropped.detail)
    expect(countTaken(dropped.config, taken).general).toBe(4)
  })
})
