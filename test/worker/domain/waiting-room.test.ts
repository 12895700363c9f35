import { describe, expect, it } from 'vitest'
import {
  dayOnSale,
  idNumberHash,
  showOnSale,
  signAdmissionPass,
  verifyAdmissionPass,
} from '../../../worker/domain/admission-pass.ts'
import {
  ABANDON_AFTER_MS,
  ACTIVE_TARGET,
  type AdmittedProgress,
  admissionsDue,
  admissionTime,
  admissionWatermark,
  afterStep,
  estimatedWaitSeconds,
  followingTarget,
  freshHeads,
  HEAD_REPORT_TTL_MS,
  isAbandoned,
  lapsedBuyers,
  MAX_ACTIVE_TARGET,
  newerSettings,
  observedRate,
  PUSH_WINDOW,
  parseShardName,
  preQueueKey,
  preQueueOrder,
  pushWindow,
  queueState,
  REFUSED_IDLE_MS,
  roomShards,
  SEATS_PER_BUYER,
  shardChangeStrands,
  shardName,
  shardOf,
  WATERMARK_SLACK_MS,
  type WaitingRoomSettings,
  wentQuiet,
  withinWatermark,
} from '../../../worker/domain/waiting-room.ts'

const settings = (over: Partial<WaitingRoomSettings> = {}): WaitingRoomSettings => ({
  enabled: true,
  opensAt: '2026-12-05T10:00:00.000Z',
  admissionPerMinute: null,
  requireChallenge: false,
  passMinutes: 10,
  ...over,
})
const opening = Date.parse('2026-12-05T10:00:00.000Z')

describe('the pre-queue shuffle', () => {
  it('orders arrivals by a seeded key: random to buyers, the same for the same seed', () => {
    const arrivals = Array.from({ length: 1_000 }, (_, i) => i + 1)
    const order = preQueueOrder(42, arrivals)
    expect(order).toHaveLength(1_000)
    expect(new Set(order).size).toBe(1_000)
    expect(order).not.toEqual(arrivals)
    expect(preQueueOrder(42, arrivals)).toEqual(order)
    expect(preQueueOrder(43, arrivals)).not.toEqual(order)
    // Not merely reversed or rotated: early arrivals land all over the order.
    const placeOfFirstTen = arrivals.slice(0, 10).map((a) => order.indexOf(a))
    expect(Math.max(...placeOfFirstTen)).toBeGreaterThan(100)
  })

  it('gives each arrival an unsigned 32-bit key', () => {
    for (const arrival of [1, 2, 100_000, 2 ** 31]) {
      const key = preQueueKey(7, arrival)
      expect(Number.isInteger(key) && key >= 0 && key < 2 ** 32).toBe(true)
    }
  })
})

describe('the queue state', () => {
  it('is off without an enabled room, before_open before opensAt, then open or sold_out', () => {
    expect(queueState(null, opening, false)).toBe('off')
    expect(queueState(settings({ enabled: false }), opening, false)).toBe('off')
    expect(queueState(settings(), opening - 1, false)).toBe('before_open')
    expect(queueState(settings(), opening, false)).toBe('open')
    expect(queueState(settings(), opening, true)).toBe('sold_out')
  })
})

describe('settings from cached copies', () => {
  it('replaces the queue’s settings only with different ones that are not older', () => {
    const older = settings({ updatedAt: '2026-12-05T09:00:00.000Z' })
    const newer = settings({ updatedAt: '2026-12-05T09:05:00.000Z', admissionPerMinute: 600 })
    expect(newerSettings(newer, older)).toBe(true)
    // An isolate's stale copy never turns the room back.
    expect(newerSettings(older, newer)).toBe(false)
    expect(newerSettings(newer, newer)).toBe(false)
    expect(newerSettings(older, null)).toBe(true)
  })
})

