// Distribution (分销) rules, pure: which click an order is credited to, what a line earns, when it becomes
// payable, which statement month it belongs to. Money in integer minor units.

export type CommissionKind = 'percent' | 'fixed'

export interface CommissionRule {
  kind: CommissionKind
  /** percent: basis points (1000 = 10%); fixed: minor units per ticket. */
  value: number
}

export interface Click {
  id: string
  clickedAt: string
}

const day = 86_400_000
/** Statements and "the day has passed" are on Beijing time (UTC+8, no daylight saving). */
const beijingOffset = 8 * 3_600_000

/**
 * The click an order is credited to: the last one made before the order was created (last click wins), if it was
 * made within `windowDays` of it; otherwise none. Ties on the same millisecond go to the larger id.
 */
export function creditedClick<C extends Click>(
  clicks: readonly C[],
  orderCreatedAt: string,
  windowDays: number,
) {
  const created = Date.parse(orderCreatedAt)
  let last: C | undefined
  for (const click of clicks) {
    const at = Date.parse(click.clickedAt)
    if (at > created) continue
    if (!last || at > Date.parse(last.clickedAt) || (at === Date.parse(last.clickedAt) && click.id > last.id))
      last = click
  }
  if (!last) return undefined
  return created - Date.parse(last.clickedAt) <= windowDays * day ? last : undefined
}

/**
 * What one ticket (order line) earns: a percentage of what the buyer paid for it, rounded down to the minor unit
 * (a distributor is never paid a fraction the organizer did not receive), or a fixed amount per ticket, never more
 * than the line's price. Never negative.
 */
export function lineCommission(rule: CommissionRule, paid: number): number {
  if (paid <= 0 || rule.value <= 0) return 0
  if (rule.kind === 'fixed') return Math.min(rule.value, paid)
  return Math.floor((paid * Math.min(rule.value, 10_000)) / 10_000)
}

export interface ScopedRule extends CommissionRule {
  distributorId: string | null
  scopeKind: 'event' | 'product'
  scopeId: string
}

/**
 * The rule for a line of `scope` sold by `distributorId`: the distributor's own rule for the event or product,
 * else the rule for every distributor there, else the distributor's default.
 */
export function ruleFor(
  rules: readonly ScopedRule[],
  distributorId: string,
  scope: { kind: 'event' | 'product'; id: string } | null,
  fallback: CommissionRule,
): CommissionRule {
  if (scope) {
    const here = rules.filter((r) => r.scopeKind === scope.kind && r.scopeId === scope.id)
    const own = here.find((r) => r.distributorId === distributorId)
    if (own) return { kind: own.kind, value: own.value }
    const shared = here.find((r) => r.distributorId === null)
    if (shared) return { kind: shared.kind, value: shared.value }
  }
  return fallback
}

/** The Beijing month (YYYY-MM) of an instant: the statement an order paid then belongs to. */
export function statementMonth(at: string): string {
  return new Date(Date.parse(at) + beijingOffset).toISOString().slice(0, 7)
}

/**
 * When commission on a ticket becomes payable: the end of the day of the show (its start's Beijing date) or of
 * the visit date (YYYY-MM-DD), i.e. the next Beijing midnight, as a UTC instant.
 */
export function payableAfter(showStartsAt: string | null, visitDate: string | null): string {
  const date =
    visitDate ?? new Date(Date.parse(showStartsAt ?? '') + beijingOffset).toISOString().slice(0, 10)
  return new Date(Date.parse(`${date}T00:00:00Z`) + day - beijingOffset).toISOString()
}

/** A share link code: 10 letters and digits without look-alikes (0/O, 1/I/L), ~49 bits from a CSPRNG. */
export function newRefCode(
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
  const bytes = random(new Uint8Array(10))
  // 31 letters: bytes below 248 (8 × 31) map evenly; the rare byte above is folded with a tiny bias, acceptable
  // for a code that only needs to be hard to guess, not uniform to the bit.
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('')
}

export const refPattern = /^[A-Z2-9]{10}$/

export interface CommissionTotals {
  pending: number
  payable: number
  paid: number
  reversed: number
}

/** Totals by state; a clawback (negative) counts against the state it sits in. */
export function totalsByState(rows: readonly { state: keyof CommissionTotals; amount: number }[]) {
  const totals: CommissionTotals = { pending: 0, payable: 0, paid: 0, reversed: 0 }
  for (const r of rows) totals[r.state] += r.amount
  return totals
}

/** The shop page a share link opens, with its code: the home for an event, the show, or the product's site. */
export function shareLinkPath(link: {
  ref: string
  targetKind: 'event' | 'show' | 'product'
  targetId: string
  siteId: string | null
}) {
  const page =
    link.targetKind === 'show'
      ? `/shows/${encodeURIComponent(link.targetId)}`
      : link.targetKind === 'product' && link.siteId
        ? `/scenic/${encodeURIComponent(link.siteId)}`
        : '/'
  return `${page}?ref=${link.ref}`
}
