import {
  type HoldCapScope,
  type HoldCaps,
  type HoldLimit,
  HoldTallies,
  holdCapDetail,
  holdLimits,
  isAnonymousBuyer,
} from '../../worker/domain/hold-caps.ts'
import { PriceBook, type SeatQuote } from '../../worker/domain/price-schedule.ts'
import type { Admission, PresaleGate } from '../../worker/domain/sale-phases.ts'
import { BLOCKED, FREE, HELD, type SeatLayout, SOLD } from '../../worker/domain/seat-layout.ts'
import { newId } from '../../worker/ids.ts'
import {
  refuse,
  type ShowConfig,
  type ShowHoldRefusal,
  type ShowHoldRequest,
  type ShowRefusal,
} from './contract.ts'
import { admitHold, nextGate, presaleGateOf } from './presale.ts'
import { chooseSeats } from './seat-choice.ts'

// The show's sale rules over its in-memory state: which seats a request gets (named seats or best available),
// the sale window, sign-in-to-hold, per-buyer and real-name limits, the per-buyer and per-network hold caps,
// unpriced seats, and what a late confirm must pass to take its seats again. No storage, no bindings: the
// actor decides here first and then writes what was decided (store.ts); tests call these rules directly.

export interface ActiveHold {
  id: string
  holderId: string
  idNumbers: string[]
  /** Seat indexes in the layout. */
  seats: number[]
  expiresAt: number
  channel: string | null
  /** Client network the hold came from, when known (per-network caps). */
  ip: string | null
  /** Per seat, the price quoted at hold time (a tier or flash sale), or null at list price; null if none is. */
  quotes: (SeatQuote | null)[] | null
  /** How a presale hold got in (`c:<code>` takes one use of the code, `m:<tier>`); null in the general sale. */
  admission?: Admission
  /** When the hold was made (epoch ms): which presale phase it came in, for giving a code's use back. */
  heldAt?: number
}

/** Who bought or holds seats, for the per-buyer and real-name limits. */
export type Buyer = Pick<ActiveHold, 'holderId' | 'idNumbers'>

/** The ID numbers of a hold that came without them, shared (frozen: a hold is given its own, never pushed to). */
const NO_ID_NUMBERS: string[] = Object.freeze([]) as unknown as string[]

/** One show's seats, active holds and limits as the actor keeps them in memory. */
export class ShowSales {
  readonly holds = new Map<string, ActiveHold>()
  /**
   * Seats held or sold per buyer and per real-name ID number, for per-buyer limits: keyed by the ids themselves
   * (no prefixed copy of each per hold).
   */
  private readonly accountSeats = new Map<string, number>()
  private readonly idNumberSeats = new Map<string, number>()
  /** Active holds per buyer and per client network, against the hold caps. */
  private readonly tallies = new HoldTallies()
  private readonly limits: Record<HoldCapScope, HoldLimit>
  private settings: ShowConfig
  /** Price schedules and flash sales with their counters, counted here beside the seats they price. */
  book: PriceBook
  /** Presale phases and the uses of presale codes (presale.ts), counted here beside the holds. */
  gate: PresaleGate
  /** Per stepped category, the step last logged (its atPercentSold, 0 for none): see price-steps.ts. */
  readonly stepsLogged = new Map<string, { step: number; price: number }>()

  constructor(
    config: ShowConfig,
    readonly layout: SeatLayout,
    caps: HoldCaps,
    /** Change counter: live deltas continue from it. */
    public version = 0,
  ) {
    this.limits = holdLimits(caps, layout.size)
    this.settings = config
    this.book = new PriceBook(config.pricing, config.prices).inCurrency(config.currency)
    this.gate = presaleGateOf(config)
  }

  get config(): ShowConfig {
    return this.settings
  }

  /** New catalogue settings: the price book follows them and keeps its counters. */
  set config(next: ShowConfig) {
    if (next.pricing !== this.settings.pricing || next.prices !== this.settings.prices)
      this.book = this.book.withSettings(next.pricing, next.prices)
    this.gate = nextGate(this.gate, this.settings, next)
    this.settings = next
  }

  // ---- state from storage --------------------------------------------------------------------

