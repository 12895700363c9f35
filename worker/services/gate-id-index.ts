// 身份证核验: the ID part of a gate's bundle. D1 knows which real-name tickets a site's days (or an event's shows)
// hold and whose they are (masked name), the scenic-day (or show) actors keep the full ID numbers; this joins the
// two and hashes each number under
// the gate's own key (worker/domain/id-index.ts), so no number leaves the worker and no two gates share a hash.
// The key is derived per device and per day (the epoch): a new day, or a new enrollment, starts a new index.
// Syncs in between send only tickets issued since the gate's cursor (with an overlap for commits in flight).
import { and, eq, gt, gte, inArray, isNotNull, lte } from 'drizzle-orm'
import { type ScenicDayInventory, scenicDay } from '../../durable-objects/scenic-day/stub.ts'
import type { ShowInventory } from '../../durable-objects/show-inventory/index.ts'
import type { Database } from '../db/client.ts'
import { events, type gateDevices, orderLines, orders, shows, tickets, visitProducts } from '../db/schema.ts'
import {
  type IdTicketGroup,
  type IdTicketIndex,
  idNumberHash,
  importIdIndexKey,
  maskHolderName,
  toBase64Url,
} from '../domain/id-index.ts'
import { eventKey, type VerifiedTicket } from '../domain/ticket-token.ts'
import { showInventoryStub } from './show-inventory-client.ts'
import { showTicketWindow, ticketClaims, visitDayStart } from './tickets.ts'

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
  SHOW_INVENTORY: DurableObjectNamespace<ShowInventory>
  SESSION_SECRET: string
}

/** Where the gate's index stands: the epoch and cursor its last index said (absent on a first sync). */
export interface IdIndexSince {
  epoch?: string | undefined
  cursor?: string | undefined
}

/** A real-name ticket of the gate's scope as its token would carry it, with its holder's number (never sent). */
interface IndexedTicket {
  ticketId: string
  ev: string
  nbf: number
  exp: number
  it: string
  name: string | null
  idNumber: string
}

/** The tickets a scope's source found (issued after `issuedAfter`, if given) and the latest issue time among them. */
interface IndexSource {
  tickets: IndexedTicket[]
  latestIssuedAt: string
}

/** The days the index covers: `first`..`last` (visit dates), and tickets issued after `issuedAfter` if set. */
interface IndexWindow {
  first: string
  last: string
  issuedAfter: string | undefined
}

const latestOf = (rows: { issuedAt: string }[]) =>
  rows.reduce((latest, row) => (row.issuedAt > latest ? row.issuedAt : latest), '')

/**
 * The ID index for a gate: a site gate's tickets of the site's days, a show gate's of its event's shows; none for
 * a show gate whose event is not real-name (its tickets carry no ID number, so the gate offers no ID mode).
 */
export async function gateIdIndex(
  db: Database,
  env: IdIndexEnv,
  device: GateDevice,
  since: IdIndexSince,
  now = Date.now(),
): Promise<IdTicketIndex | undefined> {
  if (device.scopeKind === 'event') {
    const [event] = await db
      .select({ realName: events.realNameRequired })
      .from(events)
      .where(eq(events.id, device.scopeId))
    if (!event?.realName) return undefined
  }
  const epoch = visitDayOf(now)
  const full = since.epoch !== epoch || !since.cursor
  const window: IndexWindow = {
    first: [addDays(epoch, -ID_INDEX_DAYS_AROUND), device.fromDate ?? ''].sort().at(-1)!,
    last: [addDays(epoch, ID_INDEX_DAYS_AROUND), device.toDate ?? '9999-12-31'].sort()[0]!,
    issuedAfter: full ? undefined : new Date(Date.parse(since.cursor!) - ID_INDEX_OVERLAP_MS).toISOString(),
  }
  const key = await idIndexKey(env.SESSION_SECRET, device.id, epoch)
  const source =
    window.first > window.last
      ? { tickets: [], latestIssuedAt: '' }
      : device.scopeKind === 'site'
        ? await siteTickets(db, env, device, window)
        : await showTickets(db, env, device, window)
  const cursor = [since.cursor ?? '', source.latestIssuedAt].sort().at(-1)!
  const hmac = await importIdIndexKey(key)
  const groups = new Map<string, IdTicketGroup>()
  for (const ticket of source.tickets) {
    const hash = await idNumberHash(hmac, ticket.idNumber)
    if (!hash) continue
    const ev = eventKey(ticket.ev)
    const groupKey = `${ev}|${ticket.nbf}|${ticket.exp}`
    const group = groups.get(groupKey) ?? { ev, nbf: ticket.nbf, exp: ticket.exp, items: [], t: [] }
    groups.set(groupKey, group)
    let item = group.items.indexOf(ticket.it)
    if (item < 0) item = group.items.push(ticket.it) - 1
    group.t.push([
      hash,
      ticket.ticketId.slice(ticket.ticketId.indexOf('_') + 1),
      item,
      maskHolderName(ticket.name),
    ])
  }
  return { key, epoch, full, cursor, groups: [...groups.values()] }
}

