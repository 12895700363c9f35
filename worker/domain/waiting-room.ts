// The waiting room's rules (issue 22), pure so the queue actor, the worker and the tests share them. The actor
// keeps the places in its own SQLite (one row per buyer, indexed by queue ticket) and asks these functions what
// to do; nothing here scans the queue, so a join and an admission tick cost O(log n) in the actor's indexes.

/** What an organizer sets for one on-sale (a show, or a scenic site's visit date). */
export interface WaitingRoomSettings {
  enabled: boolean
  /** ISO instant: arrivals before it are shuffled at it (pre-queue); after it, first come first served. */
  opensAt: string
  /** Buyers admitted per minute; null follows how fast admitted buyers finish (see admissionsDue). */
  admissionPerMinute: number | null
  /** Joining needs a passed bot challenge (Turnstile in production). */
  requireChallenge: boolean
  /** How long an admission pass lasts, in minutes. */
  passMinutes: number
  /**
   * When the organizer last changed them (ISO): isolates cache settings for seconds, so the queue actor takes
   * settings only as new as or newer than those it has, never going back to a stale copy.
   */
  updatedAt?: string
  /**
   * Rooms the on-sale's queue is split over (see roomShards); absent: one. The organizer's setting (D1
   * `waiting_rooms.shards`); the stadium bench sets it from the expected demand.
   */
  shards?: number
}

/** Whether `incoming` settings should replace `current` ones (different, and not older). */
export function newerSettings(
  incoming: WaitingRoomSettings | null,
  current: WaitingRoomSettings | null,
): boolean {
  if (JSON.stringify(incoming) === JSON.stringify(current)) return false
  if (!incoming?.updatedAt || !current?.updatedAt) return true
  return incoming.updatedAt >= current.updatedAt
}

export const DEFAULT_PASS_MINUTES = 10
export type QueueState = 'before_open' | 'open' | 'sold_out' | 'off'
export type PlaceState = 'waiting' | 'admitted' | 'expired'

/** The actor ticks this often while the queue is open and someone waits or holds a pass. */
export const TICK_MS = 1_000
/** Sold out, it looks for returned seats this often (one small read of the inventory actor). */
export const SOLD_OUT_TICK_MS = 5_000
/**
 * A waiting buyer with no live socket who has not asked for their place for this long is abandoned: skipped at
 * admission (their place becomes `expired`; joining again puts them at the back).
 */
export const ABANDON_AFTER_MS = 120_000
/** A waiting socket gets a position update at most this often (the front of the queue every tick). */
export const PUSH_EVERY_MS = 5_000
/** Places at the front of the queue pushed every tick; beyond them a rotating window of PUSH_WINDOW per tick. */
export const PUSH_FRONT = 200
export const PUSH_WINDOW = 1_000
/** Most places one tick looks at (admitted or skipped), so a tick stays short whatever the queue's length. */
export const MAX_DECISIONS_PER_TICK = 2_000
/**
 * With `admissionPerMinute: null`, the admitted buyers still deciding (holding a pass, not yet ordered or
 * released) are kept near this many at least, and never above the units left to sell (see followingTarget).
 */
export const ACTIVE_TARGET = 200
/**
 * Most buyers following mode keeps deciding at once across an on-sale's rooms, however big the house: what the
 * show actor's measured 18–37k holds a second serves with ample room if each of them holds within a few seconds.
 */
export const MAX_ACTIVE_TARGET = 5_000
/** The party size the default target assumes (the stadium crowd's 1–4 seats average 2.5; lower admits more). */
export const SEATS_PER_BUYER = 2
/** The default target is the buyers it takes to buy what is left, divided by this (a quarter of the house at once). */
export const HOUSE_SHARE_DIVISOR = 4

/**
 * Following mode's default target of admitted-and-active buyers, for the whole on-sale: a quarter of the buyers it
 * takes to buy the `available` units left (at SEATS_PER_BUYER each), never below ACTIVE_TARGET nor above
 * MAX_ACTIVE_TARGET. A fixed 200 capped a 50,000-seat sell-out at ~25 admissions a second (~17 minutes with ~6 s
 * turns, test/bench/README.md "stadium"); following the house, what is left shrinks by about a quarter every turn
 * (~2 minutes for the stadium) and a small hall keeps the old 200. The quarter keeps the buyers deciding at once
 * wanting at most about half of what is left even when parties run to 4 seats, so holds rarely collide.
 */
