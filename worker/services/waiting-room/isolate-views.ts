import { HoldQueue, HoldQueueTimeout } from '../../../durable-objects/shared/hold-queue.ts'
import type { QueueAnswer } from '../../../durable-objects/waiting-room/contract.ts'
import { shardName, type WaitingRoomSettings } from '../../domain/waiting-room.ts'
import { Problem } from '../../problem.ts'
import { type HoldBatching, ISOLATE_ANSWER_WITHIN_MS, ISOLATE_HAND_OFF_AFTER_MS } from '../isolate-holds.ts'

// Position reads coalesced per isolate, like joins (isolate-joins.ts): far back in a big queue every buyer's page
// asks for its place every few seconds, and a read cost its room an RPC of its own; the stadium bench's profile
// (test/bench/README.md) had those calls as much of a room's work as the reads themselves. Concurrent reads of
// this isolate for one room go as one `viewBatch` call, each answered exactly as a single `view`.

export type SendViews = (
  room: { onSale: string; shard: number },
  settings: WaitingRoomSettings,
  buyerIds: string[],
) => Promise<QueueAnswer[]>

interface QueuedView {
  buyerId: string
  settings: WaitingRoomSettings
}

export class IsolateViews {
  private queues = new Map<string, HoldQueue<QueuedView, QueueAnswer>>()

  /**
   * One buyer's place in shard `shard` of `onSale`'s queue: with `batching.batchInIsolate`, in one call with the
   * isolate's concurrent reads for that room (the settings of the batch's last read go with it: all were read
   * from D1 moments apart), else alone. `send` is kept by the room's queue, so it must hold no request's I/O
   * objects (a namespace, not a stub).
   */
  async view(
    room: { onSale: string; shard: number },
    read: QueuedView,
    batching: HoldBatching,
    send: SendViews,
  ): Promise<QueueAnswer> {
    if (!batching.batchInIsolate) return (await send(room, read.settings, [read.buyerId]))[0]!
    const key = shardName(room.onSale, room.shard)
    let queue = this.queues.get(key)
    if (!queue) {
      queue = new HoldQueue(
        (reads) =>
          send(
            room,
            reads[reads.length - 1]!.settings,
            reads.map((r) => r.buyerId),
          ),
        { answerWithinMs: ISOLATE_ANSWER_WITHIN_MS, handOffAfterMs: ISOLATE_HAND_OFF_AFTER_MS },
      )
      this.queues.set(key, queue)
    }
    try {
      return await queue.hold(read, batching.keepAlive)
    } catch (error) {
      if (!(error instanceof HoldQueueTimeout)) throw error
      throw new Problem({
        // The shop already reads this code as "busy, try again" (web/lib/problem-messages.ts).
        code: 'inventory_busy',
        detail: 'The queue did not answer in time; ask again',
        headers: { 'retry-after': '2' },
      })
    }
  }
}
