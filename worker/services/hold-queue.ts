/** Most requests one batched call to an inventory actor carries. */
export const MAX_BATCH = 256
/**
 * Batches one queue keeps in flight at once (a queue may be built with more). With more than one, the
 * actor can decide the next batch while the previous answer waits on its output gate; it still decides
 * batches one at a time, in order. On the shared 2-core machine a second batch in flight showed no gain
 * (the eight gateway shards already overlap batches), so one it is.
 */
export const MAX_IN_FLIGHT = 1

type Signal<Outcome> =
  | { type: 'outcome'; outcome: Outcome }
  | { type: 'error'; error: unknown }
  | { type: 'lead' }

interface Waiting<Request, Outcome> {
  request: Request
  /** Asked to send a batch (so it is not asked twice). */
  leading?: boolean
  settle: (signal: Signal<Outcome>) => void
}

/**
 * Coalesces concurrent hold requests for one inventory actor (a show, or a scenic site's day) into
 * batched calls to it. While a batch is in flight, new requests queue; when it returns, everything
 * queued goes in the next single call. At low load each request goes alone (no added latency); in a
 * stampede one round trip serves up to MAX_BATCH buyers. The call for a batch is made by the first
 * request queued in it (the leader), from its own context.
 *
 * Workers forbid settling one request's promises from another request, so this runs where callers
 * share a context: inside a hold gateway DO (all its calls share the actor), or within one request.
 */
export class HoldQueue<Request, Outcome> {
  private queue: Waiting<Request, Outcome>[] = []
  private inFlight = 0
  batches = 0

  constructor(
    private readonly send: (requests: Request[]) => Promise<Outcome[]>,
    private readonly maxInFlight = MAX_IN_FLIGHT,
  ) {}

  async hold(request: Request): Promise<Outcome> {
    const waiting: Waiting<Request, Outcome> = { request, settle: () => {} }
    let next = new Promise<Signal<Outcome>>((resolve) => {
      waiting.settle = resolve
    })
    this.queue.push(waiting)
    if (this.inFlight < this.maxInFlight) {
      this.inFlight++
      void this.runBatch()
    }
    for (;;) {
      const signal = await next
      if (signal.type === 'outcome') return signal.outcome
      if (signal.type === 'error') throw signal.error
      next = new Promise<Signal<Outcome>>((resolve) => {
        waiting.settle = resolve
      })
      void this.runBatch()
    }
  }

  private async runBatch() {
    // Let callers that are already on their way (e.g. everyone the previous batch just answered) join first.
    // A few microtask turns suffice for them; a timer turn (setTimeout 0) cost ~1.7 ms a batch in workerd.
    for (let turn = 0; turn < 16; turn++) await null
    const batch = this.queue.splice(0, MAX_BATCH)
    if (batch.length === 0) {
      // Another batch in flight took everyone queued.
      this.inFlight--
      return
    }
    this.batches++
    try {
      const outcomes = await this.send(batch.map((w) => w.request))
      batch.forEach((waiting, i) => {
        waiting.settle({ type: 'outcome', outcome: outcomes[i]! })
      })
    } catch (error) {
      for (const waiting of batch) waiting.settle({ type: 'error', error })
    }
    const leader = this.queue.find((w) => !w.leading)
    if (leader) {
      leader.leading = true
      leader.settle({ type: 'lead' })
    } else this.inFlight--
  }
}
