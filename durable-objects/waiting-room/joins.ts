import { preQueueKey } from '../../worker/domain/waiting-room.ts'
import type { JoinRequest } from './contract.ts'
import * as store from './store.ts'

// A join decided inside joinBatch's transaction (index.ts): one place per buyer (joining again keeps it) and per
// real-name ID hash, none while sold out; before the opening a place gets its pre-queue shuffle key, after it the
// next ticket (first come, first served).

/**
 * One join: null when the buyer has a place (new or kept; a kept one counts as seen now in `seen`), else why not.
 */
export function placeJoin(
  sql: SqlStorage,
  counters: store.QueueCounters,
  request: JoinRequest,
  now: number,
  seen: Map<string, number>,
): { code: 'queue_id_taken' | 'sold_out'; detail: string } | null {
  const existing = store.placeOf(sql, request.buyerId)
  if (existing && existing.state !== 'expired') {
    seen.set(request.buyerId, now)
    return null
  }
  if (counters.opened && counters.soldOut)
    return { code: 'sold_out', detail: 'Everything is sold or held; the queue takes no one new for now' }
  const idHolder = request.idHash ? store.holderOfId(sql, request.idHash) : undefined
  if (idHolder && idHolder !== request.buyerId)
    return { code: 'queue_id_taken', detail: 'This ID number already has a place in this queue' }
  const arrival = ++counters.arrivals
  const ticket = counters.opened ? ++counters.lastTicket : null
  if (!counters.opened) counters.preQueued++
  store.putPlace(
    sql,
    {
      buyerId: request.buyerId,
      idHash: request.idHash ?? null,
      arrival,
      shuffleKey: counters.opened ? null : preQueueKey(counters.seed, arrival),
      ticket,
    },
    now,
  )
  return null
}