export function followingTarget(available: number, seatsPerBuyer = SEATS_PER_BUYER): number {
  const buyersToSellOut = Math.ceil(Math.max(0, available) / Math.max(1, seatsPerBuyer))
  const target = Math.ceil(buyersToSellOut / HOUSE_SHARE_DIVISOR)
  return Math.min(MAX_ACTIVE_TARGET, Math.max(ACTIVE_TARGET, target))
}

/**
 * An admitted buyer whose last hold was refused (the seats went, or too few are left for their party) and who has
 * not held since stops counting as choosing this long after the refusal: most walk away, and counting them until
 * their pass lapsed (minutes) held back admission while seats were left. Trying again restarts the clock; holding
 * counts them again. `WAITING_ROOM_REFUSED_IDLE_SECONDS` overrides it (tests).
 */
export const REFUSED_IDLE_MS = 30_000

/** What an admitted buyer did next, as the hold and order routes tell the queue. */
export type BuyerStep = 'held' | 'refused' | 'ordered' | 'released'

/** An admitted place's progress, as the queue counts it (see afterStep). */
export interface AdmittedProgress {
  /** Holds something (no longer competing for what is left). */
  held: boolean
  /** Ordered or released: done with this on-sale's turn. */
  finished: boolean
  /** Refused and gone quiet (see wentQuiet): not counted until they try again. */
  quiet: boolean
  /** When their last hold was refused while they held nothing (cleared when they hold or go quiet). */
  refusedAt: number | null
}

/** Whether a place counts as active (admitted, not finished, not gone quiet) and as choosing (active, holding nothing). */
export const countsActive = (p: AdmittedProgress) => !p.finished && !p.quiet
export const countsChoosing = (p: AdmittedProgress) => countsActive(p) && !p.held

/**
 * An admitted buyer's step applied to their place, with what it does to the room's active and choosing counts.
 * Holding counts a quiet buyer again (as holding); a refusal of someone holding nothing starts (or restarts) the
 * idle clock and counts a quiet buyer again (they are back, choosing); ordering or releasing finishes them. A
 * finished buyer's later steps change nothing.
 */
export function afterStep(
  place: AdmittedProgress,
  step: BuyerStep,
  now: number,
): { place: AdmittedProgress; active: number; choosing: number } {
  let next = place
  if (place.finished) next = place
  else if (step === 'held') next = { held: true, finished: false, quiet: false, refusedAt: null }
  else if (step === 'refused') next = place.held ? place : { ...place, quiet: false, refusedAt: now }
  else next = { held: true, finished: true, quiet: false, refusedAt: null }
  return {
    place: next,
    active: Number(countsActive(next)) - Number(countsActive(place)),
    choosing: Number(countsChoosing(next)) - Number(countsChoosing(place)),
  }
}

/**
 * Of the buyers whose holds just lapsed, those left holding nothing (once each): their room hears `released`, as
 * if they had let go themselves. A buyer still holding something else is still choosing how to pay for it.
 */
export function lapsedBuyers(holders: Iterable<string>, holdsLeft: (buyerId: string) => number): string[] {
  return [...new Set(holders)].filter((buyerId) => holdsLeft(buyerId) === 0)
}

/** Whether a refused buyer has gone quiet by `now` (the tick then stops counting them: active and choosing). */
export const wentQuiet = (p: AdmittedProgress, now: number, idleMs = REFUSED_IDLE_MS) =>
  countsChoosing(p) && p.refusedAt !== null && now - p.refusedAt >= idleMs

/**
 * The pre-queue's seeded shuffle: a buyer's key from the on-sale's stored seed and their arrival number. At
 * opening, pre-queue places take tickets in key order (ties by arrival), so the order is random to buyers yet
 * reproducible from the seed. A 32-bit integer hash (murmur3's finaliser over the mixed pair).
 */
export function preQueueKey(seed: number, arrival: number): number {
  let h = (seed ^ Math.imul(arrival + 1, 0x9e3779b1)) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return h >>> 0
}

/** The order pre-queue arrivals are admitted in (for tests and the actor's documentation; the actor sorts in SQL). */
export function preQueueOrder(seed: number, arrivals: readonly number[]): number[] {
  return [...arrivals].sort((a, b) => preQueueKey(seed, a) - preQueueKey(seed, b) || a - b)
}

/** The queue as buyers see it now. */
export function queueState(settings: WaitingRoomSettings | null, now: number, soldOut: boolean): QueueState {
  if (!settings?.enabled) return 'off'
  if (now < Date.parse(settings.opensAt)) return 'before_open'
  return soldOut ? 'sold_out' : 'open'
}

/** Whether a waiting place is abandoned: no live socket, and not asked for within ABANDON_AFTER_MS. */
export const isAbandoned = (place: { lastSeenAt: number }, hasSocket: boolean, now: number) =>
  !hasSocket && now - place.lastSeenAt > ABANDON_AFTER_MS

