/**
 * Background work that writes kick (publish the outbox, deliver messages): one loop at a time per isolate. A kick
 * while the loop runs asks for one more run afterwards, with that kick's closure, so what the kicking request wrote
 * is still handled right after it; with a gathering window, a kick while the loop waits to start its run joins that
 * run instead. The loop lives on its first request's `waitUntil` (which the platform ends ~30 s after the answer):
 * under steady writes a run is always asked for, so past `loopMs` the loop stops and the next write's kick starts a
 * fresh loop on its own request (or the minute cron does the work, if no write comes).
 */
type Run = () => Promise<unknown>

/** How long one loop may keep going on its first request's `waitUntil`. */
export const maxLoopMs = 15_000

export class KickedLoop {
  private inFlight: Promise<void> | null = null
  private gathering = false
  private next: Run | null = null

  /** Starts the loop with `run` (answers it, for the caller's `waitUntil`), or asks the running loop for one more run. */
  kick(run: Run, gatherMs = 0, loopMs = maxLoopMs): Promise<void> | null {
    if (this.inFlight) {
      if (!this.gathering) this.next = run
      return null
    }
    const started = Date.now()
    this.inFlight = (async () => {
      try {
        for (let current: Run | null = run; current; ) {
          this.next = null
          if (gatherMs > 0) {
            this.gathering = true
            await new Promise((resolve) => setTimeout(resolve, gatherMs))
            this.gathering = false
          }
          await current()
          current = Date.now() - started < loopMs ? this.next : null
        }
      } finally {
        this.gathering = false
        this.next = null
        this.inFlight = null
      }
    })()
    return this.inFlight
  }
}
