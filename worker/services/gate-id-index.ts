// 身份证核验: the ID part of a site gate's bundle. D1 knows which tickets a site's days hold and whose they are
// (masked name), the scenic-day actors keep the full ID numbers; this joins the two and hashes each number under
// the gate's own key (worker/domain/id-index.ts), so no number leaves the worker and no two gates share a hash.
// The key is derived per device and per day (the epoch): a new day, or a new enrollment, starts a new index.
// Syncs in between send only tickets issued since the gate's cursor (with an overlap for commits in flight).
import { and, eq, gt, gte, inArray, isNotNull, lte } from 'drizzle-orm'
import { type ScenicDayInventory, scenicDay } from '../../durable-objects/scenic-day/stub.ts'
import type { Database } from '../db/client.ts'
import { type gateDevices, orderLines, orders, tickets, visitProducts } from '../db/schema.ts'
import {
  type IdTicketGroup,
  type IdTicketIndex,
  idNumberHash,
  importIdIndexKey,
  maskHolderName,
  toBase64Url,
} from '../domain/id-index.ts'
import { eventKey, type VerifiedTicket } from '../domain/ticket-token.ts'
import { ticketClaims, visitDayStart } from './tickets.ts'

type GateDevice = typeof gateDevices.$inferSelect

/** Tickets issued this long before the gate's cursor come again: a batch committing late is not missed. */
export const ID_INDEX_OVERLAP_MS = 2 * 60_000
/** The index covers the scope's days from yesterday to tomorrow (what a gate meets, wrong days included). */
export const ID_INDEX_DAYS_AROUND = 1
/** How far back a multi-day ticket's first day may lie and still reach today. */
const LONGEST_VALIDITY_DAYS = 31

const encoder = new TextEncoder()
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
/** Visit days are China Standard Time (tickets.ts `visitDayStart`), and so is the index's day. */
const visitDayOf = (now: number) => new Date(now + 8 * 3_600_000).toISOString().slice(0, 10)

