import { HoldQueue } from '../../durable-objects/shared/hold-queue.ts'
import type {
  BuyerStep,
  JoinOutcome,
  JoinRequest,
  PlaceView,
  QueueAnswer,
  QueuedPlace,
} from '../../durable-objects/waiting-room/contract.ts'
import type { WaitingRoom } from '../../durable-objects/waiting-room/index.ts'
import { showOnSale, verifyAdmissionPass } from '../../worker/domain/admission-pass.ts'
import { roomShards, shardName, shardOf, type WaitingRoomSettings } from '../../worker/domain/waiting-room.ts'
import { mergeRoomOrders } from '../../worker/domain/waiting-room-order.ts'
import type { Place, WaitingRoomPort } from './bench-stadium.ts'
import { percentile } from './percentile.ts'
import { rankCorrelation } from './stadium-crowd.ts'

// The real WaitingRoom actor as the stadium harness drives it (the worker's waiting-room service does the same
// calls behind the buyer API), and `waiting-room-capacity`: how many joins and position reads one room answers a
// second, the point past which an on-sale's queue must be split over several rooms.

type Rooms = DurableObjectNamespace<WaitingRoom>

const placeOf = (answer: QueueAnswer): Place => {
  const place: PlaceView | null = answer.place
  if (!place) return { state: 'expired', position: null }
  return {
    state: place.state,
    position: place.position,
    estimatedWaitSeconds: place.estimatedWaitSeconds,
    ...(place.pass ? { pass: place.pass } : {}),
  }
}

/**
 * A show's waiting room over `shards` rooms (1: one room): a buyer's place in the shard of their real-name ID hash,
 * each shard's joins coalesced into joinBatch calls as the worker's isolate sends them (isolate-joins.ts). Passes
 * last `passSeconds` (shortened for the bench like the holds).
 */
export function showWaitingRoom(
  rooms: Rooms,
  secret: string,
  showId: string,
  options: {
    admissionPerMinute: number | null
    passSeconds: number
    shards?: number
    /** Each position read its own `view` RPC (before `viewBatch`); by default they are coalesced per room. */
    viewsOneByOne?: boolean
    /** An open room's settings and where its buyers queue, when a later request drives it (stubs are per request). */
    opened?: { settings: WaitingRoomSettings; shardOfBuyer: Map<string, number> }
  },
): WaitingRoomPort & {
  /** The room's whole answers (queue state too), and any step of an admitted buyer (stadium-ops.ts). */
  joinAnswer: (buyerId: string, idHash: string) => Promise<QueueAnswer>
  viewAnswer: (buyerId: string) => Promise<QueueAnswer>
  stepOf: (buyerId: string, step: BuyerStep) => Promise<void>
  settings: () => WaitingRoomSettings | null
  shardOfBuyer: Map<string, number>
  stubs: DurableObjectStub<WaitingRoom>[]
  onSale: string
} {
  const onSale = showOnSale(showId)
  const shards = roomShards({ shards: options.shards ?? 1 })
  const stubs = Array.from({ length: shards }, (_, k) => rooms.get(rooms.idFromName(shardName(onSale, k))))
  let settings: WaitingRoomSettings | null = options.opened?.settings ?? null
  const joins = stubs.map(
    (stub) => new HoldQueue<JoinRequest, JoinOutcome>((batch) => stub.joinBatch(onSale, settings!, batch)),
  )
  // Position reads coalesced per room the same way (`viewBatch`): a room answers a batch of reads in one call.
  const views = stubs.map(
    (stub) => new HoldQueue<string, QueueAnswer>((batch) => stub.viewBatch(onSale, settings, batch)),
  )
  const shardOfBuyer = options.opened?.shardOfBuyer ?? new Map<string, number>()
  const stubOf = (buyerId: string) => stubs[shardOfBuyer.get(buyerId) ?? 0]!
  return {
    stubs,
    onSale,
    shardOfBuyer,
    settings: () => settings,
    async open(opensAt) {
      settings = {
        enabled: true,
        opensAt: new Date(opensAt).toISOString(),
        admissionPerMinute: options.admissionPerMinute,
        requireChallenge: false,
        passMinutes: options.passSeconds / 60,
        shards,
      }
      await Promise.all(stubs.map((stub) => stub.configure(onSale, settings)))
    },
    async joinAnswer(buyerId, idHash) {
      const shard = shardOf(idHash, shards)
      shardOfBuyer.set(buyerId, shard)
      return (await joins[shard]!.hold({ buyerId, idHash })).answer
    },
    viewAnswer: (buyerId) =>
      options.viewsOneByOne
        ? stubOf(buyerId).view(onSale, settings, buyerId)
        : views[shardOfBuyer.get(buyerId) ?? 0]!.hold(buyerId),
    stepOf: (buyerId, step) => stubOf(buyerId).progress(onSale, buyerId, step),
    async join(buyerId, idHash) {
      const shard = shardOf(idHash, shards)
      shardOfBuyer.set(buyerId, shard)
      return placeOf((await joins[shard]!.hold({ buyerId, idHash })).answer)
    },
    async place(buyerId) {
      return placeOf(await stubOf(buyerId).view(onSale, settings, buyerId))
    },
    async passAdmits(buyerId, pass) {
      return (await verifyAdmissionPass(secret, pass, { buyerId, onSale, now: Date.now() })).ok
    },
    async held(buyerId) {
      await stubOf(buyerId).progress(onSale, buyerId, 'held')
    },
    async done(buyerId, ordered) {
      await stubOf(buyerId).progress(onSale, buyerId, ordered ? 'ordered' : 'released')
    },
  }
}

