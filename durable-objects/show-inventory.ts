import { DurableObject } from 'cloudflare:workers'
import { bestAvailable } from '../worker/domain/best-available.ts'
import {
  type HoldCapScope,
  type HoldLimit,
  HoldTallies,
  holdCapDetail,
  holdCapsFrom,
  holdLimits,
  isAnonymousBuyer,
  SHOW_HOLD_CAPS,
} from '../worker/domain/hold-caps.ts'
import { heldLine, joinOutcomeLines } from '../worker/domain/hold-lines.ts'
import {
  type BestRequest,
  BLOCKED,
  FREE,
  HELD,
  type LayoutSeat,
  SeatLayout,
  type SeatState,
  SOLD,
  stateNames,
} from '../worker/domain/seat-layout.ts'
import type { Bindings } from '../worker/env.ts'
import { newId } from '../worker/ids.ts'
import { admitViewer } from './live-viewers.ts'

// One instance per show (named by show id) serializes every seat allocation for it.
// State lives in the DO's SQLite; an in-memory mirror (SeatLayout + active holds) answers reads and
// decides every request before any write, so each hold is all-or-nothing. Writes are synchronous
// (`transactionSync`), so no other request interleaves with a batch.
// A held seat is recorded only in its hold's row (`holds.seats`), not in `seats`: a batch of holds then
// appends a few pages (hold ids are time-ordered) instead of dirtying a page per seat across a large
// seat table, and the commit each batch waits for stays small. `seats.state` keeps free/sold/blocked.

export const MAX_SEATS_PER_HOLD = 10

export interface ShowHoldRequest {
  /** Account (or anonymous buyer) id; per-account limits count against it. */
  holderId: string
  /** Real-name ID numbers, one per seat when the event requires real names. */
  idNumbers?: string[]
  channel?: string
  seatIds?: string[]
  best?: Omit<BestRequest, 'channel'>
  /** The buyer's client network (IPv4 address or IPv6 /64, see client-network.ts), for per-network caps. */
  ip?: string
}

export interface HeldSeat {
  id: string
  label: string
  section: string
  row: string
  category: string
  price: number
}

export interface ShowHold {
  id: string
  showId: string
  seats: HeldSeat[]
  total: number
  currency: string
  expiresAt: string
}

export type ShowRefusal =
  | 'seats_unavailable'
  | 'seats_not_together'
  | 'seats_not_priced'
  | 'sold_out'
  | 'buyer_limit'
  | 'hold_limit'
  | 'sign_in_required'
  | 'not_on_sale'
  | 'invalid_request'
  | 'hold_not_found'
  | 'hold_expired'

export type ShowHoldOutcome =
  | { ok: true; hold: ShowHold }
  | {
      ok: false
      code: ShowRefusal
      detail: string
      unavailable?: string[]
      /** `sold_out`: free seats left in the category. */
      available?: number
      /** `hold_limit`: whose limit, what it is, seconds until one of their holds ends. */
      scope?: HoldCapScope
      limit?: HoldLimit
      retryAfter?: number
    }

export type ConfirmOutcome =
  | { ok: true; orderId: string; seats: HeldSeat[]; reacquired: boolean; alreadyConfirmed: boolean }
  | { ok: false; code: ShowRefusal | 'order_mismatch'; detail: string; unavailable?: string[] }

export interface ShowAvailability {
  showId: string
  onSale: boolean
  categories: { code: string; name: string; color: string; price: number; available: number; total: number }[]
  version: number
}

interface ShowConfig {
  showId: string
  currency: string
  holdMinutes: number
  saleStartsAt: string
  saleEndsAt: string
  status: string
  maxPerAccount: number
  realNameRequired: boolean
  /** Only signed-in customers may hold (on-sale protection). */
  signInToHold?: boolean
  prices: Record<string, number>
  categories: { code: string; name: string; color: string }[]
  stage: { x: number; y: number } | null
  /** Catalogue version this config was read at (show and event `updated_at`). */
  stamp?: string
}

/** How stale catalogue settings may get before a hold re-checks D1. */
const CONFIG_TTL_MS = 10_000