describe('admissions', () => {
  const base = {
    now: opening + 1_000,
    lastTickAt: opening,
    allowance: 0,
    active: 0,
    choosing: 0,
    available: 1_000,
  }

  it('at a fixed rate admit the rate spread over the ticks, carrying the fraction', () => {
    // 90 a minute over one second: 1.5 due, one admitted now, half carried.
    const first = admissionsDue({ ...base, admissionPerMinute: 90 })
    expect(first).toEqual({ admit: 1, allowance: 0.5 })
    const second = admissionsDue({
      ...base,
      now: base.now + 1_000,
      lastTickAt: base.now,
      allowance: first.allowance,
      admissionPerMinute: 90,
    })
    expect(second.admit).toBe(2)
    // A long pause banks at most a minute's worth.
    expect(admissionsDue({ ...base, now: opening + 600_000, admissionPerMinute: 90 }).admit).toBe(90)
  })

  it('following how buyers finish, keep the admitted-and-active near the target', () => {
    expect(admissionsDue({ ...base, admissionPerMinute: null }).admit).toBe(ACTIVE_TARGET)
    expect(admissionsDue({ ...base, admissionPerMinute: null, active: ACTIVE_TARGET - 3 }).admit).toBe(3)
    expect(admissionsDue({ ...base, admissionPerMinute: null, active: ACTIVE_TARGET + 5 }).admit).toBe(0)
    expect(admissionsDue({ ...base, admissionPerMinute: null, active: 10, activeTarget: 50 }).admit).toBe(40)
  })

  it('following mode’s default target grows with what is left to sell, between 200 and its ceiling', () => {
    // A small hall keeps the old 200.
    expect(followingTarget(1_000)).toBe(ACTIVE_TARGET)
    expect(followingTarget(0)).toBe(ACTIVE_TARGET)
    // 20,000 seats at 2 a buyer: 10,000 buyers to sell out, a quarter of them deciding at once.
    expect(followingTarget(20_000)).toBe(2_500)
    expect(followingTarget(20_000, 4)).toBe(1_250)
    // A 50,000-seat stadium stops at the ceiling.
    expect(followingTarget(50_000)).toBe(MAX_ACTIVE_TARGET)
    expect(followingTarget(400_000)).toBe(MAX_ACTIVE_TARGET)
    // It never shrinks as what is left grows.
    let previous = 0
    for (let left = 0; left <= 100_000; left += 997) {
      const target = followingTarget(left)
      expect(target).toBeGreaterThanOrEqual(previous)
      previous = target
    }
    expect(SEATS_PER_BUYER).toBeGreaterThan(0)
  })

  it('following mode admits up to that target for a big house, split over the shards', () => {
    const stadium = { ...base, admissionPerMinute: null, available: 50_000 }
    expect(admissionsDue(stadium).admit).toBe(MAX_ACTIVE_TARGET)
    expect(admissionsDue({ ...stadium, active: 4_000, choosing: 1_000 }).admit).toBe(1_000)
    // 14 rooms each keep their share of it.
    expect(admissionsDue({ ...stadium, shards: 14 }).admit).toBe(Math.ceil(MAX_ACTIVE_TARGET / 14))
    // Half the house sold: the target follows it down.
    expect(admissionsDue({ ...stadium, available: 12_000 }).admit).toBe(1_500)
  })

  it('an explicit target or the organizer’s rate wins over the target that follows the house', () => {
    const stadium = { ...base, available: 50_000 }
    expect(admissionsDue({ ...stadium, admissionPerMinute: null, activeTarget: 200 }).admit).toBe(200)
    expect(admissionsDue({ ...stadium, admissionPerMinute: 600 }).admit).toBe(10)
  })

  it('never admit more buyers than units left, and nobody while sold out', () => {
    // Two admitted buyers still choosing compete for the 7 left; one who already holds does not.
    expect(
      admissionsDue({ ...base, admissionPerMinute: null, available: 7, active: 3, choosing: 2 }).admit,
    ).toBe(5)
    expect(admissionsDue({ ...base, admissionPerMinute: 6_000, available: 3 }).admit).toBe(3)
    expect(admissionsDue({ ...base, admissionPerMinute: null, available: 0 })).toEqual({
      admit: 0,
      allowance: 0,
    })
  })
})

