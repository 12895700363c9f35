// Captured events leave an isolate packed: each hold's own `send` would be one more call per request on the hottest
// path (a request's own RPC was half a hold's CPU, see isolate-holds.ts), and each queue message costs the queue
// (locally, the broker in the same workerd) its own serializing and delivery. The first request with something to
// send gathers for a while, in its `waitUntil`, everything the isolate's requests queue meanwhile, and sends it as
// one message (`{ events: [...] }`; more when it outgrows a message); nobody waits on it. A request adding an event
// after the gathering ended starts the next one. Capture is best effort: a failed send is logged and dropped.
import type { AnalyticsQueue, CaptureMessage, CapturePack } from './messages.ts'

/**
 * Long enough to gather a burst's events into one message (a fifth of a second at an on-sale's hundreds of holds a
 * second: one message per ~50 holds, not per ~12 as at 50 ms), short beside `waitUntil`'s 30 s and the consumer's
 * own 2 s batching, so reports see an event no later than before.
 */
const GATHER_MS = 200
/** A pack's JSON in UTF-8 bytes: Queues take up to 128 KB per message. */
const PACK_BYTES = 100_000
/** A flush older than this is taken as lost (its request was cut off) and a new one may start. */
const STALE_MS = 10_000

const utf8 = new TextEncoder()
/** UTF-8 length of a string, encoding only when it is not plain ASCII (it almost always is). */
const bytesOf = (json: string) => (/^[\x20-\x7e]*$/.test(json) ? json.length : utf8.encode(json).byteLength)

/** Events as packs of at most `limit` bytes of JSON each (an event bigger than that alone goes alone). */
export function packed(events: CaptureMessage[], limit = PACK_BYTES): CapturePack[] {
  const envelope = '{"events":[]}'.length
  const packs: CapturePack[] = []
  let current: CaptureMessage[] = []
  let size = envelope
  for (const event of events) {
    const bytes = bytesOf(JSON.stringify(event)) + 1
    if (current.length && size + bytes > limit) {
      packs.push({ events: current })
      current = []
      size = envelope
    }
    current.push(event)
    size += bytes
  }
  if (current.length) packs.push({ events: current })
  return packs
}

export class CaptureSender {
  /** Messages still to build: building (parsing a hold's answer) waits for the flush, after the answers went out. */
  private pending: (() => CaptureMessage | null)[] = []
  private flushStartedAt: number | null = null

  constructor(
    private readonly gatherMs = GATHER_MS,
    private readonly packBytes = PACK_BYTES,
  ) {}

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
    await new Promise((resolve) => setTimeout(resolve, this.gatherMs))
    // Takes everything gathered and ends the gathering in one synchronous step: an event added later (even during
    // the send below) starts the next flush, kept alive by its own request.
    const builds = this.pending
    this.pending = []
    this.flushStartedAt = null
    const events = builds.flatMap((build) => {
      try {
        const event = build()
        return event ? [event] : []
      } catch (error) {
        onError(error)
        return []
      }
    })
    for (const pack of packed(events, this.packBytes)) {
      try {
        await queue.send(pack, { contentType: 'json' })
      } catch (error) {
        onError(error)
      }
    }
  }
}

/** This isolate's sender. */
export const captureSender = new CaptureSender()
