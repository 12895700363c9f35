import { DurableObject } from 'cloudflare:workers'
import { openDatabase } from '../../worker/db/client.ts'
import { holdCapsFrom, SHOW_HOLD_CAPS } from '../../worker/domain/hold-caps.ts'
import { lapsedBuyers } from '../../worker/domain/waiting-room.ts'
import { CatalogueFreshness, LoadOnce } from '../shared/catalogue-config.ts'
import { ExpiryAlarm } from '../shared/expiry-alarm.ts'
import { readMeta } from '../shared/meta.ts'
import { migrateOnStart } from '../shared/migrations.ts'
import { QueueListeners, type QueueRoom } from '../shared/queue-listeners.ts'
import { writeOrRollBack } from '../shared/transaction.ts'
import { importFromCatalogue, readShowConfig, ShowNotFound } from './catalogue.ts'
import {
  type ConfirmOutcome,
  refuse,
  type ShowConfig,
  type ShowHoldOutcome,
  type ShowHoldRefusal,
  type ShowHoldRequest,
} from './contract.ts'
import { allocate, applyConfig, setBlocked, setStatus } from './controls.ts'
import { broadcastDelta, type LiveViewerSettings, versionMessage, viewerResponse } from './live.ts'
import { logStepCrossings, publishStepCrossings, stepHistory } from './price-steps.ts'
import type { ActiveHold, ShowSales } from './rules.ts'
import { seatMapAnswer, seatMapSection } from './seat-map-sections.ts'
import { type Change, confirmHold, describeHold, returnSeats } from './settlement.ts'
import * as store from './store.ts'
import { availability, memoryCounts, publicState, seatMap } from './views.ts'
import { type Decided, OutcomeLines, refusalLines, structuredOutcomes } from './wire.ts'

/** What the actor reads from its environment. */
export interface ShowInventoryEnv extends LiveViewerSettings {
  DB: D1Database
  /** JSON overriding some hold caps (worker/domain/hold-caps.ts). */
  HOLD_CAPS?: string
  /** The waiting rooms, told when holds lapse (only rooms that asked this actor what is left). */
  WAITING_ROOM?: DurableObjectNamespace<QueueRoom>
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
  /** The show this actor sells: its name (`idFromName(showId)`), or the first show asked about if unnamed. */
  private showId = this.ctx.id.name
  private readonly caps = holdCapsFrom(this.env.HOLD_CAPS, SHOW_HOLD_CAPS)
  private readonly sales = new LoadOnce(this.ctx, () => this.load())
  private readonly freshness = new CatalogueFreshness()
  private readonly expiry = new ExpiryAlarm(this.ctx.storage)
  private readonly lines = new OutcomeLines()
  private readonly queueListeners = new QueueListeners()

  constructor(ctx: DurableObjectState, env: ShowInventoryEnv) {
    super(ctx, env)
    migrateOnStart(ctx, store.SHOW_MIGRATIONS, { adopt: store.adoptShowStorage })
  }

  /** The show's state in memory, loaded (and the first time imported from the catalogue) on first use. */
  private ready(showId?: string): Promise<ShowSales> {
    if (showId !== undefined && showId !== this.showId) {
      if (this.showId !== undefined) throw new Error(`inventory for ${this.showId} asked about ${showId}`)
      this.showId = showId
    }
    return this.sales.ready()
  }

  private async load(): Promise<ShowSales> {
    const { sql } = this.ctx.storage
    if (!store.storedConfig(sql)) await importFromCatalogue(this.ctx.storage, this.env.DB, this.showId ?? '')
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
    const sales = await this.ready(showId)
    if (!latest) return this.checkCatalogue(true)
    this.freshness.due(true)
    const refreshed = applyConfig(sales, this.ctx.storage.sql, latest, true)
    // New steps (or list prices) may put a category on another step with no seat moving: logged now.
    if (
      refreshed &&
      sales.book.steppedCategories.length &&
      logStepCrossings(sales, this.ctx.storage.sql, Date.now())
    )
      this.ctx.waitUntil(this.publishSteps())
    return { refreshed }
  }

