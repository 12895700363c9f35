import { and, eq, gt, inArray, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { shows, ticketRevocations, tickets } from '../../db/schema.ts'

/**
 * The statements that revoke the tickets of some order lines: each still-valid ticket goes onto the
 * revocation list (a new cursor position) and is marked revoked. Spread them into the same `db.batch`
 * as the refund or rebooking that causes them, so a ticket is never revoked without gates hearing of it.
 * The list row is written first, while the ticket is still `valid`, which also keeps a rerun from listing it twice.
 */
export function revokeTicketsOfLines(
  db: Database,
  lineIds: string[],
  reason: 'refunded' | 'rebooked' | 'cancelled',
) {
  const ids = sql.join(
    lineIds.map((id) => sql`${id}`),
    sql`, `,
  )
  return [
    db
      .insert(ticketRevocations)
      .select(
        sql`SELECT NULL, t.id, o.organizer_id, coalesce(o.show_id, o.site_id),
          CASE WHEN o.kind = 'show' THEN o.show_id ELSE o.site_id || ':' || o.visit_date END, ${reason},
          strftime('%Y-%m-%dT%H:%M:%fZ','now')
        FROM tickets t JOIN orders o ON o.id = t.order_id
        WHERE t.order_line_id IN (${ids}) AND t.status = 'valid'`,
      )
      .onConflictDoNothing(),
    db
      .update(tickets)
      .set({ status: 'revoked', revokedReason: reason })
      .where(inArray(tickets.orderLineId, lineIds)),
  ] as const
}

/** Revocations after `cursor` for tickets of an event's shows or of a site, oldest first. */
export function revocationsSince(
  db: Database,
  organizerId: string,
  scope: { kind: 'event' | 'site'; id: string },
  cursor: number,
  limit: number,
) {
  return db
    .select({
      seq: ticketRevocations.seq,
      ticketId: ticketRevocations.ticketId,
      reason: ticketRevocations.reason,
    })
    .from(ticketRevocations)
    .where(
      and(
        eq(ticketRevocations.organizerId, organizerId),
        gt(ticketRevocations.seq, cursor),
        scope.kind === 'site'
          ? eq(ticketRevocations.scopeId, scope.id)
          : inArray(
              ticketRevocations.scopeId,
              db.select({ id: shows.id }).from(shows).where(eq(shows.eventId, scope.id)),
            ),
      ),
    )
    .orderBy(ticketRevocations.seq)
    .limit(limit)
}
