import { DurableObject } from 'cloudflare:workers'
import { heldLine, joinOutcomeLines } from '../worker/domain/hold-lines.ts'
import type { Bindings } from '../worker/env.ts'

// One instance per scenic site per visit date (named `<siteId>:<YYYY-MM-DD>`) serializes the day's
// quota: daily and time-slot capacity, per-product caps, per-channel allocations, real-name limits and
// parent-child (父子票) eligibility. Every check runs on in-memory counters before anything is written,
// so a hold (a package included) deducts every line or none.

export interface Visitor {
  name?: string
  /** Normalized PRC ID number (upper-case X). */
  idNumber?: string
  phone?: string
}

export interface ScenicHoldLine {
  productId: string
  slot?: string
  visitor?: Visitor
}

export interface ScenicHoldRequest {
  holderId: string
  channel: string
  lines: ScenicHoldLine[]
  /** The lines are the components of this package, sold at its price. */
  packageId?: string
}

export type ScenicRefusal =
  | 'sold_out'
  | 'parent_ticket_required'
  | 'buyer_limit'
  | 'not_on_sale'
  | 'invalid_request'
  | 'hold_not_found'
  | 'hold_expired'
  | 'order_mismatch'
  | 'children_unused'

export interface HeldLine {
  id: string
  productId: string
  productName: string
  slot: string | null
  price: number
  visitor: Visitor | null
}

export interface ScenicHold {
  id: string
  siteId: string
  date: string
  lines: HeldLine[]
  total: number
  currency: string
  expiresAt: string
}

export type ScenicHoldOutcome =
  | { ok: true; hold: ScenicHold }
  | { ok: false; code: ScenicRefusal; detail: string; unavailable?: string[] }

export interface DayAvailability {
  siteId: string
  date: string
  onSale: boolean
  capacity: number
  remaining: number
  channels: Record<string, { quota: number; remaining: number }>
  slots: { code: string; start: string; end: string; capacity: number; remaining: number }[]
  products: {
    id: string
    name: string
    kind: string
    ticketType: string
    price: number
    timed: boolean
    remaining: number
  }[]
}

interface Product {
  id: string
  name: string
  kind: 'entry' | 'attraction' | 'show'
  ticketType: string
  price: number
  timed: boolean
  dailyCapacity: number | null
  realNameRequired: boolean
  maxPerIdPerDay: number
  status: string
}

interface Rule {
  parentProductId: string
  childProductId: string
  matchBy: 'phone' | 'id_number' | 'phone_or_id_number'
  onParentRefund: 'block' | 'cascade'
}

interface DayConfig {
  siteId: string
  date: string
  currency: string
  holdMinutes: number
  dailyCapacity: number
  slots: { code: string; start: string; end: string; capacity: number }[]
  quotas: Record<string, number>
  bookingDaysAhead: number
  timezone: string
  products: Record<string, Product>
  rules: Rule[]
  packages: Record<
    string,
    { price: number; status: string; components: { productId: string; quantity: number }[] }
  >
  /** Catalogue version the config was read at. */
  stamp?: string
  /** True once this date's quotas were set by hand; catalogue refreshes keep them. */
  quotasOverridden?: boolean
}

/** How stale catalogue settings may get before a hold re-checks D1. */
const CONFIG_TTL_MS = 10_000

type LineRow = {
  id: string
  hold_id: string
  product_id: string
  slot: string | null
  channel: string
  id_number: string | null
  phone: string | null
  name: string | null
  status: 'held' | 'sold' | 'returned' | 'released' | 'expired'
  order_id: string | null
  redeemed: number
  price: number
}

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

const TAKEN = "('held', 'sold')"
export const DEFAULT_SCENIC_HOLD_MINUTES = 15
const MAX_LINES_PER_HOLD = 20

