import { DurableObject } from 'cloudflare:workers'
import { holdCapsFrom } from '../../worker/domain/hold-caps.ts'
import { SCENIC_HOLD_CAPS } from '../../worker/domain/scenic-hold-caps.ts'
import { lapsedBuyers } from '../../worker/domain/waiting-room.ts'
import type { Bindings } from '../../worker/env.ts'
import { CatalogueFreshness, LoadOnce } from '../shared/catalogue-config.ts'
import { ExpiryAlarm } from '../shared/expiry-alarm.ts'
import { migrateOnStart } from '../shared/migrations.ts'
import { QueueListeners } from '../shared/queue-listeners.ts'
import { writeOrRollBack } from '../shared/transaction.ts'
import { catalogueStamp, readDayConfig, SiteNotFound } from './catalogue.ts'
import {
  type ConfirmOutcome,
  type DayAvailability,
  type DescribedHold,
  type ReturnOutcome,
  type ReturnPreview,
  refuse,
  type ScenicHoldOutcome,
  type ScenicHoldRequest,
} from './contract.ts'
import { dayName, dayOfName } from './day-name.ts'
import { DayHolds, type DayMemory } from './holds.ts'
import { adoptDayStorage, DAY_MIGRATIONS } from './migrations.ts'
import { dayAvailability } from './rules/availability.ts'
import { dateIn } from './rules/calendar.ts'
import { DAY_CONFIG_VERSION, type DayConfig, withKeptQuotas } from './rules/day-config.ts'
import { withQuotas } from './rules/quotas.ts'
import { planReturn } from './rules/returns.ts'
import { DayStore } from './store.ts'
import { outcomeLines, readHoldBatch } from './wire.ts'

// One instance per scenic site per visit date (named `<siteId>:<date>`, stub.ts) serializes the day's quota:
// daily and time-slot capacity, per-product caps, per-channel allocations, real-name limits, age eligibility,
// per-client hold caps and parent-child (父子票) ownership. The rules (rules/) decide on in-memory counters
// before anything is written, so a hold (a package included) deducts every line or none; this class only loads,
// refreshes and writes. Every method still takes the site and date its callers name, and refuses another day's.