describe('what admitted buyers do next', () => {
  const admitted: AdmittedProgress = { held: false, finished: false, quiet: false, refusedAt: null }
  const at = opening + 60_000

  it('a hold stops a buyer choosing, an order or a release finishes them, a finished buyer stays finished', () => {
    const held = afterStep(admitted, 'held', at)
    expect(held).toMatchObject({ active: 0, choosing: -1, place: { held: true, finished: false } })
    expect(afterStep(held.place, 'held', at)).toMatchObject({ active: 0, choosing: 0 })
    const ordered = afterStep(held.place, 'ordered', at)
    expect(ordered).toMatchObject({ active: -1, choosing: 0, place: { finished: true } })
    // Straight from choosing to released (a hold made before the queue heard of it).
    expect(afterStep(admitted, 'released', at)).toMatchObject({ active: -1, choosing: -1 })
    for (const step of ['held', 'refused', 'ordered', 'released'] as const)
      expect(afterStep(ordered.place, step, at)).toMatchObject({
        active: 0,
        choosing: 0,
        place: ordered.place,
      })
  })

  it('a refused buyer keeps choosing until the idle time passes, then goes quiet; trying again restarts it', () => {
    const refused = afterStep(admitted, 'refused', at)
    // Still counted: they may pick other seats at once.
    expect(refused).toMatchObject({ active: 0, choosing: 0, place: { refusedAt: at } })
    expect(wentQuiet(refused.place, at + REFUSED_IDLE_MS - 1)).toBe(false)
    expect(wentQuiet(refused.place, at + REFUSED_IDLE_MS)).toBe(true)
    // Refused again just before the clock ran out: the clock starts over.
    const again = afterStep(refused.place, 'refused', at + REFUSED_IDLE_MS - 1)
    expect(wentQuiet(again.place, at + REFUSED_IDLE_MS)).toBe(false)
    expect(wentQuiet(again.place, at + 2 * REFUSED_IDLE_MS - 1)).toBe(true)
    // A shorter idle time (tests) is honoured.
    expect(wentQuiet(refused.place, at + 1_000, 1_000)).toBe(true)
    // Never refused, or holding: never quiet, however long.
    expect(wentQuiet(admitted, at + 10 * REFUSED_IDLE_MS)).toBe(false)
    const holding = afterStep(refused.place, 'held', at + 1_000).place
    expect(holding.refusedAt).toBeNull()
    expect(wentQuiet(holding, at + 10 * REFUSED_IDLE_MS)).toBe(false)
    // A buyer who holds and is refused more seats keeps holding and is not timed.
    expect(afterStep(holding, 'refused', at + 2_000)).toMatchObject({
      active: 0,
      choosing: 0,
      place: holding,
    })
  })

  it('a quiet buyer who comes back counts again: choosing when refused again, holding when they hold', () => {
    const quiet: AdmittedProgress = { ...admitted, quiet: true }
    expect(afterStep(quiet, 'refused', at)).toMatchObject({
      active: 1,
      choosing: 1,
      place: { quiet: false, refusedAt: at },
    })
    expect(afterStep(quiet, 'held', at)).toMatchObject({ active: 1, choosing: 0, place: { held: true } })
    // Ordering or releasing from quiet finishes them without counting them out twice.
    expect(afterStep(quiet, 'ordered', at)).toMatchObject({
      active: 0,
      choosing: 0,
      place: { finished: true },
    })
  })

  it('buyers refused and gone quiet no longer hold admission back while units are left', () => {
    // 3 left, 3 admitted buyers refused and still choosing: nobody else can be let in.
    const base = { now: at, lastTickAt: at - 1_000, allowance: 0, admissionPerMinute: null, available: 3 }
    expect(admissionsDue({ ...base, active: 3, choosing: 3 }).admit).toBe(0)
    // Once they go quiet they leave both counts (what the room's tick does with wentQuiet): three admitted.
    expect(admissionsDue({ ...base, active: 0, choosing: 0 }).admit).toBe(3)
  })

  it('a lapsed hold releases its buyer once, and only when they hold nothing else', () => {
    const left = new Map([
      ['a', 0],
      ['b', 1],
    ])
    // a lapsed twice in one sweep (two holds), b has a third hold still active, c held nothing more.
    expect(lapsedBuyers(['a', 'b', 'a', 'c'], (buyer) => left.get(buyer) ?? 0)).toEqual(['a', 'c'])
    // What the room does with it: a buyer holding, released, no longer counts as active (afterStep).
    const held = { held: true, finished: false, quiet: false, refusedAt: null }
    expect(afterStep(held, 'released', at)).toMatchObject({ active: -1, choosing: 0 })
  })
})

