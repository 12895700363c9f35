import { DurableObject } from 'cloudflare:workers'
import { HoldTallies, holdCapsFrom } from '../worker/domain/hold-caps.ts'
import { heldLine, joinOutcomeLines } from '../worker/domain/hold-lines.ts'
import { SCENIC_HOLD_CAPS } from '../worker/domain/scenic-hold-caps.ts'
import type { Bindings } from '../worker/env.ts'
import {
  addDays,
  catalogueStamp,
  DAY_CONFIG_VERSION,
  dateIn,
  readDayConfig,
  SiteNotFound,
} from './scenic-day-config.ts'
import { DayCounts } from './scenic-day-counts.ts'
import { type DayState, decideHold, generalCapacity, linePrices } from './scenic-day-decide.ts'
import { planReturn } from './scenic-day-returns.ts'
import { LINES, migrateDayStorage, refuse, TAKEN, visitorOf } from './scenic-day-storage.ts'
import type {
  DayAvailability,
  DayConfig,
  HeldLine,
  LineRow,
  ScenicHold,
  ScenicHoldOutcome,
  ScenicHoldRequest,
} from './scenic-day-types.ts'

export { DEFAULT_SCENIC_HOLD_MINUTES, dateIn } from './scenic-day-config.ts'
export { migrateDayStorage } from './scenic-day-storage.ts'
export type * from './scenic-day-types.ts'

// One instance per scenic site per visit date (named `<siteId>:<YYYY-MM-DD>`) serializes the day's
// quota: daily and time-slot capacity, per-product caps, per-channel allocations, real-name limits, age
// eligibility, per-client hold caps and parent-child (父子票) ownership. Every check runs on in-memory counters
// before anything is written, so a hold (a package included) deducts every line or none.

/** How stale catalogue settings may get before a hold re-checks D1. */
const CONFIG_TTL_MS = 10_000

