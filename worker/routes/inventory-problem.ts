import { Problem } from '../problem.ts'

const titles: Record<string, string> = {
  seats_unavailable: 'Seats not available',
  sold_out: 'Sold out',
  buyer_limit: 'Purchase limit reached',
  not_on_sale: 'Not on sale',
  parent_ticket_required: 'Buy the gate ticket first',
  not_eligible: 'Visitor not eligible for this ticket',
  hold_not_found: 'Hold not found',
  hold_expired: 'Hold expired',
  children_unused: 'Unused child tickets',
  order_mismatch: 'Hold belongs to another order',
}

/**
 * Turns an inventory actor's refusal into problem+json: 409 naming what was unavailable, 400 for bad requests,
 * 422 `not_eligible` naming the line (0-based) and the eligibility rule the visitor does not meet.
 */
export function inventoryProblem(refusal: {
  code: string
  detail: string
  unavailable?: string[]
  line?: number
  rule?: string
}): Problem {
  if (refusal.code === 'invalid_request') return new Problem({ code: 'validation', detail: refusal.detail })
  if (refusal.code === 'hold_not_found') return new Problem({ code: 'not_found', detail: refusal.detail })
  if (refusal.code === 'not_eligible') {
    return new Problem({
      code: refusal.code,
      status: 422,
      title: titles.not_eligible,
      detail: refusal.detail,
      extensions: { line: refusal.line, rule: refusal.rule },
    })
  }
  return new Problem({
    code: refusal.code,
    status: 409,
    title: titles[refusal.code] ?? 'Conflicts with the current state',
    detail: refusal.detail,
    extensions: refusal.unavailable ? { unavailable: refusal.unavailable } : {},
  })
}

export const inventoryConflictResponses = {
  400: { description: 'Invalid request (code `validation`)' },
  409: {
    description:
      'Not available: code `seats_unavailable` (with `unavailable` seat ids), `sold_out`, `buyer_limit`, `not_on_sale` or `parent_ticket_required`',
  },
  422: {
    description:
      'Code `not_eligible` (scenic): the visitor of line `line` does not meet the product’s `rule` (e.g. `minAge`, from the ID number)',
  },
  503: {
    description:
      'Code `inventory_busy`: no answer from the inventory in time; retry after `Retry-After` (a hold made meanwhile expires unconfirmed)',
  },
}
