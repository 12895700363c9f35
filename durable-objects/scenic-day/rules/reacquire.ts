import type { ScenicHoldRequest } from '../contract.ts'
import { type LineRow, visitorOf } from './lines.ts'

// A payment that arrives after its hold ended: the hold is re-acquired only if it passes every rule a new hold
// of its buyer would pass now (decide-hold.ts), so it is judged as the request it would be today.

/** What an ended hold keeps of its request. */
export type EndedHold = {
  holder_id: string
  channel: string
  package_id: string | null
  /** NULL for a partner's hold; '' (the address is forgotten when a hold ends) for a public one. */
  client_network: string | null
  /** 1: an OTA partner's hold. */
  partner?: number
}

/** The request that would hold `lines` (the hold's, in order) again for the same buyer. */
export function reacquireRequest(hold: EndedHold, lines: LineRow[]): ScenicHoldRequest {
  return {
    holderId: hold.holder_id,
    channel: hold.channel,
    ...(hold.partner ? { partner: true } : {}),
    ...(hold.package_id ? { packageId: hold.package_id } : {}),
    // A public hold's caps count for its buyer; the address it came from is gone with the hold.
    ...(hold.client_network !== null ? { client: {} } : {}),
    lines: lines.map((l) => {
      const inHold = lines.findIndex((p) => p.id === l.parent_line_id)
      return {
        productId: l.product_id,
        ...(l.slot ? { slot: l.slot } : {}),
        visitor: visitorOf(l),
        // The parent it was sold with (proven when held, if it was another buyer's).
        ...(inHold >= 0
          ? { parent: { line: inHold } }
          : l.parent_line_id
            ? { parent: { lineId: l.parent_line_id, proven: true } }
            : {}),
      }
    }),
  }
}
