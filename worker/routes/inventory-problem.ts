// The inventory refusal → problem+json mapping lives with the services (the partner API's order service uses it
// too); the routes import it from here, beside the OpenAPI description of those answers.
export { type InventoryRefusal, inventoryProblem } from '../services/inventory-problem.ts'

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
