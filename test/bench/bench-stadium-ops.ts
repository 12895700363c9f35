import { HoldQueue } from '../../durable-objects/shared/hold-queue.ts'
import type { ShowHoldOutcome, ShowHoldRequest } from '../../durable-objects/show-inventory/contract.ts'
import type { WaitingRoom } from '../../durable-objects/waiting-room/index.ts'
import { verifyAdmissionPass } from '../../worker/domain/admission-pass.ts'
import { roomShards, TICK_MS, type WaitingRoomSettings } from '../../worker/domain/waiting-room.ts'
import type { BenchShowInventory } from './bench-show-inventory.ts'
import type { Place } from './bench-stadium.ts'
import { fairnessAfterOpening, showWaitingRoom } from './bench-waiting-room.ts'
import { percentile } from './percentile.ts'
import {
  STADIUM_BUYERS,
  STADIUM_HOLD_SECONDS,
  STADIUM_MAX_PER_BUYER,
  STADIUM_PASS_SECONDS,
  STADIUM_SEATS,
  ZONES,
} from './stadium-crowd.ts'

// `stadium-onsale` with the buyers outside workerd (test/bench/stadium-buyers.ts, several Node processes): this
// side is what the platform does for them, on the real actors — joins coalesced per shard as the worker's isolate
// sends them, a position read per buyer (`view`, what a socket ping answers), the pass checked as the hold route
// does, holds through the gateways' coalescing queue into the show actor, the queue told `held` / `refused` /
// `ordered` off the buyer's wait, orders confirmed in the actor. Buyer processes send their due steps in batches
// (one HTTP request carries hundreds), so the harness costs this thread one request per batch, not per buyer.
// The figures are kept here and read back by `/stadium/report` (one on-sale at a time).

interface StadiumEnv {
  DB: D1Database
  SHOW_INVENTORY: DurableObjectNamespace<BenchShowInventory>
  WAITING_ROOM: DurableObjectNamespace<WaitingRoom>
  ADMISSION_PASS_SECRET?: string
}

/** A buyer's step, as a buyer process sends it: join, view (position), hold, confirm. */
export type StadiumOp =
  | { k: 'j'; b: string; h: string }
  | { k: 'v'; b: string }
  | { k: 'h'; b: string; pass: string; ids: string[]; z: number; a: number }
  | { k: 'c'; b: string; hold: string }

export type StadiumAnswer =
  | { s: Place['state']; p: number | null; w: number | null; q: string; pass?: string }
  | { ok: true; hold: string; n: number }
  | { ok: false; code: string }
  | { ok: boolean }

/** What one request drives the on-sale through: stubs and coalescing queues belong to the request that made them. */
interface Drive {
  room: ReturnType<typeof showWaitingRoom>
  show: DurableObjectStub<BenchShowInventory>
  holds: HoldQueue<ShowHoldRequest, ShowHoldOutcome>
}

interface OnSale {
  showId: string
  seats: number
  buyers: number
  shards: number
  opensAt: number
  rate: number | null
  /** `views=single`: each position read its own `view` RPC (the platform before `viewBatch`). */
  viewsOneByOne: boolean
  /** `push=1`: admissions handed to the buyer processes about every tick, as the room's socket pushes them. */
  pushes: Pushes | null
  settings: WaitingRoomSettings
  shardOfBuyer: Map<string, number>
  /** Order the joins reached the platform in (all shards together). */
  joinedAs: Map<string, number>
  heldBy: Map<string, { seats: string[]; ids: string[] }>
  bought: { seats: string[]; ids: string[] }[]
  soldSeats: number
  soldOutAt: number | null
  holdMs: number[]
  viewMs: number[]
  confirmMs: number[]
  refusals: Map<string, number>
  /** For every hold that reached the worker: how long its pass had left when the hold route checked it (ms). */
  passLeftMs: number[]
  calls: { joins: number; views: number; holds: number; confirms: number; batches: number }
}

/**
 * The room's socket push, modelled: about once a tick the worker asks each room for its admissions since the
 * last ask (`admissionOrder` from an offset), reads those buyers' places in one `viewBatch` (what a push over a
 * live socket does: the pass starts as the buyer sees it) and hands each pass to the buyer process that joined
 * them, in its next answer. Without it a buyer learns of their admission only at their next read.
 */
