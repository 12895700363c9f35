import { eq, inArray } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { orderLines, orders, shows, tickets, visitProducts } from '../db/schema.ts'
import type { GateDevice } from './gate-devices.ts'

// What a gate may admit, decided on the server from the ticket's own order: a device enrolled for an event
// admits that event's shows, one enrolled for a site admits visits to that site whose days (the visit date
// and, for multi-day products, the days after it) meet its enrolled dates. The device's word is not taken
// for this: an upload claiming an admission outside the scope is recorded as a refusal.

/** The day `days` after an ISO date (YYYY-MM-DD). */
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

interface TicketScope {
  ticketId: string
  organizerId: string
  kind: 'show' | 'scenic'
  eventId: string | null
  siteId: string | null
  visitDate: string | null
  validityDays: number | null
}

function withinScope(device: GateDevice, ticket: TicketScope): boolean {
  if (ticket.organizerId !== device.organizerId) return false
  if (device.scopeKind === 'event') return ticket.kind === 'show' && ticket.eventId === device.scopeId
  if (ticket.kind !== 'scenic' || ticket.siteId !== device.scopeId || !ticket.visitDate) return false
  const lastDay = addDays(ticket.visitDate, Math.max(1, ticket.validityDays ?? 1) - 1)
  return ticket.visitDate <= device.toDate! && lastDay >= device.fromDate!
}

/** The ids among `ticketIds` this device is not enrolled to admit (unknown tickets included). */
export async function ticketsOutsideScope(
  db: Database,
  device: GateDevice,
  ticketIds: string[],
): Promise<Set<string>> {
  const ids = [...new Set(ticketIds)]
  if (ids.length === 0) return new Set()
  const rows: TicketScope[] = await db
    .select({
      ticketId: tickets.id,
      organizerId: orders.organizerId,
      kind: orders.kind,
      eventId: shows.eventId,
      siteId: orders.siteId,
      visitDate: orders.visitDate,
      validityDays: visitProducts.validityDays,
    })
    .from(tickets)
    .innerJoin(orders, eq(orders.id, tickets.orderId))
    .innerJoin(orderLines, eq(orderLines.id, tickets.orderLineId))
    .leftJoin(shows, eq(shows.id, orders.showId))
    .leftJoin(visitProducts, eq(visitProducts.id, orderLines.productId))
    .where(inArray(tickets.id, ids))
  const allowed = new Set(rows.filter((row) => withinScope(device, row)).map((row) => row.ticketId))
  return new Set(ids.filter((id) => !allowed.has(id)))
}
