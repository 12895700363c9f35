import { DurableObject } from 'cloudflare:workers'
import {
  admissionsDue,
  admissionTime,
  admissionWatermark,
  afterStep,
  freshHeads,
  isAbandoned,
  MAX_DECISIONS_PER_TICK,
  newerSettings,
  observedRate,
  PUSH_EVERY_MS,
  PUSH_FRONT,
  parseShardName,
  preQueueKey,
  pushWindow,
  REFUSED_IDLE_MS,
  roomShards,
  SOLD_OUT_TICK_MS,
  shardName,
  TICK_MS,
  type WaitingRoomSettings,
  withinWatermark,
} from '../../worker/domain/waiting-room.ts'
import { migrateOnStart } from '../shared/migrations.ts'
import { buyerTag, placeView, queueView, sendTo } from './answers.ts'
import type {
  AdmissionRecord,
  BuyerStep,
  JoinOutcome,
  JoinRequest,
  QueueAnswer,
  QueueInspection,
  WaitingRoomEnv,
} from './contract.ts'
import { WAITING_ROOM_MIGRATIONS } from './migrations.ts'
import * as store from './store.ts'
import { unitsLeft } from './units-left.ts'

const positive = (setting: string | undefined) => {
  const n = Number(setting)
  return Number.isInteger(n) && n > 0 ? n : undefined
}

