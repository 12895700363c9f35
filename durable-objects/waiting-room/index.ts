import { DurableObject } from 'cloudflare:workers'
import {
  admissionsDue,
  newerSettings,
  observedRate,
  parseShardName,
  REFUSED_IDLE_MS,
  roomShards,
  SOLD_OUT_TICK_MS,
  shardName,
  TICK_MS,
  type WaitingRoomSettings,
} from '../../worker/domain/waiting-room.ts'
import { migrateOnStart } from '../shared/migrations.ts'
import { admitNext, applySteps, lapseAndQuiet } from './admissions.ts'
import { buyerTag, placeView, queueView } from './answers.ts'
import type {
  AdmissionRecord,
  BuyerStep,
  JoinOutcome,
  JoinRequest,
  QueueAnswer,
  QueuedPlace,
  QueueInspection,
  WaitingRoomEnv,
} from './contract.ts'
import { placeJoin } from './joins.ts'
import { WAITING_ROOM_MIGRATIONS } from './migrations.ts'
import { type PushingRoom, pushAll, pushPositions } from './pushes.ts'
import { queueOrderPage } from './reports.ts'
import * as store from './store.ts'
import { unitsLeft } from './units-left.ts'
import { roomHead, SharedWatermark } from './watermark.ts'

const positive = (setting: string | undefined) => {
  const n = Number(setting)
  return Number.isInteger(n) && n > 0 ? n : undefined
}

/** The rooms' own binding (typed here, not in contract.ts, which index.ts's importers read): shard 0's watermark. */
type RoomsEnv = WaitingRoomEnv & { WAITING_ROOM?: DurableObjectNamespace<WaitingRoom> }

/** Sockets one buyer may keep open (tabs, reloads); the oldest is closed past it. */
const SOCKETS_PER_BUYER = 3

/**
 * One waiting room per on-sale (named `show:<showId>` or `day:<siteId>:<date>`): places per buyer in its own
 * SQLite, a pre-queue shuffled at opening, admissions on alarm ticks (one a second while open), admission passes
 * signed as buyers are admitted, positions pushed to hibernatable WebSockets tagged per buyer. The rules are in
 * worker/domain/waiting-room.ts; this class only applies them to storage and sockets.
 */
export class WaitingRoom extends DurableObject<WaitingRoomEnv> {
  /** The on-sale this room (or shard of its queue: `<onSale>#<k>`) serves; passes name the on-sale. */
  private readonly onSale = parseShardName(this.ctx.id.name ?? '').onSale
  private readonly shard = parseShardName(this.ctx.id.name ?? '').shard
  private readonly shardWatermark = new SharedWatermark(this.onSale, this.shard)
  private counters: store.QueueCounters | undefined
  private armedAt: number | null = null
  private readonly activeTarget = positive(this.env.WAITING_ROOM_ACTIVE_TARGET)
  private readonly refusedIdleMs =
    (positive(this.env.WAITING_ROOM_REFUSED_IDLE_SECONDS) ?? REFUSED_IDLE_MS / 1000) * 1000
  /**
   * When each buyer last asked for their place (a read, a ping, a socket opened) since the last tick. Kept in
   * memory so a read writes nothing (a commit per read capped one room at ~150–240 reads a second); the tick
   * writes them in its own transaction before it decides who is abandoned. Lost only if the actor is evicted,
   * and then a buyer is seen again at their next read, well inside ABANDON_AFTER_MS.
   */
  private seen = new Map<string, number>()

  constructor(ctx: DurableObjectState, env: WaitingRoomEnv) {
    super(ctx, env)
    migrateOnStart(ctx, WAITING_ROOM_MIGRATIONS)
  }

  private get sql() {
    return this.ctx.storage.sql
  }

  private state(): store.QueueCounters {
    this.counters ??= store.loadCounters(this.sql)
    return this.counters
  }

  private check(onSale: string) {
    if (onSale !== this.onSale) throw new Error(`waiting room ${this.onSale} asked about ${onSale}`)
  }

  /** Takes the organizer's settings when they differ from the stored ones, and opens when it is time. */
  private prepare(onSale: string, settings: WaitingRoomSettings | null | undefined, now: number) {
    this.check(onSale)
    const counters = this.state()
    if (settings !== undefined && newerSettings(settings, counters.settings)) {
      counters.settings = settings
      store.saveCounters(this.sql, counters)
      if (settings?.enabled) this.arm(counters.opened ? now : Math.max(now, Date.parse(settings.opensAt)))
    }
    this.openIfDue(now)
    return counters
  }

