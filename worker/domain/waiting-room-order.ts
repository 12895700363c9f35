import { admissionTime, type PlaceState } from './waiting-room.ts'

// The order an on-sale's rooms admit the places that joined after the opening (issue 22's fairness after the
// opening), over every such place, admitted or not: a figure over admitted buyers only has nothing to measure when
// the pre-queue outlasts the house (test/bench/README.md, session 12). Each room admits its own places in ticket
// order; across rooms the shared watermark (waiting-room.ts admissionWatermark) orders them by admission time.

/** What became of a place: admitted (even if its pass lapsed since), still waiting, or skipped as abandoned. */
export type QueueOutcome = 'admitted' | 'waiting' | 'skipped'

export function queueOutcome(place: { state: PlaceState; admittedAt: number | null }): QueueOutcome {
  if (place.admittedAt !== null) return 'admitted'
  return place.state === 'waiting' ? 'waiting' : 'skipped'
}

/** A place's time in the order across rooms, as the watermark counts it (no opening known: its join). */
export const orderTime = (joinedAt: number, opensAt: number | null) =>
  admissionTime(joinedAt, opensAt ?? joinedAt)

/**
 * The rooms' orders taken together as the watermark admits them: each room's places keep their own order (the
 * room admits by ticket), and the next place overall is the room head with the earliest admission time (ties: the
 * lower room). A merge, not a sort, so a room's order is never rearranged by equal or clock-skewed join times.
 */
export function mergeRoomOrders<P extends { admissionTime: number }>(rooms: readonly (readonly P[])[]): P[] {
  const next = rooms.map(() => 0)
  const merged: P[] = []
  for (;;) {
    let best = -1
    for (let k = 0; k < rooms.length; k++) {
      const head = rooms[k]![next[k]!]
      if (head && (best < 0 || head.admissionTime < rooms[best]![next[best]!]!.admissionTime)) best = k
    }
    if (best < 0) return merged
    merged.push(rooms[best]![next[best]!++]!)
  }
}
