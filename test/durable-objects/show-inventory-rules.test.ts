import { describe, expect, it } from 'vitest'
import { notOlder } from '../../durable-objects/show-inventory/catalogue.ts'
import type { ShowConfig, ShowHoldRequest } from '../../durable-objects/show-inventory/contract.ts'
import { type ActiveHold, ShowSales } from '../../durable-objects/show-inventory/rules.ts'
import { availability, publicState, seatMap, showHold } from '../../durable-objects/show-inventory/views.ts'
import { OutcomeLines, structuredOutcomes } from '../../durable-objects/show-inventory/wire.ts'
import { SHOW_HOLD_CAPS } from '../../worker/domain/hold-caps.ts'
import { readOutcomeLine, splitOutcomeLines } from '../../worker/domain/hold-lines.ts'
import { BLOCKED, FREE, HELD, type LayoutSeat, SeatLayout, SOLD } from '../../worker/domain/seat-layout.ts'

// The show actor's sale rules over in-memory state, without storage, HTTP or an actor.

const NOW = Date.parse('2026-06-01T12:00:00Z')
const LATER = NOW + 15 * 60_000

/** `rows` rows of `perRow` adjacent seats (`A-0-0` …), front row first; row r's category is `categories[r]` or A. */
function layout(rows: number, perRow: number, categories: string[] = []) {
  const seats: LayoutSeat[] = []
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < perRow; s++) {
      seats.push({
        id: `S-${r}-${s}`,
        label: `Row ${r} seat ${s + 1}`,
        section: 'Stalls',
        row: String(r),
        ordinal: s,
        category: categories[r] ?? 'A',
        x: s * 20,
        y: 20 + r * 25,
        accessible: false,
        companion: false,
        restrictedView: false,
      })
    }
  }
  return new SeatLayout(seats, null)
}

function config(overrides: Partial<ShowConfig> = {}): ShowConfig {
  return {
    showId: 'shw_rules',
    currency: 'CNY',
    holdMinutes: 15,
    saleStartsAt: new Date(NOW - 3600_000).toISOString(),
    saleEndsAt: new Date(NOW + 86_400_000).toISOString(),
    status: 'scheduled',
    maxPerAccount: 6,
    realNameRequired: false,
    prices: { A: 10000, B: 6000 },
    categories: [
      { code: 'A', name: 'Stalls', color: '#111111' },
      { code: 'B', name: 'Circle', color: '#222222' },
    ],
    stage: null,
    stamp: '2026-05-01T00:00:00.000Z|2026-05-01T00:00:00.000Z',
    ...overrides,
  }
}

function sales(overrides: Partial<ShowConfig> = {}, rows = 2, perRow = 10, categories?: string[]) {
  return new ShowSales(config(overrides), layout(rows, perRow, categories), SHOW_HOLD_CAPS)
}

/** Decides one request; the hold, or the refusal (the test fails on the other). */
function hold(show: ShowSales, request: ShowHoldRequest, now = NOW, changed: number[] = []) {
  const outcome = show.hold(request, now, now + 15 * 60_000, changed)
  if ('ok' in outcome) throw new Error(`refused: ${outcome.code} ${outcome.detail}`)
  return outcome
}

const refusal = (show: ShowSales, request: ShowHoldRequest, now = NOW) => {
  const outcome = show.hold(request, now, now + 15 * 60_000, [])
  if (!('ok' in outcome)) throw new Error(`held ${outcome.id}`)
  return outcome
}

const ids = (show: ShowSales, seats: number[]) => seats.map((i) => show.layout.seats[i]!.id)

