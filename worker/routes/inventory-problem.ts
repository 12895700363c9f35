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
    },
  })
}

export const inventoryConflictResponses = {
  400: { description: 'Invalid request (code `validation`)' },
  401: {
    description:
      'Code `sign_in_required`: the organizer sells this on-sale only to signed-in customers; sign in (`/api/customer/auth/code`) and try again',
  },
  409: {
    description:
      'Not available: code `seats_unavailable` (with `unavailable` seat ids), `seats_not_together` (enough seats are free, not side by side: ' +
      'allow split seating or pick seats), `seats_not_priced` (seats in a category without a price on this show), `sold_out` (with `available`), ' +
      '`buyer_limit`, `not_on_sale` or `parent_ticket_required`',
  },
  422: {
    description:
      'Code `not_eligible` (scenic): the visitor of line `line` does not meet the product’s `rule` (e.g. `minAge`, from the ID number)',
  },
  429: {
    description:
      'Code `rate_limited` (too many requests from this address or buyer) or `hold_limit` (this buyer or network address already holds ' +
      'as much as one may at once: `scope`, `limit`); retry after `Retry-After` seconds',
  },
  503: {
    description:
      'Code `inventory_busy`: no answer from the inventory in time; retry after `Retry-After` (a hold made meanwhile expires unconfirmed)',
  },
}
