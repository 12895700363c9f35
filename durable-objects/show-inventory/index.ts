import { DurableObject } from 'cloudflare:workers'
import { openDatabase } from '../../worker/db/client.ts'
import { holdCapsFrom, SHOW_HOLD_CAPS } from '../../worker/domain/hold-caps.ts'
import { CatalogueFreshness, LoadOnce } from '../shared/catalogue-config.ts'
import { ExpiryAlarm } from '../shared/expiry-alarm.ts'
import { readMeta } from '../shared/meta.ts'
import { migrateOnStart } from '../shared/migrations.ts'
import { writeOrRollBack } from '../shared/transaction.ts'
import { notOlder, readShowConfig, readVenueSeats, ShowNotFound } from './catalogue.ts'
import type {
  ConfirmOutcome,
  ShowConfig,
  ShowHoldOutcome,
  ShowHoldRefusal,
  ShowHoldRequest,
} from './contract.ts'
import { admitViewer, broadcastDelta, type LiveViewerSettings, versionMessage } from './live.ts'
import { type ActiveHold, refuse, type ShowSales } from './rules.ts'
import * as store from './store.ts'
import { availability, heldSeat, memoryCounts, publicState, seatMap, showHold } from './views.ts'
import { type Decided, OutcomeLines, refusalLines, structuredOutcomes } from './wire.ts'

/** What the actor reads from its environment. */
export interface ShowInventoryEnv extends LiveViewerSettings {
  DB: D1Database
  /** JSON overriding some hold caps (worker/domain/hold-caps.ts). */
  HOLD_CAPS?: string
}

const expiries = function* (sales: ShowSales) {
  for (const hold of sales.holds.values()) yield hold.expiresAt
}

/**
 * One instance per show (named by show id) serializes every seat allocation for it. The rules decide in
 * memory (rules.ts) before anything is written, so each hold is all-or-nothing; the writes that follow run in
 * one synchronous transaction (store.ts), so no other request interleaves with a batch. Callers still name the
 * show in every call; the actor checks it against its own name.
 */
export class ShowInventory extends DurableObject<ShowInventoryEnv> {
  private readonly name = this.ctx.id.name
  private readonly caps = holdCapsFrom(this.env.HOLD_CAPS, SHOW_HOLD_CAPS)
  private readonly sales = new LoadOnce(this.ctx, () => this.load())
  private readonly freshness = new CatalogueFreshness()
  private readonly expiry = new ExpiryAlarm(this.ctx.storage)
  private readonly lines = new OutcomeLines()

  constructor(ctx: DurableObjectState, env: ShowInventoryEnv) {
    super(ctx, env)
    migrateOnStart(ctx, store.SHOW_MIGRATIONS, { adopt: store.adoptShowStorage })
  }

  /** The show's state in memory, loaded (and the first time imported from the catalogue) on first use. */
  private ready(showId?: string): Promise<ShowSales> {
    if (showId !== undefined && this.name !== undefined && showId !== this.name)
      throw new Error(`inventory for ${this.name} asked about ${showId}`)
    return this.sales.ready()
  }

  private async load(): Promise<ShowSales> {
    const { sql } = this.ctx.storage
    const showId = this.name ?? store.storedConfig(sql)?.showId
    if (!store.storedConfig(sql)) {
      const db = openDatabase(this.env.DB)
      const latest = showId === undefined ? null : await readShowConfig(db, showId)
      if (!latest) throw new ShowNotFound(String(showId))
      store.importShow(this.ctx.storage, latest.config, await readVenueSeats(db, latest.venueId))
    }
    const sales = store.loadShow(sql, this.caps)
    // An alarm may already be armed from before a restart; never move it later.
    if ((await this.expiry.restore()) === null) this.expiry.armEarliest(expiries(sales))
    return sales
  }

  /**
   * Takes catalogue edits (prices, sale window, limits, cancellation) without touching seats. The admin API
   * hands over the settings it just wrote (`latest`, see catalogue.ts); without them the actor reads D1 now.
   */
  async refreshConfig(showId: string, latest?: ShowConfig): Promise<{ refreshed: boolean }> {
    await this.ready(showId)
    if (!latest) return this.checkCatalogue(true)
    this.freshness.due(true)
    return { refreshed: this.applyConfig(latest, true) }
  }

