import type { SeatQuote } from '../../worker/domain/price-schedule.ts'
import { FREE, stateNames } from '../../worker/domain/seat-layout.ts'
import type { HeldSeat, ShowAvailability, ShowHold } from './contract.ts'
import type { ActiveHold, ShowSales } from './rules.ts'

// How the show looks to buyers and organizers, read from the actor's memory: a hold with its price quote,
// seats as buyers see them, availability per category and the seat map. Pure, like the rules.

/** What seat `i` costs at the show's prices (its category's price). */
export function seatPrice(sales: ShowSales, i: number): number {
  return sales.config.prices[sales.layout.categoryOf(i)] ?? 0
}

/** A held seat at its quote (tier or flash price), or at the show's prices now when it was quoted at list price. */
export function heldSeat(sales: ShowSales, i: number, quote?: SeatQuote | null): HeldSeat {
  const seat = sales.layout.columns.seat(i)
  const list = seatPrice(sales, i)
  return {
    id: seat.id,
    label: seat.label,
    section: seat.section,
    row: seat.row,
    category: seat.category,
    price: quote ? quote.price : list,
    listPrice: quote ? quote.listPrice : list,
    tier: quote ? quote.tier : null,
  }
}

export function showHold(
  sales: ShowSales,
  hold: Pick<ActiveHold, 'id' | 'seats' | 'expiresAt' | 'quotes'>,
): ShowHold {
  const seats = hold.seats.map((i, k) => heldSeat(sales, i, hold.quotes?.[k]))
  return {
    id: hold.id,
    showId: sales.config.showId,
    seats,
    total: seats.reduce((sum, seat) => sum + seat.price, 0),
    currency: sales.config.currency,
    expiresAt: new Date(hold.expiresAt).toISOString(),
    discount: seats.reduce((sum, seat) => sum + seat.listPrice - seat.price, 0),
  }
}

/** A seat's state as buyers see it: a free seat in a category without a price on the show is not for sale. */
export function publicState(sales: ShowSales, i: number) {
  const state = sales.layout.state[i]!
  return state === FREE && !(sales.layout.categoryOf(i) in sales.config.prices)
    ? 'blocked'
    : stateNames[state]!
}

/** Per-category counts from the layout's counters (no scan of the seats' states). */
export function availability(sales: ShowSales, now: number): ShowAvailability {
  const { config, layout } = sales
  const totals = layout.totals()
  return {
    showId: config.showId,
    onSale: sales.onSale(now),
    // A category without a price on this show is not on sale (its seats show as blocked on the map).
    categories: config.categories
      .filter((c) => c.code in config.prices)
      .map((c) => ({
        ...c,
        price: config.prices[c.code]!,
        available: layout.availableIn(c.code),
        total: totals.get(c.code) ?? 0,
        current: sales.book.current(c.code, now, layout),
      })),
    flashSales: sales.book.flashSales(now),
    salePhases: sales.gate.views(now),
    version: sales.version,
  }
}

/** Every seat with geometry and state, plus the change counter live deltas continue from. */
export function seatMap(sales: ShowSales, now: number) {
  const { config, layout } = sales
  return {
    ...availability(sales, now),
    stage: config.stage,
    currency: config.currency,
    seats: Array.from({ length: layout.size }, (_, i) => seatView(sales, i)),
  }
}

/** Seat `i` as the seat map answers it: its facts (less the ordinal) and its state as buyers see it. */
export function seatView(sales: ShowSales, i: number) {
  const { ordinal: _ordinal, ...seat } = sales.layout.columns.seat(i)
  return { ...seat, state: publicState(sales, i) }
}

/** Seats per state in memory (held seats are the active holds'). */
export function memoryCounts(sales: ShowSales) {
  const counts = { free: 0, held: 0, sold: 0, blocked: 0 }
  for (const s of sales.layout.state) counts[stateNames[s]!]++
  return counts
}