describe('abandoned places, estimates and pushes', () => {
  it('counts a place abandoned only without a live socket and after the stated time', () => {
    const now = opening + 10 * ABANDON_AFTER_MS
    expect(isAbandoned({ lastSeenAt: now - ABANDON_AFTER_MS - 1 }, false, now)).toBe(true)
    expect(isAbandoned({ lastSeenAt: now - ABANDON_AFTER_MS - 1 }, true, now)).toBe(false)
    expect(isAbandoned({ lastSeenAt: now - 1_000 }, false, now)).toBe(false)
  })

  it('estimates the wait from the position and the observed rate, else the organizer’s', () => {
    expect(estimatedWaitSeconds(120, 60, null)).toBe(120)
    expect(estimatedWaitSeconds(120, 0, 240)).toBe(30)
    expect(estimatedWaitSeconds(120, 0, null)).toBeNull()
    expect(estimatedWaitSeconds(null, 60, 60)).toBeNull()
  })

  it('follows the admission rate as it changes', () => {
    let rate = 0
    for (let i = 0; i < 120; i++) rate = observedRate(rate, 10, 1_000)
    expect(rate).toBeGreaterThan(580)
    expect(rate).toBeLessThan(601)
    for (let i = 0; i < 120; i++) rate = observedRate(rate, 0, 1_000)
    expect(rate).toBeLessThan(20)
  })

  it('rotates the position push over the queue behind its front, wrapping to the front', () => {
    const first = pushWindow(0, 200, 5_000)
    expect(first).toEqual({ start: 201, end: 200 + PUSH_WINDOW, next: 201 + PUSH_WINDOW })
    let from = first.next
    const seen = new Set<number>([first.start])
    for (let i = 0; i < 10; i++) {
      const w = pushWindow(from, 200, 5_000)
      seen.add(w.start)
      expect(w.end).toBeLessThanOrEqual(5_000)
      from = w.next
    }
    expect(seen.has(201)).toBe(true)
    expect([...seen].some((start) => start > 4_000)).toBe(true)
  })
})

describe('admission passes', () => {
  const secret = 'pass-secret'
  const claims = { buyerId: 'buy_a', onSale: showOnSale('shw_1'), expiresAt: opening + 600_000 }

  it('verifies for its buyer and on-sale until it lapses', async () => {
    const pass = await signAdmissionPass(secret, claims)
    expect(await verifyAdmissionPass(secret, pass, { ...claims, now: opening })).toEqual({ ok: true, claims })
    expect(await verifyAdmissionPass(secret, pass, { ...claims, now: claims.expiresAt })).toEqual({
      ok: false,
      reason: 'expired',
    })
  })

  it('is refused for another buyer, another on-sale, another secret, or when tampered with', async () => {
    const pass = await signAdmissionPass(secret, claims)
    const now = opening
    const invalid = { ok: false, reason: 'invalid' }
    expect(await verifyAdmissionPass(secret, pass, { ...claims, buyerId: 'buy_b', now })).toEqual(invalid)
    expect(await verifyAdmissionPass(secret, pass, { ...claims, onSale: showOnSale('shw_2'), now })).toEqual(
      invalid,
    )
    expect(
      await verifyAdmissionPass(secret, pass, { ...claims, onSale: dayOnSale('site', '2026-12-06'), now }),
    ).toEqual(invalid)
    expect(await verifyAdmissionPass('other-secret', pass, { ...claims, now })).toEqual(invalid)
    // A payload rewritten for another buyer keeps the old MAC: refused.
    const [, mac] = pass.split('.')
    const forged = `${btoa(JSON.stringify({ b: 'buy_b', s: claims.onSale, e: claims.expiresAt })).replace(/=+$/, '')}.${mac}`
    expect(await verifyAdmissionPass(secret, forged, { ...claims, buyerId: 'buy_b', now })).toEqual(invalid)
    expect(await verifyAdmissionPass(secret, 'not-a-pass', { ...claims, now })).toEqual(invalid)
    expect(await verifyAdmissionPass(secret, `${pass}.x`, { ...claims, now })).toEqual(invalid)
  })

  it('hashes ID numbers with a key: the same ID the same hash, never the number itself', async () => {
    const a = await idNumberHash(secret, '11010519491231002X')
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(a).not.toContain('11010519491231002X')
    expect(await idNumberHash(secret, '11010519491231002X')).toBe(a)
    expect(await idNumberHash('other', '11010519491231002X')).not.toBe(a)
  })
})