  /** At opening the pre-queue takes its shuffled tickets; every socket learns its position. */
  private openIfDue(now: number) {
    const counters = this.state()
    const settings = counters.settings
    if (counters.opened || !settings?.enabled || now < Date.parse(settings.opensAt)) return
    this.ctx.storage.transactionSync(() => {
      counters.lastTicket += store.ticketPreQueue(this.sql, counters.lastTicket)
      counters.preQueued = 0
      counters.opened = true
      // A fixed rate counts from the opening (capped at a minute's worth in admissionsDue).
      counters.lastTickAt = Date.parse(settings.opensAt)
      store.saveCounters(this.sql, counters)
    })
    this.arm(now)
    this.ctx.waitUntil(pushAll(this.pushing(), now))
  }

  private arm(at: number) {
    if (this.armedAt !== null && this.armedAt <= at) return
    this.armedAt = at
    void this.ctx.storage.setAlarm(at)
  }

  /**
   * A buyer asked for their place (read, ping, socket): seen now, and their pass, if new to them, starts now.
   * Answers their place.
   */
  private sawPlace(buyerId: string, now: number): store.PlaceRow | undefined {
    this.seen.set(buyerId, now)
    const row = store.placeOf(this.sql, buyerId)
    const passMinutes = this.state().settings?.passMinutes
    if (row && passMinutes && store.passUnseen(row, now))
      store.seePass(this.sql, row, now, passMinutes * 60_000)
    return row
  }

  /** The queue and the buyer's place (`row`: already read). */
  private async answer(
    buyerId: string | undefined,
    now: number,
    row = buyerId ? store.placeOf(this.sql, buyerId) : undefined,
  ): Promise<QueueAnswer> {
    const counters = this.state()
    return {
      queue: queueView(counters, now),
      place: await placeView(counters, row, this.onSale, this.env.ADMISSION_PASS_SECRET, now),
    }
  }

  // ---- buyers ---------------------------------------------------------------------------------

  /**
   * The queue and this buyer's place; asking counts as being there (see isAbandoned). Writes nothing, except once
   * per admitted buyer: the first sight of their pass (see store.seePass).
   */
  async view(onSale: string, settings: WaitingRoomSettings | null, buyerId?: string): Promise<QueueAnswer> {
    const now = Date.now()
    this.prepare(onSale, settings, now)
    return this.answer(buyerId, now, buyerId ? this.sawPlace(buyerId, now) : undefined)
  }

  /** A place for the buyer, idempotently; one per real-name ID; refused while sold out. */
  async join(onSale: string, settings: WaitingRoomSettings, request: JoinRequest): Promise<JoinOutcome> {
    return (await this.joinBatch(onSale, settings, [request]))[0]!
  }

  /**
   * Several buyers' joins in arrival order (the worker coalesces an isolate's concurrent joins into one call),
   * decided one after another exactly as single joins are, all new places in one transaction: one commit for
   * the batch instead of one per join.
   */
  async joinBatch(
    onSale: string,
    settings: WaitingRoomSettings,
    requests: JoinRequest[],
  ): Promise<JoinOutcome[]> {
    const now = Date.now()
    const counters = this.prepare(onSale, settings, now)
    const decided = this.ctx.storage.transactionSync(() => {
      const placed = requests.map((request) => placeJoin(this.sql, counters, request, now, this.seen))
      store.saveCounters(this.sql, counters)
      return placed
    })
    this.arm(counters.opened ? now + TICK_MS : Date.parse(settings.opensAt))
    return Promise.all(
      requests.map(async (request, i): Promise<JoinOutcome> => {
        // The row the join read or wrote: a later join in the batch never changes it (a placed buyer keeps their
        // place, a refused one is refused again), so it is the place as the batch left it.
        const { refusal, row } = decided[i]!
        const answer = await this.answer(request.buyerId, now, row)
        return refusal ? { ok: false, ...refusal, answer } : { ok: true, answer }
      }),
    )
  }

