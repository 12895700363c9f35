import { eq, inArray } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import {
  events,
  orderLines,
  orders,
  organizers,
  scenicSites,
  shows,
  tickets,
  venues,
  visitProducts,
} from '../db/schema.ts'
import { STEP_SECONDS } from '../domain/rotating-code.ts'
import { signTicket, type TicketClaims } from '../domain/ticket-token.ts'
import { eventGateSecret, ticketRotatingSecret } from './event-gate-secrets.ts'
import { type SeatPlace, type TicketState, ticketFactsOf } from './ticket-facts.ts'
import { currentSigningKey } from './ticket-keys.ts'

const hour = 3600

/** A show ticket's window: doors open a few hours ahead; the ticket lapses an hour after the end. */
export function showTicketWindow(show: { startsAt: string; endsAt: string | null }) {
  const start = Math.floor(Date.parse(show.startsAt) / 1000)
  const end = show.endsAt ? Math.floor(Date.parse(show.endsAt) / 1000) : start + 4 * hour
  return { nbf: start - 4 * hour, exp: end + hour }
}

/** Start of a visit day (unix seconds), in the sites' time zone (China Standard Time). */
export const visitDayStart = (date: string) => Math.floor(Date.parse(`${date}T00:00:00+08:00`) / 1000)

export interface IssuedTicket {
  ticketId: string
  lineId: string
  status: 'valid' | 'revoked'
  description: string
  seat: string | null
  holder: string | null
  validFrom: string
  validUntil: string
  /** Compact JWS for the QR code; only for valid tickets. */
  token: string | null
  /** Wallet-style details for the ticket page. */
  title: string
  /** The event's optional English name (null for scenic sites). */
  titleEn: string | null
  /** The show's start, or the visit date (YYYY-MM-DD). */
  startsAt: string | null
  visitDate: string | null
  /** Venue or scenic site. */
  venue: string
  /** Where to go in: the seat's section, or the entry time slot. */
  entrance: string | null
  /** The holder's ID number, masked (real-name tickets only). */
  holderIdMasked: string | null
  /**
   * For events with the anti-screenshot option: this ticket's own secret (base64url) from which the page
   * derives the 6-digit code every `stepSeconds` (worker/domain/rotating-code.ts `rotatingCode`), shown beside
   * the QR or appended to it as `<token>~<code>`. It yields only this ticket's codes.
   */
  rotatingCode: { secret: string; stepSeconds: number } | null
  /** The seat as a person reads it (section, row, number), when the seat map still knows it. */
  place: SeatPlace | null
  /** Scenic: the product's name and the entry slot's times. */
  product: string | null
  productEn: string | null
  slot: { start: string; end: string } | null
  /** IANA zone of the venue (the organizer's) or the scenic site: dates and times are shown in it. */
  timeZone: string
  /** When a gate admitted it (核销), if it did. */
  redeemedAt: string | null
  state: TicketState
}

/** What a ticket's token says; the order's ticket page and the wallet both sign these, so their QR codes match. */
export function ticketClaims(
  ticketId: string,
  ev: string,
  line: Pick<typeof orderLines.$inferSelect, 'seatLabel' | 'productId' | 'slot' | 'visitorIdMasked'>,
  window: { nbf: number; exp: number },
): TicketClaims {
  // Scenic lines carry the product's last 8 characters (unique within a site) and the slot.
  const it = line.seatLabel ?? `${line.productId!.slice(-8)}${line.slot ? `@${line.slot}` : ''}`
  const hh = line.visitorIdMasked ? line.visitorIdMasked.slice(-4) : undefined
  return { tid: ticketId, ev, it, ...(hh ? { hh } : {}), nbf: window.nbf, exp: window.exp }
}

/**
 * The order's tickets with their signed tokens. Signing is deterministic (Ed25519), so the same ticket
 * always yields the same token; revoked tickets get none (and go on the revocation list gates sync).
 */
