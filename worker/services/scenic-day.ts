import type { HoldGateway } from '../../durable-objects/hold-gateway.ts'
import type {
  ScenicDayInventory,
  ScenicHoldOutcome,
  ScenicHoldRequest,
} from '../../durable-objects/scenic-day-inventory.ts'
import { type HoldAnswer, readOutcomeLine } from '../domain/hold-lines.ts'
import { answeredInTime, type HoldBatching, holdsAlone, IsolateHolds } from './isolate-holds.ts'
import { gatewayShard } from './show-inventory.ts'

/** The DO that owns one scenic site's visit date. */
export function scenicDay(
  namespace: DurableObjectNamespace<ScenicDayInventory>,
  siteId: string,
  date: string,
) {
  return namespace.get(namespace.idFromName(`${siteId}:${date}`))
}

/** The gateway shard a buyer of one scenic day goes through (buyers spread over GATEWAY_SHARDS by id). */
export const dayGatewayName = (siteId: string, date: string, holderId: string) =>
  `day:${siteId}:${date}:${gatewayShard(holderId)}`

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
    gateways.get(gateways.idFromName(dayGatewayName(siteId, date, holderId)))
  const line = await answeredInTime(
    batching.batchInIsolate
      ? isolateHolds.hold(
          `${siteId}:${date}`,
          request,
          (requests) => gateway(requests[0]!.holderId).holdDayBatch(siteId, date, requests),
          batching.keepAlive,
        )
      : gateway(request.holderId).holdDay(siteId, date, request),
  )
  return readOutcomeLine<Extract<ScenicHoldOutcome, { ok: false }>>(line)
}
