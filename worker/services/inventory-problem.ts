// Inventory actors refuse with a small record (code, detail, what was unavailable); this turns one into the
// problem+json the buyer, the admin or the partner API answers with. Shared by routes and the partner-order service.
import { Problem } from '../problem.ts'

const titles: Record<string, string> = {
  seats_unavailable: 'Seats not available',
  seats_not_together: 'Seats not together',
  seats_not_priced: 'Seats not for sale',
  sold_out: 'Sold out',
  buyer_limit: 'Purchase limit reached',
  hold_limit: 'Hold limit reached',
  sign_in_required: 'Sign in required',
  not_on_sale: 'Not on sale',
  presale_code_invalid: 'Presale code not valid',
  presale_code_used_up: 'Presale code used up',
  parent_ticket_required: 'Buy the gate ticket first',
  not_eligible: 'Visitor not eligible for this ticket',
  hold_not_found: 'Hold not found',
  hold_expired: 'Hold expired',
  children_unused: 'Unused child tickets',
  order_mismatch: 'Hold belongs to another order',
}

/** What an inventory actor answers when it refuses a request (see the actors' refusal types). */
export interface InventoryRefusal {
  code: string
  detail: string
  /** Seat ids (or `channel:…`, product ids) that were not available. */
  unavailable?: string[]
  /** Free seats left in the category asked for (best available). */
  available?: number
  /** `hold_limit`: whose limit (`buyer` or `client`, the network address), what it is, and when a hold ends. */
  scope?: string
  limit?: { holds: number; held: number }
  retryAfter?: number
  /** `not_eligible` (scenic): the line (0-based) and the eligibility rule its visitor does not meet. */
  line?: number
  rule?: string
  /** `not_on_sale`: when the sale opens to this buyer (ISO), when it will. */
  opensAt?: string
}

/**
 * Turns an inventory actor's refusal into problem+json: 409 naming what was unavailable, 400 for bad requests,
 * 429 with Retry-After for a hold limit, 401 when the organizer requires sign-in to hold, 422 naming the line and
 * rule a scenic visitor is not eligible for.
 */
export function inventoryProblem(refusal: InventoryRefusal): Problem {
  if (refusal.code === 'invalid_request') return new Problem({ code: 'validation', detail: refusal.detail })
  if (refusal.code === 'hold_not_found') return new Problem({ code: 'not_found', detail: refusal.detail })
  const title = titles[refusal.code] ?? 'Conflicts with the current state'
  if (refusal.code === 'hold_limit') {
    return new Problem({
      code: 'hold_limit',
      status: 429,
      title,
      detail: refusal.detail,
      extensions: { scope: refusal.scope, limit: refusal.limit },
      headers: { 'retry-after': String(Math.max(1, Math.ceil(refusal.retryAfter ?? 60))) },
    })
  }
  if (refusal.code === 'not_eligible') {
    return new Problem({
      code: 'not_eligible',
      status: 422,
      title,
      detail: refusal.detail,
      extensions: { line: refusal.line, rule: refusal.rule },
    })
  }
  if (refusal.code === 'sign_in_required')
    return new Problem({ code: 'sign_in_required', status: 401, title, detail: refusal.detail })
  return new Problem({
    code: refusal.code,
    status: 409,
    title,
    detail: refusal.detail,
    extensions: {
      ...(refusal.unavailable ? { unavailable: refusal.unavailable } : {}),
      ...(refusal.available !== undefined ? { available: refusal.available } : {}),
      ...(refusal.opensAt ? { opensAt: refusal.opensAt } : {}),
    },
  })
}