interface Pushes {
  /** Admissions already handed over, per room (its `admissionOrder` offset). */
  seen: number[]
  /** The buyer process each buyer joined from, and each process's passes not yet handed over. */
  procOf: Map<string, number>
  outbox: Map<number, { b: string; pass: string }[]>
  lastAskedAt: number
  asking: boolean
  pushed: number
}

let current: OnSale | null = null

export async function stadiumOpen(
  env: StadiumEnv,
  params: URLSearchParams,
  makeShow: (seats: number) => Promise<{ showId: string }>,
) {
  const seats = Number(params.get('seats') ?? STADIUM_SEATS)
  const buyers = Number(params.get('buyers') ?? STADIUM_BUYERS)
  const rate = params.get('rate') ? Number(params.get('rate')) : null
  const shards = params.get('shards') ? Number(params.get('shards')) : roomShards(null, buyers / 60)
  const { showId } = await makeShow(seats)
  await env.DB.prepare(
    'UPDATE events SET real_name_required = 1, max_tickets_per_buyer = ? WHERE id = (SELECT event_id FROM shows WHERE id = ?)',
  )
    .bind(STADIUM_MAX_PER_BUYER, showId)
    .run()
  const show = env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))
  await show.availability(showId)
  // The opening counts from now, the show ready: `lead` ms for the buyer processes to start and the pre-queue.
  const opensAt = Date.now() + Number(params.get('lead') ?? 33_000)
  if (!env.ADMISSION_PASS_SECRET) throw new Error('stadium-onsale needs ADMISSION_PASS_SECRET')
  const room = showWaitingRoom(env.WAITING_ROOM, env.ADMISSION_PASS_SECRET, showId, {
    admissionPerMinute: rate,
    passSeconds: STADIUM_PASS_SECONDS,
    shards,
  })
  await room.open(opensAt)
  current = {
    showId,
    seats,
    buyers,
    shards,
    opensAt,
    rate,
    viewsOneByOne: params.get('views') === 'single',
    pushes:
      params.get('push') === '1'
        ? {
            seen: Array.from({ length: shards }, () => 0),
            procOf: new Map(),
            outbox: new Map(),
            lastAskedAt: 0,
            asking: false,
            pushed: 0,
          }
        : null,
    settings: room.settings()!,
    shardOfBuyer: room.shardOfBuyer,
    joinedAs: new Map(),
    heldBy: new Map(),
    bought: [],
    soldSeats: 0,
    soldOutAt: null,
    holdMs: [],
    viewMs: [],
    confirmMs: [],
    refusals: new Map(),
    passLeftMs: [],
    calls: { joins: 0, views: 0, holds: 0, confirms: 0, batches: 0 },
  }
  return {
    showId,
    seats,
    buyers,
    shards,
    opensAt,
    admissionPerMinute: rate,
    views: params.get('views') ?? 'batched',
    pushes: params.get('push') === '1',
  }
}

/** A buyer's client network (the per-network hold caps count it): spread over 65,536 /24s by their id. */
function networkOf(buyerId: string) {
  let h = 2166136261
  for (let i = 0; i < buyerId.length; i++) h = Math.imul(h ^ buyerId.charCodeAt(i), 16777619)
  return `10.${(h >>> 8) & 255}.${h & 255}.0/24`
}

/** A pass's claims read without checking its MAC (the bench's diagnosis of a refusal only). */
function passClaims(pass: string): { b: string; s: string; e: number } | null {
  try {
    const payload = pass.split('.')[0]!.replaceAll('-', '+').replaceAll('_', '/')
    return JSON.parse(atob(payload))
  } catch {
    return null
  }
}

const refuse = (sale: OnSale, code: string) => {
  sale.refusals.set(code, (sale.refusals.get(code) ?? 0) + 1)
  return { ok: false as const, code }
}

function drive(env: StadiumEnv, sale: OnSale): Drive {
  const show = env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(sale.showId))
  return {
    room: showWaitingRoom(env.WAITING_ROOM, env.ADMISSION_PASS_SECRET!, sale.showId, {
      admissionPerMinute: sale.rate,
      passSeconds: STADIUM_PASS_SECONDS,
      shards: sale.shards,
      viewsOneByOne: sale.viewsOneByOne,
      opened: { settings: sale.settings, shardOfBuyer: sale.shardOfBuyer },
    }),
    show,
    holds: new HoldQueue((requests) =>
      show.holdBatch(sale.showId, requests, Date.now() + STADIUM_HOLD_SECONDS * 1000),
    ),
  }
}

