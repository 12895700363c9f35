import { type HoldCaps, HoldTallies } from '../../worker/domain/hold-caps.ts'
import type { PriceBook } from '../../worker/domain/price-schedule.ts'
import {
  type ConfirmOutcome,
  type DescribedHold,
  type ReturnOutcome,
  refuse,
  type ScenicHoldOutcome,
  type ScenicHoldRequest,
} from './contract.ts'
import { dateIn } from './rules/calendar.ts'
import { countTaken, type DayCounts } from './rules/counts.ts'
import type { DayConfig } from './rules/day-config.ts'
import { type DayState, decideHold } from './rules/decide-hold.ts'
import { visitorOf } from './rules/lines.ts'
import { admitHold, holdKey, type NewRows } from './rules/new-hold.ts'
import { countQuotes, dayPriceBook, quoteHold } from './rules/pricing.ts'
import { reacquireRequest } from './rules/reacquire.ts'
import { planReturn } from './rules/returns.ts'
import type { DayStore, HoldStatus } from './store.ts'

// A day's holds through their life (held, released or expired, confirmed, returned): the rules decide on the
// in-memory state, the store writes, and each change keeps the two in step. Writes go through `write`, the
// actor's one storage transaction (memory is dropped and rebuilt if it fails).

/**
 * The day's in-memory state: its settings, what is taken, the active holds per buyer and network, and the
 * tier places taken (the day's PriceBook).
 */
export interface DayMemory {
  config: DayConfig
  used: DayCounts
  tallies: HoldTallies
  prices: PriceBook
}

export class DayHolds {
  private readonly takenLine = (id: string) => this.store.takenLine(id)

  constructor(
    private readonly store: DayStore,
    private readonly caps: HoldCaps,
    private readonly write: <T>(change: () => T) => T,
  ) {}

  /** The in-memory state for `config`, rebuilt from storage. */
  recount(config: DayConfig): DayMemory {
    const tallies = new HoldTallies()
    for (const hold of this.store.activeHolds())
      tallies.add(hold.holder_id, hold.client_network, hold.n, hold.expires_at)
    return {
      config,
      used: countTaken(config, this.store.takenLines()),
      tallies,
      prices: dayPriceBook(config, this.store.tierPlaces()),
    }
  }

  private state(memory: DayMemory): DayState {
    return { used: memory.used, tallies: memory.tallies, caps: this.caps, takenLine: this.takenLine }
  }

  /** Decides `requests` in order and writes the holds admitted, all in one transaction; their deadline, if any. */
  holdBatch(
    memory: DayMemory,
    requests: ScenicHoldRequest[],
    now: number,
  ): { outcomes: ScenicHoldOutcome[]; expiresAt: number | null } {
    const { config } = memory
    const today = dateIn(config.timezone, new Date(now))
    const at = now + config.holdMinutes * 60_000
    const expires = { at, iso: new Date(at).toISOString() }
    const rows: NewRows = { holds: [], lines: [] }
    const state = this.state(memory)
    const outcomes = this.write(() => {
      const outcomes = requests.map((request): ScenicHoldOutcome => {
        const decision = decideHold(config, state, request, today, now)
        if (!decision.ok) return decision
        const key = holdKey(now)
        return { ok: true, hold: admitHold(config, memory, request, decision.lines, key, expires, rows, now) }
      })
      this.store.writeHolds(rows, at, now)
      return outcomes
    })
    return { outcomes, expiresAt: rows.holds.length ? at : null }
  }

  describe({ config }: DayMemory, holdId: string): DescribedHold | null {
    const hold = this.store.hold(holdId)
    if (!hold) return null
    const lines = this.store.linesOfHold(holdId)
    return {
      holderId: hold.holder_id,
      status: hold.status,
      hold: {
        id: holdId,
        siteId: config.siteId,
        date: config.date,
        currency: config.currency,
        expiresAt: new Date(hold.expires_at).toISOString(),
        total: lines.reduce((sum, l) => sum + l.price, 0),
        lines: lines.map((l) => ({
          id: l.id,
          productId: l.product_id,
          productName: config.products[l.product_id]?.name ?? l.product_id,
          slot: l.slot,
          price: l.price,
          listPrice: l.list_price ?? l.price,
          tier: l.tier,
          channelPriced: l.channel_priced === 1,
          visitor: visitorOf(l),
        })),
      },
    }
  }

