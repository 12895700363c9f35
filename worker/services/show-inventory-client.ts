import type { ShowHoldOutcome, ShowHoldRequest } from '../../durable-objects/show-inventory/contract.ts'

/** The actor of a show (its contract names it); here for the services that reach it through this module. */
export { showInventoryStub } from '../../durable-objects/show-inventory/contract.ts'

/** A flash sale's units are counted apart from its category's seats: each is remembered on its own. */
const memoKey = (request: ShowHoldRequest) =>
  request.flashSaleId ? `flash:${request.flashSaleId}` : request.best?.category

/** How long a "sold out" answer for a category is reused without asking the show's DO again. */
export const SOLD_OUT_TTL_MS = 2_000

/**
 * Remembers, per show and category, that best-available just answered sold out and how many seats were still
 * free then, so for a moment buyers asking for more than that get the answer from memory instead of a DO round
 * trip. Smaller asks still go to the actor: "sold out" for 8 seats says nothing about 2. Plain data: safe to
 * share across requests in an isolate.
 */
export class SoldOutMemo {
  private memo = new Map<string, { until: number; available: number }>()

  check(showId: string, request: ShowHoldRequest): Extract<ShowHoldOutcome, { ok: false }> | null {
    const key = memoKey(request)
    if (!key) return null
    const known = this.memo.get(`${showId}\u0000${key}`)
    const wanted = request.best?.quantity ?? request.seatIds?.length ?? 0
    if (!known || known.until <= Date.now() || wanted <= known.available) return null
    return {
      ok: false,
      code: 'sold_out',
      detail: `Not enough left in ${request.flashSaleId ?? key}: at most ${known.available}, ${wanted} asked for`,
      available: known.available,
    }
  }

  record(showId: string, request: ShowHoldRequest, outcome: ShowHoldOutcome) {
    const key = memoKey(request)
    if (key && !outcome.ok && outcome.code === 'sold_out') {
      this.memo.set(`${showId}\u0000${key}`, {
        until: Date.now() + SOLD_OUT_TTL_MS,
        available: outcome.available ?? 0,
      })
    }
  }

  forget(showId: string) {
    for (const key of this.memo.keys()) if (key.startsWith(`${showId}\u0000`)) this.memo.delete(key)
  }
}