  /**
   * Several buyers' places at once (`view` for each, in order), for a caller holding many buyers' reads for one
   * room (the stadium bench's harness): one call instead of an RPC per read. Writes nothing beyond what `view`
   * writes. The buyer routes still read one by one: coalescing them in the isolate, as joins are, answered no more
   * reads a second in one process (test/bench/README.md, waiting-room-capacity), where the RPC is cheap.
   */
  async viewBatch(
    onSale: string,
    settings: WaitingRoomSettings | null,
    buyerIds: string[],
  ): Promise<QueueAnswer[]> {
    const now = Date.now()
    this.prepare(onSale, settings, now)
    return Promise.all(buyerIds.map((buyerId) => this.answer(buyerId, now, this.sawPlace(buyerId, now))))
  }

  /**
   * What an admitted buyer did next (the worker tells it off the buyer's wait). An order or a release finishes
   * them, and a refusal while holding nothing starts the idle clock (REFUSED_IDLE_MS): either way their place in
   * the active and choosing counts goes to the next buyer at a later tick (worker/domain/waiting-room.ts afterStep).
   */
  async progress(onSale: string, buyerId: string, step: BuyerStep): Promise<void> {
    this.check(onSale)
    if (store.placeOf(this.sql, buyerId)) this.seen.set(buyerId, Date.now())
    this.applySteps([buyerId], step)
  }

  /**
   * One step of several buyers at once, in one transaction: an inventory actor telling whose holds lapsed
   * (`released`, see shared/queue-listeners.ts). Buyers without a place here (another shard's) are passed over,
   * and nobody counts as seen: lapsing is not the buyer's doing. Answers how many places changed.
   */
  async progressMany(onSale: string, buyerIds: string[], step: BuyerStep): Promise<number> {
    this.check(onSale)
    return this.applySteps(buyerIds, step)
  }

  private applySteps(buyerIds: string[], step: BuyerStep): number {
    const counters = this.state()
    const now = Date.now()
    return this.ctx.storage.transactionSync(() => applySteps(this.sql, counters, buyerIds, step, now))
  }

  /** The organizer's settings changed (or the room was switched off): stored, and the queue told. */
  async configure(onSale: string, settings: WaitingRoomSettings | null): Promise<QueueAnswer> {
    const now = Date.now()
    this.prepare(onSale, settings, now)
    this.ctx.waitUntil(pushAll(this.pushing(), now))
    return this.answer(undefined, now)
  }

  /** Admitted buyers in admission order, a page at a time (tests, and the bench's fairness figure). */
  async admissionOrder(onSale: string, offset = 0, limit = 10_000): Promise<AdmissionRecord[]> {
    this.check(onSale)
    return store.admissionOrder(this.sql, offset, Math.min(limit, 50_000))
  }

  /** Places that joined after the opening, in this room's admission order, admitted or not (see reports.ts). */
  async queueOrder(onSale: string, offset = 0, limit = 10_000): Promise<QueuedPlace[]> {
    this.check(onSale)
    return queueOrderPage(this.sql, this.state(), offset, Math.min(limit, 50_000))
  }

  async inspect(onSale: string): Promise<QueueInspection> {
    const now = Date.now()
    const c = this.prepare(onSale, undefined, now)
    return {
      onSale,
      seed: c.seed,
      opened: c.opened,
      soldOut: c.soldOut,
      available: c.available,
      waiting: queueView(c, now).waiting,
      active: c.active,
      choosing: c.choosing,
      quiet: c.quiet ?? 0,
      admitted: c.admitted,
      skipped: c.skipped,
      cursor: c.cursor,
      lastTicket: c.lastTicket,
    }
  }

  // ---- ticks ----------------------------------------------------------------------------------

  /**
   * Shard 0: a shard's head reported on its tick; answers the on-sale's shared admission watermark from the fresh
   * reports and this room's own head (see watermark.ts).
   */
  async watermark(onSale: string, shard: number, head: number | null): Promise<number | null> {
    const now = Date.now()
    const counters = this.prepare(onSale, undefined, now)
    return this.shardWatermark.report(shard, head, roomHead(this.sql, counters), now)
  }

  override async alarm() {
    this.armedAt = null
    await this.tick()
  }

