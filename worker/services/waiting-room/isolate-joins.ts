import { HoldQueue, HoldQueueTimeout } from '../../../durable-objects/shared/hold-queue.ts'
import type { JoinOutcome, JoinRequest } from '../../../durable-objects/waiting-room/contract.ts'
import type { WaitingRoomSettings } from '../../domain/waiting-room.ts'
import { Problem } from '../../problem.ts'
import { type HoldBatching, ISOLATE_ANSWER_WITHIN_MS, ISOLATE_HAND_OFF_AFTER_MS } from '../isolate-holds.ts'

// Joins coalesced per isolate, like holds (isolate-holds.ts): at an opening thousands of buyers join at once,
// and one room answered only ~150–240 single joins a second (each its own RPC and its own commit). Concurrent
// joins of this isolate for one on-sale go as one `joinBatch` call, in the order they arrived here, so first
// come first served holds within a batch as between batches.

export interface QueuedJoin extends JoinRequest {
  settings: WaitingRoomSettings
}

export type SendJoins = (
  onSale: string,
  settings: WaitingRoomSettings,
  joins: JoinRequest[],
) => Promise<JoinOutcome[]>

export class IsolateJoins {
  private queues = new Map<string, HoldQueue<QueuedJoin, JoinOutcome>>()

  /**
   * One buyer's join: with `batching.batchInIsolate`, in one call with the isolate's concurrent joins for the
   * room (the settings of the batch's last join go with it: all were read from D1 moments apart), else alone.
   * `send` is kept by the room's queue, so it must hold no request's I/O objects (a namespace, not a stub).
   */
  async join(
    onSale: string,
    join: QueuedJoin,
    batching: HoldBatching,
    send: SendJoins,
  ): Promise<JoinOutcome> {
    const { settings, ...request } = join
    if (!batching.batchInIsolate) return (await send(onSale, settings, [request]))[0]!
    let queue = this.queues.get(onSale)
    if (!queue) {
      queue = new HoldQueue(
        (joins) =>
          send(
            onSale,
            joins[joins.length - 1]!.settings,
            joins.map(({ settings: _, ...one }) => one),
          ),
        { answerWithinMs: ISOLATE_ANSWER_WITHIN_MS, handOffAfterMs: ISOLATE_HAND_OFF_AFTER_MS },
      )
      this.queues.set(onSale, queue)
    }
    try {
      return await queue.hold(join, batching.keepAlive)
    } catch (error) {
      if (!(error instanceof HoldQueueTimeout)) throw error
      throw new Problem({
        // The shop already reads this code as "busy, try again" (web/lib/problem-messages.ts).
        code: 'inventory_busy',
        detail: 'The queue did not answer in time; join again (joining twice keeps one place)',
        headers: { 'retry-after': '2' },
      })
    }
  }
}