/** A site's real-name tickets whose days reach the window; the scenic-day actors keep the numbers. */
async function siteTickets(
  db: Database,
  env: IdIndexEnv,
  device: GateDevice,
  { first, last, issuedAfter }: IndexWindow,
): Promise<IndexSource> {
  const rows = await db
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
  // Only tickets whose days reach the window (a multi-day ticket from days before included).
  const byDay = new Map<string, typeof rows>()
  for (const row of rows) {
    const lastDay = addDays(row.visitDate!, Math.max(1, row.validityDays ?? 1) - 1)
    if (lastDay < first) continue
    byDay.set(row.visitDate!, [...(byDay.get(row.visitDate!) ?? []), row])
  }
  const found: IndexedTicket[] = []
  for (const [day, dayRows] of byDay) {
    const sold = await scenicDay(env.SCENIC_DAY_INVENTORY, device.scopeId, day).soldIdNumbers(
      device.scopeId,
      day,
      dayRows.map((row) => row.line.inventoryRef),
    )
    const numbers = new Map(sold.map(([lineId, idNumber]) => [lineId!, idNumber!]))
    const ev = `${device.scopeId}:${day}`
    const nbf = visitDayStart(day)
    for (const row of dayRows) {
      const idNumber = numbers.get(row.line.inventoryRef)
      if (!idNumber) continue
      const exp = nbf + Math.max(1, row.validityDays ?? 1) * 86_400
      const { it } = ticketClaims(row.ticketId, ev, row.line, { nbf, exp })
      found.push({ ticketId: row.ticketId, ev, nbf, exp, it, name: row.line.visitorName, idNumber })
    }
  }
  return { tickets: found, latestIssuedAt: latestOf(rows) }
}

/**
 * An event's real-name show tickets (实名制演出) for its shows starting in the window; the show actors keep the
 * numbers per hold, in the order of the hold's seats.
 */
async function showTickets(
  db: Database,
  env: IdIndexEnv,
  device: GateDevice,
  { first, last, issuedAfter }: IndexWindow,
): Promise<IndexSource> {
  const from = visitDayStart(first) * 1000
  const until = (visitDayStart(last) + 86_400) * 1000
  const eventShows = (
    await db
      .select({ id: shows.id, startsAt: shows.startsAt, endsAt: shows.endsAt })
      .from(shows)
      .where(and(eq(shows.organizerId, device.organizerId), eq(shows.eventId, device.scopeId)))
  ).filter((show) => Date.parse(show.startsAt) >= from && Date.parse(show.startsAt) < until)
  if (eventShows.length === 0) return { tickets: [], latestIssuedAt: '' }
  const rows = await db
    .select({
      ticketId: tickets.id,
      issuedAt: tickets.issuedAt,
      showId: orders.showId,
      holdId: orders.holdId,
      line: {
        inventoryRef: orderLines.inventoryRef,
        seatLabel: orderLines.seatLabel,
        productId: orderLines.productId,
        slot: orderLines.slot,
        visitorIdMasked: orderLines.visitorIdMasked,
        visitorName: orderLines.visitorName,
      },
    })
    .from(tickets)
    .innerJoin(orders, eq(orders.id, tickets.orderId))
    .innerJoin(orderLines, eq(orderLines.id, tickets.orderLineId))
    .where(
      and(
        eq(orders.organizerId, device.organizerId),
        inArray(
          orders.showId,
          eventShows.map((show) => show.id),
        ),
        isNotNull(orderLines.visitorIdMasked),
        issuedAfter ? gt(tickets.issuedAt, issuedAfter) : undefined,
      ),
    )
  const found: IndexedTicket[] = []
  for (const show of eventShows) {
    const showRows = rows.filter((row) => row.showId === show.id && row.holdId)
    if (showRows.length === 0) continue
    const sold = await showInventoryStub(env.SHOW_INVENTORY, show.id).soldIdNumbers(show.id, [
      ...new Set(showRows.map((row) => row.holdId!)),
    ])
    const numbers = new Map(sold.map(([seatId, idNumber]) => [seatId, idNumber]))
    const window = showTicketWindow(show)
    for (const row of showRows) {
      const idNumber = numbers.get(row.line.inventoryRef)
      if (!idNumber) continue
      const { it } = ticketClaims(row.ticketId, show.id, row.line, window)
      found.push({ ticketId: row.ticketId, ev: show.id, ...window, it, name: row.line.visitorName, idNumber })
    }
  }
  return { tickets: found, latestIssuedAt: latestOf(rows) }
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
 * real-name visit or show ticket; undefined otherwise.
 */
export async function idScanTicket(db: Database, ticketId: string): Promise<VerifiedTicket | undefined> {
  const [row] = await db
    .select({
      line: orderLines,
      siteId: orders.siteId,
      visitDate: orders.visitDate,
      validityDays: visitProducts.validityDays,
      show: { id: shows.id, startsAt: shows.startsAt, endsAt: shows.endsAt },
    })
    .from(tickets)
    .innerJoin(orders, eq(orders.id, tickets.orderId))
    .innerJoin(orderLines, eq(orderLines.id, tickets.orderLineId))
    .leftJoin(visitProducts, eq(visitProducts.id, orderLines.productId))
    .leftJoin(shows, eq(shows.id, orders.showId))
    .where(and(eq(tickets.id, ticketId), isNotNull(orderLines.visitorIdMasked)))
  if (!row) return undefined
  let ev: string
  let window: { nbf: number; exp: number }
  if (row.show?.id) {
    ev = row.show.id
    window = showTicketWindow(row.show)
  } else if (row.siteId && row.visitDate) {
    ev = `${row.siteId}:${row.visitDate}`
    const nbf = visitDayStart(row.visitDate)
    window = { nbf, exp: nbf + Math.max(1, row.validityDays ?? 1) * 86_400 }
  } else return undefined
  const claims = ticketClaims(ticketId, ev, row.line, window)
  return { tid: ticketId, evKey: eventKey(ev), it: claims.it, nbf: claims.nbf, exp: claims.exp }
}