  /** One admission tick (the alarm's work; public so the bench can drive ticks directly). */
  async tick(): Promise<{ admitted: number; skipped: number }> {
    let now = Date.now()
    const counters = this.prepare(this.onSale, undefined, now)
    const settings = counters.settings
    if (!settings?.enabled) return { admitted: 0, skipped: 0 }
    if (!counters.opened) {
      this.arm(Date.parse(settings.opensAt))
      return { admitted: 0, skipped: 0 }
    }
    const available = await unitsLeft(this.env, this.onSale, shardName(this.onSale, this.shard))
    const watermark = await this.shardWatermark.forTick(
      roomShards(settings),
      roomHead(this.sql, counters),
      (this.env as RoomsEnv).WAITING_ROOM,
    )
    now = Date.now()
    const wasSoldOut = counters.soldOut
    let admitted: string[] = []
    let skipped = 0
    let lapsed: string[] = []
    this.ctx.storage.transactionSync(() => {
      // Who asked for their place since the last tick, before anyone is judged abandoned.
      store.touchAll(this.sql, this.seen)
      this.seen.clear()
      lapsed = lapseAndQuiet(this.sql, counters, now, now - this.refusedIdleMs)
      counters.available = available
      counters.soldOut = available <= 0
      const due = admissionsDue({
        now,
        lastTickAt: counters.lastTickAt,
        allowance: counters.allowance,
        admissionPerMinute: settings.admissionPerMinute,
        active: counters.active,
        choosing: counters.choosing,
        available,
        ...(this.activeTarget ? { activeTarget: this.activeTarget } : {}),
        shards: roomShards(settings),
      })
      const next = admitNext(this.ctx, counters, settings, { admit: due.admit, watermark, now })
      admitted = next.admitted
      skipped = next.skipped
      counters.active += admitted.length
      counters.choosing += admitted.length
      counters.admitted += admitted.length
      counters.skipped += skipped
      // Only the fraction of a fixed rate carries on: admissions the queue had no one for are not banked.
      counters.allowance = due.allowance
      counters.ratePerMinute = observedRate(
        counters.ratePerMinute,
        admitted.length,
        now - counters.lastTickAt,
      )
      counters.lastTickAt = now
      store.saveCounters(this.sql, counters)
    })
    const waiting = counters.lastTicket - counters.cursor
    if (counters.soldOut !== wasSoldOut) await pushAll(this.pushing(), now)
    else await pushPositions(this.pushing(), [...admitted, ...lapsed], now)
    if (waiting > 0 || counters.active > 0) this.arm(now + (counters.soldOut ? SOLD_OUT_TICK_MS : TICK_MS))
    return { admitted: admitted.length, skipped }
  }

  // ---- sockets --------------------------------------------------------------------------------

  /** This room as the pushes use it (pushes.ts). */
  private pushing(): PushingRoom {
    return {
      ctx: this.ctx,
      sql: this.sql,
      onSale: this.onSale,
      counters: this.state(),
      answer: (buyerId, now, row) => this.answer(buyerId, now, row),
      sawPlace: (buyerId, now) => this.sawPlace(buyerId, now),
    }
  }

  /** A buyer's WebSocket (`?onSale=…&buyer=…`, checked by the worker): the answer now, then every change. */
  override async fetch(request: Request): Promise<Response> {
    const query = new URL(request.url).searchParams
    const buyerId = query.get('buyer')
    if (request.headers.get('upgrade') !== 'websocket' || !buyerId)
      return new Response('expected websocket', { status: 426 })
    this.check(query.get('onSale') ?? '')
    const now = Date.now()
    this.prepare(this.onSale, undefined, now)
    const tag = buyerTag(buyerId)
    const open = this.ctx.getWebSockets(tag)
    if (open.length >= SOCKETS_PER_BUYER) open[0]!.close(4000, 'replaced by a newer connection')
    const pair = new WebSocketPair()
    this.ctx.acceptWebSocket(pair[1], [tag])
    pair[1].serializeAttachment({ buyerId })
    pair[1].send(JSON.stringify(await this.answer(buyerId, now, this.sawPlace(buyerId, now))))
    return new Response(null, { status: 101, webSocket: pair[0] })
  }

  /** `ping` answers the buyer's place now (and counts as being there). */
  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    const buyerId = (ws.deserializeAttachment() as { buyerId?: string } | null)?.buyerId
    if (message !== 'ping' || !buyerId) return
    const now = Date.now()
    this.openIfDue(now)
    ws.send(JSON.stringify(await this.answer(buyerId, now, this.sawPlace(buyerId, now))))
  }

  override async webSocketClose(ws: WebSocket) {
    ws.close(1000, 'bye')
  }
}