describe('a queue split over shards', () => {
  const base = {
    now: opening + 1_000,
    lastTickAt: opening,
    allowance: 0,
    active: 0,
    choosing: 0,
    available: 1_000,
  }

  it('puts each key in one shard, the same every time, spreading keys evenly', () => {
    const counts = [0, 0, 0, 0]
    for (let i = 0; i < 20_000; i++) counts[shardOf(`id-hash-${i}`, 4)]!++
    for (const n of counts) expect(Math.abs(n - 5_000)).toBeLessThan(500)
    expect(shardOf('id-hash-7', 4)).toBe(shardOf('id-hash-7', 4))
    expect(shardOf('anything', 1)).toBe(0)
  })

  it('names shard 0 after the on-sale itself, the others after it with their number', () => {
    expect(shardName('show:shw_1', 0)).toBe('show:shw_1')
    expect(shardName('day:site_1:2026-12-05', 3)).toBe('day:site_1:2026-12-05#3')
    expect(parseShardName('day:site_1:2026-12-05#3')).toEqual({ onSale: 'day:site_1:2026-12-05', shard: 3 })
    expect(parseShardName('show:shw_1')).toEqual({ onSale: 'show:shw_1', shard: 0 })
  })

  it('uses the organizer’s shard count, or enough rooms for the expected joins', () => {
    expect(roomShards({ shards: 4 })).toBe(4)
    expect(roomShards(null)).toBe(1)
    // 200,000 arrivals in a minute at the measured 250 joins a second a room.
    expect(roomShards(null, 3_300)).toBe(14)
  })

  it('has each shard admit its share of the rate and of what is left, the last seat offered somewhere', () => {
    // 600 a minute over 4 shards: 2.5 a second each.
    expect(admissionsDue({ ...base, admissionPerMinute: 600, shards: 4 })).toEqual({
      admit: 2,
      allowance: 0.5,
    })
    expect(admissionsDue({ ...base, admissionPerMinute: null, shards: 4 }).admit).toBe(ACTIVE_TARGET / 4)
    expect(admissionsDue({ ...base, admissionPerMinute: null, shards: 4, available: 1 }).admit).toBe(1)
    expect(
      admissionsDue({ ...base, admissionPerMinute: null, shards: 4, available: 1, choosing: 1 }).admit,
    ).toBe(0)
  })
})

describe('changing the shard count', () => {
  const open = { state: 'open' as const, waiting: 0 }
  it('is free while the room is off or before opening with nobody waiting', () => {
    expect(shardChangeStrands({ shards: 8 }, { shards: 2 }, { state: 'off', waiting: 0 })).toBe(false)
    expect(shardChangeStrands({ shards: 8 }, { shards: 2 }, { state: 'before_open', waiting: 0 })).toBe(false)
    expect(shardChangeStrands(null, { shards: 4 }, { state: 'before_open', waiting: 0 })).toBe(false)
  })
  it('strands buyers once anyone waits, the queue is open or sold out, either way', () => {
    expect(shardChangeStrands({ shards: 8 }, { shards: 2 }, { state: 'before_open', waiting: 1 })).toBe(true)
    expect(shardChangeStrands({ shards: 4 }, { shards: 1 }, open)).toBe(true)
    expect(shardChangeStrands({ shards: 4 }, { shards: 8 }, open)).toBe(true)
    expect(shardChangeStrands({ shards: 4 }, { shards: 2 }, { state: 'sold_out', waiting: 0 })).toBe(true)
  })
  it('is no change when the count stays (absent is one)', () => {
    expect(shardChangeStrands({ shards: 4 }, { shards: 4 }, open)).toBe(false)
    expect(shardChangeStrands({}, { shards: 1 }, open)).toBe(false)
  })
})