  /** An active hold read back from storage: its seats are held and it counts against its buyer. */
  restoreHold(hold: ActiveHold) {
    this.holds.set(hold.id, hold)
    this.countBuyer(hold, 1, hold.seats.length)
    this.tallies.add(hold.holderId, hold.ip, hold.seats.length, hold.expiresAt)
    this.book.count(hold.quotes, hold, 1)
    this.gate.count(hold.admission, 1)
    for (const i of hold.seats) this.layout.setState(i, HELD)
  }

  /**
   * A confirmed hold read back: its seats still sold (refunds return some) count for the buyer with their ID
   * numbers; its quotes keep their tier places, except refunded seats of a schedule that reopens.
   */
  restoreSold(hold: ActiveHold, sold: Set<number>) {
    const idNumbers = hold.idNumbers.filter((_, k) => sold.has(hold.seats[k]!))
    this.countBuyer({ holderId: hold.holderId, idNumbers }, 1, sold.size)
    const kept = hold.quotes?.map((q, k) => {
      const i = hold.seats[k]!
      return sold.has(i) || !this.book.reopens(q, this.layout.categoryOf(i)) ? q : null
    })
    this.book.count(kept, hold, 1)
    // A sold presale hold keeps its code's use, unless it was refunded in full and its phase gives uses back.
    if (sold.size > 0 || !this.gate.returnsOnRefund(hold.admission, hold.heldAt))
      this.gate.count(hold.admission, 1)
  }

  // ---- holds ---------------------------------------------------------------------------------

  onSale(now: number): boolean {
    const { config } = this
    return (
      config.status === 'scheduled' &&
      now >= Date.parse(config.saleStartsAt) &&
      now < Date.parse(config.saleEndsAt)
    )
  }

  /**
   * Decides one request against the state as the requests before it left it, and on success holds the seats
   * in memory at once (so the next request sees them) and lists them in `changed`. All or nothing.
   */
  hold(
    request: ShowHoldRequest,
    now: number,
    expiresAt: number,
    changed: number[],
  ): ActiveHold | ShowHoldRefusal {
    const { config, layout } = this
    // The general sale passes with one comparison; before it, a presale phase must admit this buyer.
    const admitted = admitHold(this.gate, request, now)
    if ('ok' in admitted) return admitted
    if (config.signInToHold && isAnonymousBuyer(request.holderId)) {
      return refuse('sign_in_required', 'For this on-sale, sign in with your email or phone to hold seats')
    }
    const ids = request.seatIds?.length ? [...new Set(request.seatIds)] : null
    const wanted = ids ? ids.length : (request.best?.quantity ?? 0)
    // Caps first: a client over them is refused before any seat is looked at.
    const capped = this.tallies.check(this.limits, request.holderId, request.ip, wanted, now)
    if (capped)
      return { ok: false, code: 'hold_limit', detail: holdCapDetail(capped.scope, capped.limit), ...capped }
    // A flash sale is decided on its counters before any seat is looked at: a stampede past its units costs
    // nothing but this comparison.
    let flash: SeatQuote | null = null
    if (request.flashSaleId !== undefined) {
      const category = this.book.flashCategory(request.flashSaleId)
      if (request.best && category !== undefined && request.best.category !== category)
        return refuse('invalid_request', `The flash sale sells ${category} seats only`)
      const quoted = this.book.flashQuote(request.flashSaleId, wanted, now, {
        holderId: request.holderId,
        idNumbers: request.idNumbers ?? [],
      })
      if ('ok' in quoted) return quoted
      flash = quoted
      if (
        ids?.some((id) => {
          const i = layout.indexOf(id)
          return i !== undefined && layout.categoryOf(i) !== category
        })
      )
        return refuse('invalid_request', `The flash sale sells ${category} seats only`)
    }
    const picked = chooseSeats(layout, config.prices, request, ids)
    if (!Array.isArray(picked)) return picked
    const limit = this.buyerLimitRefusal(
      request.holderId,
      request.idNumbers ?? [],
      picked.length,
      request.maxTicketsPerBuyer,
    )
    if (limit) return limit
    const quotes = flash
      ? picked.map(() => flash)
      : this.book.scheduled
        ? this.book.quote(
            picked.map((i) => layout.categoryOf(i)),
            now,
            layout,
          )
        : null

    const hold: ActiveHold = {
      // Time-ordered, so a batch's rows land together at the end of the holds index.
      id: newId('hld', now),
      holderId: request.holderId,
      idNumbers: request.idNumbers?.length ? request.idNumbers : NO_ID_NUMBERS,
      seats: picked,
      expiresAt,
      channel: request.channel ?? null,
      ip: request.ip ?? null,
      quotes,
      admission: admitted.admission,
      heldAt: now,
    }
    for (const i of picked) {
      layout.setState(i, HELD)
      changed.push(i)
    }
    this.holds.set(hold.id, hold)
    this.countBuyer(hold, 1, picked.length)
    this.tallies.add(hold.holderId, hold.ip, picked.length, expiresAt)
    this.book.count(quotes, hold, 1)
    this.gate.count(hold.admission, 1)
    return hold
  }

