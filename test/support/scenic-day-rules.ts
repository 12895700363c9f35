import type { ScenicHoldLine, ScenicHoldRequest, Visitor } from '../../durable-objects/scenic-day/contract.ts'
import { countTaken } from '../../durable-objects/scenic-day/rules/counts.ts'
import type { DayConfig, Product, Rule } from '../../durable-objects/scenic-day/rules/day-config.ts'
import { type DayState, decideHold } from '../../durable-objects/scenic-day/rules/decide-hold.ts'
import type { LineRow } from '../../durable-objects/scenic-day/rules/lines.ts'
import { HoldTallies } from '../../worker/domain/hold-caps.ts'
import { withCheckCharacter } from '../../worker/domain/id-number.ts'
import { SCENIC_HOLD_CAPS } from '../../worker/domain/scenic-hold-caps.ts'
import { idNumberFor } from './catalogue.ts'

// A scenic day in memory for the rules' own tests (test/durable-objects/scenic-day-rules.test.ts,
// scenic-day-returns.test.ts): settings, visitors, stored lines and the state a decision reads, with no actor.

export const DATE = '2026-12-10'
export const TODAY = '2026-12-05'
export const NOW = Date.parse('2026-12-05T02:00:00Z')

export const product = (id: string, overrides: Partial<Product> = {}): Product => ({
  id,
  name: id,
  kind: 'entry',
  ticketType: 'adult',
  price: 10_000,
  timed: false,
  dailyCapacity: null,
  realNameRequired: false,
  maxPerIdPerDay: 0,
  status: 'active',
  ages: {},
  ...overrides,
})

/** A day of `dailyCapacity` with a gate ticket (real name, one per ID), a cable car that needs it, a senior ticket. */
export function day(overrides: Partial<DayConfig> = {}, rule: Partial<Rule> = {}): DayConfig {
  return {
    version: 2,
    siteId: 'site_1',
    date: DATE,
    currency: 'CNY',
    holdMinutes: 15,
    dailyCapacity: 10,
    slots: [
      { code: '09:00', start: '09:00', end: '10:00', capacity: 10 },
      { code: '10:00', start: '10:00', end: '11:00', capacity: 10 },
    ],
    quotas: {},
    bookingDaysAhead: 30,
    timezone: 'Asia/Shanghai',
    products: {
      gate: product('gate', {
        name: 'Gate adult',
        price: 12_000,
        timed: true,
        realNameRequired: true,
        maxPerIdPerDay: 1,
      }),
      cable: product('cable', { name: 'Cable car', kind: 'attraction', price: 8_000, maxPerIdPerDay: 2 }),
      senior: product('senior', { name: 'Gate senior', price: 6_000, ages: { minAge: 60 } }),
    },
    rules: [
      {
        parentProductId: 'gate',
        childProductId: 'cable',
        matchBy: 'phone_or_id_number',
        onParentRefund: 'block',
        ...rule,
      },
    ],
    packages: {
      combo: {
        price: 18_000,
        status: 'active',
        components: [
          { productId: 'gate', quantity: 1 },
          { productId: 'cable', quantity: 1 },
        ],
      },
    },
    ...overrides,
  }
}

/** A checksummed ID number like idNumberFor's (born 1990), for someone born in `year`. */
export function idNumberBornIn(year: number, n: number): string {
  return withCheckCharacter(idNumberFor(n).slice(0, 17).replace('1990', String(year)))
}

export const wang: Visitor = { name: 'Wang Fang', idNumber: idNumberFor(801), phone: '13900000801' }
export const li: Visitor = { name: 'Li Lei', idNumber: idNumberFor(802), phone: '13900000802' }

export const gateLine = (visitor: Visitor, slot = '09:00'): ScenicHoldLine => ({
  productId: 'gate',
  slot,
  visitor,
})
export const cableLine = (visitor?: Visitor, parent?: ScenicHoldLine['parent']): ScenicHoldLine => ({
  productId: 'cable',
  ...(visitor ? { visitor } : {}),
  ...(parent ? { parent } : {}),
})
export const request = (
  lines: ScenicHoldLine[],
  extra: Partial<ScenicHoldRequest> = {},
): ScenicHoldRequest => ({
  holderId: 'buy_a',
  channel: 'web',
  lines,
  ...extra,
})

/** A stored line of the day (held or sold), as the store hands it to the rules. */
export function stored(
  id: string,
  holderId: string,
  productId: string,
  visitor: Visitor,
  extra: Partial<LineRow> = {},
): LineRow {
  return {
    id,
    hold_id: `hld_${id}`,
    holder_id: holderId,
    product_id: productId,
    slot: productId === 'gate' ? '09:00' : null,
    channel: 'web',
    id_number: visitor.idNumber ?? null,
    phone: visitor.phone ?? null,
    name: visitor.name ?? null,
    status: 'sold',
    order_id: `ord_${holderId}`,
    redeemed: 0,
    price: 0,
    parent_line_id: null,
    list_price: null,
    tier: null,
    tier_key: null,
    channel_priced: null,
    ...extra,
  }
}

/** The day's in-memory state with `taken` lines counted; named parents are looked up among them. */
export function stateOf(config: DayConfig, taken: LineRow[] = []): DayState {
  return {
    used: countTaken(config, taken),
    tallies: new HoldTallies(),
    caps: SCENIC_HOLD_CAPS,
    takenLine: (id) => taken.find((l) => l.id === id && (l.status === 'held' || l.status === 'sold')),
  }
}

export const decide = (config: DayConfig, state: DayState, req: ScenicHoldRequest, now = NOW) =>
  decideHold(config, state, req, TODAY, now)
