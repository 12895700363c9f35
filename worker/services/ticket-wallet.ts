// "My tickets" as a wallet: every ticket of the buyer's orders with what, when, where and which seat or
// slot, and its state. Upcoming valid tickets also carry their pass (the signed token for the QR and, for
// events with rotating codes, the ticket's own code secret), so the shop can keep them on the device and open
// them at a gate with no signal. A page is a run of the buyer's orders, newest first; each order's tickets come whole.
import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { events, orderLines, orders, organizers, scenicSites, shows, tickets, venues } from '../db/schema.ts'
import { STEP_SECONDS } from '../domain/rotating-code.ts'
import { signTicket } from '../domain/ticket-token.ts'
import { eventGateSecret, ticketRotatingSecret } from './event-gate-secrets.ts'
import { type TicketFacts, ticketFactsOf } from './ticket-facts.ts'
import { currentSigningKey } from './ticket-keys.ts'
import { showTicketWindow, ticketClaims, visitDayStart } from './tickets.ts'

const DAY = 86_400

export interface WalletTicket extends TicketFacts {
  ticketId: string
  orderId: string
  orderNumber: string
  kind: 'show' | 'scenic'
  title: string
  titleEn: string | null
  venue: string
  venueEn: string | null
  city: string
  cityEn: string | null
  startsAt: string | null
  visitDate: string | null
  validUntil: string
  category: string | null
  categoryEn: string | null
  holder: string | null
  seat: string | null
  timeZone: string
  /** What opens it at a gate offline; only while it is valid and not yet over. */
  pass: TicketPass | null
}

export interface TicketPass {
  /** Compact JWS (the same as on the order's ticket page) for the QR code. */
  token: string
  /** Events with anti-screenshot codes: this ticket's own secret (never the event's) and the step. */
  rotatingCode: { secret: string; stepSeconds: number } | null
}

export async function walletOfBuyer(
  db: Database,
  signingSecret: string,
  buyer: SQL,
  opts: { limit: number; cursor?: string | undefined; now?: number },
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

  const now = Math.floor((opts.now ?? Date.now()) / 1000)
  const signing = await currentSigningKey(signingSecret)
  // Gate secrets of the page's events that ask for rotating codes, each read once.
  const gateSecrets = new Map<string, Promise<string>>()
  for (const { event } of showRows)
    if (event.rotatingCode && !gateSecrets.has(event.id))
      gateSecrets.set(event.id, eventGateSecret(db, event.id))

  const items = await Promise.all(
    rows.map(async ({ ticket, line }): Promise<WalletTicket | null> => {
      const order = orderById.get(ticket.orderId)!
      const ticketFacts = facts({ ticketId: ticket.id, ticketStatus: ticket.status, line })
      const common = {
        ticketId: ticket.id,
        orderId: order.id,
        orderNumber: order.number,
        holder: line.visitorName,
        seat: line.seatLabel,
        ...ticketFacts,
      }
      const passFor = async (ev: string, window: { nbf: number; exp: number }, eventId?: string) => {
        if (ticketFacts.state !== 'valid' || ticket.status !== 'valid' || window.exp <= now) return null
        const gateSecret = eventId ? gateSecrets.get(eventId) : undefined
        return {
          token: await signTicket(ticketClaims(ticket.id, ev, line, window), signing),
          rotatingCode: gateSecret
            ? { secret: await ticketRotatingSecret(await gateSecret, ticket.id), stepSeconds: STEP_SECONDS }
            : null,
        }
      }
      if (order.kind === 'show') {
        const row = showById.get(order.showId ?? '')
        if (!row) return null
        const window = showTicketWindow(row.show)
        const zone = row.venue.priceCategories.find((c) => c.code === line.category)
        return {
          ...common,
          kind: 'show',
          title: row.event.name,
          titleEn: row.event.nameEn,
          venue: row.venue.name,
          venueEn: row.venue.nameEn,
          city: row.venue.city,
          cityEn: row.venue.cityEn,
          startsAt: row.show.startsAt,
          visitDate: null,
          validUntil: new Date(window.exp * 1000).toISOString(),
          category: zone?.name ?? line.category,
          categoryEn: zone?.nameEn ?? null,
          timeZone: row.timeZone,
          pass: await passFor(row.show.id, window, row.event.id),
        }
      }
      const site = siteById.get(order.siteId ?? '')
      if (!site || !order.visitDate) return null
      const nbf = visitDayStart(order.visitDate)
      const window = { nbf, exp: nbf + validityDays(line) * DAY }
      return {
        ...common,
        kind: 'scenic',
        title: site.name,
        venue: site.name,
        venueEn: site.nameEn,
        city: site.city,
        cityEn: site.cityEn,
        startsAt: null,
        visitDate: order.visitDate,
        validUntil: new Date(window.exp * 1000).toISOString(),
        category: null,
        categoryEn: null,
        titleEn: site.nameEn,
        timeZone: site.timezone,
        pass: await passFor(`${site.id}:${order.visitDate}`, window),
      }
    }),
  )
  return { items: items.filter((item): item is WalletTicket => item !== null), nextCursor }
}
