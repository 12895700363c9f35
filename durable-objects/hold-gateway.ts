import { DurableObject } from 'cloudflare:workers'
import type { Bindings } from '../worker/env.ts'
import { ShowHoldQueue, showInventoryStub } from '../worker/services/show-inventory-client.ts'
import type { ShowHoldOutcome, ShowHoldRequest } from './show-inventory.ts'

/**
 * Front door for one shard of a show's buyers (named `<showId>:<shard>`). All calls to one DO share
 * its context, so here concurrent holds can be coalesced into batched calls to the show's single
 * inventory DO: in an on-sale stampede the inventory actor sees a few large batches instead of
 * thousands of tiny calls. Stateless: losing it loses nothing.
 */
export class HoldGateway extends DurableObject<Bindings> {
  private queues = new Map<string, ShowHoldQueue>()

  async hold(showId: string, request: ShowHoldRequest): Promise<ShowHoldOutcome> {
    let queue = this.queues.get(showId)
    if (!queue) {
      const stub = showInventoryStub(this.env.SHOW_INVENTORY, showId)
      queue = new ShowHoldQueue(async (requests) =>
        JSON.parse(await stub.holdBatchJson(showId, JSON.stringify(requests))),
      )
      this.queues.set(showId, queue)
    }
    return queue.hold(request)
  }

  /** Batches sent so far, for tests and the benchmark. */
  async batchesSent(showId: string): Promise<number> {
    return this.queues.get(showId)?.batches ?? 0
  }
}