/**
 * The buyers who joined after the opening, in the order the shards admitted them taken together (by admission
 * time; within one shard's tick, in that shard's queue order), from the actors' own records.
 */
export async function admissionsAfterOpening(stubs: DurableObjectStub<WaitingRoom>[], onSale: string) {
  const admitted: { buyerId: string; at: number; shard: number; k: number }[] = []
  for (const [shard, stub] of stubs.entries()) {
    for (let offset = 0; ; offset += 10_000) {
      const page = await stub.admissionOrder(onSale, offset, 10_000)
      page.forEach((record, i) => {
        if (!record.preQueued)
          admitted.push({ buyerId: record.buyerId, at: record.admittedAt, shard, k: offset + i })
      })
      if (page.length < 10_000) break
    }
  }
  admitted.sort((a, b) => a.at - b.at || a.shard - b.shard || a.k - b.k)
  return admitted.map((a) => a.buyerId)
}

/**
 * Everyone who joined after the opening, admitted or not, in the order the rooms admit them taken together: each
 * room's `queueOrder` (its tickets), merged by admission time as the shared watermark orders them.
 */
export async function queueAfterOpening(stubs: DurableObjectStub<WaitingRoom>[], onSale: string) {
  const rooms = await Promise.all(
    stubs.map(async (stub) => {
      const places: QueuedPlace[] = []
      for (let offset = 0; ; offset += 10_000) {
        const page = await stub.queueOrder(onSale, offset, 10_000)
        places.push(...page)
        if (page.length < 10_000) return places
      }
    }),
  )
  return mergeRoomOrders(rooms)
}

/** Spearman's correlation of arrival numbers listed in some order against that order, to 3 places (null: < 2). */
const orderCorrelation = (arrivals: number[]) =>
  arrivals.length >= 2
    ? Math.round(
        rankCorrelation(
          arrivals,
          arrivals.map((_, k) => k),
        ) * 1000,
      ) / 1000
    : null

/**
 * How far each place stands in that order from its rank in arrival order (in places): what a correlation near 1
 * over many thousands can hide, a few buyers moved far.
 */
function displacement(arrivals: number[]) {
  const byArrival = arrivals.map((a, k) => [a, k] as const).sort((p, q) => p[0] - q[0])
  const moved = byArrival.map(([, k], rank) => Math.abs(rank - k)).sort((a, b) => a - b)
  return { p50: percentile(moved, 50), p99: percentile(moved, 99), max: moved.at(-1) ?? 0 }
}

/**
 * The fairness figures after the opening, against the harness's own arrival order (`joinedAs`: the order joins
 * reached the platform, all rooms together). `admissionFairness` ranks the buyers actually admitted after the
 * opening by when they were admitted: null when fewer than two were (with a note saying so; a pre-queue that
 * outlasts the house admits none of them). `queueFairness` ranks every place that joined after the opening by
 * its place in the rooms' admission order, admitted or still waiting: defined in every run that had such joins.
 */