export class ScenicDayInventory extends DurableObject<Bindings> {
  private config: DayConfig | undefined
  private used = new DayCounts()
  /** Active holds and their tickets per buyer and per client network, for the caps on public holds. */
  private tallies = new HoldTallies()
  private readonly caps = holdCapsFrom(this.env.HOLD_CAPS, SCENIC_HOLD_CAPS)
  private alarmAt: number | null = null
  /** What a hold decision reads (scenic-day-decide.ts). */
  private get state(): DayState {
    return { sql: this.ctx.storage.sql, used: this.used, tallies: this.tallies, caps: this.caps }
  }
  private configCheckedAt = Date.now()

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env)
    ctx.storage.transactionSync(() => migrateDayStorage(ctx.storage.sql))
  }

  private async ready(siteId: string, date: string): Promise<DayConfig> {
    if (this.config) {
      if (this.config.siteId !== siteId || this.config.date !== date) {
        throw new Error(
          `inventory for ${this.config.siteId}:${this.config.date} asked about ${siteId}:${date}`,
        )
      }
      return this.config
    }
    await this.ctx.blockConcurrencyWhile(async () => {
      if (this.config) return
      const [stored] = this.ctx.storage.sql
        .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'config'")
        .toArray()
      const saved = stored ? (JSON.parse(stored.value) as DayConfig) : undefined
      // A config stored by an older version lacks settings this one enforces: read the catalogue again.
      const config =
        saved?.version === DAY_CONFIG_VERSION ? saved : await this.importFromCatalogue(siteId, date, saved)
      this.recount(config)
      this.config = config
    })
    return this.ready(siteId, date)
  }

  private async importFromCatalogue(siteId: string, date: string, saved?: DayConfig): Promise<DayConfig> {
    const latest = await readDayConfig(this.env.DB, siteId, date)
    const config = saved?.quotasOverridden
      ? { ...latest, quotas: saved.quotas, quotasOverridden: true }
      : latest
    this.storeConfig(config)
    return config
  }

  private storeConfig(config: DayConfig) {
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO meta (key, value) VALUES ('config', ?)",
      JSON.stringify(config),
    )
  }

  /**
   * Picks up catalogue edits (capacity, slots, products, rules, packages) for this day: checked at most
   * every CONFIG_TTL_MS on the hold path. Quotas set for this date by `setQuotas` are kept.
   */
  async refreshConfig(siteId: string, date: string, force = true): Promise<{ refreshed: boolean }> {
    const config = await this.ready(siteId, date)
    if (!force && Date.now() - this.configCheckedAt < CONFIG_TTL_MS) return { refreshed: false }
    this.configCheckedAt = Date.now()
    const stamp = await catalogueStamp(this.env.DB, siteId)
    if (stamp === config.stamp) return { refreshed: false }
    const next = await this.importFromCatalogue(siteId, date, config)
    this.config = next
    this.recount(next)
    return { refreshed: true }
  }

  /** Rebuilds the in-memory counters from storage (on load, and after a failed write). */
  private recount(config: DayConfig) {
    const used = new DayCounts()
    const sql = this.ctx.storage.sql
    for (const row of sql.exec<LineRow>(`${LINES} WHERE l.status IN ${TAKEN}`).toArray())
      used.line(config, row, 1)
    this.used = used
    this.tallies.clear()
    const active = sql.exec<{
      holder_id: string
      client_network: string | null
      expires_at: number
      n: number
    }>(
      `SELECT h.holder_id, h.client_network, h.expires_at, count(*) AS n FROM holds h JOIN lines l ON l.hold_id = h.id
       WHERE h.status = 'active' GROUP BY h.id`,
    )
    for (const hold of active.toArray())
      this.tallies.add(hold.holder_id, hold.client_network, hold.n, hold.expires_at)
  }

  // ---- holds ---------------------------------------------------------------------------------

  async hold(siteId: string, date: string, request: ScenicHoldRequest): Promise<ScenicHoldOutcome> {
    return (await this.holdBatch(siteId, date, [request]))[0]!
  }

  /**
   * Decides a batch of hold requests in arrival order on the in-memory counters (each sees the ones
   * before it), then writes every hold of the batch with two statements inside one transaction. Hold
   * gateways coalesce concurrent buyers of one day into such batches, so one RPC round trip serves many.
   */
  async holdBatch(siteId: string, date: string, requests: ScenicHoldRequest[]): Promise<ScenicHoldOutcome[]> {
    let config: DayConfig
    try {
      await this.ready(siteId, date)
      await this.refreshConfig(siteId, date, false)
      config = this.config!
    } catch (error) {
      if (error instanceof SiteNotFound)
        return requests.map(() => refuse('not_on_sale', `Scenic site ${siteId} does not exist`))
      throw error
    }
    const now = Date.now()
    const today = dateIn(config.timezone, new Date(now))
    const expiresAt = now + config.holdMinutes * 60_000
    const expiry = new Date(expiresAt).toISOString()
    const outcomes: ScenicHoldOutcome[] = []
    const holdRows: (string | number | null)[][] = []
    const lineRows: (string | number | null)[][] = []
    this.mutate(config, () => {
      for (const request of requests) {
        const decision = decideHold(config, this.state, request, today, now)
        if (!decision.ok) {
          outcomes.push(decision)
          continue
        }
        // One random id per hold; its lines are numbered after it.
        const key = crypto.randomUUID().replaceAll('-', '')
        const holdId = `hld_${key}`
        const network = request.client ? (request.client.network ?? '') : null
        holdRows.push([holdId, request.holderId, request.channel, request.packageId ?? null, network])
        const prices = linePrices(config, request)
        const ids = decision.lines.map((_, k) => `ln_${key.slice(0, 18)}${k.toString(36).padStart(2, '0')}`)
        const lines: HeldLine[] = decision.lines.map((line, k) => {
          const row = {
            product_id: line.productId,
            slot: line.slot,
            channel: request.channel,
            id_number: line.visitor?.idNumber ?? null,
            phone: line.visitor?.phone ?? null,
            holder_id: request.holderId,
          }
          const parent = line.parentIndex !== undefined ? ids[line.parentIndex]! : (line.parentLineId ?? null)
          lineRows.push([
            ids[k]!,
            holdId,
            row.product_id,
            row.slot,
            row.channel,
            row.id_number,
            row.phone,
            line.visitor?.name ?? null,
            prices[k]!,
            parent,
          ])
          // Counted now, so the next request in the batch sees this one.
          this.used.line(config, row, 1)
          return {
            id: ids[k]!,
            productId: line.productId,
            productName: config.products[line.productId]!.name,
            slot: row.slot,
            price: prices[k]!,
            visitor: line.visitor ?? null,
          }
        })
        this.tallies.add(request.holderId, network, lines.length, expiresAt)
        outcomes.push({
          ok: true,
          hold: {
            id: holdId,
            siteId,
            date,
            lines,
            total: prices.reduce((a, b) => a + b, 0),
            currency: config.currency,
            expiresAt: expiry,
          },
        })
      }
      this.writeHolds(holdRows, lineRows, expiresAt, now)
    })
    if (holdRows.length) this.armAlarm(expiresAt)
    return outcomes
  }

  /**
   * `holdBatch` for the hold gateways' queues: the batch as one JSON string, the outcomes as outcome lines
   * (hold-lines.ts). One string crosses the RPC boundary far cheaper than many structured-cloned objects.
   */
  async holdBatchLines(siteId: string, date: string, requestsJson: string): Promise<string> {
    const outcomes = await this.holdBatch(siteId, date, JSON.parse(requestsJson) as ScenicHoldRequest[])
    return joinOutcomeLines(
      outcomes.map((o) => (o.ok ? heldLine(JSON.stringify(o.hold)) : JSON.stringify(o))),
    )
  }

  /** Two statements for a whole batch, whatever its size. */
  private writeHolds(
    holdRows: (string | number | null)[][],
    lineRows: (string | number | null)[][],
    expiresAt: number,
    now: number,
  ) {
    if (holdRows.length === 0) return
    const sql = this.ctx.storage.sql
    sql.exec(
      `INSERT INTO holds (id, holder_id, channel, package_id, client_network, status, expires_at, created_at)
       SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, 'active', ?, ? FROM json_each(?)`,
      expiresAt,
      now,
      JSON.stringify(holdRows),
    )
    sql.exec(
      `INSERT INTO lines (id, hold_id, product_id, slot, channel, id_number, phone, name, status, price, parent_line_id)
       SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
              'held', value ->> 8, value ->> 9
       FROM json_each(?)`,
      JSON.stringify(lineRows),
    )
  }

  /** A hold as the order service needs it: lines with prices and visitors, and its state. */
  async describeHold(
    siteId: string,
    date: string,
    holdId: string,
  ): Promise<{ hold: ScenicHold; holderId: string; status: string } | null> {
    const config = await this.ready(siteId, date)
    const sql = this.ctx.storage.sql
    const [hold] = sql
      .exec<{ holder_id: string; status: string; expires_at: number }>(
        'SELECT holder_id, status, expires_at FROM holds WHERE id = ?',
        holdId,
      )
      .toArray()
    if (!hold) return null
    const lines = sql.exec<LineRow>('SELECT * FROM lines WHERE hold_id = ? ORDER BY rowid', holdId).toArray()
    return {
      holderId: hold.holder_id,
      status: hold.status,
      hold: {
        id: holdId,
        siteId,
        date,
        currency: config.currency,
        expiresAt: new Date(hold.expires_at).toISOString(),
        total: lines.reduce((sum, l) => sum + l.price, 0),
        lines: lines.map((l) => ({
          id: l.id,
          productId: l.product_id,
          productName: config.products[l.product_id]?.name ?? l.product_id,
          slot: l.slot,
          price: l.price,
          visitor: visitorOf(l),
        })),
      },
    }
  }

  async release(
    siteId: string,
    date: string,
    holdId: string,
    holderId?: string,
  ): Promise<{ released: boolean }> {
    const config = await this.ready(siteId, date)
    const [hold] = this.ctx.storage.sql
      .exec<{ holder_id: string; status: string }>('SELECT holder_id, status FROM holds WHERE id = ?', holdId)
      .toArray()
    if (hold?.status !== 'active' || (holderId && hold.holder_id !== holderId)) return { released: false }
    this.mutate(config, () => this.endHold(config, holdId, 'released'))
    return { released: true }
  }

  /** An active hold stops being one: its held lines end too (released, expired), or become sold (confirmed). */
  private endHold(
    config: DayConfig,
    holdId: string,
    status: 'released' | 'expired' | 'confirmed',
    orderId?: string,
  ) {
    const sql = this.ctx.storage.sql
    const [hold] = sql
      .exec<{ holder_id: string; client_network: string | null; status: string; expires_at: number }>(
        'SELECT holder_id, client_network, status, expires_at FROM holds WHERE id = ?',
        holdId,
      )
      .toArray()
    const lines = sql.exec<LineRow>(`${LINES} WHERE l.hold_id = ? AND l.status = 'held'`, holdId).toArray()
    if (hold?.status === 'active')
      this.tallies.remove(hold.holder_id, hold.client_network, lines.length, hold.expires_at)
    // The client's address is kept only while the hold is active (for the caps); '' still marks a public hold.
    sql.exec(
      `UPDATE holds SET status = ?, order_id = coalesce(?, order_id),
         client_network = CASE WHEN client_network IS NULL THEN NULL ELSE '' END WHERE id = ?`,
      status,
      orderId ?? null,
      holdId,
    )
    if (status === 'confirmed') {
      sql.exec(
        "UPDATE lines SET status = 'sold', order_id = ? WHERE hold_id = ? AND status = 'held'",
        orderId!,
        holdId,
      )
      return
    }
    for (const line of lines) {
      sql.exec('UPDATE lines SET status = ? WHERE id = ?', status, line.id)
      this.used.line(config, line, -1)
    }
  }

  /**
   * Held lines become sold for `orderId`; idempotent per order. An expired (or released) hold is re-acquired
   * only if it passes every rule a new hold of its buyer would pass now: capacity, the real-name per-day limit,
   * age eligibility, parent-child ownership and, for a public hold, the per-buyer caps. Otherwise the order
   * service refunds the payment.
   */
  async confirm(siteId: string, date: string, holdId: string, orderId: string) {
    await this.ready(siteId, date)
    const sql = this.ctx.storage.sql
    const read = () =>
      sql
        .exec<Record<string, string | number | null>>('SELECT * FROM holds WHERE id = ?', holdId)
        .toArray()[0]
    // A re-acquire is judged like a new hold: on catalogue settings no staler than a new hold's.
    const status = read()?.status
    if (status !== undefined && status !== 'active' && status !== 'confirmed')
      await this.refreshConfig(siteId, date, false)
    const config = this.config!
    const hold = read()
    if (!hold) return refuse('hold_not_found', `No hold ${holdId}`)
    const lines = () => sql.exec<LineRow>(`${LINES} WHERE l.hold_id = ? ORDER BY l.rowid`, holdId).toArray()
    if (hold.status === 'confirmed') {
      if (hold.order_id !== orderId)
        return refuse('order_mismatch', 'The hold was confirmed for another order')
      return {
        ok: true as const,
        orderId,
        lineIds: lines().map((l) => l.id),
        reacquired: false,
        alreadyConfirmed: true,
      }
    }
    const reacquired = hold.status !== 'active'
    if (reacquired) {
      const stored = lines()
      const request: ScenicHoldRequest = {
        holderId: String(hold.holder_id),
        channel: String(hold.channel),
        ...(hold.package_id ? { packageId: String(hold.package_id) } : {}),
        // A public hold's caps count for its buyer; the address it came from is gone with the hold.
        ...(hold.client_network !== null ? { client: {} } : {}),
        lines: stored.map((l) => {
          const inHold = stored.findIndex((p) => p.id === l.parent_line_id)
          return {
            productId: l.product_id,
            ...(l.slot ? { slot: l.slot } : {}),
            visitor: visitorOf(l),
            // The parent it was sold with (proven when held, if it was another buyer's).
            ...(inHold >= 0
              ? { parent: { line: inHold } }
              : l.parent_line_id
                ? { parent: { lineId: l.parent_line_id, proven: true } }
                : {}),
          }
        }),
      }
      // A late payment may still fall inside the day's booking window even if the hold did not.
      const now = Date.now()
      const decision = decideHold(config, this.state, request, dateIn(config.timezone, new Date(now)), now)
      if (!decision.ok)
        return refuse('hold_expired', `The hold expired and cannot be re-acquired: ${decision.detail}`)
      this.mutate(config, () => {
        for (const line of stored) this.used.line(config, line, 1)
        sql.exec("UPDATE holds SET status = 'confirmed', order_id = ? WHERE id = ?", orderId, holdId)
        sql.exec("UPDATE lines SET status = 'sold', order_id = ? WHERE hold_id = ?", orderId, holdId)
      })
    } else {
      this.mutate(config, () => this.endHold(config, holdId, 'confirmed', orderId))
    }
    return {
      ok: true as const,
      orderId,
      lineIds: lines().map((l) => l.id),
      reacquired,
      alreadyConfirmed: false,
    }
  }

  /**
   * What returning these lines would take with it, without changing anything (the refund service asks first).
   * Only the same buyer's unused child lines count: another buyer's cable car never blocks a refund, and is
   * never refunded with it (it stays theirs).
   */
  async previewReturn(siteId: string, date: string, orderId: string, lineIds?: string[]) {
    const config = await this.ready(siteId, date)
    const plan = planReturn(this.ctx.storage.sql, config, orderId, lineIds)
    if (!plan.ok) return plan
    return {
      ok: true as const,
      returning: plan.returning.map((l) => l.id),
      cascaded: plan.cascaded.map((l) => ({ lineId: l.id, orderId: l.order_id })),
    }
  }

  async returnLines(siteId: string, date: string, orderId: string, lineIds?: string[]) {
    const config = await this.ready(siteId, date)
    const plan = planReturn(this.ctx.storage.sql, config, orderId, lineIds)
    if (!plan.ok) return plan
    const { returning, cascaded } = plan
    const all = [...returning, ...cascaded]
    if (all.length === 0) return { ok: true as const, returned: [], cascaded: [] }
    this.mutate(config, () => {
      for (const line of all) {
        this.ctx.storage.sql.exec("UPDATE lines SET status = 'returned' WHERE id = ?", line.id)
        this.used.line(config, line, -1)
      }
    })
    return { ok: true as const, returned: returning.map((l) => l.id), cascaded: cascaded.map((l) => l.id) }
  }

  /** Marks lines used at the gate (核销), so parent refunds know which children are spent. */
  async markRedeemed(siteId: string, date: string, lineIds: string[]) {
    const config = await this.ready(siteId, date)
    let marked = 0
    this.mutate(config, () => {
      for (const id of lineIds) {
        marked += this.ctx.storage.sql.exec(
          "UPDATE lines SET redeemed = 1 WHERE id = ? AND status = 'sold'",
          id,
        ).rowsWritten
      }
    })
    return { marked }
  }

  /** Replaces the day's channel allocations (e.g. more for Ctrip on a holiday); refused below what is sold. */
  async setQuotas(siteId: string, date: string, quotas: Record<string, number>) {
    const config = await this.ready(siteId, date)
    const reserved = Object.values(quotas).reduce((a, b) => a + b, 0)
    if (reserved > config.dailyCapacity) return refuse('invalid_request', 'Quotas exceed the daily capacity')
    const next = { ...config, quotas, quotasOverridden: true }
    // Count what is taken under the new allocations (a channel's earlier sales may move in or out of
    // the general pool) and refuse if any allocation, or the general pool, is already over.
    const current = this.used
    let over: [string, number] | undefined
    const general = { used: 0, capacity: generalCapacity(next) }
    try {
      this.recount(next)
      over = [...this.used.channel].find(([channel, n]) => n > (quotas[channel] ?? 0))
      general.used = this.used.general
    } finally {
      this.used = current
    }
    if (over) {
      return refuse('invalid_request', `${over[0]} already holds ${over[1]}; its quota cannot go below that`)
    }
    if (general.used > general.capacity) {
      return refuse(
        'invalid_request',
        `Other channels already hold ${general.used}; the quotas leave them only ${general.capacity}`,
      )
    }
    this.storeConfig(next)
    this.config = next
    this.recount(next)
    return { ok: true as const, quotas }
  }

  /**
   * What is left for a channel (the general pool when it has no allocation). `channels` lists every channel's
   * allocation: for the organizer's view only; the public and partner routes pass on what their caller may see.
   */
  async availability(siteId: string, date: string, channel?: string): Promise<DayAvailability> {
    const config = await this.ready(siteId, date)
    const today = dateIn(config.timezone)
    const channels = Object.fromEntries(
      Object.entries(config.quotas).map(([code, quota]) => [
        code,
        { quota, remaining: quota - (this.used.channel.get(code) ?? 0) },
      ]),
    )
    const dayLeft = config.dailyCapacity - this.used.entry
    const general = generalCapacity(config) - this.used.general
    const forChannel = channel && channels[channel] ? channels[channel].remaining : general
    const entryLeft = Math.max(0, Math.min(dayLeft, forChannel))
    return {
      siteId,
      date,
      onSale: config.date >= today && config.date <= addDays(today, config.bookingDaysAhead),
      capacity: config.dailyCapacity,
      remaining: entryLeft,
      channels,
      slots: config.slots.map((s) => ({
        ...s,
        remaining: Math.max(0, Math.min(entryLeft, s.capacity - (this.used.slot.get(s.code) ?? 0))),
      })),
      products: Object.values(config.products)
        .filter((p) => p.status === 'active')
        .map((p) => {
          const cap =
            p.dailyCapacity === null
              ? Number.POSITIVE_INFINITY
              : p.dailyCapacity - (this.used.product.get(p.id) ?? 0)
          const remaining = p.kind === 'entry' ? Math.min(entryLeft, cap) : cap
          return {
            id: p.id,
            name: p.name,
            kind: p.kind,
            ticketType: p.ticketType,
            price: p.price,
            timed: p.timed,
            remaining: Number.isFinite(remaining) ? Math.max(0, remaining) : entryLeft,
          }
        }),
    }
  }

  /** Counts straight from storage, for tests that check memory and storage agree. */
  async storedCounts(siteId: string, date: string) {
    await this.ready(siteId, date)
    return this.ctx.storage.sql
      .exec<{ status: string; product_id: string; n: number }>(
        'SELECT status, product_id, count(*) AS n FROM lines GROUP BY status, product_id',
      )
      .toArray()
  }

  override async alarm() {
    if (!this.config) {
      const [stored] = this.ctx.storage.sql
        .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'config'")
        .toArray()
      if (!stored) return
      const saved = JSON.parse(stored.value) as DayConfig
      await this.ready(saved.siteId, saved.date)
    }
    const config = this.config!
    this.alarmAt = null
    const now = Date.now()
    const due = this.ctx.storage.sql
      .exec<{ id: string }>("SELECT id FROM holds WHERE status = 'active' AND expires_at <= ?", now)
      .toArray()
    this.mutate(config, () => {
      for (const { id } of due) this.endHold(config, id, 'expired')
    })
    const [next] = this.ctx.storage.sql
      .exec<{ at: number | null }>("SELECT min(expires_at) AS at FROM holds WHERE status = 'active'")
      .toArray()
    if (next?.at) this.armAlarm(next.at)
  }

  private armAlarm(at: number) {
    if (this.alarmAt !== null && this.alarmAt <= at) return
    this.alarmAt = at
    void this.ctx.storage.setAlarm(at)
  }

  private mutate(config: DayConfig, change: () => void) {
    try {
      this.ctx.storage.transactionSync(change)
    } catch (error) {
      // Storage rolled back; rebuild the counters from it so memory cannot drift.
      this.recount(config)
      throw error
    }
  }
}
