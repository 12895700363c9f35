import { eq, inArray } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { orderLines, orders, scenicSites, shows, tickets, visitProducts } from '../db/schema.ts'
import { signTicket, type TicketClaims } from '../domain/ticket-token.ts'
import { currentSigningKey } from './ticket-keys.ts'

const hour = 3600

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
  if (order.kind === 'show') {
    const [show] = await db.select().from(shows).where(eq(shows.id, order.showId!))
    const start = Math.floor(Date.parse(show!.startsAt) / 1000)
    const end = show!.endsAt ? Math.floor(Date.parse(show!.endsAt) / 1000) : start + 4 * hour
    // Doors open a few hours ahead; the ticket lapses an hour after the end.
    window = () => ({ nbf: start - 4 * hour, exp: end + hour })
    ev = show!.id
  } else {
    const [site] = await db.select().from(scenicSites).where(eq(scenicSites.id, order.siteId!))
    const productIds = [...new Set(rows.map((r) => r.line.productId!).filter(Boolean))]
    const products = productIds.length
      ? await db.select().from(visitProducts).where(inArray(visitProducts.id, productIds))
      : []
    const dayStart = Math.floor(Date.parse(`${order.visitDate}T00:00:00+08:00`) / 1000)
    window = (line) => {
      const days = products.find((p) => p.id === line.productId)?.validityDays ?? 1
      return { nbf: dayStart, exp: dayStart + days * 24 * hour }
    }
    ev = `${site!.id}:${order.visitDate}`
  }
  const signing = await currentSigningKey(secret)
  return Promise.all(
    rows.map(async ({ ticket, line }) => {
      const { nbf, exp } = window(line)
      // Scenic lines carry the product's last 8 characters (unique within a site) and the slot.
      const it = line.seatLabel ?? `${line.productId!.slice(-8)}${line.slot ? `@${line.slot}` : ''}`
      const hh = line.visitorIdMasked ? line.visitorIdMasked.slice(-4) : undefined
      const claims: TicketClaims = { tid: ticket.id, ev, it, ...(hh ? { hh } : {}), nbf, exp }
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
      }
    }),
  )
}

export async function ticketOfOrder(db: Database, secret: string, orderId: string, ticketId: string) {
  const all = await ticketsOfOrder(db, secret, orderId)
  return all.find((t) => t.ticketId === ticketId)
}
