// The long lists an organizer exports (orders, attendees, OTA settlement), read from D1 a keyset page at a time.
// Each reader answers the next page after a cursor; the export stream asks for a page only when it has written
// the previous one.
import { and, asc, eq, gt, gte, isNotNull, lt, or, sql } from 'drizzle-orm'
import {
  events,
  orderLines,
  orders,
  partnerOrders,
  partners,
  redemptions,
  scenicSites,
  shows,
  tickets,
} from '../../db/schema.ts'
import type { StaffEnv } from '../../middleware/staff-auth.ts'
import { type ExportLocale, heading, majorUnits } from '../../services/exports/labels.ts'
import { type Cell, keysetPages } from '../../services/exports/table-stream.ts'

type Db = StaffEnv['Variables']['db']
export const exportPageSize = 500

export interface ListFilter {
  organizerId: string
  /** UTC instants: [start, end). */
  start: string
  end: string
  eventId?: string | undefined
  showId?: string | undefined
  siteId?: string | undefined
  channel?: string | undefined
}

export const orderColumns = [
  'number',
  'createdAt',
  'paidAt',
  'status',
  'channel',
  'eventName',
  'startsAt',
  'site',
  'visitDate',
  'tickets',
  'total',
  'refundedTotal',
  'currency',
  'email',
  'phone',
] as const