export async function ticketsOfOrder(db: Database, secret: string, orderId: string): Promise<IssuedTicket[]> {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) return []
  const rows = await db
    .select({ ticket: tickets, line: orderLines })
    .from(tickets)
    .innerJoin(orderLines, eq(orderLines.id, tickets.orderLineId))
    .where(eq(tickets.orderId, orderId))
  if (rows.length === 0) return []
  let window: (line: typeof orderLines.$inferSelect) => { nbf: number; exp: number }
  let ev: string
  let title: string
  let titleEn: string | null = null
  let venue: string
  let venueEn: string | null = null
  let eventSecret: string | undefined
  let startsAt: string | null = null
  let timeZone = 'Asia/Shanghai'
  let slots: (typeof scenicSites.$inferSelect)['timeSlots'] = []
  if (order.kind === 'show') {
    const [row] = await db
      .select({ show: shows, event: events, venue: venues, timeZone: organizers.timezone })
      .from(shows)
      .innerJoin(events, eq(events.id, shows.eventId))
      .innerJoin(venues, eq(venues.id, shows.venueId))
      .innerJoin(organizers, eq(organizers.id, shows.organizerId))
      .where(eq(shows.id, order.showId!))
    const show = row!.show
    const showWindow = showTicketWindow(show)
    window = () => showWindow
    ev = show.id
    title = row!.event.name
    titleEn = row!.event.nameEn
    startsAt = show.startsAt
    venue = row!.venue.name
    venueEn = row!.venue.nameEn
    timeZone = row!.timeZone
    if (row!.event.rotatingCode) eventSecret = await eventGateSecret(db, row!.event.id)
  } else {
    const [site] = await db.select().from(scenicSites).where(eq(scenicSites.id, order.siteId!))
    title = site!.name
    titleEn = site!.nameEn
    venue = site!.name
    venueEn = site!.nameEn
    timeZone = site!.timezone
    slots = site!.timeSlots
    const productIds = [...new Set(rows.map((r) => r.line.productId!).filter(Boolean))]
    const products = productIds.length
      ? await db.select().from(visitProducts).where(inArray(visitProducts.id, productIds))
      : []
    const dayStart = visitDayStart(order.visitDate!)
    window = (line) => {
      const days = products.find((p) => p.id === line.productId)?.validityDays ?? 1
      return { nbf: dayStart, exp: dayStart + days * 24 * hour }
    }
    ev = `${site!.id}:${order.visitDate}`
  }
  const signing = await currentSigningKey(secret)
  const { facts } = await ticketFactsOf(
    db,
    rows.map(({ ticket, line }) => ({ ticketId: ticket.id, ticketStatus: ticket.status, line })),
    () => slots,
  )
  return Promise.all(
    rows.map(async ({ ticket, line }) => {
      const { nbf, exp } = window(line)
      const claims = ticketClaims(ticket.id, ev, line, { nbf, exp })
      return {
        ticketId: ticket.id,
        lineId: line.id,
        status: ticket.status,
        description: line.description,
        seat: line.seatLabel,
        holder: line.visitorName,
        validFrom: new Date(nbf * 1000).toISOString(),
        validUntil: new Date(exp * 1000).toISOString(),
        token: ticket.status === 'valid' ? await signTicket(claims, signing) : null,
        title,
        titleEn,
        startsAt,
        visitDate: order.visitDate,
        venue,
        venueEn,
        entrance: line.seatLabel ? line.seatLabel.split('-')[0]! : line.slot,
        holderIdMasked: line.visitorIdMasked,
        rotatingCode:
          eventSecret && ticket.status === 'valid'
            ? { secret: await ticketRotatingSecret(eventSecret, ticket.id), stepSeconds: STEP_SECONDS }
            : null,
        timeZone,
        ...facts({ ticketId: ticket.id, ticketStatus: ticket.status, line }),
      }
    }),
  )
}

export async function ticketOfOrder(db: Database, secret: string, orderId: string, ticketId: string) {
  const all = await ticketsOfOrder(db, secret, orderId)
  return all.find((t) => t.ticketId === ticketId)
}