export class ScenicDayInventory extends DurableObject<Bindings> {
  private readonly store = new DayStore(this.ctx.storage.sql)
  /** `<siteId>:<date>`: from the actor's id, else from the first call (or the stored settings, for an alarm). */
  private name: string | undefined = this.ctx.id.name
  private readonly memory = new LoadOnce<DayMemory>(this.ctx, () => this.load())
  private readonly freshness = new CatalogueFreshness()
  private readonly expiry = new ExpiryAlarm(this.ctx.storage)
  private readonly queueListeners = new QueueListeners()
  private readonly holds = new DayHolds(
    this.store,
    holdCapsFrom(this.env.HOLD_CAPS, SCENIC_HOLD_CAPS),
    (change) => this.write(change),
  )

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env)
    migrateOnStart(ctx, DAY_MIGRATIONS, { adopt: adoptDayStorage })
  }

  /**
   * The day's settings once loaded. Assigning undefined drops the in-memory state as an eviction would, so the
   * next call rebuilds it from storage (tests compare the two).
   */
  private get config(): DayConfig | undefined {
    return this.memory.current?.config
  }
  private set config(_: undefined) {
    this.memory.drop()
  }

  /** The day's in-memory state, loaded on first use; refuses a call about another day. */
  private ready(siteId: string, date: string): Promise<DayMemory> {
    const asked = dayName(siteId, date)
    this.name ??= asked
    if (asked !== this.name) throw new Error(`inventory for ${this.name} asked about ${asked}`)
    return this.memory.ready()
  }

  private async load(): Promise<DayMemory> {
    const saved = this.store.savedConfig()
    // A config stored by an older version lacks settings this one enforces: read the catalogue again.
    const config = saved?.version === DAY_CONFIG_VERSION ? saved : await this.importFromCatalogue(saved)
    // After a restart, keep the alarm storage has (a new hold must not move it later), or arm for the holds.
    if ((await this.expiry.restore()) === null) {
      const next = this.store.nextExpiry()
      if (next !== null) this.expiry.arm(next)
    }
    return this.holds.recount(config)
  }

  private async importFromCatalogue(saved: DayConfig | undefined): Promise<DayConfig> {
    const { siteId, date } = dayOfName(this.name!)
    const config = withKeptQuotas(await readDayConfig(this.env.DB, siteId, date), saved)
    this.store.saveConfig(config)
    return config
  }

  /** One storage transaction; if it fails, memory is dropped and rebuilt from what storage rolled back to. */
  private write<T>(change: () => T): T {
    return writeOrRollBack(this.ctx.storage, change, () => this.memory.drop())
  }

  /**
   * Picks up catalogue edits (capacity, slots, products, rules, packages) for this day: checked at most every
   * CATALOGUE_TTL_MS on the hold path. Quotas set for this date by `setQuotas` are kept.
   */
  async refreshConfig(siteId: string, date: string, force = true): Promise<{ refreshed: boolean }> {
    const memory = await this.ready(siteId, date)
    if (!this.freshness.due(force)) return { refreshed: false }
    const stamp = await catalogueStamp(this.env.DB, siteId)
    if (stamp === memory.config.stamp) return { refreshed: false }
    const config = await this.importFromCatalogue(memory.config)
    Object.assign(await this.memory.ready(), this.holds.recount(config))
    return { refreshed: true }
  }

  async hold(siteId: string, date: string, request: ScenicHoldRequest): Promise<ScenicHoldOutcome> {
    return (await this.holdBatch(siteId, date, [request]))[0]!
  }

  /**
   * Decides a batch of hold requests in arrival order (each sees the ones before it), then writes them all in
   * one transaction. Hold gateways coalesce concurrent buyers of one day into such batches.
   */
  async holdBatch(siteId: string, date: string, requests: ScenicHoldRequest[]): Promise<ScenicHoldOutcome[]> {
    let memory: DayMemory
    try {
      await this.ready(siteId, date)
      await this.refreshConfig(siteId, date, false)
      memory = await this.memory.ready()
    } catch (error) {
      if (error instanceof SiteNotFound)
        return requests.map(() => refuse('not_on_sale', `Scenic site ${siteId} does not exist`))
      throw error
    }
    const { outcomes, expiresAt } = this.holds.holdBatch(memory, requests, Date.now())
    if (expiresAt !== null) this.expiry.arm(expiresAt)
    return outcomes
  }

  /** `holdBatch` for the hold gateways' queues: one JSON string in, outcome lines out (wire.ts). */
  async holdBatchLines(siteId: string, date: string, requestsJson: string): Promise<string> {
    return outcomeLines(await this.holdBatch(siteId, date, readHoldBatch(requestsJson)))
  }

  /** A hold as the order service needs it: lines with prices and visitors, and its state. */
  async describeHold(siteId: string, date: string, holdId: string): Promise<DescribedHold | null> {
    return this.holds.describe(await this.ready(siteId, date), holdId)
  }

  async release(siteId: string, date: string, holdId: string, holderId?: string) {
    const memory = await this.ready(siteId, date)
    const hold = this.store.hold(holdId)
    if (hold?.status !== 'active' || (holderId && hold.holder_id !== holderId)) return { released: false }
    this.write(() => this.holds.end(memory, holdId, 'released'))
    return { released: true }
  }

  /**
   * Held lines become sold for `orderId`; idempotent per order. An expired (or released) hold is re-acquired
   * only if it passes every rule a new hold of its buyer would pass now; otherwise the order service refunds.
   */
  async confirm(siteId: string, date: string, holdId: string, orderId: string): Promise<ConfirmOutcome> {
    await this.ready(siteId, date)
    // A re-acquire is judged like a new hold: on catalogue settings no staler than a new hold's.
    const status = this.store.hold(holdId)?.status
    if (status !== undefined && status !== 'active' && status !== 'confirmed')
      await this.refreshConfig(siteId, date, false)
    return this.holds.confirm(await this.memory.ready(), holdId, orderId, Date.now())
  }

  /**
   * What returning these lines would take with it, without changing anything (the refund service asks first).
   * Only the same buyer's unused child lines count: another buyer's cable car never blocks a refund.
   */
  async previewReturn(
    siteId: string,
    date: string,
    orderId: string,
    lineIds?: string[],
  ): Promise<ReturnPreview> {
    const { config } = await this.ready(siteId, date)
    const plan = planReturn(
      config,
      this.store.soldLinesOfOrder(orderId),
      (b) => this.store.soldLinesOf(b),
      lineIds,
    )
    if (!plan.ok) return plan
    return {
      ok: true,
      returning: plan.returning.map((l) => l.id),
      cascaded: plan.cascaded.map((l) => ({ lineId: l.id, orderId: l.order_id })),
    }
  }

  async returnLines(
    siteId: string,
    date: string,
    orderId: string,
    lineIds?: string[],
  ): Promise<ReturnOutcome> {
    return this.holds.returnLines(await this.ready(siteId, date), orderId, lineIds)
  }

  /** Marks lines used at the gate (核销), so parent refunds know which children are spent. */
  async markRedeemed(siteId: string, date: string, lineIds: string[]) {
    await this.ready(siteId, date)
    const marked = this.write(() => lineIds.filter((id) => this.store.markRedeemed(id)).length)
    return { marked }
  }

  /**
   * ID numbers of sold lines, for the worker to hash under a gate's own key (身份证核验): a read of storage only,
   * so a gate's sync costs the day's sales one quick statement, never the hashing.
   */
  async soldIdNumbers(siteId: string, date: string, lineIds: string[]) {
    await this.ready(siteId, date)
    return this.store.soldIdNumbers(lineIds)
  }

  /** Replaces the day's channel allocations (e.g. more for Ctrip on a holiday); refused below what is taken. */
  async setQuotas(siteId: string, date: string, quotas: Record<string, number>) {
    const memory = await this.ready(siteId, date)
    const change = withQuotas(memory.config, quotas, this.store.takenLines())
    if (!change.ok) return change
    this.store.saveConfig(change.config)
    Object.assign(memory, this.holds.recount(change.config))
    return { ok: true as const, quotas }
  }

  /** What is left for a channel (see rules/availability.ts for who may see `channels`). */
  async availability(
    siteId: string,
    date: string,
    channel?: string,
    partner?: boolean,
  ): Promise<DayAvailability> {
    const { config, used, prices } = await this.ready(siteId, date)
    const now = Date.now()
    const audience = { channel: channel ?? 'web', ...(partner ? { partner } : {}) }
    return dayAvailability(config, used, dateIn(config.timezone, new Date(now)), channel, {
      book: prices,
      audience,
      now,
    })
  }

  /** Visits left to sell on the web, asked by a waiting room's tick (`room`), which is then told of lapses. */
  async unitsLeftForQueue(siteId: string, date: string, room: string): Promise<number> {
    const { remaining } = await this.availability(siteId, date, 'web')
    this.queueListeners.heard(room, Date.now())
    return remaining
  }

  /** Counts straight from storage, for tests that check memory and storage agree. */
  async storedCounts(siteId: string, date: string) {
    await this.ready(siteId, date)
    return this.store.countsByStatus()
  }

  override async alarm() {
    if (!this.config) {
      const saved = this.store.savedConfig()
      if (!saved) return
      this.name ??= dayName(saved.siteId, saved.date)
    }
    const memory = await this.memory.ready()
    this.expiry.fired()
    const now = Date.now()
    const holders: string[] = []
    this.write(() => {
      for (const id of this.store.dueHolds(now)) {
        const holder = this.holds.end(memory, id, 'expired')
        if (holder) holders.push(holder)
      }
    })
    const next = this.store.nextExpiry()
    if (next) this.expiry.arm(next)
    const released = lapsedBuyers(holders, (buyerId) => memory.tallies.holdsOf(buyerId))
    this.ctx.waitUntil(this.queueListeners.tellReleased(this.env.WAITING_ROOM, released, now))
  }
}
