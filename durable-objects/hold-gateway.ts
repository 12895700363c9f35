import { DurableObject } from 'cloudflare:workers'
import { splitOutcomeLines } from '../worker/domain/hold-lines.ts'
import { type ScenicDayInventory, type ScenicHoldRequest, scenicDay } from './scenic-day/stub.ts'
import { HoldQueue } from './shared/hold-queue.ts'
import { type ShowHoldRequest, showInventoryStub } from './show-inventory/contract.ts'
import type { ShowInventory } from './show-inventory/index.ts'

/** The inventory actors a gateway forwards to. */
export interface HoldGatewayEnv {
  SHOW_INVENTORY: DurableObjectNamespace<ShowInventory>
  SCENIC_DAY_INVENTORY: DurableObjectNamespace<ScenicDayInventory>
}

/**
 * Front door for one shard of an inventory actor's buyers: a show's (named `<showId>:<shard>`) or a
 * scenic site's day (named `day:<siteId>:<date>:<shard>`). All calls to one DO share its context, so
 * here concurrent holds can be coalesced into batched calls to the single inventory DO: in an on-sale
 * stampede the actor sees a few large batches instead of thousands of tiny calls. Stateless: losing it
 * loses nothing.
 */
export class HoldGateway extends DurableObject<HoldGatewayEnv> {
  private shows = new Map<string, HoldQueue<ShowHoldRequest, string>>()
  private days = new Map<string, HoldQueue<ScenicHoldRequest, string>>()

  /** Calls received per show or day (a single hold or an isolate's batch): how well the worker coalesced. */
  private calls = new Map<string, number>()

  private counted(key: string) {
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1)
  }

  private showQueue(showId: string) {
    this.counted(showId)
    let queue = this.shows.get(showId)
    if (!queue) {
      const stub = showInventoryStub(this.env.SHOW_INVENTORY, showId)
      queue = new HoldQueue(async (requests) =>
        splitOutcomeLines(await stub.holdBatchLines(showId, JSON.stringify(requests)), requests.length),
      )
      this.shows.set(showId, queue)
    }
    return queue
  }

  /** Holds seats through the show's queue; answers the buyer's outcome line (see hold-lines.ts). */
  async hold(showId: string, request: ShowHoldRequest): Promise<string> {
    return this.showQueue(showId).hold(request)
  }

  /** Holds for a batch of a show's buyers (coalesced in a worker isolate) through the same queue; one line each. */
  async holdBatch(showId: string, requests: ShowHoldRequest[]): Promise<string[]> {
    return this.showQueue(showId).holdEach(requests)
  }

  private dayQueue(siteId: string, date: string) {
    const key = `${siteId}:${date}`
    this.counted(`day:${key}`)
    let queue = this.days.get(key)
    if (!queue) {
      const stub = scenicDay(this.env.SCENIC_DAY_INVENTORY, siteId, date)
      queue = new HoldQueue(async (requests) =>
        splitOutcomeLines(await stub.holdBatchLines(siteId, date, JSON.stringify(requests)), requests.length),
      )
      this.days.set(key, queue)
    }
    return queue
  }

  /** Holds tickets through the day's queue; answers the buyer's outcome line. */
  async holdDay(siteId: string, date: string, request: ScenicHoldRequest): Promise<string> {
    return this.dayQueue(siteId, date).hold(request)
  }

  /** Holds for a batch of a day's buyers (coalesced in a worker isolate) through the same queue; one line each. */
  async holdDayBatch(siteId: string, date: string, requests: ScenicHoldRequest[]): Promise<string[]> {
    return this.dayQueue(siteId, date).holdEach(requests)
  }

  /** Batches sent so far to a show's actor, for tests and the benchmark. */
  async batchesSent(showId: string): Promise<number> {
    return this.shows.get(showId)?.batches ?? 0
  }

  /** Calls received so far for a show, for tests. */
  async callsReceived(showId: string): Promise<number> {
    return this.calls.get(showId) ?? 0
  }

  /** Calls received so far for a scenic day, for tests. */
  async dayCallsReceived(siteId: string, date: string): Promise<number> {
    return this.calls.get(`day:${siteId}:${date}`) ?? 0
  }

  /** Batches sent so far to a scenic day's actor, for tests. */
  async dayBatchesSent(siteId: string, date: string): Promise<number> {
    return this.days.get(`${siteId}:${date}`)?.batches ?? 0
  }
}