  /**
   * Whether a buyer may take `seats` more seats: the real-name rule and the per-buyer ticket limit (the event's,
   * or the buyer's member tier's when that is higher).
   */
  buyerLimitRefusal(
    holderId: string,
    idNumbers: string[],
    seats: number,
    tierLimit?: number,
  ): ShowHoldRefusal | null {
    const { config } = this
    // A real-name hold may come without ID numbers: the buyer gives them at checkout (assignIdNumbers) while
    // the seats stay held, instead of typing them with the seats at risk.
    if (config.realNameRequired && idNumbers.length > 0) {
      if (idNumbers.length !== seats || new Set(idNumbers).size !== seats) {
        return refuse(
          'invalid_request',
          'This show sells one ticket per real-name ID: give one distinct ID number per seat',
        )
      }
      const taken = idNumbers.filter((id) => (this.idNumberSeats.get(id) ?? 0) > 0)
      if (taken.length) {
        return refuse(
          'buyer_limit',
          `${taken.length} of these ID numbers already hold a ticket for this show`,
        )
      }
    }
    const mine = this.accountSeats.get(holderId) ?? 0
    const max = Math.max(config.maxPerAccount, tierLimit ?? 0)
    if (mine + seats > max) {
      return refuse('buyer_limit', `At most ${max} tickets per buyer; you already hold ${mine}`)
    }
    return null
  }

  /**
   * Gives an active real-name hold its ID numbers (one per seat, in seat order), under the same one-ticket-per-ID
   * rule as a hold that came with them. A hold that has its ID numbers keeps them: giving the same again is fine.
   */
  assignIdNumbers(hold: ActiveHold, idNumbers: string[]): ShowHoldRefusal | null {
    const seats = hold.seats.length
    if (idNumbers.length !== seats || new Set(idNumbers).size !== seats)
      return refuse('invalid_request', 'Give one distinct ID number per held seat')
    if (hold.idNumbers.length > 0) {
      return hold.idNumbers.every((id, k) => id === idNumbers[k])
        ? null
        : refuse('invalid_request', 'This hold already has its ID numbers')
    }
    const taken = idNumbers.filter((id) => (this.idNumberSeats.get(id) ?? 0) > 0)
    if (taken.length)
      return refuse('buyer_limit', `${taken.length} of these ID numbers already hold a ticket for this show`)
    hold.idNumbers = [...idNumbers]
    for (const id of idNumbers) this.idNumberSeats.set(id, 1)
    return null
  }

  /** How many active holds this buyer has (the waiting room hears of buyers left with none). */
  activeHoldsOf(holderId: string): number {
    return this.tallies.holdsOf(holderId)
  }

  /** A hold ends without a sale (released, expired): its seats are free again and its buyer's counts drop. */
  endHold(hold: ActiveHold, changed: number[]) {
    for (const i of hold.seats) {
      this.layout.setState(i, FREE)
      changed.push(i)
    }
    this.holds.delete(hold.id)
    this.countBuyer(hold, -1, hold.seats.length)
    this.tallies.remove(hold.holderId, hold.ip, hold.seats.length, hold.expiresAt)
    this.book.count(hold.quotes, hold, -1)
    this.gate.count(hold.admission, -1)
  }

  /** An active hold lasts until `until` instead (its buyer's caps follow the new expiry). */
  extendHold(hold: ActiveHold, until: number) {
    this.tallies.remove(hold.holderId, hold.ip, hold.seats.length, hold.expiresAt)
    this.tallies.add(hold.holderId, hold.ip, hold.seats.length, until)
    hold.expiresAt = until
  }