  /** Compares the settings with D1: when forced, or at most once per CATALOGUE_TTL_MS on the hold path. */
  private async checkCatalogue(force: boolean): Promise<{ refreshed: boolean }> {
    const sales = await this.ready()
    if (!this.freshness.due(force)) return { refreshed: false }
    const latest = await readShowConfig(openDatabase(this.env.DB), sales.config.showId)
    return { refreshed: latest !== null && this.applyConfig(latest.config, false) }
  }

  private applyConfig(next: ShowConfig, pushed: boolean): boolean {
    const sales = this.sales.current
    if (!sales || next.stamp === sales.config.stamp || (pushed && !notOlder(next, sales.config))) return false
    store.storeConfig(this.ctx.storage.sql, next)
    sales.config = next
    return true
  }

  // ---- holds ---------------------------------------------------------------------------------

  /** Decides a batch of hold requests in arrival order inside one synchronous transaction. */
  async holdBatch(
    showId: string,
    requests: ShowHoldRequest[],
    /** Epoch ms every hold of this batch lasts until, instead of the show's hold minutes (see holdUntil). */
    holdExpiresAt?: number,
  ): Promise<ShowHoldOutcome[]> {
    const { sales, outcomes } = await this.decideBatch(showId, requests, holdExpiresAt)
    return sales ? structuredOutcomes(sales, outcomes) : (outcomes as ShowHoldRefusal[])
  }

  /**
   * `holdBatch` for the hold gateways' queues: the batch as one JSON string in, outcome lines out (wire.ts). A
   * single string crosses the RPC boundary far cheaper than hundreds of structured-cloned objects.
   */
  async holdBatchLines(showId: string, requestsJson: string): Promise<string> {
    const { sales, outcomes } = await this.decideBatch(showId, JSON.parse(requestsJson) as ShowHoldRequest[])
    return sales ? this.lines.encode(sales, outcomes) : refusalLines(outcomes as ShowHoldRefusal[])
  }

  private async decideBatch(
    showId: string,
    requests: ShowHoldRequest[],
    holdExpiresAt?: number,
  ): Promise<{ sales?: ShowSales; outcomes: Decided[] }> {
    let sales: ShowSales
    try {
      sales = await this.ready(showId)
      // Never on the batch's time: a D1 round trip here would stall every buyer of the show.
      this.freshness.inBackground(() => this.checkCatalogue(false))
    } catch (error) {
      if (error instanceof ShowNotFound)
        return { outcomes: requests.map(() => refuse('not_on_sale', `Show ${showId} does not exist`)) }
      throw error
    }
    const now = Date.now()
    const expiresAt = holdExpiresAt ?? now + sales.config.holdMinutes * 60_000
    const changed: number[] = []
    const created: ActiveHold[] = []
    const outcomes = this.change(sales, changed, () => {
      const decided = requests.map((request) => {
        const outcome = sales.hold(request, now, expiresAt, changed)
        if (!('ok' in outcome)) created.push(outcome)
        return outcome
      })
      store.writeHolds(this.ctx.storage.sql, created, now)
      return decided
    })
    if (created.length) this.expiry.arm(expiresAt)
    return { sales, outcomes }
  }

  /**
   * One hold that lasts until `expiresAt` (ISO) rather than the show's hold minutes: a group buy keeps its
   * members' seats for the group's life. Same rules, limits and all-or-nothing as any hold.
   */
  async holdUntil(showId: string, request: ShowHoldRequest, expiresAt: string): Promise<ShowHoldOutcome> {
    const until = Date.parse(expiresAt)
    if (!Number.isFinite(until) || until <= Date.now())
      return refuse('invalid_request', 'A hold must last until a time in the future')
    const [outcome] = await this.holdBatch(showId, [request], until)
    return outcome!
  }

  /** Moves an active hold's expiry (a group-buy member paid); only its own holder, only while it is active. */
  async extendHold(showId: string, holdId: string, holderId: string, expiresAt: string) {
    const sales = await this.ready(showId)
    const hold = sales.holds.get(holdId)
    const until = Date.parse(expiresAt)
    if (!hold || hold.holderId !== holderId || !Number.isFinite(until) || until <= Date.now())
      return { extended: false }
    store.extendHoldRow(this.ctx.storage.sql, holdId, until)
    sales.extendHold(hold, until)
    // The armed alarm may now be early for this hold; when it fires it re-arms for the next real expiry.
    this.expiry.arm(until)
    return { extended: true, expiresAt: new Date(until).toISOString() }
  }