async function step(
  env: StadiumEnv,
  sale: OnSale,
  { room, show, holds }: Drive,
  op: StadiumOp,
  keep: (p: Promise<unknown>) => void,
): Promise<StadiumAnswer> {
  if (op.k === 'j' || op.k === 'v') {
    const t0 = Date.now()
    if (op.k === 'j') {
      sale.joinedAs.set(op.b, sale.joinedAs.size + 1)
      sale.calls.joins++
    } else sale.calls.views++
    const answer = op.k === 'j' ? await room.joinAnswer(op.b, op.h) : await room.viewAnswer(op.b)
    if (op.k === 'v') sale.viewMs.push(Date.now() - t0)
    const place = answer.place
    return {
      s: place?.state ?? 'expired',
      p: place?.position ?? null,
      w: place?.estimatedWaitSeconds ?? null,
      q: answer.queue.state,
      ...(place?.pass ? { pass: place.pass } : {}),
    }
  }
  if (op.k === 'h') {
    const t0 = Date.now()
    sale.calls.holds++
    // The hold route's gate, then the hold; the queue hears what happened after the answer. A refusal says why
    // (expired, or which part of an invalid pass), so a run can tell passes that lapsed in a queue from wrong ones.
    const checkedAt = Date.now()
    const check = await verifyAdmissionPass(env.ADMISSION_PASS_SECRET!, op.pass, {
      buyerId: op.b,
      onSale: room.onSale,
      now: checkedAt,
    })
    const claims = passClaims(op.pass)
    if (claims) sale.passLeftMs.push(claims.e - checkedAt)
    if (!check.ok)
      return refuse(
        sale,
        check.reason === 'expired'
          ? 'pass_expired'
          : !claims
            ? 'pass_invalid_form'
            : claims.b !== op.b
              ? 'pass_invalid_buyer'
              : claims.s !== room.onSale
                ? 'pass_invalid_on_sale'
                : 'pass_invalid_mac',
      )
    const outcome = await holds.hold({
      holderId: op.b,
      idNumbers: op.ids,
      ip: networkOf(op.b),
      best: { category: ZONES[op.z % ZONES.length]!, quantity: op.ids.length, allowSplit: true },
    })
    sale.holdMs.push(Date.now() - t0)
    keep(room.stepOf(op.b, outcome.ok ? 'held' : 'refused'))
    if (!outcome.ok) return refuse(sale, outcome.code)
    sale.heldBy.set(outcome.hold.id, { seats: outcome.hold.seats.map((s) => s.id), ids: op.ids })
    return { ok: true, hold: outcome.hold.id, n: outcome.hold.seats.length }
  }
  const t0 = Date.now()
  sale.calls.confirms++
  const confirmed = await show.confirm(sale.showId, op.hold, `ord_${op.b}`)
  sale.confirmMs.push(Date.now() - t0)
  const held = sale.heldBy.get(op.hold)
  if (confirmed.ok && held) {
    sale.bought.push(held)
    sale.soldSeats += held.seats.length
    if (sale.soldSeats >= sale.seats && sale.soldOutAt === null) sale.soldOutAt = Date.now()
  } else if (!confirmed.ok) refuse(sale, `confirm_${confirmed.code}`)
  keep(room.stepOf(op.b, confirmed.ok ? 'ordered' : 'released'))
  return { ok: confirmed.ok }
}

/** Each room's admissions since the last ask, with their passes, into the outboxes of the buyers' processes. */
async function pushAdmissions(sale: OnSale, pushes: Pushes, { room }: Drive) {
  pushes.asking = true
  pushes.lastAskedAt = Date.now()
  try {
    await Promise.all(
      room.stubs.map(async (stub, k) => {
        const fresh = await stub.admissionOrder(room.onSale, pushes.seen[k], 50_000)
        pushes.seen[k]! += fresh.length
        if (fresh.length === 0) return
        const answers = await stub.viewBatch(
          room.onSale,
          sale.settings,
          fresh.map((r) => r.buyerId),
        )
        answers.forEach((answer, j) => {
          const b = fresh[j]!.buyerId
          const proc = pushes.procOf.get(b)
          const pass = answer.place?.pass
          if (proc === undefined || !pass) return
          const box = pushes.outbox.get(proc)
          if (box) box.push({ b, pass })
          else pushes.outbox.set(proc, [{ b, pass }])
          pushes.pushed++
        })
      }),
    )
  } finally {
    pushes.asking = false
  }
}

