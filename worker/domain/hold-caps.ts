// Per-client caps on holds, shared by the show and the scenic-day inventory actors: how many active holds and
// held seats (or tickets) one buyer, and one client network (see client-network.ts), may have on one show or
// one day at once. A buyer id is an account or an anonymous cookie, which costs nothing to renew; a network
// does not change with the cookie. Network caps are generous, because many buyers share one carrier NAT or
// office address, and grow with what is on sale, but they stay a small share of it: one address can never
// hold a whole show. Sold seats do not count (per-buyer ticket limits cover those). Pure: no bindings.

export interface HoldCaps {
  /** Active holds one buyer may have at once (the shop keeps one; a buyer may change their mind). */
  holdsPerBuyer: number
  /** Seats or tickets one buyer may hold at once (beside the event's own per-buyer ticket limit). */
  heldPerBuyer: number
  /** Active holds from one client network at once, at least … */
  holdsPerClient: number
  /** … or this share of the capacity on sale, when that is more. */
  holdsPerClientShare: number
  /** Seats or tickets held from one client network at once, at least … */
  heldPerClient: number
  /** … or this share of the capacity on sale, when that is more. */
  heldPerClientShare: number
}

/**
 * Defaults for a show. A 160-seat cinema: one network holds at most 24 seats in at most 12 holds; a 2,000-seat
 * hall 200 seats in 100 holds; a 50,000-seat stadium 5,000 seats in 2,500 holds (a carrier NAT in an on-sale).
 */
export const SHOW_HOLD_CAPS: HoldCaps = {
  holdsPerBuyer: 3,
  heldPerBuyer: 20,
  holdsPerClient: 12,
  holdsPerClientShare: 0.05,
  heldPerClient: 24,
  heldPerClientShare: 0.1,
}

/** What one buyer or one network has in active holds right now. */
export interface HoldTally {
  holds: number
  held: number
}

export interface HoldLimit {
  holds: number
  held: number
}

export type HoldCapScope = 'buyer' | 'client'

/** The caps as numbers for a show or day of `capacity` seats or tickets. */
export function holdLimits(caps: HoldCaps, capacity: number): Record<HoldCapScope, HoldLimit> {
  const share = (floor: number, fraction: number) => Math.max(floor, Math.ceil(capacity * fraction))
  return {
    buyer: { holds: caps.holdsPerBuyer, held: caps.heldPerBuyer },
    client: {
      holds: share(caps.holdsPerClient, caps.holdsPerClientShare),
      held: share(caps.heldPerClient, caps.heldPerClientShare),
    },
  }
}

/**
 * Whether one more hold of `adding` seats keeps the buyer and the client network (when known) within their
 * limits; the first limit it would pass, or null.
 */
export function overHoldCap(
  limits: Record<HoldCapScope, HoldLimit>,
  buyer: HoldTally | undefined,
  client: HoldTally | undefined,
  adding: number,
): { scope: HoldCapScope; limit: HoldLimit } | null {
  const over = (tally: HoldTally | undefined, limit: HoldLimit) =>
    (tally?.holds ?? 0) + 1 > limit.holds || (tally?.held ?? 0) + adding > limit.held
  if (over(buyer, limits.buyer)) return { scope: 'buyer', limit: limits.buyer }
  if (client && over(client, limits.client)) return { scope: 'client', limit: limits.client }
  return null
}

/** The problem's words for a refusal, naming the limit. */
export function holdCapDetail(scope: HoldCapScope, limit: HoldLimit, unit = 'seats'): string {
  const who = scope === 'buyer' ? 'for one buyer' : 'from one network address'
  return `At most ${limit.holds} active holds and ${limit.held} held ${unit} at once ${who}; complete or release a hold first, or wait for one to expire`
}

/**
 * Caps with overrides from a setting (JSON with any of HoldCaps' fields, e.g. the `HOLD_CAPS` variable);
 * anything missing or not a positive number keeps its default.
 */