/**
 * The shard point, measured (`waiting-room-capacity`, test/bench/README.md "One waiting room's capacity"): one
 * room took 265 coalesced joins a second (85 single ones) and 315 position reads beside them on the shared 2-core
 * host at load ~19, where the bench gets a tenth of a core; the figure is kept at what was measured, so a quiet
 * host or production only errs towards more rooms. Past it, an on-sale's queue is split over several rooms
 * (shards): a buyer's place lives in one, chosen by a stable hash of their real-name ID hash (so one place per ID
 * still holds) or of their buyer id; each shard admits its share of the rate in its own arrival order.
 */
export const ROOM_JOINS_PER_SECOND = 250
/** Most shards an on-sale is split over. */
export const MAX_SHARDS = 64

/** How many rooms an on-sale uses: the settings' figure, or enough for `expectedJoinsPerSecond`. */
export function roomShards(settings: Pick<WaitingRoomSettings, 'shards'> | null, expectedJoinsPerSecond = 0) {
  const wanted = settings?.shards ?? Math.ceil(expectedJoinsPerSecond / ROOM_JOINS_PER_SECOND)
  return Math.min(MAX_SHARDS, Math.max(1, Math.floor(wanted)))
}

/**
 * Whether changing an on-sale's shard count now would strand buyers. A place lives in the shard of its key's hash
 * modulo the count, so another count sends the lookups of most buyers (and every ID number's join) elsewhere:
 * lowered, the places in the shards dropped are never admitted; raised, a buyer without the shard cookie loses
 * their place and an ID number could queue twice. So the count is fixed while the room is open (or sold out,
 * where a returned seat re-opens it) and while anyone waits in the pre-queue; before that it may change freely.
 */
export function shardChangeStrands(
  current: Pick<WaitingRoomSettings, 'shards'> | null,
  next: Pick<WaitingRoomSettings, 'shards'>,
  queue: { state: QueueState; waiting: number },
): boolean {
  if (roomShards(current) === roomShards(next)) return false
  return queue.state === 'open' || queue.state === 'sold_out' || queue.waiting > 0
}

/** The shard (0 … shards − 1) a key (ID hash or buyer id) queues in: FNV-1a, stable across isolates. */
export function shardOf(key: string, shards: number): number {
  let h = 2166136261
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619)
  return (h >>> 0) % Math.max(1, shards)
}

/** A shard's actor name: shard 0 keeps the on-sale's own name (`show:<id>`), the others add `#<k>`. */
export const shardName = (onSale: string, shard: number) => (shard === 0 ? onSale : `${onSale}#${shard}`)

/** The on-sale and shard of a room's actor name. */
export function parseShardName(name: string): { onSale: string; shard: number } {
  const at = name.lastIndexOf('#')
  if (at < 0) return { onSale: name, shard: 0 }
  return { onSale: name.slice(0, at), shard: Number(name.slice(at + 1)) }
}

/**
 * Fairness across shards. Each room admits its share on its own tick, so a room whose buyers finish sooner (or
 * whose queue is shorter) would run ahead in arrival time and the on-sale's admission order drift from its
 * arrival order (rank correlation 0.902 in the 14-room stadium run). So every room admits only places whose
 * admission time is at or before one watermark shared by all: the earliest head of any room's queue plus a small
 * slack. The room at the back (the head that sets it) can always admit, so nobody waits on a room that cannot
 * move; a room ahead waits for it. Shard 0 keeps the heads the others report on their ticks (one RPC a tick each)
 * and answers the watermark; a report older than HEAD_REPORT_TTL_MS is ignored, so a room gone quiet holds no one.
 */
export const WATERMARK_SLACK_MS = 2_000
export const HEAD_REPORT_TTL_MS = 5_000

/**
 * A place's time in the order across rooms: when it joined, and for the pre-queue (shuffled at opening, so its
 * join times mean nothing) the opening itself: the pre-queue goes first in every room, in its drawn order.
 */
export const admissionTime = (joinedAt: number, opensAt: number) => Math.max(joinedAt, opensAt)

/**
 * The shared watermark from each room's head (the admission time of its first undecided place; null: nobody
 * waits there): the earliest head plus the slack; null when no room has anyone waiting (no limit).
 */
export function admissionWatermark(
  heads: readonly (number | null)[],
  slackMs = WATERMARK_SLACK_MS,
): number | null {
  let earliest: number | null = null
  for (const head of heads) if (head !== null && (earliest === null || head < earliest)) earliest = head
  return earliest === null ? null : earliest + slackMs
}