/** One batch of buyers' steps, answered in order, with whether the show has sold out (and passes pushed). */
export async function stadiumOps(
  env: StadiumEnv,
  ops: StadiumOp[],
  keep: (p: Promise<unknown>) => void,
  proc = 0,
) {
  const sale = current
  if (!sale) throw new Error('no stadium on-sale open')
  sale.calls.batches++
  const driven = drive(env, sale)
  const pushes = sale.pushes
  if (pushes) {
    for (const op of ops) if (op.k === 'j') pushes.procOf.set(op.b, proc)
    if (!pushes.asking && Date.now() - pushes.lastAskedAt >= TICK_MS)
      keep(pushAdmissions(sale, pushes, driven))
  }
  const answers = await Promise.all(
    ops.map((op) =>
      step(env, sale, driven, op, keep).catch((error) => refuse(sale, `error_${String(error).slice(0, 60)}`)),
    ),
  )
  const pushed = pushes?.outbox.get(proc) ?? []
  pushes?.outbox.delete(proc)
  return { answers, soldOut: sale.soldOutAt !== null, soldSeats: sale.soldSeats, pushed }
}

/** The figures of the on-sale: oversold, limits, fairness, latencies, what the rooms counted. */
export async function stadiumReport(env: StadiumEnv) {
  const sale = current
  if (!sale) throw new Error('no stadium on-sale open')
  const { room, show } = drive(env, sale)
  const counts = await show.counts(sale.showId)
  const allSeats = sale.bought.flatMap((b) => b.seats)
  const perId = new Map<string, number>()
  for (const b of sale.bought) for (const id of b.ids) perId.set(id, (perId.get(id) ?? 0) + 1)
  const fairness = await fairnessAfterOpening(room.stubs, room.onSale, sale.joinedAs)
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b)
  const [holdMs, viewMs, confirmMs] = [sorted(sale.holdMs), sorted(sale.viewMs), sorted(sale.confirmMs)]
  const passLeftMs = sorted(sale.passLeftMs)
  const rooms = await Promise.all(room.stubs.map((stub) => stub.inspect(room.onSale)))
  return {
    seats: sale.seats,
    buyers: sale.buyers,
    shards: sale.shards,
    positionReads: sale.viewsOneByOne ? 'one view RPC each' : 'viewBatch per room and request',
    admissionsPushed: sale.pushes ? sale.pushes.pushed : 'not modelled (push=1 in BENCH_STADIUM)',
    secondsToSellOut: sale.soldOutAt === null ? null : Math.round((sale.soldOutAt - sale.opensAt) / 100) / 10,
    seatsSold: sale.soldSeats,
    actorSold: counts.memory.sold,
    oversold: allSeats.length - new Set(allSeats).size + Math.max(0, counts.memory.sold - sale.seats),
    limitViolations:
      sale.bought.filter((b) => b.seats.length > STADIUM_MAX_PER_BUYER).length +
      [...perId.values()].filter((n) => n > 1).length,
    ...fairness,
    p99HoldMs: percentile(holdMs, 99),
    p50HoldMs: percentile(holdMs, 50),
    p99PositionMs: percentile(viewMs, 99),
    p50PositionMs: percentile(viewMs, 50),
    p99ConfirmMs: percentile(confirmMs, 99),
    // How long passes had left when holds were checked (negative: lapsed that long ago), and the pass's length.
    passLeftMs: {
      p1: percentile(passLeftMs, 1),
      p50: percentile(passLeftMs, 50),
      p99: percentile(passLeftMs, 99),
    },
    passSeconds: STADIUM_PASS_SECONDS,
    calls: sale.calls,
    refusals: Object.fromEntries(sale.refusals),
    rooms: {
      admitted: rooms.reduce((n, r) => n + r.admitted, 0),
      skipped: rooms.reduce((n, r) => n + r.skipped, 0),
      quietAtEnd: rooms.reduce((n, r) => n + r.quiet, 0),
      activeAtEnd: rooms.reduce((n, r) => n + r.active, 0),
      // Each room answers `waiting` for the whole queue (its own times the shards): its own share is that / shards.
      waitingAtEnd: Math.round(rooms.reduce((n, r) => n + r.waiting, 0) / sale.shards),
    },
  }
}
