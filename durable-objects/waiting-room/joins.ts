import { preQueueKey } from '../../worker/domain/waiting-room.ts'
import type { JoinRequest } from './contract.ts'
import * as store from './store.ts'

// A join decided inside joinBatch's transaction (index.ts): one place per buyer (joining again keeps it) and per
// real-name ID hash, none while sold out; before the opening a place gets its pre-queue shuffle key, after it the
// next ticket (first come, first served).

/** A join's outcome: the buyer's place as it stands after the join (none if they have none), or why not. */
export type PlacedJoin =
  | { refusal: null; row: store.PlaceRow }
  | { refusal: { code: 'queue_id_taken' | 'sold_out'; detail: string }; row: store.PlaceRow | undefined }

/**
 * One join: the buyer's place (new or kept; a kept one counts as seen now in `seen`), else why not. The row is
 * the one read or written here, so the answer needs no second read of it.
 */
export function placeJoin(
  sql: SqlStorage,
  counters: store.QueueCounters,
  request: JoinRequest,
  now: number,
  seen: Map<string, number>,
): PlacedJoin {
  const existing = store.placeOf(sql, request.buyerId)
  if (existing && existing.state !== 'expired') {
    seen.set(request.buyerId, now)
    return { refusal: null, row: existing }
  }
  if (counters.opened && counters.soldOut)
    return {
      refusal: { code: 'sold_out', detail: 'Everything is sold or held; the queue takes no one new for now' },
      row: existing,
    }
  const idHolder = request.idHash ? store.holderOfId(sql, request.idHash) : undefined
  if (idHolder && idHolder !== request.buyerId)
    return {
      refusal: { code: 'queue_id_taken', detail: 'This ID number already has a place in this queue' },
      row: existing,
    }
  const arrival = ++counters.arrivals
  const ticket = counters.opened ? ++counters.lastTicket : null
  if (!counters.opened) counters.preQueued++
  const place = {
    buyerId: request.buyerId,
    idHash: request.idHash ?? null,
    arrival,
    shuffleKey: counters.opened ? null : preQueueKey(counters.seed, arrival),
    ticket,
  }
  store.putPlace(sql, place, now)
  return { refusal: null, row: store.newPlaceRow(place, now) }
}