interface ActiveHold {
  id: string
  holderId: string
  idNumbers: string[]
  seats: number[]
  expiresAt: number
  channel: string | null
  /** Client network the hold came from, when known (per-network caps). */
  ip: string | null
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seats (
  idx INTEGER PRIMARY KEY, id TEXT NOT NULL, label TEXT NOT NULL, section TEXT NOT NULL, row TEXT NOT NULL,
  ordinal INTEGER NOT NULL, category TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL,
  accessible INTEGER NOT NULL, companion INTEGER NOT NULL, restricted_view INTEGER NOT NULL,
  state INTEGER NOT NULL, hold_id TEXT, order_id TEXT, allocation TEXT
);
CREATE TABLE IF NOT EXISTS holds (
  id TEXT PRIMARY KEY, holder_id TEXT NOT NULL, id_numbers TEXT NOT NULL, seats TEXT NOT NULL,
  status TEXT NOT NULL, expires_at INTEGER NOT NULL, order_id TEXT, channel TEXT, created_at INTEGER NOT NULL,
  ip TEXT
);
CREATE INDEX IF NOT EXISTS holds_status ON holds (status, expires_at);
CREATE INDEX IF NOT EXISTS seats_order ON seats (order_id);
`

export class ShowInventory extends DurableObject<Bindings> {
  private config: ShowConfig | undefined
  private layout: SeatLayout | undefined
  private holds = new Map<string, ActiveHold>()
  /** Seats held or sold per buyer key (`a:` account, `i:` ID number), for per-buyer limits. */
  private buyerSeats = new Map<string, number>()
  private version = 0
  private alarmAt: number | null = null
  private configCheckedAt = Date.now()
  private refreshing: Promise<unknown> | null = null
  /** Each seat's JSON as a hold answers it (see holdBatchLines), for the config it was built with. */
  private seatJson: string[] = []
  private seatJsonFor: ShowConfig | undefined
  /** Active holds per buyer and per client network, against the hold caps. */
  private tallies = new HoldTallies()
  private readonly caps = holdCapsFrom(this.env.HOLD_CAPS, SHOW_HOLD_CAPS)
  private limits: Record<HoldCapScope, HoldLimit> = holdLimits(this.caps, 0)

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env)
    ctx.storage.sql.exec(SCHEMA)
    // Holds written before per-network caps have no `ip` column yet.
    const columns = ctx.storage.sql.exec<{ name: string }>('PRAGMA table_info(holds)').toArray()
    if (!columns.some((c) => c.name === 'ip')) ctx.storage.sql.exec('ALTER TABLE holds ADD COLUMN ip TEXT')
  }

  // ---- loading -------------------------------------------------------------------------------

  /** Loads state into memory, taking the seat map from D1 the first time this show is used. */
  private async ready(showId: string): Promise<{ config: ShowConfig; layout: SeatLayout }> {
    if (this.config && this.layout) {
      if (this.config.showId !== showId)
        throw new Error(`inventory for ${this.config.showId} asked about ${showId}`)
      return { config: this.config, layout: this.layout }
    }
    await this.ctx.blockConcurrencyWhile(async () => {
      if (this.config) return
      const stored = this.ctx.storage.sql
        .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'config'")
        .toArray()
      if (stored.length === 0) await this.importFromCatalogue(showId)
      this.loadFromStorage()
      // An alarm may already be armed from before a restart; never move it later.
      this.alarmAt = await this.ctx.storage.getAlarm()
      if (this.alarmAt === null) this.armAlarm()
    })
    return this.ready(showId)
  }

  /** The show's sale settings from the catalogue (prices, window, limits), or null if it is gone. */
  private async readShowConfig(showId: string): Promise<(ShowConfig & { venueId: string }) | null> {
    const show = await this.env.DB.prepare(
      `SELECT s.id, s.venue_id, s.sale_starts_at, s.sale_ends_at, s.prices, s.hold_minutes, s.status, s.updated_at,
              s.sign_in_to_hold, e.max_tickets_per_buyer, e.real_name_required, e.updated_at AS event_updated_at, o.currency,
              v.stage_x, v.stage_y, v.price_categories
       FROM shows s JOIN events e ON e.id = s.event_id JOIN venues v ON v.id = s.venue_id
       JOIN organizers o ON o.id = s.organizer_id WHERE s.id = ?`,
    )
      .bind(showId)
      .first<Record<string, string | number | null>>()
    if (!show) return null
    return {
      showId,
      venueId: String(show.venue_id),
      currency: String(show.currency),
      holdMinutes: Number(show.hold_minutes),
      saleStartsAt: String(show.sale_starts_at),
      saleEndsAt: String(show.sale_ends_at),
      status: String(show.status),
      maxPerAccount: Number(show.max_tickets_per_buyer),
      realNameRequired: Boolean(show.real_name_required),
      signInToHold: Boolean(show.sign_in_to_hold),
      prices: JSON.parse(String(show.prices)),
      categories: JSON.parse(String(show.price_categories)),
      stage:
        show.stage_x === null || show.stage_y === null
          ? null
          : { x: Number(show.stage_x), y: Number(show.stage_y) },
      stamp: `${show.updated_at}|${show.event_updated_at}`,
    }
  }

  /**
   * Picks up catalogue edits (prices, sale window, limits, cancellation) without touching seats: checked at
   * most every CONFIG_TTL_MS on the hot path, or at once when the admin API asks after an edit.
   */
  async refreshConfig(showId: string, force = true): Promise<{ refreshed: boolean }> {
    const { config } = await this.ready(showId)
    if (!force && Date.now() - this.configCheckedAt < CONFIG_TTL_MS) return { refreshed: false }
    this.configCheckedAt = Date.now()
    const latest = await this.readShowConfig(showId)
    if (!latest || latest.stamp === config.stamp) return { refreshed: false }
    const { venueId: _venue, ...next } = latest
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO meta (key, value) VALUES ('config', ?)",
      JSON.stringify(next),
    )
    this.config = next
    return { refreshed: true }
  }

  /**
   * Re-reads catalogue settings when they are older than CONFIG_TTL_MS, without making the batch in hand
   * wait: a D1 round trip on the hold path would stall every buyer of the show, and a slow one (D1 busy)
   * for seconds. Admin edits refresh at once through `refreshConfig`; this only bounds staleness.
   */
  private refreshInBackground(showId: string) {
    if (this.refreshing || Date.now() - this.configCheckedAt < CONFIG_TTL_MS) return
    this.refreshing = this.refreshConfig(showId, false)
      .catch(() => {
        // Keep selling on the settings we have; the next batch after the TTL tries again.
      })
      .finally(() => {
        this.refreshing = null
      })
  }

  private async importFromCatalogue(showId: string) {
    const db = this.env.DB
    const latest = await this.readShowConfig(showId)
    if (!latest) throw new ShowNotFound(showId)
    const { venueId, ...config } = latest
    const { results: seats } = await db
      .prepare(
        `SELECT id, label, section, row, ordinal, category, x, y, accessible, companion, restricted_view, blocked
         FROM seats WHERE venue_id = ? ORDER BY section, row, ordinal`,
      )
      .bind(venueId)
      .all<Record<string, string | number>>()
    const sql = this.ctx.storage.sql
    this.ctx.storage.transactionSync(() => {
      sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('config', ?)", JSON.stringify(config))
      seats.forEach((s, idx) => {
        sql.exec(
          `INSERT INTO seats (idx, id, label, section, row, ordinal, category, x, y, accessible, companion, restricted_view, state)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          idx,
          s.id,
          s.label,
          s.section,
          s.row,
          s.ordinal,
          s.category,
          s.x,
          s.y,
          s.accessible,
          s.companion,
          s.restricted_view,
          s.blocked ? BLOCKED : FREE,
        )
      })
    })
  }

  private loadFromStorage() {
    const sql = this.ctx.storage.sql
    const [configRow] = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'config'").toArray()
    const config = JSON.parse(configRow!.value) as ShowConfig
    const rows = sql
      .exec<Record<string, string | number | null>>('SELECT * FROM seats ORDER BY idx')
      .toArray()
    const seats: LayoutSeat[] = rows.map((r) => ({
      id: String(r.id),
      label: String(r.label),
      section: String(r.section),
      row: String(r.row),
      ordinal: Number(r.ordinal),
      category: String(r.category),
      x: Number(r.x),
      y: Number(r.y),
      accessible: Boolean(r.accessible),
      companion: Boolean(r.companion),
      restrictedView: Boolean(r.restricted_view),
    }))
    const layout = new SeatLayout(seats, config.stage)
    let legacyHeld = false
    rows.forEach((r, i) => {
      const state = Number(r.state) as SeatState
      // Held comes from the active holds below; rows written as held by an earlier version are made free.
      if (state === HELD) legacyHeld = true
      layout.setState(i, state === HELD ? FREE : state)
      layout.allocation[i] = r.allocation === null ? null : String(r.allocation)
    })
    if (legacyHeld) sql.exec(`UPDATE seats SET state = ${FREE}, hold_id = NULL WHERE state = ${HELD}`)
    this.holds.clear()
    this.buyerSeats.clear()
    this.tallies.clear()
    this.limits = holdLimits(this.caps, seats.length)
    for (const h of sql.exec<Record<string, string | number>>(
      "SELECT * FROM holds WHERE status IN ('active', 'confirmed')",
    )) {
      const hold: ActiveHold = {
        id: String(h.id),
        holderId: String(h.holder_id),
        idNumbers: JSON.parse(String(h.id_numbers)),
        seats: JSON.parse(String(h.seats)),
        expiresAt: Number(h.expires_at),
        channel: h.channel === null ? null : String(h.channel),
        ip: h.ip === null || h.ip === undefined ? null : String(h.ip),
      }
      if (h.status === 'active') {
        this.holds.set(hold.id, hold)
        this.countBuyer(hold, 1)
        this.tallies.add(hold.holderId, hold.ip, hold.seats.length, hold.expiresAt)
        for (const i of hold.seats) layout.setState(i, HELD)
      } else {
        // A confirmed hold counts only the seats still sold (refunds return some) and their ID numbers.
        const sold = new Set(
          sql
            .exec<{ idx: number }>('SELECT idx FROM seats WHERE hold_id = ? AND state = ?', hold.id, SOLD)
            .toArray()
            .map((r) => r.idx),
        )
        const idNumbers = hold.idNumbers.filter((_, k) => sold.has(hold.seats[k]!))
        this.countBuyer({ holderId: hold.holderId, idNumbers, seats: [] }, 1, sold.size)
      }
    }
    const [meta] = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'version'").toArray()
    this.version = meta ? Number(meta.value) : 0
    this.config = config
    this.layout = layout
    this.alarmAt = null
  }

  // ---- holds ---------------------------------------------------------------------------------

  /**
   * Decides a batch of hold requests in arrival order inside one synchronous transaction. The worker
   * coalesces concurrent buyers of one show into such batches, so one RPC round trip serves many.
   */
  async holdBatch(
    showId: string,
    requests: ShowHoldRequest[],
    /** Epoch ms every hold of this batch lasts until, instead of the show's hold minutes (see holdUntil). */
    holdExpiresAt?: number,
  ): Promise<ShowHoldOutcome[]> {
    const decided = await this.decideBatch(showId, requests, holdExpiresAt)
    if (!decided.state) return decided.outcomes as ShowHoldOutcome[]
    const { config, layout } = decided.state
    return decided.outcomes.map((o) =>
      'ok' in o ? o : { ok: true, hold: this.toShowHold(config, layout, o) },
    )
  }

  private async decideBatch(
    showId: string,
    requests: ShowHoldRequest[],
    holdExpiresAt?: number,
  ): Promise<{ state?: { config: ShowConfig; layout: SeatLayout }; outcomes: (ActiveHold | Refusal)[] }> {
    let state: { config: ShowConfig; layout: SeatLayout }
    try {
      await this.ready(showId)
      this.refreshInBackground(showId)
      state = { config: this.config!, layout: this.layout! }
    } catch (error) {
      if (error instanceof ShowNotFound)
        return { outcomes: requests.map(() => refuse('not_on_sale', `Show ${showId} does not exist`)) }
      throw error
    }
    const now = Date.now()
    const expiresAt = holdExpiresAt ?? now + state.config.holdMinutes * 60_000
    const changed: number[] = []
    const outcomes: (ActiveHold | Refusal)[] = []
    const created: ActiveHold[] = []
    this.mutate(
      () => {
        for (const request of requests)
          outcomes.push(this.holdOne(state.config, state.layout, request, now, changed, created, expiresAt))
        this.writeHolds(created, now)
      },
      changed,
      created.length ? expiresAt : undefined,
    )
    return { state, outcomes }
  }

  /**
   * `holdBatch` for the coalescing queue: the batch comes as one JSON string and the outcomes go back as
   * outcome lines (see hold-lines.ts), one JSON document per request. A single string crosses the RPC
   * boundary far cheaper than hundreds of structured-cloned objects, and the queue hands each buyer its
   * own line without parsing the batch.
   */
  async holdBatchLines(showId: string, requestsJson: string): Promise<string> {
    const decided = await this.decideBatch(showId, JSON.parse(requestsJson) as ShowHoldRequest[])
    if (!decided.state) return joinOutcomeLines(decided.outcomes.map((o) => JSON.stringify(o)))
    const { config, layout } = decided.state
    // Written out by hand from per-seat pieces built once: the same JSON as stringifying the outcomes,
    // without building hundreds of objects per batch only to serialize them.
    if (this.seatJsonFor !== config) {
      this.seatJson = []
      this.seatJsonFor = config
    }
    const showIdJson = JSON.stringify(config.showId)
    const currencyJson = JSON.stringify(config.currency)
    return joinOutcomeLines(
      decided.outcomes.map((o) => {
        if ('ok' in o) return JSON.stringify(o)
        let total = 0
        const seats = o.seats.map((i) => {
          total += seatPrice(config, layout, i)
          this.seatJson[i] ??= JSON.stringify(this.heldSeat(config, layout, i))
          return this.seatJson[i]
        })
        return heldLine(
          `{"id":${JSON.stringify(o.id)},"showId":${showIdJson},"seats":[${seats.join(',')}],"total":${total},"currency":${currencyJson},"expiresAt":"${new Date(o.expiresAt).toISOString()}"}`,
        )
      }),
    )
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

  /**
   * Moves an active hold's expiry to `expiresAt` (ISO), e.g. when a group-buy member pays and their seats
   * must stay held until the group's deadline. Only the hold's own holder; a hold that already ended stays ended.
   */
  async extendHold(
    showId: string,
    holdId: string,
    holderId: string,
    expiresAt: string,
  ): Promise<{ extended: boolean; expiresAt?: string }> {
    await this.ready(showId)
    const hold = this.holds.get(holdId)
    const until = Date.parse(expiresAt)
    if (!hold || hold.holderId !== holderId || !Number.isFinite(until) || until <= Date.now())
      return { extended: false }
    this.ctx.storage.sql.exec('UPDATE holds SET expires_at = ? WHERE id = ?', until, holdId)
    this.tallies.remove(hold.holderId, hold.ip, hold.seats.length, hold.expiresAt)
    this.tallies.add(hold.holderId, hold.ip, hold.seats.length, until)
    hold.expiresAt = until
    // The armed alarm may now be early for this hold; when it fires it re-arms for the next real expiry.
    this.armAlarm(until)
    return { extended: true, expiresAt: new Date(until).toISOString() }
  }

  /** One statement for a whole batch, whatever its size: the holds' rows, which also say which seats are held. */
  private writeHolds(created: ActiveHold[], now: number) {
    if (created.length === 0) return
    const sql = this.ctx.storage.sql
    sql.exec(
      `INSERT INTO holds (id, holder_id, id_numbers, seats, status, expires_at, channel, created_at, ip)
       SELECT json_extract(value, '$.id'), json_extract(value, '$.holderId'), json_extract(value, '$.idNumbers'),
              json_extract(value, '$.seats'), 'active', json_extract(value, '$.expiresAt'), json_extract(value, '$.channel'), ?,
              json_extract(value, '$.ip')
       FROM json_each(?)`,
      now,
      JSON.stringify(
        created.map((h) => ({
          id: h.id,
          holderId: h.holderId,
          idNumbers: JSON.stringify(h.idNumbers),
          seats: JSON.stringify(h.seats),
          expiresAt: h.expiresAt,
          channel: h.channel,
          ip: h.ip,
        })),
      ),
    )
  }

  private holdOne(
    config: ShowConfig,
    layout: SeatLayout,
    request: ShowHoldRequest,
    now: number,
    changed: number[],
    created: ActiveHold[],
    expiresAt: number,
  ): ActiveHold | Refusal {
    if (
      config.status !== 'scheduled' ||
      now < Date.parse(config.saleStartsAt) ||
      now >= Date.parse(config.saleEndsAt)
    ) {
      return refuse('not_on_sale', 'Tickets for this show are not on sale now')
    }
    if (config.signInToHold && isAnonymousBuyer(request.holderId)) {
      return refuse('sign_in_required', 'For this on-sale, sign in with your email or phone to hold seats')
    }
    const ids = request.seatIds?.length ? [...new Set(request.seatIds)] : null
    const wanted = ids ? ids.length : (request.best?.quantity ?? 0)
    // Caps first: a client over them is refused before any seat is looked at.
    const capped = this.tallies.check(this.limits, request.holderId, request.ip, wanted, now)
    if (capped)
      return { ok: false, code: 'hold_limit', detail: holdCapDetail(capped.scope, capped.limit), ...capped }
    let picked: number[]
    if (ids) {
      if (ids.length > MAX_SEATS_PER_HOLD)
        return refuse('invalid_request', `At most ${MAX_SEATS_PER_HOLD} seats per hold`)
      const unavailable: string[] = []
      const unpriced: string[] = []
      picked = []
      for (const id of ids) {
        const i = layout.indexOf(id)
        if (i === undefined || !layout.isOpenFor(i, request.channel)) unavailable.push(id)
        else if (!(layout.seats[i]!.category in config.prices)) unpriced.push(id)
        else picked.push(i)
      }
      if (unavailable.length) {
        return refuse(
          'seats_unavailable',
          `${unavailable.length} of the chosen seats are no longer available`,
          unavailable,
        )
      }
      if (unpriced.length) {
        return refuse(
          'seats_not_priced',
          `${unpriced.length} of the chosen seats are in a price category this show has no price for; they are not for sale`,
          unpriced,
        )
      }
    } else if (request.best) {
      const best = request.best
      if (best.quantity < 1 || best.quantity > MAX_SEATS_PER_HOLD)
        return refuse('invalid_request', `Ask for 1 to ${MAX_SEATS_PER_HOLD} seats`)
      const found = bestAvailable(layout, config.prices, { ...best, channel: request.channel })
      if (!Array.isArray(found)) return found
      picked = found
    } else {
      return refuse('invalid_request', 'Name seatIds or ask for best available')
    }
    const limit = this.checkBuyerLimits(config, request, picked.length)
    if (limit) return limit

    const hold: ActiveHold = {
      // Time-ordered, so a batch's rows land together at the end of the holds index.
      id: newId('hld', now),
      holderId: request.holderId,
      idNumbers: request.idNumbers ?? [],
      seats: picked,
      expiresAt,
      channel: request.channel ?? null,
      ip: request.ip ?? null,
    }
    // Decided in memory now (later requests in the batch see it); written with the batch in writeHolds.
    for (const i of picked) {
      layout.setState(i, HELD)
      changed.push(i)
    }
    created.push(hold)
    this.holds.set(hold.id, hold)
    this.countBuyer(hold, 1)
    this.tallies.add(hold.holderId, hold.ip, picked.length, expiresAt)
    return hold
  }

  private checkBuyerLimits(config: ShowConfig, request: ShowHoldRequest, seats: number): Refusal | null {
    const idNumbers = request.idNumbers ?? []
    if (config.realNameRequired) {
      if (idNumbers.length !== seats || new Set(idNumbers).size !== seats) {
        return refuse(
          'invalid_request',
          'This show sells one ticket per real-name ID: give one distinct ID number per seat',
        )
      }
      const taken = idNumbers.filter((id) => (this.buyerSeats.get(`i:${id}`) ?? 0) > 0)
      if (taken.length) {
        return refuse(
          'buyer_limit',
          `${taken.length} of these ID numbers already hold a ticket for this show`,
        )
      }
    }
    const mine = this.buyerSeats.get(`a:${request.holderId}`) ?? 0
    if (mine + seats > config.maxPerAccount) {
      return refuse(
        'buyer_limit',
        `At most ${config.maxPerAccount} tickets per buyer; you already hold ${mine}`,
      )
    }
    return null
  }

  private countBuyer(
    hold: Pick<ActiveHold, 'holderId' | 'idNumbers' | 'seats'>,
    sign: 1 | -1,
    seats = hold.seats.length,
  ) {
    const bump = (key: string, n: number) => {
      const next = (this.buyerSeats.get(key) ?? 0) + sign * n
      if (next > 0) this.buyerSeats.set(key, next)
      else this.buyerSeats.delete(key)
    }
    bump(`a:${hold.holderId}`, seats)
    for (const id of hold.idNumbers) bump(`i:${id}`, 1)
  }

  private toShowHold(config: ShowConfig, layout: SeatLayout, hold: ActiveHold): ShowHold {
    const seats = hold.seats.map((i) => this.heldSeat(config, layout, i))
    return {
      id: hold.id,
      showId: config.showId,
      seats,
      total: seats.reduce((sum, seat) => sum + seat.price, 0),
      currency: config.currency,
      expiresAt: new Date(hold.expiresAt).toISOString(),
    }
  }

  private heldSeat(config: ShowConfig, layout: SeatLayout, i: number): HeldSeat {
    const seat = layout.seats[i]!
    return {
      id: seat.id,
      label: seat.label,
      section: seat.section,
      row: seat.row,
      category: seat.category,
      price: seatPrice(config, layout, i),
    }
  }

  /** Gives a hold's seats back. Idempotent: releasing twice, or after expiry, changes nothing. */
  async release(showId: string, holdId: string, holderId?: string): Promise<{ released: boolean }> {
    const { layout } = await this.ready(showId)
    const hold = this.holds.get(holdId)
    if (!hold || (holderId && hold.holderId !== holderId)) return { released: false }
    const changed: number[] = []
    this.mutate(() => this.endHold(layout, hold, 'released', changed), changed)
    return { released: true }
  }

  private endHold(layout: SeatLayout, hold: ActiveHold, status: 'released' | 'expired', changed: number[]) {
    const sql = this.ctx.storage.sql
    sql.exec('UPDATE holds SET status = ? WHERE id = ?', status, hold.id)
    for (const i of hold.seats) {
      layout.setState(i, FREE)
      changed.push(i)
    }
    this.holds.delete(hold.id)
    this.countBuyer(hold, -1)
    this.tallies.remove(hold.holderId, hold.ip, hold.seats.length, hold.expiresAt)
  }

  /**
   * Turns a hold into sold seats for `orderId`. Idempotent per order: confirming again returns the same
   * seats. A hold that expired or was released is re-acquired if all its seats are still free.
   */
  async confirm(showId: string, holdId: string, orderId: string): Promise<ConfirmOutcome> {
    const { config, layout } = await this.ready(showId)
    const sql = this.ctx.storage.sql
    const [row] = sql
      .exec<Record<string, string | number | null>>('SELECT * FROM holds WHERE id = ?', holdId)
      .toArray()
    if (!row) return { ok: false, code: 'hold_not_found', detail: `No hold ${holdId}` }
    const seatIdx = JSON.parse(String(row.seats)) as number[]
    if (row.status === 'confirmed') {
      if (row.order_id !== orderId)
        return { ok: false, code: 'order_mismatch', detail: 'The hold was confirmed for another order' }
      return {
        ok: true,
        orderId,
        seats: seatIdx.map((i) => this.heldSeat(config, layout, i)),
        reacquired: false,
        alreadyConfirmed: true,
      }
    }
    const active = this.holds.get(holdId)
    const reacquire = !active
    if (reacquire) {
      const lost = seatIdx.filter((i) => layout.state[i] !== FREE).map((i) => layout.seats[i]!.id)
      if (lost.length) {
        return {
          ok: false,
          code: 'hold_expired',
          detail: 'The hold expired and some seats were taken since',
          unavailable: lost,
        }
      }
      // Taking the seats again is a new purchase: the same per-buyer and real-name limits as a new hold,
      // counting what the buyer holds or bought since the hold expired.
      const limited = this.checkBuyerLimits(
        config,
        { holderId: String(row.holder_id), idNumbers: JSON.parse(String(row.id_numbers)) },
        seatIdx.length,
      )
      if (limited) return { ok: false, code: limited.code, detail: `The hold expired; ${limited.detail}` }
    }
    const changed: number[] = []
    this.mutate(() => {
      sql.exec("UPDATE holds SET status = 'confirmed', order_id = ? WHERE id = ?", orderId, holdId)
      for (const i of seatIdx) {
        sql.exec(
          'UPDATE seats SET state = ?, hold_id = ?, order_id = ? WHERE idx = ?',
          SOLD,
          holdId,
          orderId,
          i,
        )
        layout.setState(i, SOLD)
        changed.push(i)
      }
      if (active) {
        this.holds.delete(holdId)
        this.tallies.remove(active.holderId, active.ip, active.seats.length, active.expiresAt)
      } else
        this.countBuyer(
          { holderId: String(row.holder_id), idNumbers: JSON.parse(String(row.id_numbers)), seats: seatIdx },
          1,
        )
    }, changed)
    return {
      ok: true,
      orderId,
      seats: seatIdx.map((i) => this.heldSeat(config, layout, i)),
      reacquired: reacquire,
      alreadyConfirmed: false,
    }
  }

  /** Returns sold seats of an order (refund, cancellation) to sale. Idempotent: seats already returned are skipped. */
  async returnSeats(showId: string, orderId: string, seatIds?: string[]): Promise<{ returned: string[] }> {
    const { layout } = await this.ready(showId)
    const sql = this.ctx.storage.sql
    const sold = sql
      .exec<{ idx: number; id: string; hold_id: string }>(
        'SELECT idx, id, hold_id FROM seats WHERE order_id = ?',
        orderId,
      )
      .toArray()
    const wanted = seatIds ? new Set(seatIds) : null
    const returning = sold.filter((s) => !wanted || wanted.has(s.id))
    if (returning.length === 0) return { returned: [] }
    const changed: number[] = []
    this.mutate(() => {
      const holders = new Map<string, { holderId: string; idNumbers: string[]; seats: number[] }>()
      for (const seat of returning) {
        sql.exec('UPDATE seats SET state = ?, hold_id = NULL, order_id = NULL WHERE idx = ?', FREE, seat.idx)
        layout.setState(seat.idx, FREE)
        changed.push(seat.idx)
        let hold = holders.get(seat.hold_id)
        if (!hold) {
          const [h] = sql
            .exec<{ holder_id: string; id_numbers: string; seats: string }>(
              'SELECT holder_id, id_numbers, seats FROM holds WHERE id = ?',
              seat.hold_id,
            )
            .toArray()
          hold = {
            holderId: h?.holder_id ?? '',
            idNumbers: h ? JSON.parse(h.id_numbers) : [],
            seats: h ? JSON.parse(h.seats) : [],
          }
          holders.set(seat.hold_id, hold)
        }
        // ID numbers are listed in the same order as the hold's seats: free the one this seat used.
        const id = hold.idNumbers[hold.seats.indexOf(seat.idx)]
        this.countBuyer({ holderId: hold.holderId, idNumbers: id ? [id] : [], seats: [] }, -1, 1)
      }
    }, changed)
    return { returned: returning.map((s) => s.id) }
  }

  /** A hold as the order service needs it: seats, prices and state, only for its own holder. */
  async describeHold(
    showId: string,
    holdId: string,
  ): Promise<{ hold: ShowHold; holderId: string; status: string; idNumbers: string[] } | null> {
    const { config, layout } = await this.ready(showId)
    const [row] = this.ctx.storage.sql
      .exec<{ holder_id: string; seats: string; status: string; expires_at: number; id_numbers: string }>(
        'SELECT holder_id, seats, status, expires_at, id_numbers FROM holds WHERE id = ?',
        holdId,
      )
      .toArray()
    if (!row) return null
    const hold: ActiveHold = {
      id: holdId,
      holderId: row.holder_id,
      idNumbers: JSON.parse(row.id_numbers),
      seats: JSON.parse(row.seats),
      expiresAt: row.expires_at,
      channel: null,
      ip: null,
    }
    return {
      hold: this.toShowHold(config, layout, hold),
      holderId: row.holder_id,
      status: row.status,
      idNumbers: hold.idNumbers,
    }
  }

  // ---- organizer controls ------------------------------------------------------------------

  /** Stops (or resumes) sales, e.g. when the show is cancelled; holds already made run out as usual. */
  async setStatus(showId: string, status: 'scheduled' | 'cancelled'): Promise<{ status: string }> {
    const { config } = await this.ready(showId)
    const next = { ...config, status }
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO meta (key, value) VALUES ('config', ?)",
      JSON.stringify(next),
    )
    this.config = next
    return { status }
  }

  /** Blocks seats (sponsor/production holds) or frees them again; held or sold seats are left alone. */
  async setBlocked(
    showId: string,
    seatIds: string[],
    blocked: boolean,
  ): Promise<{ changed: string[]; skipped: string[] }> {
    const { layout } = await this.ready(showId)
    const changedIds: string[] = []
    const skipped: string[] = []
    const changed: number[] = []
    this.mutate(() => {
      for (const id of seatIds) {
        const i = layout.indexOf(id)
        const from = blocked ? FREE : BLOCKED
        if (i === undefined || layout.state[i] !== from) {
          skipped.push(id)
          continue
        }
        const to = blocked ? BLOCKED : FREE
        this.ctx.storage.sql.exec('UPDATE seats SET state = ? WHERE idx = ?', to, i)
        layout.setState(i, to)
        changed.push(i)
        changedIds.push(id)
      }
    }, changed)
    return { changed: changedIds, skipped }
  }

  /** Sets seats aside for one sales channel (null opens them to every channel). */
  async allocate(
    showId: string,
    seatIds: string[],
    channel: string | null,
  ): Promise<{ allocated: number; unknown: string[] }> {
    const { layout } = await this.ready(showId)
    const unknown: string[] = []
    let allocated = 0
    this.ctx.storage.transactionSync(() => {
      for (const id of seatIds) {
        const i = layout.indexOf(id)
        if (i === undefined) {
          unknown.push(id)
          continue
        }
        this.ctx.storage.sql.exec('UPDATE seats SET allocation = ? WHERE idx = ?', channel, i)
        layout.allocation[i] = channel
        allocated++
      }
    })
    return { allocated, unknown }
  }

  // ---- reads ---------------------------------------------------------------------------------

  async availability(showId: string): Promise<ShowAvailability> {
    const { config, layout } = await this.ready(showId)
    const totals = new Map<string, number>()
    for (const seat of layout.seats) totals.set(seat.category, (totals.get(seat.category) ?? 0) + 1)
    const now = Date.now()
    return {
      showId,
      onSale:
        config.status === 'scheduled' &&
        now >= Date.parse(config.saleStartsAt) &&
        now < Date.parse(config.saleEndsAt),
      // A category without a price on this show is not on sale (its seats show as blocked on the map).
      categories: config.categories
        .filter((c) => c.code in config.prices)
        .map((c) => ({
          ...c,
          price: config.prices[c.code]!,
          available: layout.availableIn(c.code),
          total: totals.get(c.code) ?? 0,
        })),
      version: this.version,
    }
  }

  /** Every seat with geometry and state, plus the change counter live deltas continue from. */
  async seatMap(showId: string) {
    const { config, layout } = await this.ready(showId)
    return {
      ...(await this.availability(showId)),
      stage: config.stage,
      currency: config.currency,
      seats: layout.seats.map((seat, i) => ({
        id: seat.id,
        label: seat.label,
        section: seat.section,
        row: seat.row,
        category: seat.category,
        x: seat.x,
        y: seat.y,
        accessible: seat.accessible,
        companion: seat.companion,
        restrictedView: seat.restrictedView,
        state: publicState(config, layout, i),
      })),
    }
  }

  /** Counts by state, for tests and the organizer dashboard. */
  async counts(showId: string) {
    const { layout } = await this.ready(showId)
    const counts = { free: 0, held: 0, sold: 0, blocked: 0 }
    for (const s of layout.state) counts[stateNames[s]!]++
    // Held seats are the active holds' seats; in `seats` they are still free.
    const [stored] = this.ctx.storage.sql
      .exec<Record<string, number>>(
        `WITH held AS (SELECT coalesce(sum(json_array_length(seats)), 0) AS n FROM holds WHERE status = 'active')
         SELECT sum(state = ${FREE}) - (SELECT n FROM held) AS free, (SELECT n FROM held) AS held,
                sum(state = ${SOLD}) AS sold, sum(state = ${BLOCKED}) AS blocked FROM seats`,
      )
      .toArray()
    return { memory: counts, storage: stored!, activeHolds: this.holds.size }
  }

  // ---- expiry --------------------------------------------------------------------------------

  override async alarm() {
    if (!this.config) {
      const [stored] = this.ctx.storage.sql
        .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'config'")
        .toArray()
      if (!stored) return
      await this.ready((JSON.parse(stored.value) as ShowConfig).showId)
    }
    this.alarmAt = null
    const layout = this.layout!
    const now = Date.now()
    const changed: number[] = []
    this.mutate(() => {
      for (const hold of [...this.holds.values()])
        if (hold.expiresAt <= now) this.endHold(layout, hold, 'expired', changed)
    }, changed)
  }

  /**
   * Keeps one alarm armed no later than the earliest expiry among active holds. New holds offer their
   * expiry as `candidate`; only after an alarm has fired are the active holds scanned for the next one.
   */
  private armAlarm(candidate?: number) {
    let next = candidate
    if (next === undefined) {
      if (this.alarmAt !== null) return
      for (const hold of this.holds.values())
        if (next === undefined || hold.expiresAt < next) next = hold.expiresAt
      if (next === undefined) return
    }
    if (this.alarmAt !== null && this.alarmAt <= next) return
    this.alarmAt = next
    void this.ctx.storage.setAlarm(next)
  }

  // ---- live seat status over hibernatable WebSockets -------------------------------------------

  /** A viewer's WebSocket, within the caps on viewers per show and per client network (see live-viewers.ts). */
  override async fetch(request: Request): Promise<Response> {
    const query = new URL(request.url).searchParams
    const showId = query.get('showId')
    const client = query.get('client')
    if (request.headers.get('upgrade') !== 'websocket' || !showId)
      return new Response('expected websocket', { status: 426 })
    await this.ready(showId)
    const admitted = admitViewer(this.ctx, this.env, client)
    if ('refusal' in admitted) return admitted.refusal
    admitted.server.send(JSON.stringify({ type: 'hello', version: this.version }))
    return new Response(null, { status: 101, webSocket: admitted.viewer })
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    if (message === 'ping') ws.send(JSON.stringify({ type: 'pong', version: this.version }))
  }

  override async webSocketClose(ws: WebSocket) {
    // Complete the closing handshake; the client's own code (often 1005, "none") cannot be echoed.
    ws.close(1000, 'bye')
  }

  /**
   * Runs `change` in one storage transaction, bumps the change counter and pushes the delta to viewers.
   * If anything throws, the in-memory mirror is dropped and reloaded from storage, which rolled back.
   */
  private mutate(change: () => void, changed: number[], expiry?: number) {
    try {
      this.ctx.storage.transactionSync(() => {
        change()
        if (changed.length) {
          this.version++
          this.ctx.storage.sql.exec(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)",
            String(this.version),
          )
        }
      })
    } catch (error) {
      this.config = undefined
      this.layout = undefined
      throw error
    }
    this.armAlarm(expiry)
    if (changed.length) this.broadcast(changed)
  }

  private broadcast(changed: number[]) {
    const sockets = this.ctx.getWebSockets()
    if (sockets.length === 0) return
    const layout = this.layout!
    const config = this.config!
    const seats: [string, string][] = [...new Set(changed)].map((i) => [
      layout.seats[i]!.id,
      publicState(config, layout, i),
    ])
    const message = JSON.stringify({ type: 'delta', version: this.version, seats })
    for (const ws of sockets) {
      try {
        ws.send(message)
      } catch {
        // a closing socket; the runtime drops it
      }
    }
  }
}

class ShowNotFound extends Error {
  constructor(showId: string) {
    super(`show ${showId} not found`)
  }
}

type Refusal = Extract<ShowHoldOutcome, { ok: false }>

/** A seat's state as buyers see it: a free seat in a category without a price on the show is not for sale. */
function publicState(config: ShowConfig, layout: SeatLayout, i: number) {
  const state = layout.state[i]!
  return state === FREE && !(layout.seats[i]!.category in config.prices) ? 'blocked' : stateNames[state]!
}

/** What seat `i` costs at the config's prices (its category's price). */
function seatPrice(config: ShowConfig, layout: SeatLayout, i: number): number {
  return config.prices[layout.seats[i]!.category] ?? 0
}

function refuse(code: ShowRefusal, detail: string, unavailable?: string[]): Refusal {
  return { ok: false, code, detail, ...(unavailable ? { unavailable } : {}) }
}