  /** Gives a hold's seats back. Idempotent: releasing twice, or after expiry, changes nothing. */
  async release(showId: string, holdId: string, holderId?: string): Promise<{ released: boolean }> {
    const sales = await this.ready(showId)
    const hold = sales.holds.get(holdId)
    if (!hold || (holderId && hold.holderId !== holderId)) return { released: false }
    const changed: number[] = []
    this.change(sales, changed, () => {
      store.endHoldRow(this.ctx.storage.sql, hold.id, 'released')
      sales.endHold(hold, changed)
    })
    return { released: true }
  }

  /**
   * Turns a hold into sold seats for `orderId`. Idempotent per order: confirming again returns the same
   * seats. A hold that expired or was released is re-acquired if it passes what a new hold would (rules.ts).
   */
  async confirm(showId: string, holdId: string, orderId: string): Promise<ConfirmOutcome> {
    const sales = await this.ready(showId)
    const hold = store.readHold(this.ctx.storage.sql, holdId)
    if (!hold) return { ok: false, code: 'hold_not_found', detail: `No hold ${holdId}` }
    const seats = () => hold.seats.map((i) => heldSeat(sales, i))
    if (hold.status === 'confirmed') {
      if (hold.orderId !== orderId)
        return { ok: false, code: 'order_mismatch', detail: 'The hold was confirmed for another order' }
      return { ok: true, orderId, seats: seats(), reacquired: false, alreadyConfirmed: true }
    }
    const active = sales.holds.get(holdId)
    const refused = active ? null : sales.reacquireRefusal(hold, hold.seats)
    if (refused) return { ok: false, ...refused }
    const changed: number[] = []
    this.change(sales, changed, () => {
      store.writeSale(this.ctx.storage.sql, holdId, orderId, hold.seats)
      sales.sell(hold.seats, hold, active, changed)
    })
    return { ok: true, orderId, seats: seats(), reacquired: !active, alreadyConfirmed: false }
  }

  /** Returns sold seats of an order (refund, cancellation) to sale. Idempotent: seats already returned are skipped. */
  async returnSeats(showId: string, orderId: string, seatIds?: string[]): Promise<{ returned: string[] }> {
    const sales = await this.ready(showId)
    const { sql } = this.ctx.storage
    const wanted = seatIds ? new Set(seatIds) : null
    const returning = store.soldSeatsOf(sql, orderId).filter((s) => !wanted || wanted.has(s.id))
    if (returning.length === 0) return { returned: [] }
    const changed: number[] = []
    this.change(sales, changed, () => {
      const holds = new Map<string, ReturnType<typeof store.readHold>>()
      for (const seat of returning) {
        store.writeReturn(sql, seat.idx)
        if (!holds.has(seat.hold_id)) holds.set(seat.hold_id, store.readHold(sql, seat.hold_id))
        const hold = holds.get(seat.hold_id)
        // ID numbers are listed in the same order as the hold's seats: free the one this seat used.
        const idNumber = hold?.idNumbers[hold.seats.indexOf(seat.idx)]
        sales.returnSeat(seat.idx, hold?.holderId ?? '', idNumber, changed)
      }
    })
    return { returned: returning.map((s) => s.id) }
  }

  /** A hold as the order service needs it: seats, prices and state. */
  async describeHold(showId: string, holdId: string) {
    const sales = await this.ready(showId)
    const hold = store.readHold(this.ctx.storage.sql, holdId)
    if (!hold) return null
    return {
      hold: showHold(sales, hold),
      holderId: hold.holderId,
      status: hold.status,
      idNumbers: hold.idNumbers,
    }
  }

  // ---- organizer controls ------------------------------------------------------------------

  /** Stops (or resumes) sales, e.g. when the show is cancelled; holds already made run out as usual. */
  async setStatus(showId: string, status: 'scheduled' | 'cancelled'): Promise<{ status: string }> {
    const sales = await this.ready(showId)
    const next = { ...sales.config, status }
    store.storeConfig(this.ctx.storage.sql, next)
    sales.config = next
    return { status }
  }

