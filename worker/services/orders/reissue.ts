import { and, eq, sql } from 'drizzle-orm'
import { redemptions, ticketRevocations, tickets } from '../../db/schema.ts'
import { newShortId } from '../../ids.ts'
import { notFound, Problem } from '../../problem.ts'
import { audit, GuardedBatch } from './batch.ts'
import type { OrderServices } from './services.ts'

/**
 * A reprint (补打) at the window: the ticket gets a new id, hence a new token, and the old one goes onto the
 * revocation list gates sync, in one guarded batch. A ticket a gate already admitted is not reissued (the reprint
 * would be a second way in); a lost race with a refund or another reprint writes nothing.
 */
export async function reissueTicket(
  services: OrderServices,
  input: { ticketId: string; organizerId: string; actor: string },
): Promise<{ ticketId: string; orderId: string }> {
  const { db } = services
  const [old] = await db
    .select({ id: tickets.id, orderId: tickets.orderId, lineId: tickets.orderLineId, status: tickets.status })
    .from(tickets)
    .where(eq(tickets.id, input.ticketId))
  if (!old) throw notFound(`ticket ${input.ticketId}`)
  const newTicketId = newShortId('tkt')
  const batch = new GuardedBatch(db)
    .guard(
      sql`(SELECT ${tickets.status} = 'valid' FROM ${tickets} WHERE ${tickets.id} = ${old.id}) AND NOT EXISTS (SELECT 1 FROM ${redemptions} WHERE ${redemptions.ticketId} = ${old.id}) AND (SELECT organizer_id FROM orders WHERE id = ${old.orderId}) = ${input.organizerId}`,
    )
    .add(
      db
        .insert(ticketRevocations)
        .select(
          sql`SELECT NULL, t.id, o.organizer_id, coalesce(o.show_id, o.site_id),
            CASE WHEN o.kind = 'show' THEN o.show_id ELSE o.site_id || ':' || o.visit_date END, 'reprinted',
            strftime('%Y-%m-%dT%H:%M:%fZ','now')
          FROM tickets t JOIN orders o ON o.id = t.order_id
          WHERE t.id = ${old.id} AND t.status = 'valid'`,
        )
        .onConflictDoNothing(),
      db
        .update(tickets)
        .set({ status: 'revoked', revokedReason: 'reprinted' })
        .where(and(eq(tickets.id, old.id), eq(tickets.status, 'valid'))),
      db.insert(tickets).values({ id: newTicketId, orderId: old.orderId, orderLineId: old.lineId }),
      audit(db, {
        orderId: old.orderId,
        actor: input.actor,
        action: 'ticket.reissued',
        detail: { oldTicketId: old.id, ticketId: newTicketId },
      }),
    )
  if (!(await batch.run()))
    throw new Problem({
      code: 'ticket_not_reprintable',
      status: 409,
      title: 'Ticket cannot be reprinted',
      detail: 'This ticket was refunded, reprinted already, admitted at a gate or is not yours to reprint',
    })
  return { ticketId: newTicketId, orderId: old.orderId }
}
