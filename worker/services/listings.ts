import { and, asc, eq, gte, inArray, like, lte, min, or, sql } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { events, organizers, scenicSites, shows, venues, visitProducts } from '../db/schema.ts'
import { type ListedShowRow, listedShow, type ShowCounts, summarizeEvent } from '../domain/listing.ts'
import { cachedRead } from './catalogue-cache.ts'

/** A show's counts are re-asked of its actor at most this often per isolate: the home page is the busiest read. */
const COUNTS_CACHE_MS = 10_000
/** Shows read per listing; events beyond them wait for a narrower search. */
const SHOWS_SCANNED = 400

export interface ListingFilters {
  limit: number
  q?: string
  city?: string
  /** An event kind, or `scenic` for scenic sites only. */
  kind?: string
  from?: string
  to?: string
}

const maxIso = (a: string | undefined, b: string) => (a && a > b ? a : b)

type CountsOf = (showId: string) => Promise<ShowCounts>

const nameLike = (column: Parameters<typeof like>[0], q: string | undefined) =>
  q ? like(column, `%${q.replace(/[%_]/g, '')}%`) : undefined

/**
 * Upcoming events grouped with their shows, each with a from-price and sold-out state from the shows' actors
 * (their availability counters, cached a few seconds per isolate; a show whose actor cannot answer is listed
 * with its catalogue prices), plus scenic sites with their cheapest ticket. One D1 query per part.
 */
export async function listing(db: Database, countsOf: CountsOf, filters: ListingFilters, now = Date.now()) {
  const wantEvents = filters.kind !== 'scenic'
  const wantSites = !filters.kind || filters.kind === 'scenic'
  const [eventPart, sites, cities] = await Promise.all([
    wantEvents ? eventListings(db, countsOf, filters, now) : { events: [], moreEvents: false },
    wantSites ? siteListings(db, filters) : [],
    listedCities(db, now),
  ])
  return { ...eventPart, sites, cities: cities.map((city) => city.name), cityNames: cities }
}

async function eventListings(db: Database, countsOf: CountsOf, filters: ListingFilters, now: number) {
  const rows = await db
    .select({
      id: shows.id,
      eventId: shows.eventId,
      startsAt: shows.startsAt,
      prices: shows.prices,
      saleStartsAt: shows.saleStartsAt,
      saleEndsAt: shows.saleEndsAt,
      venueName: venues.name,
      venueNameEn: venues.nameEn,
      city: venues.city,
      cityEn: venues.cityEn,
      eventName: events.name,
      eventNameEn: events.nameEn,
      kind: events.kind,
      poster: events.poster,
      currency: organizers.currency,
    })
    .from(shows)
    .innerJoin(events, eq(events.id, shows.eventId))
    .innerJoin(venues, eq(venues.id, shows.venueId))
    .innerJoin(organizers, eq(organizers.id, shows.organizerId))
    .where(
      and(
        eq(shows.status, 'scheduled'),
        eq(events.status, 'published'),
        // Never a show that has begun, whatever day the buyer starts from.
        gte(shows.startsAt, maxIso(filters.from, new Date(now).toISOString())),
        filters.to ? lte(shows.startsAt, filters.to) : undefined,
        filters.city ? eq(venues.city, filters.city) : undefined,
        filters.kind ? eq(events.kind, filters.kind as never) : undefined,
        filters.q ? or(nameLike(events.name, filters.q), nameLike(events.nameEn, filters.q)) : undefined,
      ),
    )
    .orderBy(asc(shows.startsAt), asc(shows.id))
    .limit(SHOWS_SCANNED)

  const byEvent = new Map<string, typeof rows>()
  for (const row of rows) byEvent.set(row.eventId, [...(byEvent.get(row.eventId) ?? []), row])
  const chosen = [...byEvent.values()].slice(0, filters.limit)
  const counts = new Map(
    await Promise.all(
      chosen.flat().map(async (row) => [row.id, await cachedCounts(countsOf, row.id)] as const),
    ),
  )
  return {
    events: chosen.map((eventRows) => {
      const first = eventRows[0]!
      const listed = eventRows.map((row: ListedShowRow) => listedShow(row, counts.get(row.id) ?? null, now))
      return {
        id: first.eventId,
        name: first.eventName,
        nameEn: first.eventNameEn,
        kind: first.kind,
        poster: first.poster ?? null,
        currency: first.currency,
        ...summarizeEvent(eventRows, listed),
      }
    }),
    moreEvents: byEvent.size > filters.limit || rows.length === SHOWS_SCANNED,
  }
}

