// The stadium on-sale's crowd, shared by the in-worker harness (bench-stadium.ts) and the buyer processes
// (stadium-buyers.ts): the same seed gives the same buyers everywhere, so each process takes its slice of one crowd.

export const STADIUM_SEATS = 50_000
export const STADIUM_BUYERS = 200_000
/** Buyers arrive over this long, half of them before the opening. */
export const ARRIVAL_SECONDS = 60
/** A hold lasts this long in the bench (15 minutes on sale), so unpaid seats come back within the run. */
export const STADIUM_HOLD_SECONDS = 20
/**
 * An admission pass lasts this long in the bench: the platform's shortest (`passMinutes` ≥ 1; 10 minutes by
 * default). 20 s passes, shorter than any organizer can set, lapsed while a loaded host answered the buyer's read
 * or hold, and the run then measured the bench's pass length rather than the platform.
 */
export const STADIUM_PASS_SECONDS = 60
export const NEVER_PAY = 0.2
export const STADIUM_MAX_PER_BUYER = 4
/** Buyers whose party includes an ID number another buyer also uses (a scalper's list): the per-ID limit's test. */
const SHARED_ID_SHARE = 0.02
/**
 * The run gives up this long after the opening if the show has not sold out: `npm run bench`'s default run (every
 * scenario), which should not take much longer than it did. `BENCH_SCENARIOS=stadium-onsale` alone runs to the
 * sell-out, capped at SELL_OUT_CAP_SECONDS; `BENCH_STADIUM_GIVE_UP` (seconds) or `&giveUp=` sets either.
 */
export const GIVE_UP_SECONDS = 150
/** Real fans wait in a stadium queue far longer than 150 s: a run asked for alone waits for the sell-out, this long at most. */
export const SELL_OUT_CAP_SECONDS = 1_800
export const ZONES = ['A', 'B', 'C', 'D']

export interface Buyer {
  id: string
  /** The price zone the buyer asks for first (then another, if it sold out). */
  zone: number
  /** Seconds after the opening (negative: before it). */
  arrives: number
  wants: number
  idNumbers: string[]
  pays: boolean
}

/** xorshift32: a fast reproducible stream in [0, 1). */
export function rng(seed: number) {
  let x = seed || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 2 ** 32
  }
}

/** 18 digits, not a real ID: the actor counts ID numbers, the route checks their form. */
const idNumber = (n: number) => `110101${String(n).padStart(12, '0')}`

export function buyers(count: number, rand: () => number): Buyer[] {
  let nextId = 0
  return Array.from({ length: count }, (_, i) => {
    const wants = 1 + Math.floor(rand() * 4)
    const idNumbers = Array.from({ length: wants }, () => idNumber(nextId++))
    // Some parties reuse an ID number someone else also gives.
    if (i > 0 && rand() < SHARED_ID_SHARE) idNumbers[0] = idNumber(Math.floor(rand() * nextId))
    return {
      id: `buy_st${i.toString(36)}`,
      zone: Math.floor(rand() * 4),
      arrives: rand() * ARRIVAL_SECONDS - ARRIVAL_SECONDS / 2,
      wants,
      idNumbers: [...new Set(idNumbers)],
      pays: rand() >= NEVER_PAY,
    }
  })
}

/** The crowd of an on-sale of `seats` seats and `count` buyers (the seed follows from both). */
export const crowdOf = (seats: number, count: number) => buyers(count, rng(seats + count))

/** Spearman's rank correlation of two equally long lists (no ties expected). */
export function rankCorrelation(a: number[], b: number[]): number {
  const ranks = (xs: number[]) => {
    const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0])
    const r = new Array<number>(xs.length)
    order.forEach(([, i], k) => {
      r[i] = k
    })
    return r
  }
  const n = a.length
  if (n < 2) return 1
  const ra = ranks(a)
  const rb = ranks(b)
  let d2 = 0
  for (let i = 0; i < n; i++) d2 += (ra[i]! - rb[i]!) ** 2
  return 1 - (6 * d2) / (n * (n * n - 1))
}