describe('admission across shards up to a shared watermark', () => {
  /** Spearman's rank correlation of two lists without ties. */
  const rankCorrelation = (a: number[], b: number[]) => {
    const ranks = (xs: number[]) => {
      const r = new Array<number>(xs.length)
      xs.map((x, i) => [x, i] as const)
        .sort((p, q) => p[0] - q[0])
        .forEach(([, i], k) => {
          r[i] = k
        })
      return r
    }
    const [ra, rb, n] = [ranks(a), ranks(b), a.length]
    let d2 = 0
    for (let i = 0; i < n; i++) d2 += (ra[i]! - rb[i]!) ** 2
    return 1 - (6 * d2) / (n * (n * n - 1))
  }

  /**
   * 14 rooms, 6,000 buyers joining one every 10 ms after opening, placed by shardOf; each tick (a second) each room
   * admits what its own buyers' pace frees (seeded, 0–14 a tick; four rooms' buyers finish at half the pace), in
   * its own queue order, rooms one after another. Answers the arrival numbers in admission order.
   */
  const simulate = (useWatermark: boolean) => {
    const shards = 14
    const queues: { arrival: number; time: number }[][] = Array.from({ length: shards }, () => [])
    const joins = Array.from({ length: 6_000 }, (_, i) => ({ arrival: i, time: opening + 10 * i }))
    let seed = 7
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed / 2 ** 32
    }
    const order: number[] = []
    let joined = 0
    for (let tick = 1; order.length < joins.length && tick < 10_000; tick++) {
      const now = opening + tick * 1_000
      for (; joined < joins.length && joins[joined]!.time <= now; joined++) {
        const join = joins[joined]!
        queues[shardOf(`buyer-${join.arrival}`, shards)]!.push(join)
      }
      const heads = queues.map((q) => (q[0] ? admissionTime(q[0].time, opening) : null))
      const watermark = useWatermark ? admissionWatermark(heads) : null
      for (let k = 0; k < shards; k++) {
        const pace = Math.floor(random() * 15)
        let budget = k % 4 === 1 ? Math.floor(pace / 2) : pace
        const queue = queues[k]!
        while (budget-- > 0 && queue[0] && withinWatermark(admissionTime(queue[0].time, opening), watermark))
          order.push(queue.shift()!.arrival)
      }
    }
    return {
      order,
      correlation: rankCorrelation(
        order,
        order.map((_, k) => k),
      ),
    }
  }

  it('keeps the merged admission order close to arrival order (≥ 0.95), where rooms alone drift', () => {
    const alone = simulate(false)
    const shared = simulate(true)
    expect(shared.order).toHaveLength(6_000)
    expect(new Set(shared.order).size).toBe(6_000)
    expect(shared.correlation).toBeGreaterThanOrEqual(0.95)
    expect(alone.correlation).toBeLessThan(shared.correlation)
    expect(alone.correlation).toBeLessThan(0.95)
  })

  it('takes the earliest head plus the slack, ignores empty rooms and stale reports', () => {
    expect(admissionWatermark([opening + 5_000, null, opening + 2_000])).toBe(
      opening + 2_000 + WATERMARK_SLACK_MS,
    )
    expect(admissionWatermark([null, null])).toBeNull()
    expect(withinWatermark(opening + 9_999_999, null)).toBe(true)
    expect(withinWatermark(opening + 3_001, opening + 3_000)).toBe(false)
    // The pre-queue's places count as joined at the opening, whenever they came.
    expect(admissionTime(opening - 60_000, opening)).toBe(opening)
    const now = opening + 60_000
    const reports = new Map([
      [0, { head: opening + 1_000, at: now }],
      [1, { head: opening - 1, at: now - HEAD_REPORT_TTL_MS - 1 }],
      [2, { head: null, at: now - 1 }],
    ])
    expect(freshHeads(reports, now)).toEqual([opening + 1_000, null])
  })
})