  /** Compares the settings with D1: when forced, or at most once per CATALOGUE_TTL_MS on the hold path. */
  private async checkCatalogue(force: boolean): Promise<{ refreshed: boolean }> {
    const sales = await this.ready()
    if (!this.freshness.due(force)) return { refreshed: false }
    const latest = await readShowConfig(openDatabase(this.env.DB), sales.config.showId)
    // Memory may have been dropped (a failed write) while D1 answered: it reloads with the stored settings.
    const current = this.sales.current
    if (!latest || !current) return { refreshed: false }
    return { refreshed: applyConfig(current, this.ctx.storage.sql, latest.config, false) }
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

  /** A real-name hold's ID numbers, given at checkout (see ShowSales.assignIdNumbers); only its own holder's. */
  async assignIdNumbers(
    showId: string,
    holdId: string,
    holderId: string,
    idNumbers: string[],
  ): Promise<{ ok: true } | ShowHoldRefusal> {
    const sales = await this.ready(showId)
    const hold = sales.holds.get(holdId)
    if (!hold || hold.holderId !== holderId) return refuse('hold_expired', 'The hold is not active')
    const refusal = sales.assignIdNumbers(hold, idNumbers)
    if (refusal) return refusal
    store.writeHoldIdNumbers(this.ctx.storage.sql, holdId, hold.idNumbers)
    return { ok: true }
  }

  /**
   * 身份证核验: the ID number each seat of these confirmed real-name holds was sold to, as [seat id, number]
   * (refunded seats too: the revocation list refuses them). Only for the gate's ID index (services/gate-id-index.ts).
   */
  async soldIdNumbers(showId: string, holdIds: string[]): Promise<[seatId: string, idNumber: string][]> {
    await this.ready(showId)
    return store.soldIdNumbers(this.ctx.storage.sql, holdIds)
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

  /** Turns a hold into sold seats for `orderId`, idempotently; an ended hold is re-acquired if it may be. */
  async confirm(showId: string, holdId: string, orderId: string): Promise<ConfirmOutcome> {
    const sales = await this.ready(showId)
    return confirmHold(sales, this.ctx.storage.sql, this.changeOf(sales), holdId, orderId)
  }

  /** Returns sold seats of an order (refund, cancellation) to sale. Idempotent: seats already returned are skipped. */
  async returnSeats(showId: string, orderId: string, seatIds?: string[]): Promise<{ returned: string[] }> {
    const sales = await this.ready(showId)
    return returnSeats(sales, this.ctx.storage.sql, this.changeOf(sales), orderId, seatIds)
  }

  /** A hold as the order service needs it: seats, prices and state. */
  async describeHold(showId: string, holdId: string) {
    return describeHold(await this.ready(showId), this.ctx.storage.sql, holdId)
  }

  // ---- organizer controls ------------------------------------------------------------------

  /** Stops (or resumes) sales, e.g. when the show is cancelled; holds already made run out as usual. */
  async setStatus(showId: string, status: 'scheduled' | 'cancelled'): Promise<{ status: string }> {
    return setStatus(await this.ready(showId), this.ctx.storage.sql, status)
  }

  /** Blocks seats (sponsor/production holds) or frees them again; held or sold seats are left alone. */
  async setBlocked(showId: string, seatIds: string[], blocked: boolean) {
    const sales = await this.ready(showId)
    return setBlocked(sales, this.ctx.storage.sql, this.changeOf(sales), seatIds, blocked)
  }

  /** Sets seats aside for one sales channel (null opens them to every channel). */
  async allocate(showId: string, seatIds: string[], channel: string | null) {
    const sales = await this.ready(showId)
    return allocate(sales, this.ctx.storage, () => this.sales.drop(), seatIds, channel)
  }

  // ---- reads ---------------------------------------------------------------------------------

  async availability(showId: string) {
    return availability(await this.ready(showId), Date.now())
  }

  /** Seats left to sell, asked by a waiting room's tick (`room`: its actor name), which is then told of lapses. */
  async unitsLeftForQueue(showId: string, room: string): Promise<number> {
    const { categories } = await this.availability(showId)
    this.queueListeners.heard(room, Date.now())
    return categories.reduce((sum, category) => sum + category.available, 0)
  }

  /** Every seat at once, whatever the house's size (tests, and the organizer's tools). */
  async seatMap(showId: string) {
    return seatMap(await this.ready(showId), Date.now())
  }

  /** The seat map buyers get: a small house whole, a big one as an overview of its sections. */
  async seatMapAnswer(showId: string) {
    return seatMapAnswer(await this.ready(showId), Date.now())
  }

  /** One section's seats (null: no such section). */
  async seatMapSection(showId: string, section: string) {
    return seatMapSection(await this.ready(showId), section)
  }

  /** The price steps crossed by sell-through, oldest first; publishes any crossing not yet in the outbox. */
  async priceStepHistory(showId: string) {
    await this.ready(showId)
    await this.publishSteps()
    return stepHistory(this.ctx.storage.sql)
  }

  /** Uses of each presale code (holds held or sold that got in with it), for the organizer's export. */
  async presaleUses(showId: string): Promise<Record<string, number>> {
    return Object.fromEntries((await this.ready(showId)).gate.uses)
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
    const holders: string[] = []
    this.change(sales, changed, () => {
      for (const hold of [...sales.holds.values()]) {
        if (hold.expiresAt > now) continue
        store.endHoldRow(this.ctx.storage.sql, hold.id, 'expired')
        sales.endHold(hold, changed)
        holders.push(hold.holderId)
      }
    })
    const released = lapsedBuyers(holders, (buyerId) => sales.activeHoldsOf(buyerId))
    this.ctx.waitUntil(this.queueListeners.tellReleased(this.env.WAITING_ROOM, released, now))
  }

  /**
   * Runs `decide` (which changes memory and writes storage) in one transaction, bumping the change counter when
   * seats changed; if anything throws, memory is dropped and reloads from storage, which rolled back. Then the
   * alarm is kept armed and viewers get the changed seats.
   */
  private change<T>(sales: ShowSales, changed: number[], decide: () => T): T {
    const { sql } = this.ctx.storage
    let crossed = 0
    const result = writeOrRollBack(
      this.ctx.storage,
      () => {
        const result = decide()
        if (changed.length) store.storeVersion(sql, ++sales.version)
        // A step crossed is logged with the seats that crossed it; a show without steps skips this at once.
        if (changed.length && sales.book.steppedCategories.length)
          crossed = logStepCrossings(sales, sql, Date.now())
        return result
      },
      () => this.sales.drop(),
    )
    if (crossed) this.ctx.waitUntil(this.publishSteps())
    this.expiry.armEarliest(expiries(sales))
    if (changed.length)
      broadcastDelta(this.ctx, sales.version, () =>
        [...new Set(changed)].map((i) => [sales.layout.idOf(i), publicState(sales, i)]),
      )
    return result
  }

  /** Publishes logged crossings to the D1 outbox; a failure leaves them for the next attempt. */
  private async publishSteps() {
    if (!this.showId) return
    try {
      await publishStepCrossings(this.ctx.storage.sql, this.env.DB, this.showId)
    } catch (error) {
      console.error('price step publish failed', error)
    }
  }

  private changeOf(sales: ShowSales): Change {
    return (changed, decide) => this.change(sales, changed, decide)
  }

  /** A viewer's WebSocket, within the caps on viewers per show and per client network (live.ts). */
  override async fetch(request: Request): Promise<Response> {
    const query = new URL(request.url).searchParams
    const showId = query.get('showId')
    if (request.headers.get('upgrade') !== 'websocket' || !showId)
      return new Response('expected websocket', { status: 426 })
    const sales = await this.ready(showId)
    return viewerResponse(this.ctx, this.env, query.get('client'), sales.version)
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
