// Prices that move with time and sales: per price category an ordered list of tiers (early bird, …), each
// ending when its window ends or its quantity is sold, then the list price; and flash sales (限时限量), Q units
// of one category at P between two instants, at most k per buyer and per real-name ID. Pure: the show actor
// keeps a PriceBook beside its seats (so "the first 100" is counted where seats are decided), the admin API
// checks schedules with `pricingErrors`, tests drive both with their own clock. Windows are [startsAt, endsAt).
// A schedule may also step its category's list price with sell-through (price-steps.ts); a tier still wins.

import { type CategorySteps, type PriceStep, roundingUnit, stepAt, steppedPrice } from './price-steps.ts'

export interface PriceTier {
  /** What buyers see (早鸟 / Early bird); unique within its category, as its sales are counted under it. */
  label: string
  /** Minor units, at most the category's list price. */
  price: number
  startsAt?: string | null
  endsAt?: string | null
  /** Seats sold at this price before the next tier applies. */
  quantity?: number | null
  /** Scenic days: only for holds made at least this many days before the visit (the venue's days). */
  minDaysAhead?: number | null
  /** Scenic days: only for these channels; none: the organizer's own channels (see scenic-price-calendar.ts). */
  channels?: string[] | null
}

/**
 * Who and when a scenic day quotes for (shows pass none): the hold's channel and whether it is an OTA
 * partner's, days before the visit, and the day's list prices for that channel (date rules applied). A tier
 * applies only below that list price, so a date price never loses to a dearer "discount".
 */
export interface QuoteContext {
  channel: string
  partner?: boolean
  daysAhead: number
  listPrices: Record<string, number>
}

export interface PriceSchedule {
  category: string
  tiers: PriceTier[]
  /** Whether a refunded ticket of a tier gives its place in the tier back (default: no). */
  reopenOnRefund?: boolean
  /** Steps of the list price by sell-through (seats outside any tier), with their bounds. */
  steps?: PriceStep[]
  floor?: number | null
  ceiling?: number | null
}

/** A category's seats held or sold and on sale, as the show's seat layout counts them (price steps). */
export interface SellThrough {
  takenIn(category: string): number
  onSaleIn(category: string): number
}

export interface FlashSale {
  id: string
  label: string
  category: string
  price: number
  units: number
  startsAt: string
  endsAt: string
  /** Units one buyer (account, and real-name ID) may take. */
  perBuyer: number
}

export interface ShowPricing {
  schedules: PriceSchedule[]
  flashSales: FlashSale[]
}

/** What one seat was quoted at hold time: charged as is by the order, whatever the tiers do meanwhile. */
export interface SeatQuote {
  price: number
  listPrice: number
  /** Tier or flash-sale label; null at list price. */
  tier: string | null
  /** The counter the seat took a place in (`t:<category>:<label>` or `f:<flash id>`); null at list price. */
  key: string | null
  /** The price step that applied (its `atPercentSold`): the list price stepped by sell-through. */
  step?: number
}

export interface FlashRefusal {
  ok: false
  code: 'not_on_sale' | 'sold_out' | 'buyer_limit' | 'invalid_request'
  detail: string
  available?: number
}

/** A category's price now, as the public show answers it. */
export interface CurrentPrice {
  listPrice: number
  price: number
  tier: string | null
  endsAt: string | null
  unitsLeft: number | null
  /** The price step in force (its `atPercentSold`), when the list price is stepped by sell-through. */
  step?: number
}

export interface FlashSaleView {
  id: string
  label: string
  category: string
  price: number
  listPrice: number
  startsAt: string
  endsAt: string
  perBuyer: number
  units: number
  unitsLeft: number
  status: 'upcoming' | 'active' | 'ended'
}

interface Tier {
  key: string
  label: string
  price: number
  from: number
  until: number
  quantity: number
  minDaysAhead: number
  channels: string[] | null
}

/** Whether a tier is for this scenic hold at all (shows, without a context, have no such limits). */
function tierFits(tier: Tier, category: string, context: QuoteContext | undefined): boolean {
  if (!context) return tier.minDaysAhead <= 0 && !tier.channels
  if (context.daysAhead < tier.minDaysAhead) return false
  if (tier.channels ? !tier.channels.includes(context.channel) : context.partner) return false
  return tier.price < (context.listPrices[category] ?? Infinity)
}

