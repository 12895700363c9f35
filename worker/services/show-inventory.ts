import type { HoldGateway } from '../../durable-objects/hold-gateway.ts'
import { readShowConfig } from '../../durable-objects/show-inventory/catalogue.ts'
import {
  type ShowHoldOutcome,
  type ShowHoldRequest,
  showInventoryStub,
} from '../../durable-objects/show-inventory/contract.ts'
import type { ShowInventory } from '../../durable-objects/show-inventory/index.ts'
import type { Database } from '../db/client.ts'
import { type HoldAnswer, readOutcomeLine } from '../domain/hold-lines.ts'
import { type HoldBatching, holdsAlone, IsolateHolds } from './isolate-holds.ts'
import { SoldOutMemo } from './show-inventory-client.ts'

/** Gateway shards per show: buyers spread over them by id; each coalesces its share of the stampede. */
export const GATEWAY_SHARDS = 8

/** The show inventory as the worker uses it: typed RPC to the show's DO, holds through the gateways. */
export type ShowRefusalOutcome = Extract<ShowHoldOutcome, { ok: false }>

export interface ShowInventoryService {
  /** A hold as JSON text for the buyer (it comes from the actor and goes out unparsed), or the refusal. */
  hold(showId: string, request: ShowHoldRequest): Promise<HoldAnswer<ShowRefusalOutcome>>
  release(showId: string, holdId: string, holderId?: string): Promise<{ released: boolean }>
  /**
   * After an admin edit of the show or its event: reads the show's sale settings as just written and hands them
   * to its actor, which then need not read D1 back (its own periodic check stays the fallback).
   */
  pushConfig(db: Database, showId: string): Promise<{ refreshed: boolean }>
  stub(showId: string): DurableObjectStub<ShowInventory>
}

const soldOut = new SoldOutMemo()

const isolateHolds = new IsolateHolds<ShowHoldRequest>()

/** Which gateway shard a buyer goes through: stable per buyer id. */
export function gatewayShard(key: string): number {
  let h = 2166136261
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619)
  return (h >>> 0) % GATEWAY_SHARDS
}

/** The name of a show's gateway shard. */
export const showGatewayName = (showId: string, shard: number) => `${showId}:${shard}`

export function showInventoryService(
  inventory: DurableObjectNamespace<ShowInventory>,
  gateways: DurableObjectNamespace<HoldGateway>,
  batching: HoldBatching = holdsAlone,
): ShowInventoryService {
  const gateway = (showId: string, holderId: string) =>
    gateways.get(gateways.idFromName(showGatewayName(showId, gatewayShard(holderId))))
  return {
    stub: (showId) => showInventoryStub(inventory, showId),
    async hold(showId, request) {
      const remembered = soldOut.check(showId, request)
      if (remembered) return remembered
      const line = await isolateHolds.send(showId, request, batching, {
        alone: (one) => gateway(showId, one.holderId).hold(showId, one),
        // A batch goes to the shard of its first buyer, so an isolate's batches spread over the shards.
        batch: (requests) => gateway(showId, requests[0]!.holderId).holdBatch(showId, requests),
      })
      const answer = readOutcomeLine<ShowRefusalOutcome>(line)
      if (!answer.ok) soldOut.record(showId, request, answer)
      return answer
    },
    async pushConfig(db, showId) {
      const latest = await readShowConfig(db, showId)
      if (!latest) return { refreshed: false }
      return showInventoryStub(inventory, showId).refreshConfig(showId, latest.config)
    },
    async release(showId, holdId, holderId) {
      const result = await showInventoryStub(inventory, showId).release(showId, holdId, holderId)
      if (result.released) soldOut.forget(showId)
      return result
    },
  }
}
