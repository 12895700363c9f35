import { DurableObject } from 'cloudflare:workers'
import type { Bindings } from '../worker/env.ts'
import { HoldQueue } from '../worker/services/hold-queue.ts'
import { scenicDay } from '../worker/services/scenic-day.ts'
import { showInventoryStub } from '../worker/services/show-inventory-client.ts'
import type { ScenicHoldOutcome, ScenicHoldRequest } from './scenic-day-inventory.ts'
import type { ShowHoldOutcome, ShowHoldRequest } from './show-inventory.ts'

/**
 * Front door for one shard of an inventory actor's buyers: a show's (named `<showId>:<shard>`) or a
 * scenic site's day (named `day:<siteId>:<date>:<shard>`). All calls to one DO share its context, so
 * here concurrent holds can be coalesced into batched calls to the single inventory DO: in an on-sale
 * stampede the actor sees a few large batches instead of thousands of tiny calls. Stateless: losing it
 * loses nothing.
 */
export class HoldGateway extends DurableObject<Bindings> {
  private shows = new Map<string, HoldQueue<ShowHoldRequest, ShowHoldOutcome>>()
  private days = new Map<string, HoldQueue<ScenicHoldRequest, ScenicHoldOutcome>>()

  async hold(showId: string, request: ShowHoldRequest): Promise<ShowHoldOutcome> {
    let queue = this.shows.get(showId)
    if (!queue) {
      const stub = showInventoryStub(this.env.SHOW_INVENTORY, showId)
      queue = new HoldQueue(async (requests) =>
        JSON.parse(await stub.holdBatchJson(showId, JSON.stringify(requests))),
      )
      this.shows.set(showId, queue)
    }
    return queue.hold(request)
  }

  async holdDay(siteId: string, date: string, request: ScenicHoldRequest): Promise<ScenicHoldOutcome> {
    const key = `${siteId}:${date}`
    let queue = this.days.get(key)
    if (!queue) {
      const stub = scenicDay(this.env.SCENIC_DAY_INVENTORY, siteId, date)
      queue = new HoldQueue(async (requests) =>
        JSON.parse(await stub.holdBatchJson(siteId, date, JSON.stringify(requests))),
      )
      this.days.set(key, queue)
    }
    return queue.hold(request)
  }

  /** Batches sent so far to a show's actor, for tests and the benchmark. */
  async batchesSent(showId: string): Promise<number> {
    return this.shows.get(showId)?.batches ?? 0
  }

  /** Batches sent so far to a scenic day's actor, for tests. */
  async dayBatchesSent(siteId: string, date: string): Promise<number> {
    return this.days.get(`${siteId}:${date}`)?.batches ?? 0
  }
}
