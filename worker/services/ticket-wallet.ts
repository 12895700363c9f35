// "My tickets" as a wallet: every ticket of the buyer's orders with what, when, where and which seat or
// slot, and its state, without signing tokens (the QR comes with the order's ticket page). A page is a run of
// the buyer's orders, newest first; each order's tickets come whole.
import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { events, orderLines, orders, organizers, scenicSites, shows, tickets, venues } from '../db/schema.ts'
import { type TicketFacts, ticketFactsOf } from './ticket-facts.ts'
import { showTicketWindow, visitDayStart } from './tickets.ts'

const DAY = 86_400

export interface WalletTicket extends TicketFacts {
  ticketId: string
  orderId: string
  orderNumber: string
  kind: 'show' | 'scenic'
  title: string
  titleEn: string | null
  venue: string
  city: string
  startsAt: string | null
  visitDate: string | null
  validUntil: string
  category: string | null
  categoryEn: string | null
  holder: string | null
  seat: string | null
  timeZone: string
}

export async function walletOfBuyer(
  db: Database,
  buyer: SQL,
  opts: { limit: number; cursor?: string | undefined },
) {
  const orderRows = await db
    .select()
    .from(orders)
    .where(
      and(
        buyer,
        inArray(orders.status, ['paid', 'partially_refunded', 'refunded']),
        opts.cursor ? lt(orders.id, opts.cursor) : undefined,
      ),
    )
    .orderBy(desc(orders.id))
    .limit(opts.limit + 1)
  const pageOrders = orderRows.slice(0, opts.limit)
  const nextCursor = orderRows.length > opts.limit ? pageOrders.at(-1)!.id : null
  if (pageOrders.length === 0) return { items: [], nextCursor }

  const orderIds = pageOrders.map((o) => o.id)
  const showIds = [...new Set(pageOrders.map((o) => o.showId).filter((id): id is string => Boolean(id)))]
  const siteIds = [...new Set(pageOrders.map((o) => o.siteId).filter((id): id is string => Boolean(id)))]
  const [rows, showRows, siteRows] = await Promise.all([
    db
      .select({ ticket: tickets, line: orderLines })
      .from(tickets)
      .innerJoin(orderLines, eq(orderLines.id, tickets.orderLineId))
      .where(inArray(tickets.orderId, orderIds)),
    showIds.length
      ? db
          .select({ show: shows, event: events, venue: venues, timeZone: organizers.timezone })
          .from(shows)
          .innerJoin(events, eq(events.id, shows.eventId))
          .innerJoin(venues, eq(venues.id, shows.venueId))
          .innerJoin(organizers, eq(organizers.id, shows.organizerId))
          .where(inArray(shows.id, showIds))
      : [],
    siteIds.length ? db.select().from(scenicSites).where(inArray(scenicSites.id, siteIds)) : [],
  ])
  const orderById = new Map(pageOrders.map((o) => [o.id, o]))
  const showById = new Map(showRows.map((r) => [r.show.id, r]))
  const siteById = new Map(siteRows.map((s) => [s.id, s]))
  const { facts, validityDays } = await ticketFactsOf(
    db,
    rows.map(({ ticket, line }) => ({ ticketId: ticket.id, ticketStatus: ticket.status, line })),
    (line) => siteById.get(orderById.get(line.orderId)?.siteId ?? '')?.timeSlots ?? [],
  )

  const items = rows.flatMap(({ ticket, line }): WalletTicket[] => {
    const order = orderById.get(ticket.orderId)!
    const common = {
      ticketId: ticket.id,
      orderId: order.id,
      orderNumber: order.number,
      holder: line.visitorName,
      seat: line.seatLabel,
      ...facts({ ticketId: ticket.id, ticketStatus: ticket.status, line }),
    }
    if (order.kind === 'show') {
      const row = showById.get(order.showId ?? '')
      if (!row) return []
      const { exp } = showTicketWindow(row.show)
      const zone = row.venue.priceCategories.find((c) => c.code === line.category)
      return [
        {
          ...common,
          kind: 'show',
          title: row.event.name,
          titleEn: row.event.nameEn,
          venue: row.venue.name,
          city: row.venue.city,
          startsAt: row.show.startsAt,
          visitDate: null,
          validUntil: new Date(exp * 1000).toISOString(),
          category: zone?.name ?? line.category,
          categoryEn: zone?.nameEn ?? null,
          timeZone: row.timeZone,
        },
      ]
    }
    const site = siteById.get(order.siteId ?? '')
    if (!site || !order.visitDate) return []
    return [
      {
        ...common,
        kind: 'scenic',
        title: site.name,
        venue: site.name,
        city: site.city,
        startsAt: null,
        visitDate: order.visitDate,
        validUntil: new Date(
          (visitDayStart(order.visitDate) + validityDays(line) * DAY) * 1000,
        ).toISOString(),
        category: null,
        categoryEn: null,
        titleEn: null,
        timeZone: site.timezone,
      },
    ]
  })
  return { items, nextCursor }
}