  /**
   * An active hold stops being one: its held lines end too (released, expired), or become sold (confirmed).
   * Answers its holder.
   */
  end(
    memory: DayMemory,
    holdId: string,
    status: Exclude<HoldStatus, 'active'>,
    orderId?: string,
  ): string | undefined {
    const hold = this.store.hold(holdId)
    const lines = this.store.heldLines(holdId)
    if (hold?.status === 'active')
      memory.tallies.remove(hold.holder_id, hold.client_network, lines.length, hold.expires_at)
    this.store.endHold(holdId, status, orderId ?? null)
    if (status === 'confirmed') {
      this.store.sell(holdId, orderId!, false)
      return hold?.holder_id
    }
    for (const line of lines) {
      this.store.setLineStatus(line.id, status)
      memory.used.line(memory.config, line, -1)
    }
    countQuotes(
      memory.prices,
      lines.map((l) => ({ key: l.tier_key })),
      -1,
    )
    return hold?.holder_id
  }

  /**
   * Held lines become sold for `orderId` (idempotent per order). A hold that ended is re-acquired only if it
   * passes every rule a new hold of its buyer would pass `now`: capacity, the real-name per-day limit, age
   * eligibility, parent-child ownership and, for a public hold, the per-buyer caps.
   */
  confirm(memory: DayMemory, holdId: string, orderId: string, now: number): ConfirmOutcome {
    const { config } = memory
    const hold = this.store.hold(holdId)
    if (!hold) return refuse('hold_not_found', `No hold ${holdId}`)
    const lineIds = () => this.store.linesOfHold(holdId).map((l) => l.id)
    if (hold.status === 'confirmed') {
      if (hold.order_id !== orderId)
        return refuse('order_mismatch', 'The hold was confirmed for another order')
      return { ok: true, orderId, lineIds: lineIds(), reacquired: false, alreadyConfirmed: true }
    }
    const reacquired = hold.status !== 'active'
    if (reacquired) {
      const stored = this.store.linesOfHold(holdId)
      // A late payment may still fall inside the day's booking window even if the hold did not.
      const today = dateIn(config.timezone, new Date(now))
      const request = reacquireRequest(hold, stored)
      const decision = decideHold(config, this.state(memory), request, today, now)
      if (!decision.ok)
        return refuse('hold_expired', `The hold expired and cannot be re-acquired: ${decision.detail}`)
      // The quote is kept only if the same price and tier would be quoted now (a tier sold out meanwhile: refund).
      const fresh = quoteHold(config, memory.prices, request, now)
      const changed = stored.some((l, k) => l.price !== fresh[k]?.price || l.tier_key !== fresh[k]?.key)
      if (changed) return refuse('hold_expired', 'The hold expired and its price no longer applies')
      this.write(() => {
        countQuotes(memory.prices, fresh, 1)
        for (const line of stored) memory.used.line(config, line, 1)
        this.store.confirmEnded(holdId, orderId)
        this.store.sell(holdId, orderId, true)
      })
    } else {
      this.write(() => this.end(memory, holdId, 'confirmed', orderId))
    }
    return { ok: true, orderId, lineIds: lineIds(), reacquired, alreadyConfirmed: false }
  }

  /** Returns an order's lines (all, or `lineIds`) and the child lines that go with them (returns.ts). */
  returnLines(memory: DayMemory, orderId: string, lineIds?: string[]): ReturnOutcome {
    const { config } = memory
    const sold = this.store.soldLinesOfOrder(orderId)
    const plan = planReturn(config, sold, (holderId) => this.store.soldLinesOf(holderId), lineIds)
    if (!plan.ok) return plan
    const { returning, cascaded } = plan
    const all = [...returning, ...cascaded]
    if (all.length === 0) return { ok: true, returned: [], cascaded: [] }
    this.write(() => {
      for (const line of all) {
        this.store.setLineStatus(line.id, 'returned')
        memory.used.line(config, line, -1)
      }
    })
    return { ok: true, returned: returning.map((l) => l.id), cascaded: cascaded.map((l) => l.id) }
  }
}