/** The rooms' own binding (typed here, not in contract.ts, which index.ts's importers read): shard 0's watermark. */
type RoomsEnv = WaitingRoomEnv & { WAITING_ROOM: DurableObjectNamespace<WaitingRoom> }

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
  /** Shard 0 only: the heads the other shards reported on their ticks (see admissionWatermark). */
  private readonly headReports = new Map<number, { head: number | null; at: number }>()
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
    this.ctx.waitUntil(this.pushAll(now))
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
      const refusals = requests.map((request) => this.placeOne(counters, request, now))
      store.saveCounters(this.sql, counters)
      return refusals
    })
    this.arm(counters.opened ? now + TICK_MS : Date.parse(settings.opensAt))
    return Promise.all(
      requests.map(async (request, i): Promise<JoinOutcome> => {
        const answer = await this.answer(request.buyerId, now)
        const refusal = decided[i]
        return refusal ? { ok: false, ...refusal, answer } : { ok: true, answer }
      }),
    )
  }

  /** One join inside joinBatch's transaction: null when the buyer has a place (new or kept), else why not. */
  private placeOne(
    counters: store.QueueCounters,
    request: JoinRequest,
    now: number,
  ): { code: 'queue_id_taken' | 'sold_out'; detail: string } | null {
    const existing = store.placeOf(this.sql, request.buyerId)
    if (existing && existing.state !== 'expired') {
      this.seen.set(request.buyerId, now)
      return null
    }
    if (counters.opened && counters.soldOut)
      return { code: 'sold_out', detail: 'Everything is sold or held; the queue takes no one new for now' }
    const idHolder = request.idHash ? store.holderOfId(this.sql, request.idHash) : undefined
    if (idHolder && idHolder !== request.buyerId)
      return { code: 'queue_id_taken', detail: 'This ID number already has a place in this queue' }
    const arrival = ++counters.arrivals
    const ticket = counters.opened ? ++counters.lastTicket : null
    if (!counters.opened) counters.preQueued++
    store.putPlace(
      this.sql,
      {
        buyerId: request.buyerId,
        idHash: request.idHash ?? null,
        arrival,
        shuffleKey: counters.opened ? null : preQueueKey(counters.seed, arrival),
        ticket,
      },
      now,
    )
    return null
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
    const now = Date.now()
    const counters = this.state()
    return this.ctx.storage.transactionSync(() => {
      let changed = 0
      for (const buyerId of buyerIds) {
        const row = store.placeOf(this.sql, buyerId)
        if (row?.state !== 'admitted') continue
        const before = {
          held: !!row.held,
          finished: !!row.finished,
          quiet: !!row.quiet,
          refusedAt: row.refused_at,
        }
        const after = afterStep(before, step, now)
        if (JSON.stringify(after.place) === JSON.stringify(before)) continue
        store.saveProgress(this.sql, buyerId, after.place)
        counters.active = Math.max(0, counters.active + after.active)
        counters.choosing = Math.max(0, counters.choosing + after.choosing)
        counters.quiet = Math.max(0, (counters.quiet ?? 0) + Number(after.place.quiet) - Number(before.quiet))
        changed++
      }
      if (changed) store.saveCounters(this.sql, counters)
      return changed
    })
  }

  /** The organizer's settings changed (or the room was switched off): stored, and the queue told. */
  async configure(onSale: string, settings: WaitingRoomSettings | null): Promise<QueueAnswer> {
    const now = Date.now()
    this.prepare(onSale, settings, now)
    this.ctx.waitUntil(this.pushAll(now))
    return this.answer(undefined, now)
  }

  /** Admitted buyers in admission order, a page at a time (tests, and the bench's fairness figure). */
  async admissionOrder(onSale: string, offset = 0, limit = 10_000): Promise<AdmissionRecord[]> {
    this.check(onSale)
    return store.admissionOrder(this.sql, offset, Math.min(limit, 50_000))
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

  /** This room's head: the admission time of its first undecided place (null: nobody waits, or not open). */
  private head(): number | null {
    const counters = this.state()
    if (!counters.opened || !counters.settings) return null
    const joinedAt = store.headJoinedAt(this.sql, counters.cursor)
    return joinedAt === null ? null : admissionTime(joinedAt, Date.parse(counters.settings.opensAt))
  }

  /**
   * Shard 0: a shard's head reported on its tick; answers the on-sale's shared admission watermark from the fresh
   * reports and this room's own head (worker/domain/waiting-room.ts admissionWatermark).
   */
  async watermark(onSale: string, shard: number, head: number | null): Promise<number | null> {
    const now = Date.now()
    this.prepare(onSale, undefined, now)
    this.headReports.set(shard, { head, at: now })
    this.headReports.set(this.shard, { head: this.head(), at: now })
    return admissionWatermark(freshHeads(this.headReports, now))
  }

  /** The watermark this tick admits up to: none with one room; asked of shard 0 (none if it cannot answer). */
  private async sharedWatermark(shards: number): Promise<number | null> {
    if (shards <= 1) return null
    if (this.shard === 0) return this.watermark(this.onSale, 0, this.head())
    try {
      const rooms = (this.env as RoomsEnv).WAITING_ROOM
      const first = rooms.get(rooms.idFromName(shardName(this.onSale, 0)))
      return await first.watermark(this.onSale, this.shard, this.head())
    } catch {
      // Fairness across rooms gives way to admitting at all: a shard 0 that cannot answer holds no one back.
      return null
    }
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
    const watermark = await this.sharedWatermark(roomShards(settings))
    now = Date.now()
    const wasSoldOut = counters.soldOut
    const admitted: string[] = []
    let skipped = 0
    let lapsed: string[] = []
    this.ctx.storage.transactionSync(() => {
      // Who asked for their place since the last tick, before anyone is judged abandoned.
      store.touchAll(this.sql, this.seen)
      this.seen.clear()
      const passes = store.lapsePasses(this.sql, now)
      lapsed = passes.lapsed
      // Refused buyers who went quiet give their turn up before the admissions are decided.
      const quieted = store.quietRefused(this.sql, now - this.refusedIdleMs)
      counters.active = Math.max(0, counters.active - passes.wereActive - quieted)
      counters.choosing = Math.max(0, counters.choosing - passes.wereChoosing - quieted)
      counters.quiet = Math.max(0, (counters.quiet ?? 0) + quieted - passes.wereQuiet)
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
      if (due.admit > 0) {
        const opensAt = Date.parse(settings.opensAt)
        const passUntil = now + settings.passMinutes * 60_000
        for (const place of store.placesAfter(this.sql, counters.cursor, MAX_DECISIONS_PER_TICK)) {
          if (admitted.length >= due.admit) break
          // Later than the shared watermark: this room waits for the others (fairness across shards).
          if (!withinWatermark(admissionTime(place.joined_at, opensAt), watermark)) break
          counters.cursor = place.ticket
          const live = this.ctx.getWebSockets(buyerTag(place.buyer_id)).length > 0
          if (isAbandoned({ lastSeenAt: place.last_seen_at }, live, now)) {
            store.skip(this.sql, place.buyer_id)
            skipped++
          } else {
            store.admit(this.sql, place.buyer_id, now, passUntil)
            admitted.push(place.buyer_id)
          }
        }
      }
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
    if (counters.soldOut !== wasSoldOut) await this.pushAll(now)
    else await this.pushPositions([...admitted, ...lapsed], now)
    if (waiting > 0 || counters.active > 0) this.arm(now + (counters.soldOut ? SOLD_OUT_TICK_MS : TICK_MS))
    return { admitted: admitted.length, skipped }
  }

  // ---- sockets --------------------------------------------------------------------------------

  /**
   * Changed places at once (admitted, lapsed), and every few seconds the front of the queue and a rotating
   * window behind it: each tick's pushes are bounded, whatever the queue's length.
   */
  private async pushPositions(changed: string[], now: number) {
    for (const buyerId of changed) {
      // A live socket shows the pass at once: its time starts now, not at the buyer's next read.
      const live = this.ctx.getWebSockets(buyerTag(buyerId)).length > 0
      sendTo(
        this.ctx,
        buyerId,
        await this.answer(buyerId, now, live ? this.sawPlace(buyerId, now) : undefined),
      )
    }
    const counters = this.state()
    if (now - counters.lastPushAt < PUSH_EVERY_MS) return
    counters.lastPushAt = now
    const front = counters.cursor + PUSH_FRONT
    const window = pushWindow(counters.pushFrom, front, counters.lastTicket)
    counters.pushFrom = window.next
    store.saveCounters(this.sql, counters)
    const rows = [
      ...store.placesBetween(this.sql, counters.cursor, front),
      ...(window.start <= window.end ? store.placesBetween(this.sql, window.start - 1, window.end) : []),
    ]
    const queue = queueView(counters, now)
    for (const row of rows) {
      if (this.ctx.getWebSockets(buyerTag(row.buyer_id)).length === 0) continue
      const place = await placeView(
        counters,
        store.placeOf(this.sql, row.buyer_id),
        this.onSale,
        undefined,
        now,
      )
      sendTo(this.ctx, row.buyer_id, { queue, place })
    }
  }

  /** Everyone at once (opening, sold out, seats back, settings changed): each socket gets its own answer. */
  private async pushAll(now: number) {
    for (const ws of this.ctx.getWebSockets()) {
      const buyerId = (ws.deserializeAttachment() as { buyerId?: string } | null)?.buyerId
      if (!buyerId) continue
      try {
        ws.send(JSON.stringify(await this.answer(buyerId, now)))
      } catch {
        // a closing socket
      }
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