describe('show rules: holding seats', () => {
  it('holds named seats all or nothing, and the next request sees them held', () => {
    const show = sales()
    const changed: number[] = []
    const first = hold(show, { holderId: 'acc_a', seatIds: ['S-0-0', 'S-0-1'] }, NOW, changed)
    expect(ids(show, first.seats)).toEqual(['S-0-0', 'S-0-1'])
    expect(changed).toEqual(first.seats)
    expect(first.seats.map((i) => show.layout.state[i])).toEqual([HELD, HELD])
    expect(show.holds.get(first.id)).toBe(first)
    // One taken seat refuses the whole request and names it; the free one stays free.
    expect(refusal(show, { holderId: 'acc_b', seatIds: ['S-0-1', 'S-0-2'] })).toEqual({
      ok: false,
      code: 'seats_unavailable',
      detail: expect.any(String),
      unavailable: ['S-0-1'],
    })
    expect(show.layout.state[show.layout.indexOf('S-0-2')!]).toBe(FREE)
    expect(refusal(show, { holderId: 'acc_b', seatIds: ['nope'] })).toMatchObject({ unavailable: ['nope'] })
  })

  it('sells only inside the sale window and while the show is scheduled', () => {
    const show = sales()
    const request = { holderId: 'acc_a', seatIds: ['S-0-0'] }
    expect(refusal(show, request, NOW - 2 * 3600_000).code).toBe('not_on_sale')
    expect(refusal(show, request, NOW + 2 * 86_400_000).code).toBe('not_on_sale')
    show.config = { ...show.config, status: 'cancelled' }
    expect(refusal(show, request).code).toBe('not_on_sale')
    expect(show.onSale(NOW)).toBe(false)
  })

  it('asks anonymous buyers to sign in when the on-sale requires it', () => {
    const show = sales({ signInToHold: true })
    expect(refusal(show, { holderId: 'buy_cookie', seatIds: ['S-0-0'] }).code).toBe('sign_in_required')
    hold(show, { holderId: 'cus_signed_in', seatIds: ['S-0-0'] })
  })

  it('refuses malformed asks: too many seats, a quantity out of range, or neither seats nor best', () => {
    const show = sales({ maxPerAccount: 20 })
    const eleven = Array.from({ length: 11 }, (_, s) => `S-${Math.floor(s / 10)}-${s % 10}`)
    expect(refusal(show, { holderId: 'acc_a', seatIds: eleven }).code).toBe('invalid_request')
    expect(refusal(show, { holderId: 'acc_a', best: { category: 'A', quantity: 0 } }).code).toBe(
      'invalid_request',
    )
    expect(refusal(show, { holderId: 'acc_a', best: { category: 'A', quantity: 11 } }).code).toBe(
      'invalid_request',
    )
    expect(refusal(show, { holderId: 'acc_a' }).code).toBe('invalid_request')
    expect(show.holds.size).toBe(0)
  })

  it('never sells seats of a category the show has no price for', () => {
    const show = sales({ prices: { A: 10000 } }, 2, 10, ['A', 'B'])
    expect(refusal(show, { holderId: 'acc_a', seatIds: ['S-0-0', 'S-1-0'] })).toMatchObject({
      code: 'seats_not_priced',
      unavailable: ['S-1-0'],
    })
    expect(refusal(show, { holderId: 'acc_a', best: { category: 'B', quantity: 1 } }).code).toBe(
      'invalid_request',
    )
    expect(publicState(show, show.layout.indexOf('S-1-0')!)).toBe('blocked')
    expect(availability(show, NOW).categories.map((c) => c.code)).toEqual(['A'])
  })

  it('picks best-available seats side by side and says sold out with the count left', () => {
    const show = sales({ maxPerAccount: 20 }, 1, 6)
    const picked = hold(show, { holderId: 'acc_a', best: { category: 'A', quantity: 4 } })
    const ordinals = picked.seats.map((i) => show.layout.seats[i]!.ordinal).sort((a, b) => a - b)
    expect(ordinals[3]! - ordinals[0]!).toBe(3)
    expect(refusal(show, { holderId: 'acc_b', best: { category: 'A', quantity: 3 } })).toMatchObject({
      code: 'sold_out',
      available: 2,
    })
  })

  it('keeps seats set aside for a channel from other channels', () => {
    const show = sales()
    const { allocated, unknown } = show.allocate(['S-0-0', 'S-0-1', 'nope'], 'ctrip')
    expect(ids(show, allocated)).toEqual(['S-0-0', 'S-0-1'])
    expect(unknown).toEqual(['nope'])
    expect(refusal(show, { holderId: 'acc_a', seatIds: ['S-0-0'] }).code).toBe('seats_unavailable')
    hold(show, { holderId: 'partner', channel: 'ctrip', seatIds: ['S-0-0', 'S-0-1'] })
  })
})

