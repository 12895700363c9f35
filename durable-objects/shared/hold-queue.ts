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

/** Keeps a caller's request alive until a promise settles (its `waitUntil`), where requests can end early. */
export type KeepAlive = (promise: Promise<unknown>) => void

interface Waiting<Request, Outcome> {
  request: Request
  keepAlive?: KeepAlive
  /** Asked to take over sending batches (so it is not asked twice). */
  leading?: boolean
  /** Stopped waiting (timed out): not asked to take over. */
  gone?: boolean
  settle: (signal: Signal<Outcome>) => void
}

export interface HoldQueueOptions {
  maxInFlight?: number
  /**
   * Where callers are separate requests (the worker's isolate), each waits at most this long for its answer
   * and then fails with HoldQueueTimeout, rather than hang if the request that was sending its batch died.
   */
  answerWithinMs?: number
  /** A request sending batches hands over to a queued caller after this long (a request's life is bounded). */
  handOffAfterMs?: number
}

/** A caller's answer did not come within `answerWithinMs`; whether its hold was made is unknown (it expires). */
export class HoldQueueTimeout extends Error {}

/**
 * Coalesces concurrent hold requests for one inventory actor (a show, or a scenic site's day) into
 * batched calls to it. While a batch is in flight, new requests queue; when it returns, everything
 * queued goes in the next single call. At low load each request goes alone (no added latency); in a
 * stampede one round trip serves up to MAX_BATCH buyers. Batches are sent, one after another while
 * anyone is queued, by the caller that found the queue idle (the leader), from its own context.
 *
 * It runs in two places. Inside a hold gateway DO all calls share the actor's context. In the worker's
 * isolate the callers are separate requests: the runtime delivers a promise's continuation to the request
 * that awaits it even when another request settles it (`handle_cross_request_promise_resolution`, on by
 * default since 2024-10-14), the request sending a batch keeps itself alive until the answer is in
 * (`keepAlive`), and every caller gives up after `answerWithinMs` (its own timer also keeps it from being
 * taken for hung while it waits on another request's I/O); the sender hands over after `handOffAfterMs`.
 */
export class HoldQueue<Request, Outcome> {
  private queue: Waiting<Request, Outcome>[] = []
  private inFlight = 0
  /** When a batch was last sent or answered: a queue with batches in flight and no progress lost its sender. */
  private progressAt = Date.now()
  private readonly maxInFlight: number
  private readonly answerWithinMs: number | undefined
  private readonly handOffAfterMs: number | undefined
  batches = 0

  constructor(
    private readonly send: (requests: Request[]) => Promise<Outcome[]>,
    { maxInFlight = MAX_IN_FLIGHT, answerWithinMs, handOffAfterMs }: HoldQueueOptions = {},
  ) {
    this.maxInFlight = maxInFlight
    this.answerWithinMs = answerWithinMs
    this.handOffAfterMs = handOffAfterMs
  }

  /** Several callers' requests at once (an isolate's batch reaching a gateway), one outcome each, in order. */
  holdEach(requests: Request[]): Promise<Outcome[]> {
    return Promise.all(requests.map((request) => this.hold(request)))
  }

  async hold(request: Request, keepAlive?: KeepAlive): Promise<Outcome> {
    const waiting: Waiting<Request, Outcome> = { request, keepAlive, settle: () => {} }
    let next = new Promise<Signal<Outcome>>((resolve) => {
      waiting.settle = resolve
    })
    this.queue.push(waiting)
    if (this.inFlight < this.maxInFlight) {
      this.inFlight++
      void this.sendBatches(waiting)
    }
    for (;;) {
      const signal = await this.within(next, waiting)
      if (signal.type === 'outcome') return signal.outcome
      if (signal.type === 'error') throw signal.error
      next = new Promise<Signal<Outcome>>((resolve) => {
        waiting.settle = resolve
      })
      void this.sendBatches(waiting)
    }
  }

  private async within(signal: Promise<Signal<Outcome>>, waiting: Waiting<Request, Outcome>) {
    const limit = this.answerWithinMs
    if (limit === undefined) return signal
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HoldQueueTimeout('No answer from the inventory in time')), limit)
    })
    try {
      return await Promise.race([signal, timedOut])
    } catch (error) {
      waiting.gone = true
      const queued = this.queue.indexOf(waiting)
      if (queued >= 0) this.queue.splice(queued, 1)
      // Nothing answered for as long as this caller waited: the request sending for the queue is gone
      // (its continuation was cancelled), so let the next caller start a batch again.
      if (this.inFlight > 0 && Date.now() - this.progressAt >= limit) this.inFlight = 0
      throw error
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * Sends batches while callers are queued, from the context of the caller that started (kept alive for as
   * long, so callers whose client leaves mid-rush do not strand the others). With `handOffAfterMs` the next
   * queued caller takes over after that long, so no one request sends for ever.
   */
  private async sendBatches(leader: Waiting<Request, Outcome>) {
    const sending = this.drain(Date.now())
    leader.keepAlive?.(sending)
    await sending
  }

  private async drain(started: number) {
    for (;;) {
      // Let callers that are already on their way (e.g. everyone the previous batch just answered) join first.
      // A few microtask turns suffice for them; a timer turn (setTimeout 0) cost ~1.7 ms a batch in workerd.
      for (let turn = 0; turn < 16; turn++) await null
      const batch = this.queue.splice(0, MAX_BATCH)
      if (batch.length === 0) {
        // Nobody left (or another sender took everyone queued).
        this.inFlight = Math.max(0, this.inFlight - 1)
        return
      }
      this.batches++
      this.progressAt = Date.now()
      try {
        const outcomes = await this.send(batch.map((w) => w.request))
        this.progressAt = Date.now()
        batch.forEach((waiting, i) => {
          waiting.settle({ type: 'outcome', outcome: outcomes[i]! })
        })
      } catch (error) {
        for (const waiting of batch) waiting.settle({ type: 'error', error })
      }
      if (this.handOffAfterMs !== undefined && Date.now() - started >= this.handOffAfterMs) {
        const next = this.queue.find((w) => !w.leading && !w.gone)
        if (next) {
          next.leading = true
          next.settle({ type: 'lead' })
          return
        }
      }
    }
  }
}
