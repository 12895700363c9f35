import type { HoldGateway } from '../../durable-objects/hold-gateway.ts'
import type {
  ScenicDayInventory,
  ScenicHoldOutcome,
  ScenicHoldRequest,
} from '../../durable-objects/scenic-day-inventory.ts'
import { type HoldAnswer, readOutcomeLine } from '../domain/hold-lines.ts'
import { type HoldBatching, holdsAlone, IsolateHolds } from './isolate-holds.ts'
import { gatewayShard } from './show-inventory.ts'

/** The DO that owns one scenic site's visit date. */
export function scenicDay(
  namespace: DurableObjectNamespace<ScenicDayInventory>,
  siteId: string,
  date: string,
) {
  return namespace.get(namespace.idFromName(`${siteId}:${date}`))
}

/** The name of a scenic day's gateway shard (a buyer goes through `gatewayShard(holderId)`). */
export const dayGatewayName = (siteId: string, date: string, shard: number) =>
  `day:${siteId}:${date}:${shard}`

const isolateHolds = new IsolateHolds<ScenicHoldRequest>()

/**
 * Holds tickets for a scenic day through the buyer's hold gateway, which coalesces concurrent buyers
 * into batched calls to the day's DO (a holiday morning's rush is decided a batch at a time). With
 * `batching.batchInIsolate`, this isolate's concurrent holds for the day travel to a gateway as one call.
 */
export async function holdScenicDay(
  gateways: DurableObjectNamespace<HoldGateway>,
  siteId: string,
  date: string,
  request: ScenicHoldRequest,
  batching: HoldBatching = holdsAlone,
): Promise<HoldAnswer<Extract<ScenicHoldOutcome, { ok: false }>>> {
  const gateway = (holderId: string) =>
    gateways.get(gateways.idFromName(dayGatewayName(siteId, date, gatewayShard(holderId))))
  const line = await isolateHolds.send(`${siteId}:${date}`, request, batching, {
    alone: (one) => gateway(one.holderId).holdDay(siteId, date, one),
    batch: (requests) => gateway(requests[0]!.holderId).holdDayBatch(siteId, date, requests),
  })
  return readOutcomeLine<Extract<ScenicHoldOutcome, { ok: false }>>(line)
}
