import { DurableObject } from 'cloudflare:workers'
import { HoldTallies, holdCapDetail, holdCapsFrom, holdLimits } from '../worker/domain/hold-caps.ts'
import { heldLine, joinOutcomeLines } from '../worker/domain/hold-lines.ts'
import { parentRequiredDetail, sameVisitor } from '../worker/domain/parent-child.ts'
import { SCENIC_HOLD_CAPS } from '../worker/domain/scenic-hold-caps.ts'
import { ageRefusalDetail, checkAge, needsAgeCheck } from '../worker/domain/visit-eligibility.ts'
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
import type {
  DayAvailability,
  DayConfig,
  HeldLine,
  LineRow,
  Refused,
  ScenicHold,
  ScenicHoldOutcome,
  ScenicHoldRequest,
  ScenicRefusal,
  Visitor,
} from './scenic-day-types.ts'

export { DEFAULT_SCENIC_HOLD_MINUTES, dateIn } from './scenic-day-config.ts'
export type * from './scenic-day-types.ts'

// One instance per scenic site per visit date (named `<siteId>:<YYYY-MM-DD>`) serializes the day's
// quota: daily and time-slot capacity, per-product caps, per-channel allocations, real-name limits, age
// eligibility, per-client hold caps and parent-child (父子票) ownership. Every check runs on in-memory counters
// before anything is written, so a hold (a package included) deducts every line or none.