/** The actor's counts for a show, shared by an isolate's requests for a few seconds; null if it fails. */
function cachedCounts(countsOf: CountsOf, showId: string): Promise<ShowCounts | null> {
  return cachedRead(`listing-counts:${showId}`, COUNTS_CACHE_MS, () =>
    countsOf(showId).then(
      (counts) => ({
        onSale: counts.onSale,
        categories: counts.categories.map((c) => ({ price: c.price, available: c.available })),
      }),
      () => null,
    ),
  )
}

async function siteListings(db: Database, filters: ListingFilters) {
  const sites = await db
    .select({
      id: scenicSites.id,
      name: scenicSites.name,
      nameEn: scenicSites.nameEn,
      city: scenicSites.city,
      cityEn: scenicSites.cityEn,
      description: scenicSites.description,
      opensAt: scenicSites.opensAt,
      closesAt: scenicSites.closesAt,
      poster: scenicSites.poster,
      currency: organizers.currency,
    })
    .from(scenicSites)
    .innerJoin(organizers, eq(organizers.id, scenicSites.organizerId))
    .where(
      and(
        filters.city ? eq(scenicSites.city, filters.city) : undefined,
        nameLike(scenicSites.name, filters.q),
      ),
    )
    .orderBy(asc(scenicSites.name), asc(scenicSites.id))
    .limit(filters.limit)
  if (sites.length === 0) return []
  const prices = await db
    .select({
      siteId: visitProducts.siteId,
      entry: min(
        sql<number | null>`case when ${visitProducts.kind} = 'entry' then ${visitProducts.price} end`,
      ),
      any: min(visitProducts.price),
    })
    .from(visitProducts)
    .where(
      and(
        eq(visitProducts.status, 'active'),
        inArray(
          visitProducts.siteId,
          sites.map((s) => s.id),
        ),
      ),
    )
    .groupBy(visitProducts.siteId)
  // SQLite's min() comes back through drizzle as text.
  const fromOf = new Map(prices.map((p) => [p.siteId, Number(p.entry ?? p.any)]))
  return sites.map((site) => ({
    ...site,
    poster: site.poster ?? null,
    fromPrice: fromOf.get(site.id) ?? null,
  }))
}

/** Cities of upcoming published shows and of scenic sites, for the city menu. */
async function listedCities(db: Database, now: number) {
  const [showCities, siteCities] = await Promise.all([
    db
      .selectDistinct({ city: venues.city, cityEn: venues.cityEn })
      .from(shows)
      .innerJoin(events, eq(events.id, shows.eventId))
      .innerJoin(venues, eq(venues.id, shows.venueId))
      .where(
        and(
          eq(shows.status, 'scheduled'),
          eq(events.status, 'published'),
          gte(shows.startsAt, new Date(now).toISOString()),
        ),
      ),
    db.selectDistinct({ city: scenicSites.city, cityEn: scenicSites.cityEn }).from(scenicSites),
  ])
  // One entry per city; its English name from whichever venue or site gives one.
  const names = new Map<string, string | null>()
  for (const row of [...showCities, ...siteCities])
    names.set(row.city, names.get(row.city) ?? row.cityEn ?? null)
  return [...names]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, nameEn]) => ({ name, nameEn }))
}
