import type { ShowHoldOutcome, ShowHoldRequest, ShowInventory } from '../../durable-objects/show-inventory.ts'

/** How long a "sold out" answer for a category is reused without asking the show's DO again. */
export const SOLD_OUT_TTL_MS = 2_000

/**
 * Remembers, per show and category, that best-available just answered sold out, so the next buyers
 * get the answer from memory for a moment instead of a DO round trip. Plain data: safe to share
 * across requests in an isolate.
 */
export class SoldOutMemo {
  private until = new Map<string, number>()

  check(showId: string, request: ShowHoldRequest): Extract<ShowHoldOutcome, { ok: false }> | null {
    const category = request.best?.category
    if (!category) return null
    const until = this.until.get(`${showId}\u0000${category}`)
    if (!until || until <= Date.now()) return null
    return { ok: false, code: 'sold_out', detail: `Not enough seats left in ${category}` }
  }

  record(showId: string, request: ShowHoldRequest, outcome: ShowHoldOutcome) {
    const category = request.best?.category
    if (category && !outcome.ok && outcome.code === 'sold_out') {
      this.until.set(`${showId}\u0000${category}`, Date.now() + SOLD_OUT_TTL_MS)
    }
  }

  forget(showId: string) {
    for (const key of this.until.keys()) if (key.startsWith(`${showId}\u0000`)) this.until.delete(key)
  }
}

export const showInventoryStub = (namespace: DurableObjectNamespace<ShowInventory>, showId: string) =>
  namespace.get(namespace.idFromName(showId))