interface Flash extends FlashSale {
  key: string
  from: number
  until: number
}

const at = (iso: string | null | undefined, otherwise: number) => (iso ? Date.parse(iso) : otherwise)
const tierKey = (category: string, label: string) => `t:${category}:${label}`

/**
 * A show's schedules and flash sales with their counters: places taken per tier and flash sale (held or sold;
 * an ended hold gives its places back) and flash units per buyer. Dates are parsed once here, so quoting a hold
 * is a few comparisons; a show without schedules answers null at once.
 */
export class PriceBook {
  private readonly tiers = new Map<string, Tier[]>()
  private readonly flash = new Map<string, Flash>()
  private readonly reopen = new Set<string>()
  private readonly stepRules = new Map<string, CategorySteps>()
  /** Categories whose list price steps with sell-through (built once: the actor checks it per change). */
  readonly steppedCategories: string[] = []
  /** Minor units stepped prices round to (price-steps.ts); set once, before any quote. */
  unit = 100
  private readonly stepQuotes = new Map<string, SeatQuote[]>()

  constructor(
    pricing: ShowPricing | undefined,
    readonly listPrices: Record<string, number>,
    /** Places taken per counter key (kept across edits of the schedule: counters are keyed by label). */
    readonly taken = new Map<string, number>(),
    /** Flash units per `<key>|a:<holder>` and `<key>|i:<ID number>`. */
    private readonly flashBuyers = new Map<string, number>(),
  ) {
    for (const schedule of pricing?.schedules ?? []) {
      if (schedule.steps?.length) this.steppedCategories.push(schedule.category)
      if (schedule.steps?.length)
        this.stepRules.set(schedule.category, {
          steps: schedule.steps,
          floor: schedule.floor,
          ceiling: schedule.ceiling,
        })
      if (!schedule.tiers.length) continue
      this.tiers.set(
        schedule.category,
        schedule.tiers.map((t) => ({
          key: tierKey(schedule.category, t.label),
          label: t.label,
          price: t.price,
          from: at(t.startsAt, -Infinity),
          until: at(t.endsAt, Infinity),
          quantity: t.quantity ?? Infinity,
          minDaysAhead: t.minDaysAhead ?? 0,
          channels: t.channels?.length ? t.channels : null,
        })),
      )
      if (schedule.reopenOnRefund) this.reopen.add(schedule.category)
    }
    for (const f of pricing?.flashSales ?? [])
      this.flash.set(f.id, {
        ...f,
        key: `f:${f.id}`,
        from: Date.parse(f.startsAt),
        until: Date.parse(f.endsAt),
      })
  }

  /** The same counters under new settings (the organizer edited the schedule or the list prices). */
  withSettings(pricing: ShowPricing | undefined, listPrices: Record<string, number>): PriceBook {
    const next = new PriceBook(pricing, listPrices, this.taken, this.flashBuyers)
    next.unit = this.unit
    return next
  }

  /** Whether a category has tiers. */
  has(category: string): boolean {
    return this.tiers.has(category)
  }

  /** Rounding for the show's currency. */
  inCurrency(currency: string): this {
    this.unit = roundingUnit(currency)
    return this
  }

  /** Whether any category has tiers or steps (else every seat sells at its list price and nothing is counted). */
  get scheduled(): boolean {
    return this.tiers.size > 0 || this.stepRules.size > 0
  }

  /** A category's step in force with `taken` seats gone (atPercentSold, 0 for none) and its price then. */
  stepLevel(category: string, fill: SellThrough): { step: number; price: number } {
    const list = this.listPrices[category] ?? 0
    const rule = this.stepRules.get(category)
    if (!rule) return { step: 0, price: list }
    const k = stepAt(rule.steps, fill.takenIn(category), fill.onSaleIn(category))
    return { step: k < 0 ? 0 : rule.steps[k]!.atPercentSold, price: steppedPrice(list, rule, k, this.unit) }
  }