describe('show rules: limits per buyer, per ID number and per network', () => {
  it('counts held and sold seats against the per-buyer limit, and frees them when a hold ends', () => {
    const show = sales({ maxPerAccount: 4 })
    const first = hold(show, { holderId: 'acc_a', seatIds: ['S-0-0', 'S-0-1', 'S-0-2'] })
    expect(refusal(show, { holderId: 'acc_a', seatIds: ['S-0-3', 'S-0-4'] })).toMatchObject({
      code: 'buyer_limit',
      detail: 'At most 4 tickets per buyer; you already hold 3',
    })
    const changed: number[] = []
    show.endHold(first, changed)
    expect(changed).toEqual(first.seats)
    expect(show.holds.has(first.id)).toBe(false)
    expect(first.seats.map((i) => show.layout.state[i])).toEqual([FREE, FREE, FREE])
    hold(show, { holderId: 'acc_a', seatIds: ['S-0-3', 'S-0-4', 'S-0-5', 'S-0-6'] })
  })

  it('holds a real-name show’s seats first and takes their ID numbers at checkout, one ticket per ID', () => {
    const show = sales({ realNameRequired: true })
    // Best available on a real-name show: seats first, no ID numbers typed while they could be lost.
    const first = hold(show, { holderId: 'acc_a', best: { category: 'A', quantity: 2 } })
    const other = hold(show, { holderId: 'acc_b', seatIds: ['S-1-0'] })
    expect(show.assignIdNumbers(first, ['id1'])?.code).toBe('invalid_request')
    expect(show.assignIdNumbers(first, ['id1', 'id1'])?.code).toBe('invalid_request')
    expect(show.assignIdNumbers(first, ['id1', 'id2'])).toBeNull()
    expect(show.assignIdNumbers(first, ['id1', 'id2'])).toBeNull()
    expect(show.assignIdNumbers(first, ['id1', 'id3'])?.code).toBe('invalid_request')
    expect(show.assignIdNumbers(other, ['id2'])).toMatchObject({ code: 'buyer_limit' })
    // The hold runs out unpaid: its ID numbers may buy again.
    show.endHold(first, [])
    expect(show.assignIdNumbers(other, ['id2'])).toBeNull()
  })

  it('sells one ticket per real-name ID number, and an ID is free again once its seat is returned', () => {
    const show = sales({ realNameRequired: true })
    expect(refusal(show, { holderId: 'acc_a', seatIds: ['S-0-0', 'S-0-1'], idNumbers: ['id1'] }).code).toBe(
      'invalid_request',
    )
    expect(
      refusal(show, { holderId: 'acc_a', seatIds: ['S-0-0', 'S-0-1'], idNumbers: ['id1', 'id1'] }).code,
    ).toBe('invalid_request')
    const first = hold(show, { holderId: 'acc_a', seatIds: ['S-0-0', 'S-0-1'], idNumbers: ['id1', 'id2'] })
    expect(refusal(show, { holderId: 'acc_b', seatIds: ['S-0-5'], idNumbers: ['id2'] })).toMatchObject({
      code: 'buyer_limit',
      detail: '1 of these ID numbers already hold a ticket for this show',
    })
    // Sold, then the seat bought with id2 is refunded: id2 may buy again, id1 may not.
    show.sell(first.seats, first, first, [])
    expect(first.seats.map((i) => show.layout.state[i])).toEqual([SOLD, SOLD])
    show.returnSeat(first.seats[1]!, 'acc_a', 'id2', null, [])
    hold(show, { holderId: 'acc_b', seatIds: ['S-0-5'], idNumbers: ['id2'] })
    expect(refusal(show, { holderId: 'acc_c', seatIds: ['S-0-6'], idNumbers: ['id1'] }).code).toBe(
      'buyer_limit',
    )
  })

  it('caps active holds per buyer and per client network, with the wait until one ends', () => {
    const show = sales({ maxPerAccount: 40 }, 4, 10)
    for (let k = 0; k < 3; k++) hold(show, { holderId: 'acc_a', seatIds: [`S-0-${k}`] }, NOW + k * 1000)
    expect(refusal(show, { holderId: 'acc_a', seatIds: ['S-0-5'] }, NOW + 5000)).toEqual({
      ok: false,
      code: 'hold_limit',
      detail: expect.stringContaining('for one buyer'),
      scope: 'buyer',
      limit: { holds: 3, held: 20 },
      // The first of the buyer's holds ends 15 minutes after NOW.
      retryAfter: 15 * 60 - 5,
    })
    // Fresh cookies from one network: 12 holds at most (the floor for a 40-seat hall).
    for (let k = 0; k < 12; k++)
      hold(show, {
        holderId: `buy_${k}`,
        ip: '203.0.113.7',
        seatIds: [`S-${1 + Math.floor(k / 10)}-${k % 10}`],
      })
    const over = refusal(show, { holderId: 'buy_new', ip: '203.0.113.7', seatIds: ['S-3-5'] })
    expect(over).toMatchObject({ code: 'hold_limit', scope: 'client', limit: { holds: 12 } })
    // Another network is not affected; a hold of the capped network ending frees a place.
    hold(show, { holderId: 'buy_other', ip: '198.51.100.1', seatIds: ['S-3-6'] })
    const one = [...show.holds.values()].find((h) => h.holderId === 'buy_0')!
    show.endHold(one, [])
    hold(show, { holderId: 'buy_new', ip: '203.0.113.7', seatIds: ['S-3-5'] })
  })

  it('re-acquires an expired hold only when its seats are free and its buyer is within the limits again', () => {
    const show = sales({ maxPerAccount: 2 })
    const expired = hold(show, { holderId: 'acc_a', seatIds: ['S-0-0', 'S-0-1'] })
    show.endHold(expired, [])
    expect(show.reacquireRefusal(expired, expired.seats, NOW)).toBeNull()
    // The buyer held something else meanwhile: taking the seats again would pass their limit.
    const other = hold(show, { holderId: 'acc_a', seatIds: ['S-1-0'] })
    expect(show.reacquireRefusal(expired, expired.seats, NOW)).toEqual({
      code: 'buyer_limit',
      detail: 'The hold expired; At most 2 tickets per buyer; you already hold 1',
    })
    show.endHold(other, [])
    // Someone else took one of the seats: lost, and named.
    hold(show, { holderId: 'acc_b', seatIds: ['S-0-1'] })
    expect(show.reacquireRefusal(expired, expired.seats, NOW)).toEqual({
      code: 'hold_expired',
      detail: expect.any(String),
      unavailable: ['S-0-1'],
    })
  })

  it("lets a member tier's higher ticket limit raise the event's for that buyer only, never lower it", () => {
    const show = sales({ maxPerAccount: 4 })
    // A gold member (limit 8) takes six seats in two holds; the event alone would stop them at four.
    hold(show, { holderId: 'cus_gold', seatIds: ['S-0-0', 'S-0-1', 'S-0-2', 'S-0-3'], maxTicketsPerBuyer: 8 })
    hold(show, { holderId: 'cus_gold', seatIds: ['S-0-4', 'S-0-5'], maxTicketsPerBuyer: 8 })
    expect(
      refusal(show, { holderId: 'cus_gold', seatIds: ['S-0-6', 'S-0-7', 'S-0-8'], maxTicketsPerBuyer: 8 }),
    ).toMatchObject({ code: 'buyer_limit', detail: 'At most 8 tickets per buyer; you already hold 6' })
    // Another buyer without a tier limit keeps the event's four.
    expect(
      refusal(show, { holderId: 'cus_plain', seatIds: ['S-1-0', 'S-1-1', 'S-1-2', 'S-1-3', 'S-1-4'] }),
    ).toMatchObject({ code: 'buyer_limit', detail: 'At most 4 tickets per buyer; you already hold 0' })
    // A tier limit below the event's does not lower it.
    hold(show, { holderId: 'cus_low', seatIds: ['S-1-0', 'S-1-1', 'S-1-2', 'S-1-3'], maxTicketsPerBuyer: 2 })
  })

  it('counts a re-acquired sale for its buyer again', () => {
    const show = sales({ maxPerAccount: 2 })
    const expired = hold(show, { holderId: 'acc_a', seatIds: ['S-0-0', 'S-0-1'] })
    show.endHold(expired, [])
    show.sell(expired.seats, expired, undefined, [])
    expect(refusal(show, { holderId: 'acc_a', seatIds: ['S-1-0'] }).code).toBe('buyer_limit')
  })

  it('keeps counting after a reload: restored holds and sales count as they did', () => {
    const before = sales({ maxPerAccount: 3, realNameRequired: true })
    const active = hold(before, { holderId: 'acc_a', seatIds: ['S-0-0'], idNumbers: ['id1'] })
    const show = sales({ maxPerAccount: 3, realNameRequired: true })
    show.restoreHold({ ...active })
    // A confirmed hold of two seats, one of them refunded since: only the seat still sold (and its ID) counts.
    const sold = { ...active, id: 'hld_sold', seats: [5, 6], idNumbers: ['id3', 'id2'], quotes: null }
    show.restoreSold(sold, new Set([6]))
    expect(show.layout.state[active.seats[0]!]).toBe(HELD)
    expect(refusal(show, { holderId: 'acc_x', seatIds: ['S-0-5'], idNumbers: ['id2'] }).code).toBe(
      'buyer_limit',
    )
    expect(
      refusal(show, { holderId: 'acc_a', seatIds: ['S-0-5', 'S-0-6'], idNumbers: ['id5', 'id6'] }).detail,
    ).toBe('At most 3 tickets per buyer; you already hold 2')
  })

  it('moves a hold expiry, and its buyer caps wait for the new one', () => {
    const show = sales({ maxPerAccount: 10 })
    const held = [0, 1, 2].map((k) => hold(show, { holderId: 'acc_a', seatIds: [`S-0-${k}`] }))
    for (const h of held) show.extendHold(h, NOW + 3600_000)
    expect(held[0]!.expiresAt).toBe(NOW + 3600_000)
    expect(refusal(show, { holderId: 'acc_a', seatIds: ['S-0-5'] }).retryAfter).toBe(3600)
  })
})

