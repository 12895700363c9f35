// What best available answers a hold: the seats, or a refusal that says truly why not. `sold_out` only when the
// category has fewer free seats than asked for (with how many it has), `seats_not_together` when enough are free
// but not side by side (split seating would place them), else `seats_unavailable` (the free ones are wheelchair
// spaces or set aside for another channel). Pure: the show actor and tests share it.

import type { BestRequest, SeatLayout } from './seat-layout.ts'

export type BestAvailableRefusal = {
  ok: false
  code: 'invalid_request' | 'sold_out' | 'seats_not_together' | 'seats_unavailable'
  detail: string
  /** Free seats in the category. */
  available?: number
}

/** Seat indexes for `best`, priced from `prices` (a category without a price is not for sale). */
export function bestAvailable(
  layout: SeatLayout,
  prices: Record<string, number>,
  best: BestRequest,
): number[] | BestAvailableRefusal {
  const { category, quantity } = best
  if (!(category in prices))
    return { ok: false, code: 'invalid_request', detail: `No price category ${category}` }
  const available = layout.availableIn(category)
  if (available < quantity) {
    const detail = `Not enough seats left in ${category}: ${available} free, ${quantity} asked for`
    return { ok: false, code: 'sold_out', detail, available }
  }
  const found = layout.findBest(best)
  if (found) return found
  if (!best.allowSplit && !best.accessible && layout.findBest({ ...best, allowSplit: true })) {
    const detail = `${available} seats are free in ${category}, but not ${quantity} side by side; allow split seating (allowSplit) or pick seats on the map`
    return { ok: false, code: 'seats_not_together', detail, available }
  }
  return {
    ok: false,
    code: 'seats_unavailable',
    detail: best.accessible
      ? `No ${quantity} seats in ${category} with ${best.accessible} wheelchair spaces together`
      : `No ${quantity} seats in ${category} can be offered: the free ones are wheelchair spaces or set aside`,
  }
}