  /** The quote of the seat that finds `taken` seats of its category gone, at the stepped list price; null at list. */
  private stepQuote(category: string, taken: number, fill: SellThrough): SeatQuote | null {
    const rule = this.stepRules.get(category)
    if (!rule) return null
    const k = stepAt(rule.steps, taken, fill.onSaleIn(category))
    if (k < 0) return null
    // One quote per category and step, shared by the seats it prices (quotes are never changed once made).
    let made = this.stepQuotes.get(category)
    if (!made) {
      made = []
      this.stepQuotes.set(category, made)
    }
    if (!made[k]) {
      const price = steppedPrice(this.listPrices[category] ?? 0, rule, k, this.unit)
      const step = rule.steps[k]!
      made[k] = { price, listPrice: price, tier: step.label || null, key: null, step: step.atPercentSold }
    }
    return made[k]!
  }

  /**
   * The quote for seats of these categories at `now`, seat by seat: each takes the first tier whose window is
   * open and that has places left after the seats before it, else the list price (null). Null for the whole
   * hold when no seat is in a scheduled category. Counts nothing: `count` does, once the hold is made.
   */
  quote(
    categories: string[],
    now: number,
    fill?: SellThrough,
    context?: QuoteContext,
  ): (SeatQuote | null)[] | null {
    if (!this.scheduled) return null
    let quotes: (SeatQuote | null)[] | null = null
    let pending: Map<string, number> | null = null
    // Seats of this hold before each one, per stepped category: a seat's step counts the ones ahead of it.
    let ahead: Map<string, number> | null = null
    for (let k = 0; k < categories.length; k++) {
      const category = categories[k]!
      let taken = -1
      if (fill && this.stepRules.has(category)) {
        ahead ??= new Map()
        const before = ahead.get(category) ?? 0
        ahead.set(category, before + 1)
        taken = fill.takenIn(category) + before
      }
      let quote: SeatQuote | null = null
      for (const tier of this.tiers.get(category) ?? []) {
        if (now < tier.from || now >= tier.until || !tierFits(tier, category, context)) continue
        const mine = pending?.get(tier.key) ?? 0
        if ((this.taken.get(tier.key) ?? 0) + mine >= tier.quantity) continue
        pending ??= new Map()
        pending.set(tier.key, mine + 1)
        quote = {
          price: tier.price,
          listPrice: (context?.listPrices ?? this.listPrices)[category] ?? 0,
          tier: tier.label,
          key: tier.key,
        }
        break
      }
      // No tier: the list price, stepped by what was taken before this seat.
      if (!quote && taken >= 0) quote = this.stepQuote(category, taken, fill!)
      if (quote) {
        quotes ??= categories.map(() => null)
        quotes[k] = quote
      }
    }
    return quotes
  }

  /** A flash sale's quote for `seats` units to this buyer at `now`, or why not. */
  flashQuote(
    flashId: string,
    seats: number,
    now: number,
    buyer: { holderId: string; idNumbers: string[] },
  ): SeatQuote | FlashRefusal {
    const f = this.flash.get(flashId)
    if (!f) return { ok: false, code: 'invalid_request', detail: `This show has no flash sale ${flashId}` }
    if (now < f.from)
      return { ok: false, code: 'not_on_sale', detail: `The flash sale ${f.label} opens at ${f.startsAt}` }
    if (now >= f.until)
      return { ok: false, code: 'not_on_sale', detail: `The flash sale ${f.label} ended at ${f.endsAt}` }
    const left = f.units - (this.taken.get(f.key) ?? 0)
    if (left < seats)
      return {
        ok: false,
        code: 'sold_out',
        detail: `${f.label}: ${left} of ${f.units} left`,
        available: left,
      }
    const mine = this.flashBuyers.get(`${f.key}|a:${buyer.holderId}`) ?? 0
    const idTaken = buyer.idNumbers.some(
      (id) => (this.flashBuyers.get(`${f.key}|i:${id}`) ?? 0) >= f.perBuyer,
    )
    if (mine + seats > f.perBuyer || idTaken)
      return {
        ok: false,
        code: 'buyer_limit',
        detail: `${f.label}: at most ${f.perBuyer} per buyer and per ID; you have ${mine}`,
      }
    return { price: f.price, listPrice: this.listPrices[f.category] ?? 0, tier: f.label, key: f.key }
  }

  flashCategory(flashId: string): string | undefined {
    return this.flash.get(flashId)?.category
  }