/** The device's index key for an epoch: HMAC of the device and epoch under the platform secret (base64url). */
export async function idIndexKey(secret: string, deviceId: string, epoch: string): Promise<string> {
  const master = await crypto.subtle.importKey(
    'raw',
    encoder.encode(`gate-id-index:${secret}`),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  return toBase64Url(
    new Uint8Array(await crypto.subtle.sign('HMAC', master, encoder.encode(`${deviceId}|${epoch}`))),
  )
}

export interface IdIndexEnv {
  SCENIC_DAY_INVENTORY: DurableObjectNamespace<ScenicDayInventory>
  SESSION_SECRET: string
}

/** Where the gate's index stands: the epoch and cursor its last index said (absent on a first sync). */
export interface IdIndexSince {
  epoch?: string | undefined
  cursor?: string | undefined
}

/** The ID index for a site gate (undefined for show gates: their tickets are not indexed by ID yet). */
export async function gateIdIndex(
  db: Database,
  env: IdIndexEnv,
  device: GateDevice,
  since: IdIndexSince,
  now = Date.now(),
): Promise<IdTicketIndex | undefined> {
  if (device.scopeKind !== 'site') return undefined
  const epoch = visitDayOf(now)
  const full = since.epoch !== epoch || !since.cursor
  const first = [addDays(epoch, -ID_INDEX_DAYS_AROUND), device.fromDate!].sort().at(-1)!
  const last = [addDays(epoch, ID_INDEX_DAYS_AROUND), device.toDate!].sort()[0]!
  const key = await idIndexKey(env.SESSION_SECRET, device.id, epoch)
  const issuedAfter = full
    ? undefined
    : new Date(Date.parse(since.cursor!) - ID_INDEX_OVERLAP_MS).toISOString()
  const rows =
    first > last
      ? []
      : await db
          .select({
            ticketId: tickets.id,
            issuedAt: tickets.issuedAt,
            // What the token's claims need, and the actor's line id: a big day's rows stay small.
            line: {
              inventoryRef: orderLines.inventoryRef,
              seatLabel: orderLines.seatLabel,
              productId: orderLines.productId,
              slot: orderLines.slot,
              visitorIdMasked: orderLines.visitorIdMasked,
              visitorName: orderLines.visitorName,
            },
            visitDate: orders.visitDate,
            validityDays: visitProducts.validityDays,
          })
          .from(tickets)
          .innerJoin(orders, eq(orders.id, tickets.orderId))
          .innerJoin(orderLines, eq(orderLines.id, tickets.orderLineId))
          .leftJoin(visitProducts, eq(visitProducts.id, orderLines.productId))
          .where(
            and(
              eq(orders.organizerId, device.organizerId),
              eq(orders.siteId, device.scopeId),
              gte(orders.visitDate, addDays(first, 1 - LONGEST_VALIDITY_DAYS)),
              lte(orders.visitDate, last),
              isNotNull(orderLines.visitorIdMasked),
              issuedAfter ? gt(tickets.issuedAt, issuedAfter) : undefined,
            ),
          )
  const cursor = rows.reduce(
    (latest, row) => (row.issuedAt > latest ? row.issuedAt : latest),
    since.cursor ?? '',
  )
  // Only tickets whose days reach the window (a multi-day ticket from days before included).
  const byDay = new Map<string, typeof rows>()
  for (const row of rows) {
    const lastDay = addDays(row.visitDate!, Math.max(1, row.validityDays ?? 1) - 1)
    if (lastDay < first) continue
    byDay.set(row.visitDate!, [...(byDay.get(row.visitDate!) ?? []), row])
  }
  const hmac = await importIdIndexKey(key)
  const groups = new Map<string, IdTicketGroup>()
  for (const [day, dayRows] of byDay) {
    const sold = await scenicDay(env.SCENIC_DAY_INVENTORY, device.scopeId, day).soldIdNumbers(
      device.scopeId,
      day,
      dayRows.map((row) => row.line.inventoryRef),
    )
    const numbers = new Map(sold.map(([lineId, idNumber]) => [lineId!, idNumber!]))
    const ev = eventKey(`${device.scopeId}:${day}`)
    const nbf = visitDayStart(day)
    for (const row of dayRows) {
      const idNumber = numbers.get(row.line.inventoryRef)
      const hash = idNumber ? await idNumberHash(hmac, idNumber) : null
      if (!hash) continue
      const exp = nbf + Math.max(1, row.validityDays ?? 1) * 86_400
      const it = ticketClaims(row.ticketId, `${device.scopeId}:${day}`, row.line, { nbf, exp }).it
      const groupKey = `${ev}|${exp}`
      const group = groups.get(groupKey) ?? { ev, nbf, exp, items: [], t: [] }
      groups.set(groupKey, group)
      let item = group.items.indexOf(it)
      if (item < 0) item = group.items.push(it) - 1
      group.t.push([
        hash,
        row.ticketId.slice(row.ticketId.indexOf('_') + 1),
        item,
        maskHolderName(row.line.visitorName),
      ])
    }
  }
  return { key, epoch, full, cursor, groups: [...groups.values()] }
}

/** Of these tickets, the real-name ones (their line names a visitor's ID): the only ones an ID admission may name. */
export async function realNameTickets(db: Database, ticketIds: string[]): Promise<Set<string>> {
  const ids = [...new Set(ticketIds)]
  if (ids.length === 0) return new Set()
  const rows = await db
    .select({ id: tickets.id })
    .from(tickets)
    .innerJoin(orderLines, eq(orderLines.id, tickets.orderLineId))
    .where(and(inArray(tickets.id, ids), isNotNull(orderLines.visitorIdMasked)))
  return new Set(rows.map((row) => row.id))
}

/**
 * The ticket an ID admission names, as its token would carry it (what the online check decides on), if it is a
 * real-name visit ticket; undefined otherwise.
 */
export async function idScanTicket(db: Database, ticketId: string): Promise<VerifiedTicket | undefined> {
  const [row] = await db
    .select({
      line: orderLines,
      siteId: orders.siteId,
      visitDate: orders.visitDate,
      validityDays: visitProducts.validityDays,
    })
    .from(tickets)
    .innerJoin(orders, eq(orders.id, tickets.orderId))
    .innerJoin(orderLines, eq(orderLines.id, tickets.orderLineId))
    .leftJoin(visitProducts, eq(visitProducts.id, orderLines.productId))
    .where(and(eq(tickets.id, ticketId), isNotNull(orderLines.visitorIdMasked), isNotNull(orders.visitDate)))
  if (!row?.siteId || !row.visitDate) return undefined
  const ev = `${row.siteId}:${row.visitDate}`
  const nbf = visitDayStart(row.visitDate)
  const claims = ticketClaims(ticketId, ev, row.line, {
    nbf,
    exp: nbf + Math.max(1, row.validityDays ?? 1) * 86_400,
  })
  return { tid: ticketId, evKey: eventKey(ev), it: claims.it, nbf: claims.nbf, exp: claims.exp }
}