export async function fairnessAfterOpening(
  stubs: DurableObjectStub<WaitingRoom>[],
  onSale: string,
  joinedAs: ReadonlyMap<string, number>,
) {
  const known = (ids: string[]) => ids.map((id) => joinedAs.get(id)).filter((n) => n !== undefined)
  const admitted = known(await admissionsAfterOpening(stubs, onSale))
  const queued = await queueAfterOpening(stubs, onSale)
  const outcomes = { admitted: 0, waiting: 0, skipped: 0 }
  for (const place of queued) outcomes[place.outcome]++
  const queuedArrivals = known(queued.map((p) => p.buyerId))
  return {
    admissionFairness: orderCorrelation(admitted),
    admittedAfterOpening: admitted.length,
    ...(admitted.length < 2
      ? {
          admissionFairnessNote: `not measured: ${admitted.length} buyer(s) who joined after the opening were admitted (see queueFairness)`,
        }
      : {}),
    queueFairness: orderCorrelation(queuedArrivals),
    queueFairnessOver: queuedArrivals.length,
    queueDisplacement: displacement(queuedArrivals),
    queueAfterOpening: outcomes,
  }
}

/**
 * `waiting-room-capacity`: one room, `callers` concurrent callers; joins of new buyers for `seconds`, then
 * position reads of those buyers for `seconds`, each a separate RPC as the worker makes them.
 */
export async function waitingRoomCapacity(rooms: Rooms, callers: number, seconds: number) {
  const onSale = showOnSale(`shw_cap${crypto.randomUUID().slice(0, 8)}`)
  const stub = rooms.get(rooms.idFromName(onSale))
  const settings: WaitingRoomSettings = {
    enabled: true,
    opensAt: new Date(Date.now() - 1_000).toISOString(),
    admissionPerMinute: 1,
    requireChallenge: false,
    passMinutes: 10,
  }
  await stub.configure(onSale, settings)
  const run = async (call: (caller: number, i: number) => Promise<unknown>) => {
    const latencies: number[] = []
    const started = Date.now()
    const deadline = started + seconds * 1000
    await Promise.all(
      Array.from({ length: callers }, async (_, caller) => {
        for (let i = 0; Date.now() < deadline; i++) {
          const t0 = Date.now()
          await call(caller, i)
          latencies.push(Date.now() - t0)
        }
      }),
    )
    latencies.sort((a, b) => a - b)
    return {
      perSecond: Math.round(latencies.length / ((Date.now() - started) / 1000)),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      calls: latencies.length,
    }
  }
  let joined = 0
  const joins = await run(async (caller, i) => {
    await stub.join(onSale, settings, { buyerId: `buy_cap${caller}-${i}`, idHash: `h${caller}-${i}` })
    joined++
  })
  // The same joins coalesced as the worker sends them: concurrent callers' joins in one joinBatch call.
  const coalescer = new HoldQueue<JoinRequest, JoinOutcome>((batch) =>
    stub.joinBatch(onSale, settings, batch),
  )
  const batchedJoins = await run(async (caller, i) => {
    await coalescer.hold({ buyerId: `buy_capb${caller}-${i}`, idHash: `hb${caller}-${i}` })
    joined++
  })
  const views = await run((caller, i) => stub.view(onSale, settings, `buy_cap${caller}-${i % 50}`))
  // The same reads coalesced as the stadium bench sends them: concurrent callers' reads in one viewBatch call.
  const viewCoalescer = new HoldQueue<string, QueueAnswer>((batch) => stub.viewBatch(onSale, settings, batch))
  const batchedViews = await run((caller, i) => viewCoalescer.hold(`buy_cap${caller}-${i % 50}`))
  return {
    name: 'waiting-room-capacity',
    layer: 'do',
    baseline: false,
    holdsPerSecond: 0,
    oversold: 0,
    callers,
    joins,
    batchedJoins,
    joinBatches: coalescer.batches,
    views,
    batchedViews,
    viewBatches: viewCoalescer.batches,
    queueLength: joined,
    // One room is enough while arrivals and position reads stay under these (joins coalesced, reads write nothing).
    shardPoint: {
      joinsPerSecond: batchedJoins.perSecond,
      positionReadsPerSecond: views.perSecond,
      batchedPositionReadsPerSecond: batchedViews.perSecond,
    },
  }
}