/** Formatters by time zone: building one costs far more than using it, and a hold path asks for today often. */
const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** Today's date in a time zone, as YYYY-MM-DD. */
export function dateIn(timezone: string, at = new Date()): string {
  let format = dayFormats.get(timezone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
    dayFormats.set(timezone, format)
  }
  return format.format(at)
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

export class ScenicDayInventory extends DurableObject<Bindings> {
  private config: DayConfig | undefined
  /**
   * Taken (held or sold) counts: entry total, per slot, per product, per channel, per product+ID, and per
   * product+visitor (ID number or phone) so parent tickets are found without a query.
   */
  private used = emptyCounts()
  private alarmAt: number | null = null
  private configCheckedAt = Date.now()

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env)
    ctx.storage.sql.exec(SCHEMA)
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
      const config = stored
        ? (JSON.parse(stored.value) as DayConfig)
        : await this.importFromCatalogue(siteId, date)
      this.recount(config)
      this.config = config
    })
    return this.ready(siteId, date)
  }

  private async importFromCatalogue(siteId: string, date: string): Promise<DayConfig> {
    const config = await this.readDayConfig(siteId, date)
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO meta (key, value) VALUES ('config', ?)",
      JSON.stringify(config),
    )
    return config
  }

  /**
   * Picks up catalogue edits (capacity, slots, products, rules, packages) for this day: checked at most
   * every CONFIG_TTL_MS on the hold path. Quotas set for this date by `setQuotas` are kept.
   */
  async refreshConfig(siteId: string, date: string, force = true): Promise<{ refreshed: boolean }> {
    const config = await this.ready(siteId, date)
    if (!force && Date.now() - this.configCheckedAt < CONFIG_TTL_MS) return { refreshed: false }
    this.configCheckedAt = Date.now()
    const stamp = await this.catalogueStamp(siteId)
    if (stamp === config.stamp) return { refreshed: false }
    const latest = await this.readDayConfig(siteId, date)
    const next = config.quotasOverridden
      ? { ...latest, quotas: config.quotas, quotasOverridden: true }
      : latest
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO meta (key, value) VALUES ('config', ?)",
      JSON.stringify(next),
    )
    this.config = next
    this.recount(next)
    return { refreshed: true }
  }

  /** Latest change to anything of the site the day depends on. */
  private async catalogueStamp(siteId: string): Promise<string> {
    const row = await this.env.DB.prepare(
      `SELECT max(
         (SELECT updated_at FROM scenic_sites WHERE id = ?1),
         coalesce((SELECT max(updated_at) FROM visit_products WHERE site_id = ?1), ''),
         coalesce((SELECT max(updated_at) FROM parent_child_rules WHERE site_id = ?1), ''),
         coalesce((SELECT max(updated_at) FROM packages WHERE site_id = ?1), '')
       ) || '|' || (SELECT count(*) FROM visit_products WHERE site_id = ?1)
             || '|' || (SELECT count(*) FROM parent_child_rules WHERE site_id = ?1)
             || '|' || (SELECT count(*) FROM packages WHERE site_id = ?1) AS stamp`,
    )
      .bind(siteId)
      .first<string>('stamp')
    return row ?? ''
  }

  private async readDayConfig(siteId: string, date: string): Promise<DayConfig> {
    const db = this.env.DB
    const site = await db
      .prepare(
        `SELECT s.*, o.currency FROM scenic_sites s JOIN organizers o ON o.id = s.organizer_id WHERE s.id = ?`,
      )
      .bind(siteId)
      .first<Record<string, string | number>>()
    if (!site) throw new SiteNotFound(siteId)
    const [products, rules, packages] = await db.batch<Record<string, string | number | null>>([
      db.prepare('SELECT * FROM visit_products WHERE site_id = ?').bind(siteId),
      db.prepare('SELECT * FROM parent_child_rules WHERE site_id = ?').bind(siteId),
      db.prepare('SELECT * FROM packages WHERE site_id = ?').bind(siteId),
    ])
    const config: DayConfig = {
      siteId,
      date,
      currency: String(site.currency),
      holdMinutes: DEFAULT_SCENIC_HOLD_MINUTES,
      dailyCapacity: Number(site.daily_capacity),
      slots: JSON.parse(String(site.time_slots)),
      quotas: JSON.parse(String(site.channel_quotas ?? '{}')),
      bookingDaysAhead: Number(site.booking_days_ahead),
      timezone: String(site.timezone),
      products: Object.fromEntries(
        products!.results.map((p) => [
          String(p.id),
          {
            id: String(p.id),
            name: String(p.name),
            kind: p.kind as Product['kind'],
            ticketType: String(p.ticket_type),
            price: Number(p.price),
            timed: Boolean(p.timed),
            dailyCapacity: p.daily_capacity === null ? null : Number(p.daily_capacity),
            realNameRequired: Boolean(p.real_name_required),
            maxPerIdPerDay: Number(p.max_per_id_per_day),
            status: String(p.status),
          },
        ]),
      ),
      rules: rules!.results.map((r) => ({
        parentProductId: String(r.parent_product_id),
        childProductId: String(r.child_product_id),
        matchBy: r.match_by as Rule['matchBy'],
        onParentRefund: r.on_parent_refund as Rule['onParentRefund'],
      })),
      packages: Object.fromEntries(
        packages!.results.map((p) => [
          String(p.id),
          { price: Number(p.price), status: String(p.status), components: JSON.parse(String(p.components)) },
        ]),
      ),
      stamp: await this.catalogueStamp(siteId),
    }
    return config
  }

  /** Rebuilds the in-memory counters from the lines table (on load, and after a failed write). */
  private recount(config: DayConfig) {
    this.used = emptyCounts()
    const rows = this.ctx.storage.sql.exec<LineRow>(`SELECT * FROM lines WHERE status IN ${TAKEN}`).toArray()
    for (const row of rows) this.count(config, row, 1)
  }

  private count(
    config: DayConfig,
    line: Pick<LineRow, 'product_id' | 'slot' | 'channel' | 'id_number' | 'phone'>,
    sign: 1 | -1,
  ) {
    const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + sign)
    const product = config.products[line.product_id]
    bump(this.used.product, line.product_id)
    if (line.id_number) {
      bump(this.used.id, `${line.product_id}:${line.id_number}`)
      bump(this.used.visitor, visitorKey(line.product_id, 'id', line.id_number))
    }
    if (line.phone) bump(this.used.visitor, visitorKey(line.product_id, 'phone', line.phone))
    if (product?.kind === 'entry') {
      this.used.entry += sign
      if (line.slot) bump(this.used.slot, line.slot)
      if (config.quotas[line.channel] !== undefined) bump(this.used.channel, line.channel)
      else this.used.general += sign
    }
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
        const refusal = this.check(config, request, today)
        if (refusal) {
          outcomes.push(refusal)
          continue
        }
        // One random id per hold; its lines are numbered after it.
        const key = crypto.randomUUID().replaceAll('-', '')
        const holdId = `hld_${key}`
        holdRows.push([holdId, request.holderId, request.channel, request.packageId ?? null])
        const prices = this.linePrices(config, request)
        const lines: HeldLine[] = []
        request.lines.forEach((line, k) => {
          const row = {
            id: `ln_${key.slice(0, 18)}${k.toString(36).padStart(2, '0')}`,
            product_id: line.productId,
            slot: line.slot ?? null,
            channel: request.channel,
            id_number: line.visitor?.idNumber ?? null,
            phone: line.visitor?.phone ?? null,
          }
          lineRows.push([
            row.id,
            holdId,
            row.product_id,
            row.slot,
            row.channel,
            row.id_number,
            row.phone,
            line.visitor?.name ?? null,
            prices[k]!,
          ])
          // Counted now, so the next request in the batch sees this one.
          this.count(config, row, 1)
          lines.push({
            id: row.id,
            productId: line.productId,
            productName: config.products[line.productId]!.name,
            slot: row.slot,
            price: prices[k]!,
            visitor: line.visitor ?? null,
          })
        })
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
      `INSERT INTO holds (id, holder_id, channel, package_id, status, expires_at, created_at)
       SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, 'active', ?, ? FROM json_each(?)`,
      expiresAt,
      now,
      JSON.stringify(holdRows),
    )
    sql.exec(
      `INSERT INTO lines (id, hold_id, product_id, slot, channel, id_number, phone, name, status, price)
       SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
              'held', value ->> 8
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

  /** Every rule a hold must pass, decided on counters only; returns the first refusal or null. */
  private check(config: DayConfig, request: ScenicHoldRequest, today: string): ScenicHoldOutcome | null {
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
    const adding = {
      entry: 0,
      general: 0,
      slot: new Map<string, number>(),
      product: new Map<string, number>(),
      id: new Map<string, number>(),
    }
    const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
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
      if (product.realNameRequired && (!line.visitor?.idNumber || !line.visitor.name)) {
        return refuse(
          'invalid_request',
          `Line ${k + 1}: ${product.name} needs the visitor's name and ID number`,
        )
      }
      bump(adding.product, product.id)
      if (line.visitor?.idNumber) bump(adding.id, `${product.id}:${line.visitor.idNumber}`)
      if (product.kind === 'entry') {
        adding.entry++
        if (line.slot) bump(adding.slot, line.slot)
      }
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
    // Parent-child: each child line needs a parent ticket for this day held or bought by the same person.
    for (const [k, line] of request.lines.entries()) {
      const rules = config.rules.filter((r) => r.childProductId === line.productId)
      if (rules.length === 0) continue
      const inRequest = request.lines.some(
        (other, j) =>
          j !== k &&
          rules.some(
            (r) =>
              r.parentProductId === other.productId && sameVisitor(r.matchBy, line.visitor, other.visitor),
          ),
      )
      if (!inRequest && !this.findParent(rules, line.visitor)) {
        return refuse(
          'parent_ticket_required',
          `Buy the gate ticket first: ${config.products[line.productId]!.name} is sold only to holders of a gate ticket for ${config.date}, matched by phone or ID number`,
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
    return null
  }

  private generalCapacity(config: DayConfig) {
    return config.dailyCapacity - Object.values(config.quotas).reduce((a, b) => a + b, 0)
  }

  /** Whether someone holds or bought a parent ticket of one of `rules` for this day, as each rule matches. */
  private findParent(rules: Rule[], visitor: Visitor | undefined): boolean {
    const taken = (productId: string, by: 'id' | 'phone', value: string | undefined) =>
      !!value && (this.used.visitor.get(visitorKey(productId, by, value)) ?? 0) > 0
    return rules.some(
      (rule) =>
        (rule.matchBy !== 'phone' && taken(rule.parentProductId, 'id', visitor?.idNumber)) ||
        (rule.matchBy !== 'id_number' && taken(rule.parentProductId, 'phone', visitor?.phone)),
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
          visitor: {
            ...(l.name ? { name: l.name } : {}),
            ...(l.id_number ? { idNumber: l.id_number } : {}),
            ...(l.phone ? { phone: l.phone } : {}),
          },
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

  private endHold(config: DayConfig, holdId: string, status: 'released' | 'expired') {
    const sql = this.ctx.storage.sql
    sql.exec('UPDATE holds SET status = ? WHERE id = ?', status, holdId)
    for (const line of sql
      .exec<LineRow>("SELECT * FROM lines WHERE hold_id = ? AND status = 'held'", holdId)
      .toArray()) {
      sql.exec('UPDATE lines SET status = ? WHERE id = ?', status, line.id)
      this.count(config, line, -1)
    }
  }

  /** Held lines become sold for `orderId`; idempotent per order; an expired hold is re-acquired if it still fits. */
  async confirm(siteId: string, date: string, holdId: string, orderId: string) {
    const config = await this.ready(siteId, date)
    const sql = this.ctx.storage.sql
    const [hold] = sql
      .exec<Record<string, string | number | null>>('SELECT * FROM holds WHERE id = ?', holdId)
      .toArray()
    if (!hold) return refuse('hold_not_found', `No hold ${holdId}`)
    const lines = () => sql.exec<LineRow>('SELECT * FROM lines WHERE hold_id = ?', holdId).toArray()
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
      const request: ScenicHoldRequest = {
        holderId: String(hold.holder_id),
        channel: String(hold.channel),
        ...(hold.package_id ? { packageId: String(hold.package_id) } : {}),
        lines: lines().map((l) => ({
          productId: l.product_id,
          ...(l.slot ? { slot: l.slot } : {}),
          visitor: {
            ...(l.name ? { name: l.name } : {}),
            ...(l.id_number ? { idNumber: l.id_number } : {}),
            ...(l.phone ? { phone: l.phone } : {}),
          },
        })),
      }
      // A late payment may still fall inside the day's booking window even if the hold did not.
      const refusal = this.check(config, request, dateIn(config.timezone))
      if (refusal && !refusal.ok)
        return refuse('hold_expired', `The hold expired and cannot be re-acquired: ${refusal.detail}`)
    }
    this.mutate(config, () => {
      sql.exec("UPDATE holds SET status = 'confirmed', order_id = ? WHERE id = ?", orderId, holdId)
      for (const line of lines()) {
        if (reacquired) this.count(config, line, 1)
        sql.exec("UPDATE lines SET status = 'sold', order_id = ? WHERE id = ?", orderId, line.id)
      }
    })
    return {
      ok: true as const,
      orderId,
      lineIds: lines().map((l) => l.id),
      reacquired,
      alreadyConfirmed: false,
    }
  }

  /**
   * Returns sold lines of an order to the quota (refund, cancellation). A parent (gate) line whose
   * holder still has unused child lines is refused (`children_unused`) or takes them along, per rule.
   * Idempotent: lines already returned are skipped.
   */
  /** What returning these lines would take with it, without changing anything (the refund service asks first). */
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

  private planReturn(config: DayConfig, orderId: string, lineIds?: string[]) {
    const sql = this.ctx.storage.sql
    const sold = sql
      .exec<LineRow>("SELECT * FROM lines WHERE order_id = ? AND status = 'sold'", orderId)
      .toArray()
    const returning = sold.filter((l) => !lineIds || lineIds.includes(l.id))
    const ids = new Set(returning.map((l) => l.id))
    const cascaded: LineRow[] = []
    for (const line of returning) {
      const rules = config.rules.filter((r) => r.parentProductId === line.product_id)
      for (const rule of rules) {
        const children = sql
          .exec<LineRow>(
            "SELECT * FROM lines WHERE product_id = ? AND status = 'sold' AND redeemed = 0",
            rule.childProductId,
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

  /** Whether a sold parent line that is not being returned still entitles `child` (e.g. a family on one phone). */
  private stillCovered(config: DayConfig, child: LineRow, returning: Set<string>): boolean {
    const rules = config.rules.filter((r) => r.childProductId === child.product_id)
    if (rules.length === 0) return false
    return this.ctx.storage.sql
      .exec<LineRow>(
        `SELECT * FROM lines WHERE status = 'sold' AND product_id IN (${rules.map(() => '?').join(',')})`,
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
        this.count(config, line, -1)
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
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO meta (key, value) VALUES ('config', ?)",
      JSON.stringify(next),
    )
    this.config = next
    this.recount(next)
    return { ok: true as const, quotas }
  }

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

function emptyCounts() {
  return {
    entry: 0,
    general: 0,
    slot: new Map<string, number>(),
    product: new Map<string, number>(),
    channel: new Map<string, number>(),
    id: new Map<string, number>(),
    visitor: new Map<string, number>(),
  }
}

const visitorKey = (productId: string, by: 'id' | 'phone', value: string) =>
  `${productId}\u0000${by}\u0000${value}`

function visitorOf(line: Pick<LineRow, 'id_number' | 'phone'>): Visitor {
  return {
    ...(line.id_number ? { idNumber: line.id_number } : {}),
    ...(line.phone ? { phone: line.phone } : {}),
  }
}

function sameVisitor(matchBy: Rule['matchBy'], a: Visitor | undefined, b: Visitor | undefined): boolean {
  if (!a || !b) return false
  const byId = !!a.idNumber && a.idNumber === b.idNumber
  const byPhone = !!a.phone && a.phone === b.phone
  if (matchBy === 'id_number') return byId
  if (matchBy === 'phone') return byPhone
  return byId || byPhone
}

class SiteNotFound extends Error {
  constructor(siteId: string) {
    super(`scenic site ${siteId} not found`)
  }
}

function refuse(code: ScenicRefusal, detail: string, unavailable?: string[]) {
  return { ok: false as const, code, detail, ...(unavailable ? { unavailable } : {}) }
}
