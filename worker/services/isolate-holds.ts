import { HoldQueue, HoldQueueTimeout, type KeepAlive } from '../../durable-objects/shared/hold-queue.ts'
import { Problem } from '../problem.ts'

/** How long a buyer waits for a batch sent by another request of the isolate before a 503. */
export const ISOLATE_ANSWER_WITHIN_MS = 10_000
/** How long one request keeps sending its isolate's batches before a queued request takes over. */
export const ISOLATE_HAND_OFF_AFTER_MS = 2_000

/** How holds leave this request: batched with the isolate's concurrent holds, or alone. */
export interface HoldBatching {
  /** Coalesce this isolate's concurrent holds (see HOLD_BATCHING in env.ts). */
  batchInIsolate: boolean
  /** The request's `waitUntil`: a request that sends others' batch outlives its own client if need be. */
  keepAlive?: KeepAlive
}

export const holdsAlone: HoldBatching = { batchInIsolate: false }

/**
 * Per inventory actor (a show, a scenic day), the holds of this isolate's concurrent requests, sent to a
 * gateway shard as one call: a request's own RPC to the gateway was half the CPU of a hold on the HTTP path.
 * Plain data shared across requests; each batch is sent from one of them (see HoldQueue).
 */
export class IsolateHolds<Request> {
  private queues = new Map<string, HoldQueue<Request, string>>()

  /**
   * One hold's outcome line for the inventory actor `key`: with `batching.batchInIsolate`, in one `batch`
   * call with this isolate's concurrent holds for that actor, else `alone`. `batch` is kept by the key's
   * queue when first made, so it must not hold a request's I/O objects. A batch that does not answer in
   * time becomes 503 `inventory_busy`.
   */
  send(
    key: string,
    request: Request,
    batching: HoldBatching,
    route: {
      alone: (request: Request) => Promise<string>
      batch: (requests: Request[]) => Promise<string[]>
    },
  ): Promise<string> {
    if (!batching.batchInIsolate) return route.alone(request)
    let queue = this.queues.get(key)
    if (!queue) {
      queue = new HoldQueue(route.batch, {
        answerWithinMs: ISOLATE_ANSWER_WITHIN_MS,
        handOffAfterMs: ISOLATE_HAND_OFF_AFTER_MS,
      })
      this.queues.set(key, queue)
    }
    return answeredInTime(queue.hold(request, batching.keepAlive))
  }
}

/** An inventory outcome line, or 503 `inventory_busy` when the isolate's batch did not answer in time. */
export async function answeredInTime(line: Promise<string>): Promise<string> {
  try {
    return await line
  } catch (error) {
    if (!(error instanceof HoldQueueTimeout)) throw error
    throw new Problem({
      code: 'inventory_busy',
      detail:
        'The inventory did not answer in time; try again (a hold made meanwhile expires unless confirmed)',
      headers: { 'retry-after': '2' },
    })
  }
}
