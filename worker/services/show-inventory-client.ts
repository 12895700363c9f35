import type { ShowHoldOutcome, ShowHoldRequest, ShowInventory } from '../../durable-objects/show-inventory.ts'

export const MAX_BATCH = 256
/** How long a "sold out" answer for a category is reused without asking the show's DO again. */
export const SOLD_OUT_TTL_MS = 2_000

type Signal =
  | { type: 'outcome'; outcome: ShowHoldOutcome }
  | { type: 'error'; error: unknown }
  | { type: 'lead' }
type Send = (requests: ShowHoldRequest[]) => Promise<ShowHoldOutcome[]>

interface Waiting {
  request: ShowHoldRequest
  settle: (signal: Signal) => void
}

/**
 * Coalesces concurrent hold requests for one show into batched calls to its inventory DO. While a
 * batch is in flight, new requests queue; when it returns, everything queued goes in the next single
 * call. At low load each request goes alone (no added latency); in a stampede one round trip serves
 * up to MAX_BATCH buyers. The call for a batch is made by the first request queued in it (the leader),
 * from its own context.
 *
 * Workers forbid settling one request's promises from another request, so this runs where callers
 * share a context: inside a hold gateway DO (all its calls share the actor), or within one request.
 */
export class ShowHoldQueue {
  private queue: Waiting[] = []
  private inFlight = false
  batches = 0

  constructor(private readonly send: Send) {}

  async hold(request: ShowHoldRequest): Promise<ShowHoldOutcome> {
    const waiting: Waiting = { request, settle: () => {} }
    let next = new Promise<Signal>((resolve) => {
      waiting.settle = resolve
    })
    this.queue.push(waiting)
    if (!this.inFlight) {
      this.inFlight = true
      void this.runBatch()
    }
    for (;;) {
      const signal = await next
      if (signal.type === 'outcome') return signal.outcome
      if (signal.type === 'error') throw signal.error
      next = new Promise<Signal>((resolve) => {
        waiting.settle = resolve
      })
      void this.runBatch()
    }
  }

  private async runBatch() {
    // Let callers that are already on their way (e.g. everyone the previous batch just answered) join first.
    await new Promise((resolve) => setTimeout(resolve, 0))
    const batch = this.queue.splice(0, MAX_BATCH)
    this.batches++
    try {
      const outcomes = await this.send(batch.map((w) => w.request))
      batch.forEach((waiting, i) => {
        waiting.settle({ type: 'outcome', outcome: outcomes[i]! })
      })
    } catch (error) {
      for (const waiting of batch) waiting.settle({ type: 'error', error })
    }
    const leader = this.queue[0]
    if (leader) leader.settle({ type: 'lead' })
    else this.inFlight = false
  }
}

/**
 * Remembers, per show and category, that best-available just answered sold out, so the next buyers
 * get the answer from memory for a moment instead of a DO round trip. Plain data: safe to share
 * across requests in an isolate.
 */
export class SoldOutMemo {
  private until = new Map<string, number>()

  check(showId: string, request: ShowHoldRequest): ShowHoldOutcome | null {
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
