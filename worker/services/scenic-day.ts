import { and, eq } from 'drizzle-orm'
import type { HoldGateway } from '../../durable-objects/hold-gateway.ts'
import {
  type ScenicDayInventory,
  type ScenicHoldOutcome,
  type ScenicHoldRequest,
  scenicDay,
} from '../../durable-objects/scenic-day/stub.ts'
import type { Database } from '../db/client.ts'
import { orderLines, orders, tickets } from '../db/schema.ts'
import { importTicketKeys, parseScan } from '../domain/gate-decision.ts'
import { type HoldAnswer, readOutcomeLine } from '../domain/hold-lines.ts'
import { venueDate } from '../domain/scenic-price-calendar.ts'
import { eventKey, readTicket } from '../domain/ticket-token.ts'
import { type HoldBatching, holdsAlone, IsolateHolds } from './isolate-holds.ts'
import { gatewayShard } from './show-inventory.ts'
import { parseTicketKeys, publicJwks } from './ticket-keys.ts'

/** The DO that owns one scenic site's visit date (the actor's own stub helper). */
export { scenicDay } from '../../durable-objects/scenic-day/stub.ts'

/** The name of a scenic day's gateway shard (a buyer goes through `gatewayShard(holderId)`). */
export const dayGatewayName = (siteId: string, date: string, shard: number) =>
  `day:${siteId}:${date}:${shard}`

const isolateHolds = new IsolateHolds<ScenicHoldRequest>()

/**
 * Has every bookable day of a site (today to the end of its booking window, in its zone) read the catalogue
 * again now, rather than within the actors' catalogue TTL: after a price change, so no day quotes an old price.
 */
export async function refreshBookableDays(
  days: DurableObjectNamespace<ScenicDayInventory>,
  siteId: string,
  site: { timezone: string; bookingDaysAhead: number },
) {
  const today = Date.parse(`${venueDate(site.timezone)}T00:00:00Z`)
  await Promise.all(
    Array.from({ length: site.bookingDaysAhead + 1 }, (_, k) => {
      const date = new Date(today + k * 86_400_000).toISOString().slice(0, 10)
      return scenicDay(days, siteId, date).refreshConfig(siteId, date)
    }),
  )
}

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

let keyring: { secret: string; keys: ReturnType<typeof importTicketKeys> } | undefined
/** The public ticket keys, imported once per isolate (again after a rotation changes the secret). */
function ticketKeys(secret: string) {
  if (keyring?.secret !== secret)
    keyring = { secret, keys: importTicketKeys(publicJwks(parseTicketKeys(secret))) }
  return keyring.keys
}

/**
 * The inventory line of a valid ticket for this site and day, proven by the ticket's own signed code (the
 * QR code's content, with or without its rotating `~code`): only someone the ticket's holder showed it to has
 * it. Null for a code that is not one of ours, is for another day, or whose ticket was refunded.
 */
export async function ticketLineOfCode(
  db: Database,
  keysSecret: string,
  siteId: string,
  date: string,
  code: string,
): Promise<string | null> {
  const keys = await ticketKeys(keysSecret)
  const read = await readTicket(parseScan(code).token, (kid) => keys.get(kid))
  if (!read.ok || read.ticket.evKey !== eventKey(`${siteId}:${date}`)) return null
  const [row] = await db
    .select({ ref: orderLines.inventoryRef })
    .from(tickets)
    .innerJoin(orderLines, eq(orderLines.id, tickets.orderLineId))
    .innerJoin(orders, eq(orders.id, tickets.orderId))
    .where(
      and(
        eq(tickets.id, read.ticket.tid),
        eq(tickets.status, 'valid'),
        eq(orders.siteId, siteId),
        eq(orders.visitDate, date),
      ),
    )
  return row?.ref ?? null
}