  /**
   * Why a hold that expired (or was released) cannot become a sale now, or null: its seats must all still be
   * free, and taking them again is a new purchase, with the same per-buyer and real-name limits as a new hold
   * (counting what the buyer holds or bought since).
   */
  reacquireRefusal(
    buyer: Buyer & Pick<ActiveHold, 'quotes' | 'admission'>,
    seats: number[],
    now: number,
  ): { code: ShowRefusal; detail: string; unavailable?: string[] } | null {
    const lost = seats.filter((i) => this.layout.state[i] !== FREE).map((i) => this.layout.idOf(i))
    if (lost.length)
      return {
        code: 'hold_expired',
        detail: 'The hold expired and some seats were taken since',
        unavailable: lost,
      }
    // Before the general sale, the presale that admitted the hold must still admit it (its code a use left).
    const closed = this.gate.admitAgain(buyer.admission ?? null, now)
    if (closed) return { code: closed.code, detail: `The hold expired; ${closed.detail}` }
    const limited = this.buyerLimitRefusal(buyer.holderId, buyer.idNumbers, seats.length)
    if (limited) return { code: limited.code, detail: `The hold expired; ${limited.detail}` }
    // The quote is kept only while its tier would still be quoted; a new price is never charged silently.
    const categories = seats.map((i) => this.layout.categoryOf(i))
    if (!this.book.stillApplies(categories, buyer.quotes, now, buyer, this.layout))
      return { code: 'hold_expired', detail: 'The hold expired and the price it was quoted at has ended' }
    return null
  }

  /**
   * A hold's seats become sold. An active hold stops being one (its seats already count for the buyer); a
   * re-acquired one counts for its buyer again.
   */
  sell(
    seats: number[],
    buyer: Buyer & Pick<ActiveHold, 'quotes' | 'admission'>,
    active: ActiveHold | undefined,
    changed: number[],
  ) {
    for (const i of seats) {
      this.layout.setState(i, SOLD)
      changed.push(i)
    }
    if (active) {
      this.holds.delete(active.id)
      this.tallies.remove(active.holderId, active.ip, active.seats.length, active.expiresAt)
    } else {
      this.countBuyer(buyer, 1, seats.length)
      this.book.count(buyer.quotes, buyer, 1)
      this.gate.count(buyer.admission, 1)
    }
  }

  /**
   * A sold seat goes back on sale (refund, cancellation); the ID number it was bought with is free again, and
   * its tier place if the schedule reopens on refund.
   */
  returnSeat(
    i: number,
    holderId: string,
    idNumber: string | undefined,
    quote: SeatQuote | null | undefined,
    changed: number[],
  ) {
    this.layout.setState(i, FREE)
    changed.push(i)
    this.countBuyer({ holderId, idNumbers: idNumber ? [idNumber] : [] }, -1, 1)
    this.book.returned(quote, this.layout.categoryOf(i))
  }

  /** Blocks free seats or frees blocked ones; held or sold seats, and unknown ids, are skipped. */
  setBlocked(seatIds: string[], blocked: boolean) {
    const changed: number[] = []
    const changedIds: string[] = []
    const skipped: string[] = []
    const [from, to] = blocked ? ([FREE, BLOCKED] as const) : ([BLOCKED, FREE] as const)
    for (const id of seatIds) {
      const i = this.layout.indexOf(id)
      if (i === undefined || this.layout.state[i] !== from) {
        skipped.push(id)
        continue
      }
      this.layout.setState(i, to)
      changed.push(i)
      changedIds.push(id)
    }
    return { changed, changedIds, skipped, state: to }
  }

  /** Sets seats aside for one sales channel (null: any channel); unknown ids are listed. */
  allocate(seatIds: string[], channel: string | null) {
    const allocated: number[] = []
    const unknown: string[] = []
    for (const id of seatIds) {
      const i = this.layout.indexOf(id)
      if (i === undefined) unknown.push(id)
      else {
        this.layout.allocation[i] = channel
        allocated.push(i)
      }
    }
    return { allocated, unknown }
  }

  private countBuyer(buyer: Buyer, sign: 1 | -1, seats: number) {
    const bump = (counts: Map<string, number>, key: string, n: number) => {
      const next = (counts.get(key) ?? 0) + sign * n
      if (next > 0) counts.set(key, next)
      else counts.delete(key)
    }
    bump(this.accountSeats, buyer.holderId, seats)
    for (const id of buyer.idNumbers) bump(this.idNumberSeats, id, 1)
  }
}