describe('show rules: organizer controls', () => {
  it('blocks free seats and frees blocked ones, leaving held seats and unknown ids alone', () => {
    const show = sales()
    hold(show, { holderId: 'acc_a', seatIds: ['S-0-2'] })
    const blocked = show.setBlocked(['S-0-0', 'S-0-1', 'S-0-2', 'nope'], true)
    expect(blocked).toMatchObject({
      changedIds: ['S-0-0', 'S-0-1'],
      skipped: ['S-0-2', 'nope'],
      state: BLOCKED,
    })
    expect(refusal(show, { holderId: 'acc_b', seatIds: ['S-0-0'] }).code).toBe('seats_unavailable')
    expect(show.setBlocked(['S-0-0', 'S-0-3'], false)).toMatchObject({
      changedIds: ['S-0-0'],
      skipped: ['S-0-3'],
    })
    expect(show.layout.state[show.layout.indexOf('S-0-0')!]).toBe(FREE)
  })
})

describe('show views and outcome lines', () => {
  it('quotes a hold at the show prices, and the seat map and availability follow the state', () => {
    const show = sales({}, 2, 10, ['A', 'B'])
    const held = hold(show, { holderId: 'acc_a', seatIds: ['S-0-0', 'S-1-0'] })
    expect(showHold(show, held)).toEqual({
      id: held.id,
      showId: 'shw_rules',
      seats: [
        {
          id: 'S-0-0',
          label: 'Row 0 seat 1',
          section: 'Stalls',
          row: '0',
          category: 'A',
          price: 10000,
          listPrice: 10000,
          tier: null,
        },
        {
          id: 'S-1-0',
          label: 'Row 1 seat 1',
          section: 'Stalls',
          row: '1',
          category: 'B',
          price: 6000,
          listPrice: 6000,
          tier: null,
        },
      ],
      total: 16000,
      currency: 'CNY',
      expiresAt: new Date(LATER).toISOString(),
      discount: 0,
    })
    expect(availability(show, NOW)).toMatchObject({
      onSale: true,
      categories: [
        { code: 'A', price: 10000, available: 9, total: 10 },
        { code: 'B', price: 6000, available: 9, total: 10 },
      ],
    })
    const map = seatMap(show, NOW)
    expect(map.seats.find((s) => s.id === 'S-0-0')!.state).toBe('held')
    expect(map.seats.filter((s) => s.state === 'free')).toHaveLength(18)
  })

  it('writes each outcome line exactly as JSON.stringify writes the structured outcome, at the current prices', () => {
    const show = sales({}, 2, 10, ['A', 'B'])
    const lines = new OutcomeLines()
    const decide = (requests: ShowHoldRequest[]) =>
      requests.map((request) => show.hold(request, NOW, LATER, []) as ActiveHold)
    const outcomes = decide([
      { holderId: 'acc_a', seatIds: ['S-0-0', 'S-1-1'] },
      { holderId: 'acc_b', seatIds: ['S-0-0'] },
      { holderId: 'acc_c', seatIds: ['S-1-2'] },
    ])
    const text = lines.encode(show, outcomes)
    expect(splitOutcomeLines(text, 3)).toEqual(
      structuredOutcomes(show, outcomes).map((o) => JSON.stringify(o)),
    )
    // A price edit: the per-seat pieces are rebuilt for the new config.
    show.config = { ...show.config, prices: { A: 12500, B: 6000 } }
    const [again] = decide([{ holderId: 'acc_d', seatIds: ['S-0-5'] }])
    const line = splitOutcomeLines(lines.encode(show, [again!]), 1)[0]!
    const read = readOutcomeLine(line)
    if (!read.ok) throw new Error('refused')
    expect(JSON.parse(read.holdJson)).toMatchObject({ total: 12500, seats: [{ id: 'S-0-5', price: 12500 }] })
  })
})

describe('pushed catalogue settings', () => {
  it('are taken only when no part of their stamp is older than the settings the actor has', () => {
    const current = config({ stamp: '2026-05-02T00:00:00.000Z|2026-05-01T00:00:00.000Z' })
    expect(notOlder(config({ stamp: '2026-05-02T00:00:01.000Z|2026-05-01T00:00:00.000Z' }), current)).toBe(
      true,
    )
    expect(notOlder(config({ stamp: '2026-05-02T00:00:00.000Z|2026-05-03T00:00:00.000Z' }), current)).toBe(
      true,
    )
    expect(notOlder(config({ stamp: '2026-05-01T23:59:59.000Z|2026-05-03T00:00:00.000Z' }), current)).toBe(
      false,
    )
    expect(notOlder(config({ stamp: undefined }), current)).toBe(true)
  })
})