  /** A hold's quotes take (+1) or give back (-1) their places, and flash units count for its buyer. */
  count(
    quotes: readonly (SeatQuote | null)[] | null | undefined,
    buyer: { holderId: string; idNumbers: string[] },
    sign: 1 | -1,
  ) {
    if (!quotes) return
    quotes.forEach((q, k) => {
      if (!q?.key) return
      bump(this.taken, q.key, sign)
      if (q.key.startsWith('f:')) {
        bump(this.flashBuyers, `${q.key}|a:${buyer.holderId}`, sign)
        const id = buyer.idNumbers[k]
        if (id) bump(this.flashBuyers, `${q.key}|i:${id}`, sign)
      }
    })
  }

  /** A sold seat was refunded: its tier place comes back only when its schedule says so (flash units never). */
  reopens(quote: SeatQuote | null | undefined, category: string): boolean {
    return !!quote?.key?.startsWith('t:') && this.reopen.has(category)
  }

  /** A refunded seat gives its tier place back, if its schedule reopens (see `reopens`). */
  returned(quote: SeatQuote | null | undefined, category: string) {
    if (this.reopens(quote, category)) bump(this.taken, quote!.key!, -1)
  }

  /** Whether quotes made earlier would be made again now for the same seats (a late payment re-acquiring). */
  stillApplies(
    categories: string[],
    quotes: readonly (SeatQuote | null)[] | null | undefined,
    now: number,
    buyer: { holderId: string; idNumbers: string[] },
    fill?: SellThrough,
    context?: QuoteContext,
  ): boolean {
    const stepped = categories.some((c) => this.stepRules.has(c))
    if (!quotes?.some((q) => q?.key) && !stepped) return true
    const flash = quotes?.find((q) => q?.key?.startsWith('f:'))
    if (flash) {
      const again = this.flashQuote(flash.key!.slice(2), quotes!.length, now, buyer)
      return 'key' in again && again.price === flash.price
    }
    const fresh = this.quote(categories, now, fill, context)
    return categories.every((_, k) => {
      const [q, f] = [quotes?.[k] ?? null, fresh?.[k] ?? null]
      return (
        (q?.key ?? null) === (f?.key ?? null) &&
        (q?.step ?? null) === (f?.step ?? null) &&
        (!q || q.price === f?.price)
      )
    })
  }

  /** Each category's price now, for the public show answer. */
  current(category: string, now: number, fill?: SellThrough, context?: QuoteContext): CurrentPrice {
    const listPrice = (context?.listPrices ?? this.listPrices)[category] ?? 0
    for (const tier of this.tiers.get(category) ?? []) {
      if (now < tier.from || now >= tier.until || !tierFits(tier, category, context)) continue
      const left = tier.quantity - (this.taken.get(tier.key) ?? 0)
      if (left <= 0) continue
      return {
        listPrice,
        price: tier.price,
        tier: tier.label,
        endsAt: Number.isFinite(tier.until) ? new Date(tier.until).toISOString() : null,
        unitsLeft: Number.isFinite(left) ? left : null,
      }
    }
    const stepped = fill ? this.stepQuote(category, fill.takenIn(category), fill) : null
    if (stepped)
      return {
        listPrice: stepped.price,
        price: stepped.price,
        tier: stepped.tier,
        endsAt: null,
        unitsLeft: null,
        step: stepped.step!,
      }
    return { listPrice, price: listPrice, tier: null, endsAt: null, unitsLeft: null }
  }

  flashSales(now: number): FlashSaleView[] {
    return [...this.flash.values()].map((f) => ({
      id: f.id,
      label: f.label,
      category: f.category,
      price: f.price,
      listPrice: this.listPrices[f.category] ?? 0,
      startsAt: f.startsAt,
      endsAt: f.endsAt,
      perBuyer: f.perBuyer,
      units: f.units,
      unitsLeft: Math.max(0, f.units - (this.taken.get(f.key) ?? 0)),
      status: now < f.from ? 'upcoming' : now >= f.until ? 'ended' : 'active',
    }))
  }
}

function bump(map: Map<string, number>, key: string, sign: 1 | -1) {
  const next = (map.get(key) ?? 0) + sign
  if (next > 0) map.set(key, next)
  else map.delete(key)
}