/** The heads shard 0 counts: the fresh reports (within HEAD_REPORT_TTL_MS of `now`) and its own. */
export function freshHeads(
  reports: ReadonlyMap<number, { head: number | null; at: number }>,
  now: number,
): (number | null)[] {
  const heads: (number | null)[] = []
  for (const report of reports.values()) if (now - report.at <= HEAD_REPORT_TTL_MS) heads.push(report.head)
  return heads
}

/** Whether a place may be admitted under the watermark (none: no limit). */
export const withinWatermark = (time: number, watermark: number | null) =>
  watermark === null || time <= watermark

export interface AdmissionInput {
  now: number
  /** When admissions were last decided (the previous tick); equal to now on the first. */
  lastTickAt: number
  /** Fractional admissions carried from earlier ticks (fixed rate only). */
  allowance: number
  admissionPerMinute: number | null
  /** Admitted buyers who have not yet ordered, released, gone quiet after a refusal or let their pass lapse. */
  active: number
  /** Of those, the ones who hold nothing yet (still choosing: they compete for what is left). */
  choosing: number
  /** Units (seats, visit tickets) left to sell now, from the inventory actor. */
  available: number
  /** Following mode's target of admitted-and-active buyers, set explicitly (default: followingTarget of what is left). */
  activeTarget?: number
  /** Rooms the queue is split over: each admits its share of the rate and of what is left. */
  shards?: number
}

/**
 * How many buyers to admit now. A fixed rate admits `admissionPerMinute` spread over the ticks (the fraction
 * carried). Following mode keeps the admitted-and-active buyers near a target (an explicit `activeTarget`, else
 * followingTarget: it grows with what is left to sell, from ACTIVE_TARGET up): each buyer who orders,
 * releases or lets their pass lapse frees a place for the next, so admissions follow how fast buyers finish and
 * the inventory actor always has about that many buyers choosing seats, never the whole queue at once. Either
 * way nobody is admitted while nothing is left, and no more buyers choose at once than units are left (a buyer who
 * holds already has their units out of `available`).
 */
export function admissionsDue(input: AdmissionInput): { admit: number; allowance: number } {
  if (input.available <= 0) return { admit: 0, allowance: 0 }
  const shards = Math.max(1, input.shards ?? 1)
  // A shard's share of what is left (rounded up, so the last seat is offered somewhere).
  const room = Math.max(0, Math.ceil(input.available / shards) - input.choosing)
  if (input.admissionPerMinute === null) {
    const target = Math.ceil((input.activeTarget ?? followingTarget(input.available)) / shards)
    return { admit: Math.min(room, Math.max(0, target - input.active)), allowance: 0 }
  }
  const perMinute = input.admissionPerMinute / shards
  const elapsed = Math.max(0, input.now - input.lastTickAt)
  // At most a minute's worth banks up, so a long pause (no one waiting) does not release a burst after it.
  const allowance = Math.min(perMinute, input.allowance + (perMinute * elapsed) / 60_000)
  const admit = Math.min(room, Math.floor(allowance))
  return { admit, allowance: allowance - admit }
}

/**
 * The admission rate buyers' estimates use: an exponentially weighted average (per minute) of what the ticks
 * admitted, weighting the last ~30 s most. `admitted` over `elapsedMs` since the previous tick.
 */
export function observedRate(previousPerMinute: number, admitted: number, elapsedMs: number): number {
  if (elapsedMs <= 0) return previousPerMinute
  const sample = (admitted * 60_000) / elapsedMs
  const weight = 1 - Math.exp(-elapsedMs / 30_000)
  return previousPerMinute + (sample - previousPerMinute) * weight
}

/**
 * Seconds until a buyer at `position` (1-based) is admitted, from the observed rate, or the organizer's rate
 * while nothing has been observed yet; null when neither is known (the page shows no estimate).
 */
export function estimatedWaitSeconds(
  position: number | null,
  observedPerMinute: number,
  admissionPerMinute: number | null,
): number | null {
  if (position === null) return null
  const rate = observedPerMinute >= 1 ? observedPerMinute : (admissionPerMinute ?? 0)
  if (rate <= 0) return null
  return Math.ceil((position * 60) / rate)
}

/** Tickets a tick's rotating push covers after `from`: the window, wrapping to the front at the queue's end. */
export function pushWindow(
  from: number,
  front: number,
  last: number,
): { start: number; end: number; next: number } {
  const start = from > front && from <= last ? from : front + 1
  const end = Math.min(last, start + PUSH_WINDOW - 1)
  return { start, end, next: end >= last ? front + 1 : end + 1 }
}
