// A show as the public sees it (scheduled, of a published event), cached briefly per isolate: every hold of an
// on-sale reads it.
import { and, eq } from 'drizzle-orm'
import { events, shows, venues } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { notFound } from '../problem.ts'
import { cachedRead } from '../services/catalogue-cache.ts'

/** Public show summaries are re-read from D1 at most this often per isolate. */
const PUBLIC_CACHE_MS = 5_000

export const summaryColumns = {
  id: shows.id,
  eventId: shows.eventId,
  eventName: events.name,
  eventNameEn: events.nameEn,
  kind: events.kind,
  venueId: shows.venueId,
  venueName: venues.name,
  venueNameEn: venues.nameEn,
  city: venues.city,
  cityEn: venues.cityEn,
  startsAt: shows.startsAt,
  endsAt: shows.endsAt,
  saleStartsAt: shows.saleStartsAt,
  saleEndsAt: shows.saleEndsAt,
  realNameRequired: events.realNameRequired,
  maxTicketsPerBuyer: events.maxTicketsPerBuyer,
  signInToHold: shows.signInToHold,
}

/** Shows the public may see: scheduled performances of published events. */
export async function publicShow(c: { get: (key: 'db') => AppEnv['Variables']['db'] }, showId: string) {
  const row = await cachedRead(`show:${showId}`, PUBLIC_CACHE_MS, async () => {
    const [found] = await c
      .get('db')
      .select(summaryColumns)
      .from(shows)
      .innerJoin(events, eq(events.id, shows.eventId))
      .innerJoin(venues, eq(venues.id, shows.venueId))
      .where(and(eq(shows.id, showId), eq(shows.status, 'scheduled'), eq(events.status, 'published')))
    return found ?? null
  })
  if (!row) throw notFound(`show ${showId}`)
  return row
}
