// Which seats a hold request gets, before any limit is counted: the seats it names (each still open to its
// channel and in a priced category, all or none) or the best available of a category.
import { bestAvailable } from '../../worker/domain/best-available.ts'
import type { SeatLayout } from '../../worker/domain/seat-layout.ts'
import {
  MAX_SEATS_PER_HOLD,
  refuse,
  type ShowConfig,
  type ShowHoldRefusal,
  type ShowHoldRequest,
} from './contract.ts'

/** `ids`: the request's named seats without repeats, or null to take the best available. */
export function chooseSeats(
  layout: SeatLayout,
  prices: ShowConfig['prices'],
  request: ShowHoldRequest,
  ids: string[] | null,
): number[] | ShowHoldRefusal {
  if (ids) {
    if (ids.length > MAX_SEATS_PER_HOLD)
      return refuse('invalid_request', `At most ${MAX_SEATS_PER_HOLD} seats per hold`)
    const unavailable: string[] = []
    const unpriced: string[] = []
    const picked: number[] = []
    for (const id of ids) {
      const i = layout.indexOf(id)
      if (i === undefined || !layout.isOpenFor(i, request.channel)) unavailable.push(id)
      else if (!(layout.categoryOf(i) in prices)) unpriced.push(id)
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
    return picked
  }
  if (request.best) {
    const best = request.best
    if (best.quantity < 1 || best.quantity > MAX_SEATS_PER_HOLD)
      return refuse('invalid_request', `Ask for 1 to ${MAX_SEATS_PER_HOLD} seats`)
    return bestAvailable(layout, prices, { ...best, channel: request.channel })
  }
  return refuse('invalid_request', 'Name seatIds or ask for best available')
}