export function holdCapsFrom(setting: string | undefined, defaults: HoldCaps): HoldCaps {
  if (!setting) return defaults
  let parsed: unknown
  try {
    parsed = JSON.parse(setting)
  } catch {
    return defaults
  }
  if (!parsed || typeof parsed !== 'object') return defaults
  const caps = { ...defaults }
  for (const key of Object.keys(defaults) as (keyof HoldCaps)[]) {
    const value = (parsed as Record<string, unknown>)[key]
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) caps[key] = value
  }
  return caps
}

/** Anonymous buyers carry a cookie id (`buy_…`); signed-in customers their account id. */
export const isAnonymousBuyer = (holderId: string) => holderId.startsWith('buy_')

interface Tally extends HoldTally {
  /**
   * When each of these holds expires (few: the caps keep them few), for Retry-After; a number for the one hold
   * most buyers and networks have (an array per key costs a stadium's on-sale megabytes).
   */
  expiries: number | number[]
}

export interface HoldCapRefusal {
  scope: HoldCapScope
  limit: HoldLimit
  /** Seconds until the first of this buyer's or network's holds expires. */
  retryAfter: number
}

/**
 * An actor's active holds counted per buyer and per client network, kept in memory beside the holds
 * themselves: `add` when a hold is made, `remove` when it ends (released, expired, confirmed).
 */
export class HoldTallies {
  // Keyed by the buyer id and the network themselves, so a key is the string the hold already holds (a
  // prefixed key would be one more string per hold: at a stadium's on-sale, hundreds of thousands).
  private readonly buyers = new Map<string, Tally>()
  private readonly networks = new Map<string, Tally>()

  private change(tallies: Map<string, Tally>, key: string, sign: 1 | -1, seats: number, expiresAt: number) {
    const tally = tallies.get(key)
    if (!tally) {
      if (sign > 0) tallies.set(key, { holds: 1, held: seats, expiries: expiresAt })
      return
    }
    tally.holds += sign
    tally.held += sign * seats
    const { expiries } = tally
    if (typeof expiries === 'number') {
      if (sign > 0) tally.expiries = [expiries, expiresAt]
    } else if (sign > 0) expiries.push(expiresAt)
    else {
      const at = expiries.indexOf(expiresAt)
      if (at >= 0) expiries.splice(at, 1)
    }
    if (tally.holds <= 0) tallies.delete(key)
  }

  add(holderId: string, client: string | null | undefined, seats: number, expiresAt: number) {
    this.change(this.buyers, holderId, 1, seats, expiresAt)
    if (client) this.change(this.networks, client, 1, seats, expiresAt)
  }

  remove(holderId: string, client: string | null | undefined, seats: number, expiresAt: number) {
    this.change(this.buyers, holderId, -1, seats, expiresAt)
    if (client) this.change(this.networks, client, -1, seats, expiresAt)
  }

  /** How many active holds this buyer has. */
  holdsOf(holderId: string): number {
    return this.buyers.get(holderId)?.holds ?? 0
  }

  /** Whether one more hold of `adding` seats stays within `limits`; the refusal if not. */
  check(
    limits: Record<HoldCapScope, HoldLimit>,
    holderId: string,
    client: string | null | undefined,
    adding: number,
    now: number,
  ): HoldCapRefusal | null {
    const buyer = this.buyers.get(holderId)
    const network = client ? (this.networks.get(client) ?? { holds: 0, held: 0, expiries: [] }) : undefined
    const over = overHoldCap(limits, buyer, network, adding)
    if (!over) return null
    const expiries = (over.scope === 'buyer' ? buyer : network)?.expiries ?? []
    const first =
      typeof expiries === 'number' ? expiries : expiries.length ? Math.min(...expiries) : now + 60_000
    return { ...over, retryAfter: Math.max(1, Math.ceil((first - now) / 1000)) }
  }

  clear() {
    this.buyers.clear()
    this.networks.clear()
  }
}
