import { orderTime, queueOutcome } from '../../worker/domain/waiting-room-order.ts'
import type { QueuedPlace } from './contract.ts'
import * as store from './store.ts'

// What a room reports about its queue beyond the buyers' answers (tests, the bench's fairness figures).

/**
 * The places that joined after the opening in the order this room admits them (its tickets), admitted or not, a
 * page from `offset`: merged with the other rooms' pages by admission time (worker/domain/waiting-room-order.ts),
 * the on-sale's order over everyone who joined after the opening.
 */
export function queueOrderPage(
  sql: SqlStorage,
  counters: store.QueueCounters,
  offset: number,
  limit: number,
): QueuedPlace[] {
  const opensAt = counters.settings ? Date.parse(counters.settings.opensAt) : null
  return store.queueOrder(sql, offset, limit).map((r) => ({
    buyerId: r.buyer_id,
    arrival: r.arrival,
    ticket: r.ticket,
    admissionTime: orderTime(r.joined_at, opensAt),
    outcome: queueOutcome({ state: r.state, admittedAt: r.admitted_at }),
  }))
}