/** Orders placed in the range (oldest first), with their event or site and standing tickets. */
export function orderPages(db: Db, f: ListFilter) {
  const read = (after: { createdAt: string; id: string } | null) =>
    db
      .select({
        id: orders.id,
        number: orders.number,
        createdAt: orders.createdAt,
        paidAt: orders.paidAt,
        status: orders.status,
        channel: orders.channel,
        eventName: events.name,
        startsAt: shows.startsAt,
        site: scenicSites.name,
        visitDate: orders.visitDate,
        tickets: sql<number>`(select count(*) from ${orderLines} where ${orderLines.orderId} = ${orders.id} and ${orderLines.status} = 'active')`,
        total: orders.total,
        refundedTotal: orders.refundedTotal,
        currency: orders.currency,
        email: orders.email,
        phone: orders.phone,
      })
      .from(orders)
      .leftJoin(shows, eq(shows.id, orders.showId))
      .leftJoin(events, eq(events.id, shows.eventId))
      .leftJoin(scenicSites, eq(scenicSites.id, orders.siteId))
      .where(
        and(
          eq(orders.organizerId, f.organizerId),
          gte(orders.createdAt, f.start),
          lt(orders.createdAt, f.end),
          f.eventId ? eq(shows.eventId, f.eventId) : undefined,
          f.showId ? eq(orders.showId, f.showId) : undefined,
          f.siteId ? eq(orders.siteId, f.siteId) : undefined,
          f.channel ? eq(orders.channel, f.channel) : undefined,
          after
            ? or(
                gt(orders.createdAt, after.createdAt),
                and(eq(orders.createdAt, after.createdAt), gt(orders.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(asc(orders.createdAt), asc(orders.id))
      .limit(exportPageSize)
  return keysetPages(
    read,
    (row) => ({ createdAt: row.createdAt, id: row.id }),
    exportPageSize,
    (rows): Cell[][] =>
      rows.map((r) => [
        r.number,
        r.createdAt,
        r.paidAt,
        r.status,
        r.channel,
        r.eventName,
        r.startsAt,
        r.site,
        r.visitDate,
        Number(r.tickets),
        majorUnits(r.total),
        majorUnits(r.refundedTotal),
        r.currency,
        r.email,
        r.phone,
      ]),
  )
}

export const attendeeColumns = [
  'ticket',
  'number',
  'seat',
  'category',
  'holder',
  'contact',
  'status',
  'admittedAt',
  'gate',
] as const

/** Every ticket of a show (or of a scenic site's visit day), its holder and whether a gate admitted it. */
export function attendeePages(
  db: Db,
  organizerId: string,
  scope: { showId: string } | { siteId: string; visitDate: string },
) {
  const read = (after: string | null) =>
    db
      .select({
        ticket: tickets.id,
        number: orders.number,
        seat: orderLines.seatLabel,
        category: orderLines.category,
        holder: orderLines.visitorName,
        phone: orders.phone,
        email: orders.email,
        status: tickets.status,
        admittedAt: redemptions.redeemedAt,
        gate: redemptions.gateName,
      })
      .from(tickets)
      .innerJoin(orders, eq(orders.id, tickets.orderId))
      .innerJoin(orderLines, eq(orderLines.id, tickets.orderLineId))
      .leftJoin(redemptions, eq(redemptions.ticketId, tickets.id))
      .where(
        and(
          eq(orders.organizerId, organizerId),
          'showId' in scope
            ? eq(orders.showId, scope.showId)
            : and(eq(orders.siteId, scope.siteId), eq(orders.visitDate, scope.visitDate)),
          after ? gt(tickets.id, after) : undefined,
        ),
      )
      .orderBy(asc(tickets.id))
      .limit(exportPageSize)
  return keysetPages(
    read,
    (row) => row.ticket,
    exportPageSize,
    (rows): Cell[][] =>
      rows.map((r) => [
        r.ticket,
        r.number,
        r.seat,
        r.category,
        r.holder,
        r.phone ?? r.email,
        r.status,
        r.admittedAt,
        r.gate,
      ]),
  )
}

export const settlementColumns = [
  'partner',
  'partnerOrderId',
  'number',
  'paidAt',
  'description',
  'visitDate',
  'price',
  'status',
  'redeemedAt',
  'owed',
] as const

/**
 * OTA settlement: each line a partner sold (orders paid in the range) and whether it was used; a partner owes the
 * price of the lines that were redeemed (refunded lines owe nothing).
 */
export function settlementPages(db: Db, f: ListFilter) {
  const read = (after: string | null) =>
    db
      .select({
        lineId: orderLines.id,
        partner: partners.name,
        partnerOrderId: partnerOrders.partnerOrderId,
        number: orders.number,
        paidAt: orders.paidAt,
        description: orderLines.description,
        visitDate: orders.visitDate,
        price: orderLines.price,
        status: orderLines.status,
        redeemedAt: redemptions.redeemedAt,
      })
      .from(partnerOrders)
      .innerJoin(partners, eq(partners.id, partnerOrders.partnerId))
      .innerJoin(orders, eq(orders.id, partnerOrders.orderId))
      .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
      .leftJoin(tickets, eq(tickets.orderLineId, orderLines.id))
      .leftJoin(redemptions, eq(redemptions.ticketId, tickets.id))
      .where(
        and(
          eq(partners.organizerId, f.organizerId),
          eq(orders.organizerId, f.organizerId),
          isNotNull(orders.paidAt),
          gte(orders.paidAt, f.start),
          lt(orders.paidAt, f.end),
          f.showId ? eq(orders.showId, f.showId) : undefined,
          f.siteId ? eq(orders.siteId, f.siteId) : undefined,
          f.channel ? eq(orders.channel, f.channel) : undefined,
          after ? gt(orderLines.id, after) : undefined,
        ),
      )
      .orderBy(asc(orderLines.id))
      .limit(exportPageSize)
  return keysetPages(
    read,
    (row) => row.lineId,
    exportPageSize,
    (rows): Cell[][] =>
      rows.map((r) => [
        r.partner,
        r.partnerOrderId,
        r.number,
        r.paidAt,
        r.description,
        r.visitDate,
        majorUnits(r.price),
        r.status,
        r.redeemedAt,
        majorUnits(r.status === 'active' && r.redeemedAt ? r.price : 0),
      ]),
  )
}

export const headings = (columns: readonly string[], locale: ExportLocale, currency?: string) =>
  columns.map((column) => heading(column, locale, currency))
