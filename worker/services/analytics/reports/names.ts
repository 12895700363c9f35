// What people read beside the rollups' codes: price category names (the first venue chart naming a code wins),
// scenic product names, and the performances' events and start times. Catalogue reads, scoped to the organizer.
import { and, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../../db/client.ts'
import { events, organizers, shows, venues, visitProducts } from '../../../db/schema.ts'

type Named = { name: string; nameEn: string | null }

export async function organizerSettings(db: Database, organizerId: string) {
  const [row] = await db
    .select({ currency: organizers.currency, timezone: organizers.timezone })
    .from(organizers)
    .where(eq(organizers.id, organizerId))
  return row ?? null
}

export async function ticketTypeNames(db: Database, organizerId: string, productIds: string[]) {
  const venueRows = await db
    .select({ categories: venues.priceCategories })
    .from(venues)
    .where(eq(venues.organizerId, organizerId))
  const categories = new Map<string, Named>()
  for (const venue of venueRows)
    for (const c of venue.categories)
      if (!categories.has(c.code)) categories.set(c.code, { name: c.name, nameEn: c.nameEn ?? null })
  const products = new Map<string, Named>()
  for (let i = 0; i < productIds.length; i += 90) {
    const rows = await db
      .select({ id: visitProducts.id, name: visitProducts.name, nameEn: visitProducts.nameEn })
      .from(visitProducts)
      .where(
        and(
          eq(visitProducts.organizerId, organizerId),
          inArray(visitProducts.id, productIds.slice(i, i + 90)),
        ),
      )
    for (const r of rows) products.set(r.id, { name: r.name, nameEn: r.nameEn })
  }
  return { categories, products }
}

export async function showNames(db: Database, organizerId: string, showIds: string[]) {
  if (showIds.length === 0) return new Map()
  const rows = await db
    .select({
      showId: shows.id,
      eventId: shows.eventId,
      eventName: events.name,
      eventNameEn: events.nameEn,
      startsAt: shows.startsAt,
    })
    .from(shows)
    .innerJoin(events, eq(events.id, shows.eventId))
    .where(and(eq(shows.organizerId, organizerId), inArray(shows.id, showIds.slice(0, 90))))
  return new Map(rows.map((r) => [r.showId, r]))
}