/** How stale catalogue settings may get before a hold re-checks D1. */
const CONFIG_TTL_MS = 10_000

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS holds (
  id TEXT PRIMARY KEY, holder_id TEXT NOT NULL, channel TEXT NOT NULL, package_id TEXT,
  status TEXT NOT NULL, expires_at INTEGER NOT NULL, order_id TEXT, created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS lines (
  id TEXT PRIMARY KEY, hold_id TEXT NOT NULL, product_id TEXT NOT NULL, slot TEXT, channel TEXT NOT NULL,
  id_number TEXT, phone TEXT, name TEXT, status TEXT NOT NULL, order_id TEXT, redeemed INTEGER NOT NULL DEFAULT 0,
  price INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS lines_hold ON lines (hold_id);
CREATE INDEX IF NOT EXISTS lines_order ON lines (order_id);
`

/**
 * Storage changes after SCHEMA, applied once each, in order (the `schema` meta row counts them).
 * 1: a public hold's client network while it is active (NULL: not a public hold; '' once it ended), for
 *    per-network caps; a child line's explicit parent line.
 */
const MIGRATIONS = [
  `ALTER TABLE holds ADD COLUMN client_network TEXT;
   ALTER TABLE lines ADD COLUMN parent_line_id TEXT;`,
]

/** Creates the day's tables, or brings an older actor's up to date (MIGRATIONS not yet applied). */
export function migrateDayStorage(sql: SqlStorage) {
  sql.exec(SCHEMA)
  const [row] = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'schema'").toArray()
  let version = row ? Number(row.value) : 0
  for (; version < MIGRATIONS.length; version++) sql.exec(MIGRATIONS[version]!)
  sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", String(version))
}

/** Lines with their hold's buyer, who owns them for parent-child rules and caps. */
const LINES = 'SELECT l.*, h.holder_id FROM lines l JOIN holds h ON h.id = l.hold_id'
const TAKEN = "('held', 'sold')"
const MAX_LINES_PER_HOLD = 20

/** A request line once its parent reference is resolved: the visitor it is for, and which parent line it goes with. */
interface ResolvedLine {
  productId: string
  slot: string | null
  visitor: Visitor | undefined
  /** Parent line in the same hold (index) or stored earlier (id), when the buyer named one. */
  parentIndex?: number
  parentLineId?: string
}

type Decision = { ok: true; lines: ResolvedLine[] } | Refused

export class ScenicDayInventory extends DurableObject<Bindings> {
  private config: DayConfig | undefined
  private used = new DayCounts()
  /** Active holds and their tickets per buyer and per client network, for the caps on public holds. */
  private tallies = new HoldTallies()
  private readonly caps = holdCapsFrom(this.env.HOLD_CAPS, SCENIC_HOLD_CAPS)
  private alarmAt: number | null = null
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
        const decision = this.check(config, request, today, now)
        if (!decision.ok) {
          outcomes.push(decision)
          continue
        }
        // One random id per hold; its lines are numbered after it.
        const key = crypto.randomUUID().replaceAll('-', '')
        const holdId = `hld_${key}`
        const network = request.client ? (request.client.network ?? '') : null
        holdRows.push([holdId, request.holderId, request.channel, request.packageId ?? null, network])
        const prices = this.linePrices(config, request)
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

  /** Line prices: list prices, or the package price spread over its lines (the last takes the rounding). */
  private linePrices(config: DayConfig, request: ScenicHoldRequest): number[] {
    const list = request.lines.map((line) => config.products[line.productId]!.price)
    if (!request.packageId) return list
    const packagePrice = config.packages[request.packageId]!.price
    const listTotal = list.reduce((a, b) => a + b, 0) || 1
    const shares = list.map((price) => Math.floor((price * packagePrice) / listTotal))
    shares[shares.length - 1]! += packagePrice - shares.reduce((a, b) => a + b, 0)
    return shares
  }

  /** Every rule a hold must pass, decided on counters only; the first refusal, or the lines to write. */
  private check(config: DayConfig, request: ScenicHoldRequest, today: string, now: number): Decision {
    if (config.date < today || config.date > addDays(today, config.bookingDaysAhead)) {
      return refuse('not_on_sale', `Visits on ${config.date} cannot be booked now`)
    }
    if (request.lines.length === 0 || request.lines.length > MAX_LINES_PER_HOLD) {
      return refuse('invalid_request', `A hold has 1 to ${MAX_LINES_PER_HOLD} lines`)
    }
    if (request.packageId) {
      const pkg = config.packages[request.packageId]
      if (pkg?.status !== 'active')
        return refuse('invalid_request', `No package ${request.packageId} at this site`)
      const want = new Map(pkg.components.map((c) => [c.productId, c.quantity]))
      const got = new Map<string, number>()
      for (const line of request.lines) got.set(line.productId, (got.get(line.productId) ?? 0) + 1)
      const same = want.size === got.size && [...want].every(([id, n]) => got.get(id) === n)
      if (!same) return refuse('invalid_request', 'The lines must be exactly the package components')
    }
    const resolved = this.resolveLines(config, request)
    if (!resolved.ok) return resolved
    const lines = resolved.lines
    const adding = {
      entry: 0,
      slot: new Map<string, number>(),
      product: new Map<string, number>(),
      id: new Map<string, number>(),
    }
    const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
    for (const [k, line] of lines.entries()) {
      const product = config.products[line.productId]!
      const ageRule = needsAgeCheck(product.ages)
      if ((product.realNameRequired || ageRule) && (!line.visitor?.idNumber || !line.visitor.name)) {
        return refuse(
          'invalid_request',
          `Line ${k + 1}: ${product.name} needs the visitor's name and ID number`,
        )
      }
      // Age from the ID number's birth date on the visit date, whoever sells the ticket (shop, OTA, box office).
      const verdict = checkAge(product.ages, line.visitor?.idNumber, config.date)
      if (!verdict.ok) {
        const detail = ageRefusalDetail(verdict, {
          index: k,
          productName: product.name,
          rule: product.ages!,
          visitDate: config.date,
        })
        return { ...refuse('not_eligible', detail), line: k, rule: verdict.rule }
      }
      bump(adding.product, product.id)
      if (line.visitor?.idNumber) bump(adding.id, `${product.id}:${line.visitor.idNumber}`)
      if (product.kind === 'entry') {
        adding.entry++
        if (line.slot) bump(adding.slot, line.slot)
      }
    }
    // Per-client caps on public holds: one buyer (a cookie costs nothing) and one network address each hold
    // only so much of the day at once.
    if (request.client) {
      const limits = holdLimits(this.caps, config.dailyCapacity)
      const over = this.tallies.check(limits, request.holderId, request.client.network, lines.length, now)
      if (over) {
        return {
          ...refuse('hold_limit', holdCapDetail(over.scope, over.limit, 'tickets')),
          scope: over.scope,
          limit: over.limit,
          retryAfter: over.retryAfter,
        }
      }
    }
    // Parent-child: a child line without a named parent needs a parent line of the same buyer for the same
    // visitor (per rule): in this hold, or held or bought earlier. Decided before the per-ID limits, so that
    // another visitor's purchases never change the answer a stranger gets.
    for (const [k, line] of lines.entries()) {
      if (line.parentIndex !== undefined || line.parentLineId !== undefined) continue
      const rules = config.rules.filter((r) => r.childProductId === line.productId)
      if (rules.length === 0) continue
      const inRequest = lines.some(
        (other, j) =>
          j !== k &&
          rules.some(
            (r) =>
              r.parentProductId === other.productId && sameVisitor(r.matchBy, line.visitor, other.visitor),
          ),
      )
      if (!inRequest && !this.used.hasParent(rules, request.holderId, line.visitor))
        return this.parentRequired(config, line.productId)
    }
    // Real-name: each ID number holds at most maxPerIdPerDay tickets of a product for the day.
    for (const [key, n] of adding.id) {
      const product = config.products[key.slice(0, key.indexOf(':'))]!
      if (product.maxPerIdPerDay > 0 && (this.used.id.get(key) ?? 0) + n > product.maxPerIdPerDay) {
        return refuse(
          'buyer_limit',
          `An ID number may hold ${product.maxPerIdPerDay} ${product.name} ticket(s) per day`,
        )
      }
    }
    // Capacity: product caps, then entry capacity (day, slot, channel allocation or general pool).
    const short: string[] = []
    for (const [productId, n] of adding.product) {
      const cap = config.products[productId]!.dailyCapacity
      if (cap !== null && (this.used.product.get(productId) ?? 0) + n > cap) short.push(productId)
    }
    for (const [slot, n] of adding.slot) {
      const capacity = config.slots.find((s) => s.code === slot)!.capacity
      if ((this.used.slot.get(slot) ?? 0) + n > capacity) short.push(`slot:${slot}`)
    }
    if (adding.entry > 0) {
      const quota = config.quotas[request.channel]
      if (quota !== undefined) {
        if ((this.used.channel.get(request.channel) ?? 0) + adding.entry > quota)
          short.push(`channel:${request.channel}`)
      } else if (this.used.general + adding.entry > this.generalCapacity(config)) short.push('day')
      if (this.used.entry + adding.entry > config.dailyCapacity) short.push('day')
    }
    if (short.length) return refuse('sold_out', 'Not enough tickets left for this day', [...new Set(short)])
    return { ok: true, lines }
  }

  private parentRequired(config: DayConfig, childProductId: string): Refused {
    const name = config.products[childProductId]?.name ?? childProductId
    return refuse('parent_ticket_required', parentRequiredDetail(name, config.date))
  }

  /**
   * Products and slots of each line, and the parent a child line names: a line of this hold, or a parent
   * ticket line of this day that is the buyer's own or was proven by its ticket code. A named parent lends
   * the child its visitor when the child has none (the shop need not ask again); a child that names a visitor
   * must match the parent by the rule. Another buyer's parent lends nothing: its visitor stays theirs.
   */
  private resolveLines(
    config: DayConfig,
    request: ScenicHoldRequest,
  ): { ok: true; lines: ResolvedLine[] } | Refused {
    const lines: ResolvedLine[] = []
    for (const [k, line] of request.lines.entries()) {
      const product = config.products[line.productId]
      if (product?.status !== 'active')
        return refuse('invalid_request', `Line ${k + 1}: no product ${line.productId} on sale here`)
      if (product.timed) {
        if (!line.slot || !config.slots.some((s) => s.code === line.slot)) {
          return refuse(
            'invalid_request',
            `Line ${k + 1}: pick one of the time slots ${config.slots.map((s) => s.code).join(', ')}`,
          )
        }
      } else if (line.slot)
        return refuse('invalid_request', `Line ${k + 1}: ${product.name} has no time slots`)
      lines.push({ productId: line.productId, slot: line.slot ?? null, visitor: line.visitor })
    }
    for (const [k, line] of request.lines.entries()) {
      const parent = line.parent
      if (!parent) continue
      const rules = config.rules.filter((r) => r.childProductId === line.productId)
      const ruleFor = (parentProductId: string) => rules.find((r) => r.parentProductId === parentProductId)
      const child = lines[k]!
      if ('line' in parent) {
        const other = request.lines[parent.line]
        const rule = other && parent.line !== k ? ruleFor(other.productId) : undefined
        if (!rule)
          return refuse(
            'invalid_request',
            `Line ${k + 1}: its parent must be a gate ticket line of this hold`,
          )
        // The parent line's visitor was given in this request, by this buyer.
        const visitor = other!.visitor
        if (!child.visitor) child.visitor = visitor
        else if (!sameVisitor(rule.matchBy, child.visitor, visitor))
          return this.parentRequired(config, line.productId)
        child.parentIndex = parent.line
        continue
      }
      if (typeof parent.lineId !== 'string')
        return refuse('invalid_request', `Line ${k + 1}: its parent is a line of this hold or a ticket line`)
      const [stored] = this.ctx.storage.sql
        .exec<LineRow>(`${LINES} WHERE l.id = ? AND l.status IN ${TAKEN}`, parent.lineId)
        .toArray()
      const rule = stored ? ruleFor(stored.product_id) : undefined
      const own = stored?.holder_id === request.holderId
      // Unknown, gone, not a parent of this product, or someone else's without proof: one and the same answer.
      if (!stored || !rule || !(own || parent.proven)) return this.parentRequired(config, line.productId)
      const visitor = visitorOf(stored)
      if (!child.visitor && own) child.visitor = visitor
      else if (!sameVisitor(rule.matchBy, child.visitor, visitor))
        return this.parentRequired(config, line.productId)
      child.parentLineId = stored.id
    }
    return { ok: true, lines }
  }

  private generalCapacity(config: DayConfig) {
    return config.dailyCapacity - Object.values(config.quotas).reduce((a, b) => a + b, 0)
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
      const decision = this.check(config, request, dateIn(config.timezone, new Date(now)), now)
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
    const plan = this.planReturn(config, orderId, lineIds)
    if (!plan.ok) return plan
    return {
      ok: true as const,
      returning: plan.returning.map((l) => l.id),
      cascaded: plan.cascaded.map((l) => ({ lineId: l.id, orderId: l.order_id })),
    }
  }

  /**
   * A parent (gate) line whose buyer still has unused child lines for that visitor is refused
   * (`children_unused`) or takes them along, per rule.
   */
  private planReturn(config: DayConfig, orderId: string, lineIds?: string[]) {
    const sql = this.ctx.storage.sql
    const sold = sql.exec<LineRow>(`${LINES} WHERE l.order_id = ? AND l.status = 'sold'`, orderId).toArray()
    const returning = sold.filter((l) => !lineIds || lineIds.includes(l.id))
    const ids = new Set(returning.map((l) => l.id))
    const cascaded: LineRow[] = []
    for (const line of returning) {
      const rules = config.rules.filter((r) => r.parentProductId === line.product_id)
      for (const rule of rules) {
        const children = sql
          .exec<LineRow>(
            `${LINES} WHERE l.product_id = ? AND l.status = 'sold' AND l.redeemed = 0 AND h.holder_id = ?`,
            rule.childProductId,
            line.holder_id,
          )
          .toArray()
          .filter(
            (child) =>
              !ids.has(child.id) &&
              sameVisitor(rule.matchBy, visitorOf(child), visitorOf(line)) &&
              !this.stillCovered(config, child, ids),
          )
        if (children.length === 0) continue
        if (rule.onParentRefund === 'block') {
          return refuse(
            'children_unused',
            `Refund the unused ${config.products[rule.childProductId]?.name ?? 'child'} ticket(s) first`,
            children.map((c) => c.id),
          )
        }
        for (const child of children) {
          ids.add(child.id)
          cascaded.push(child)
        }
      }
    }
    return { ok: true as const, returning, cascaded }
  }

  /** Whether a sold parent line of the child's buyer that is not being returned still entitles it (e.g. a family on one phone). */
  private stillCovered(config: DayConfig, child: LineRow, returning: Set<string>): boolean {
    const rules = config.rules.filter((r) => r.childProductId === child.product_id)
    if (rules.length === 0) return false
    return this.ctx.storage.sql
      .exec<LineRow>(
        `${LINES} WHERE l.status = 'sold' AND h.holder_id = ? AND l.product_id IN (${rules.map(() => '?').join(',')})`,
        child.holder_id,
        ...rules.map((r) => r.parentProductId),
      )
      .toArray()
      .some(
        (parent) =>
          !returning.has(parent.id) &&
          rules.some(
            (r) =>
              r.parentProductId === parent.product_id &&
              sameVisitor(r.matchBy, visitorOf(child), visitorOf(parent)),
          ),
      )
  }

  async returnLines(siteId: string, date: string, orderId: string, lineIds?: string[]) {
    const config = await this.ready(siteId, date)
    const plan = this.planReturn(config, orderId, lineIds)
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
    const general = { used: 0, capacity: this.generalCapacity(next) }
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
    const general = this.generalCapacity(config) - this.used.general
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

/** A stored line's visitor (what was given when it was held). */
function visitorOf(line: Pick<LineRow, 'id_number' | 'phone' | 'name'>): Visitor {
  return {
    ...(line.name ? { name: line.name } : {}),
    ...(line.id_number ? { idNumber: line.id_number } : {}),
    ...(line.phone ? { phone: line.phone } : {}),
  }
}

function refuse(code: ScenicRefusal, detail: string, unavailable?: string[]): Refused {
  return { ok: false as const, code, detail, ...(unavailable ? { unavailable } : {}) }
}
