// What a gate shows beside its decisions: how many of the tickets it admits to have come in (admitted /
// expected, per show or site-day in its scope), and the names of the scenic products its tickets carry as
// short codes (`it` = the product id's last 8 characters and the slot), so staff read "成人票 10:00".
import { and, count, eq, gte, inArray, lte, sql } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { orders, redemptions, seats, shows, tickets, venues, visitProducts } from '../db/schema.ts'
import type { GateProfile } from '../domain/gate-decision.ts'
import { type SectionName, sectionNamed } from '../domain/section-names.ts'

/** D1 binds at most 100 parameters per statement. */
const CHUNK = 90

export interface ScopeAttendance {
  /** Scope entry id: the show id or `<siteId>:<YYYY-MM-DD>`. */
  id: string
  /** Valid tickets, plus any admitted before being revoked. */
  expected: number
  admitted: number
}

const expectedCount = sql<number>`sum(case when ${tickets.status} = 'valid' or ${redemptions.id} is not null then 1 else 0 end)`

/** Admitted and expected tickets per scope entry, counted now (`countedAt`). */
export async function scopeAttendance(
  db: Database,
  profile: GateProfile,
  scope: { kind: 'event' | 'site'; siteId?: string },
): Promise<{ countedAt: string; entries: ScopeAttendance[] }> {
  const countedAt = new Date().toISOString()
  const entries: ScopeAttendance[] = []
  if (scope.kind === 'event') {
    const showIds = profile.scope.map((entry) => entry.id)
    for (let i = 0; i < showIds.length; i += CHUNK) {
      const rows = await db
        .select({ id: orders.showId, expected: expectedCount, admitted: count(redemptions.id) })
        .from(tickets)
        .innerJoin(orders, eq(orders.id, tickets.orderId))
        .leftJoin(redemptions, eq(redemptions.ticketId, tickets.id))
        .where(inArray(orders.showId, showIds.slice(i, i + CHUNK)))
        .groupBy(orders.showId)
      for (const row of rows)
        entries.push({ id: row.id!, expected: Number(row.expected), admitted: Number(row.admitted) })
    }
  } else if (scope.siteId && profile.scope.length) {
    const days = profile.scope.map((entry) => entry.day).sort()
    const rows = await db
      .select({ day: orders.visitDate, expected: expectedCount, admitted: count(redemptions.id) })
      .from(tickets)
      .innerJoin(orders, eq(orders.id, tickets.orderId))
      .leftJoin(redemptions, eq(redemptions.ticketId, tickets.id))
      .where(
        and(
          eq(orders.siteId, scope.siteId),
          gte(orders.visitDate, days[0]!),
          lte(orders.visitDate, days.at(-1)!),
        ),
      )
      .groupBy(orders.visitDate)
    for (const row of rows)
      entries.push({
        id: `${scope.siteId}:${row.day}`,
        expected: Number(row.expected),
        admitted: Number(row.admitted),
      })
  }
  return { countedAt, entries }
}

/** The site's products by the short code tickets carry. */
export async function productNames(db: Database, siteId: string) {
  const rows = await db
    .select({ id: visitProducts.id, name: visitProducts.name, nameEn: visitProducts.nameEn })
    .from(visitProducts)
    .where(eq(visitProducts.siteId, siteId))
  return rows.map((row) => ({ code: row.id.slice(-8), name: row.name, nameEn: row.nameEn }))
}

/**
 * The seat-map sections of the venues of the shows in scope, so the gate reads a seat label (`section-row-number`,
 * the tickets' `it`) as section, row and number and names the seat in its own language (池座 C排9座 / Stalls, row
 * C, seat 9): each section key with its venue's names for it (the first venue's, when two venues share a key).
 */
export async function scopeSections(db: Database, profile: GateProfile): Promise<SectionName[]> {
  const showIds = profile.scope.filter((entry) => entry.kind === 'show').map((entry) => entry.id)
  const sections = new Map<string, SectionName>()
  for (let i = 0; i < showIds.length; i += CHUNK) {
    const rows = await db
      .selectDistinct({ section: seats.section, sectionNames: venues.sectionNames })
      .from(seats)
      .innerJoin(shows, eq(shows.venueId, seats.venueId))
      .innerJoin(venues, eq(venues.id, seats.venueId))
      .where(inArray(shows.id, showIds.slice(i, i + CHUNK)))
    for (const row of rows)
      if (!sections.has(row.section)) sections.set(row.section, sectionNamed(row.section, row.sectionNames))
  }
  return [...sections.values()]
}
