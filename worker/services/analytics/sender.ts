// Captured events leave an isolate in batches: each hold's own `send` would be one more call per request on the
// hottest path (a request's own RPC was half a hold's CPU, see isolate-holds.ts). The first request with something
// to send flushes after a few milliseconds, in its `waitUntil`, everything the isolate's requests queued meanwhile
// (up to 100 per `sendBatch`); nobody waits on it. Capture is best effort: a failed send is logged and dropped.
import type { AnalyticsQueue, CaptureMessage } from './messages.ts'

const GATHER_MS = 5
/** A flush older than this is taken as lost (its request was cut off) and a new one may start. */
const STALE_MS = 10_000

export class CaptureSender {
  /** Messages still to build: building (parsing a hold's answer) waits for the flush, after the answers went out. */
  private pending: (() => CaptureMessage | null)[] = []
  private flushStartedAt: number | null = null

  /**
   * Queues the message `build` makes (from plain data only); answers the flush the caller must keep alive (`waitUntil`) when it started one, else null.
   * The queue binding is the worker's own (not a request's I/O object), so any request may send others' events.
   */
  add(
    queue: AnalyticsQueue,
    build: () => CaptureMessage | null,
    onError: (error: unknown) => void,
  ): Promise<void> | null {
    this.pending.push(build)
    const now = Date.now()
    if (this.flushStartedAt !== null && now - this.flushStartedAt < STALE_MS) return null
    this.flushStartedAt = now
    return this.flush(queue, onError)
  }

  private async flush(queue: AnalyticsQueue, onError: (error: unknown) => void) {
    await new Promise((resolve) => setTimeout(resolve, GATHER_MS))
    // Ends in the same synchronous step that finds nothing left, so a message added later starts a new flush.
    while (this.pending.length) {
      const batch = this.pending.splice(0, 100).flatMap((build) => {
        try {
          const body = build()
          return body ? [{ body, contentType: 'json' as const }] : []
        } catch (error) {
          onError(error)
          return []
        }
      })
      if (batch.length === 0) continue
      try {
        await queue.sendBatch(batch)
      } catch (error) {
        onError(error)
      }
    }
    this.flushStartedAt = null
  }
}

/** This isolate's sender. */
export const captureSender = new CaptureSender()