  /** Blocks seats (sponsor/production holds) or frees them again; held or sold seats are left alone. */
  async setBlocked(showId: string, seatIds: string[], blocked: boolean) {
    const sales = await this.ready(showId)
    const changed: number[] = []
    const { changedIds, skipped } = this.change(sales, changed, () => {
      const decided = sales.setBlocked(seatIds, blocked)
      for (const i of decided.changed) store.writeSeatState(this.ctx.storage.sql, i, decided.state)
      changed.push(...decided.changed)
      return decided
    })
    return { changed: changedIds, skipped }
  }

  /** Sets seats aside for one sales channel (null opens them to every channel). */
  async allocate(showId: string, seatIds: string[], channel: string | null) {
    const sales = await this.ready(showId)
    const { allocated, unknown } = writeOrRollBack(
      this.ctx.storage,
      () => {
        const decided = sales.allocate(seatIds, channel)
        for (const i of decided.allocated) store.writeAllocation(this.ctx.storage.sql, i, channel)
        return decided
      },
      () => this.sales.drop(),
    )
    return { allocated: allocated.length, unknown }
  }

  // ---- reads ---------------------------------------------------------------------------------

  async availability(showId: string) {
    return availability(await this.ready(showId), Date.now())
  }

  async seatMap(showId: string) {
    return seatMap(await this.ready(showId), Date.now())
  }

  /** Counts by state in memory and in storage, for tests and the organizer dashboard. */
  async counts(showId: string) {
    const sales = await this.ready(showId)
    return {
      memory: memoryCounts(sales),
      storage: store.storedCounts(this.ctx.storage.sql),
      activeHolds: sales.holds.size,
    }
  }

  // ---- expiry, writes, live viewers ------------------------------------------------------------

  override async alarm() {
    if (!this.sales.current && !store.storedConfig(this.ctx.storage.sql)) return
    const sales = await this.ready()
    this.expiry.fired()
    const now = Date.now()
    const changed: number[] = []
    this.change(sales, changed, () => {
      for (const hold of [...sales.holds.values()]) {
        if (hold.expiresAt > now) continue
        store.endHoldRow(this.ctx.storage.sql, hold.id, 'expired')
        sales.endHold(hold, changed)
      }
    })
  }

  /**
   * Runs `decide` (which changes memory and writes storage) in one transaction, bumping the change counter when
   * seats changed; if anything throws, memory is dropped and reloads from storage, which rolled back. Then the
   * alarm is kept armed and viewers get the changed seats.
   */
  private change<T>(sales: ShowSales, changed: number[], decide: () => T): T {
    const { sql } = this.ctx.storage
    const result = writeOrRollBack(
      this.ctx.storage,
      () => {
        const result = decide()
        if (changed.length) store.storeVersion(sql, ++sales.version)
        return result
      },
      () => this.sales.drop(),
    )
    this.expiry.armEarliest(expiries(sales))
    if (changed.length)
      broadcastDelta(this.ctx, sales.version, () =>
        [...new Set(changed)].map((i) => [sales.layout.seats[i]!.id, publicState(sales, i)]),
      )
    return result
  }

  /** A viewer's WebSocket, within the caps on viewers per show and per client network (live.ts). */
  override async fetch(request: Request): Promise<Response> {
    const query = new URL(request.url).searchParams
    const showId = query.get('showId')
    if (request.headers.get('upgrade') !== 'websocket' || !showId)
      return new Response('expected websocket', { status: 426 })
    const sales = await this.ready(showId)
    const admitted = admitViewer(this.ctx, this.env, query.get('client'))
    if ('refusal' in admitted) return admitted.refusal
    admitted.server.send(versionMessage('hello', sales.version))
    return new Response(null, { status: 101, webSocket: admitted.viewer })
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    // After hibernation the show may not be loaded: its counter is in storage.
    const version = this.sales.current?.version ?? Number(readMeta(this.ctx.storage.sql, 'version') ?? 0)
    if (message === 'ping') ws.send(versionMessage('pong', version))
  }

  override async webSocketClose(ws: WebSocket) {
    // Complete the closing handshake; the client's own code (often 1005, "none") cannot be echoed.
    ws.close(1000, 'bye')
  }
}
