import { and, count, desc, eq, gte, inArray, isNotNull, lt, ne, or, sql } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { events, orderLines, orders, scenicSites, seats, shows, visitProducts } from '../db/schema.ts'
import { addDays, daysBetween } from '../domain/forecast/calendar.ts'
import { type DailyVisits, forecastVisitors } from '../domain/forecast/scenic-visitors.ts'
import { type DaySales, forecastShowSales } from '../domain/forecast/show-sales.ts'
import { notFound } from '../problem.ts'

// Reads what the forecasts need and hands it to the pure methods in worker/domain/forecast/. A sale counts as in
// the sales reports (worker/routes/admin/reports.ts): an order line paid for and still standing, on the China
// wall-clock day its order was paid; a scenic visitor is such a line of an entry product, on its visit date.

const chinaOffsetMs = 8 * 3_600_000
const shanghaiOffset = '+8 hours'
/** The China calendar day of an instant. */
export const chinaDayOf = (instant: number | string) =>
  new Date((typeof instant === 'number' ? instant : Date.parse(instant)) + chinaOffsetMs)
    .toISOString()
    .slice(0, 10)

/** Past shows compared at most (the most recent of the same event or venue). */
const COMPARABLES = 12
/** Days of visit history read for a scenic forecast: two years, so each holiday is seen at least once. */
const HISTORY_DAYS = 730

const n = (value: unknown) => Number(value ?? 0)

async function sellableSeats(db: Database, venueIds: string[]) {
  if (venueIds.length === 0) return new Map<string, number>()
  const rows = await db
    .select({ venueId: seats.venueId, capacity: count(seats.id) })
    .from(seats)
    .where(and(inArray(seats.venueId, venueIds), eq(seats.blocked, false)))
    .groupBy(seats.venueId)
  return new Map(rows.map((r) => [r.venueId, n(r.capacity)]))
}

/** A show's expected final sales and sell-out date (404 for a show that is not this organizer's). */
export async function showSalesForecast(db: Database, organizerId: string, showId: string, now = Date.now()) {
  const [show] = await db
    .select({
      showId: shows.id,
      eventId: shows.eventId,
      eventName: events.name,
      eventNameEn: events.nameEn,
      venueId: shows.venueId,
      startsAt: shows.startsAt,
      saleEndsAt: shows.saleEndsAt,
    })
    .from(shows)
    .innerJoin(events, eq(events.id, shows.eventId))
    .where(and(eq(shows.id, showId), eq(shows.organizerId, organizerId)))
  if (!show) throw notFound(`show ${showId}`)
  const today = chinaDayOf(now)
  // Past shows: the organizer's shows of the same event or venue that started before today, not cancelled.
  const past = await db
    .select({
      showId: shows.id,
      eventId: shows.eventId,
      eventName: events.name,
      eventNameEn: events.nameEn,
      venueId: shows.venueId,
      startsAt: shows.startsAt,
    })
    .from(shows)
    .innerJoin(events, eq(events.id, shows.eventId))
    .where(
      and(
        eq(shows.organizerId, organizerId),
        ne(shows.id, showId),
        ne(shows.status, 'cancelled'),
        or(eq(shows.eventId, show.eventId), eq(shows.venueId, show.venueId)),
        lt(shows.startsAt, new Date(Date.parse(`${today}T00:00:00+08:00`)).toISOString()),
      ),
    )
    .orderBy(desc(shows.startsAt))
    .limit(COMPARABLES)
  const day = sql<string>`date(${orders.paidAt}, ${shanghaiOffset})`
  const [capacities, soldPerDay] = await Promise.all([
    sellableSeats(db, [...new Set([show.venueId, ...past.map((p) => p.venueId)])]),
    db
      .select({ showId: orders.showId, date: day, tickets: count(orderLines.id) })
      .from(orderLines)
      .innerJoin(orders, eq(orders.id, orderLines.orderId))
      .where(
        and(
          eq(orders.organizerId, organizerId),
          inArray(orders.showId, [showId, ...past.map((p) => p.showId)]),
          isNotNull(orders.paidAt),
          eq(orderLines.status, 'active'),
        ),
      )
      .groupBy(orders.showId, day),
  ])
  const salesOf = (id: string, startsAt: string): DaySales[] =>
    soldPerDay
      .filter((r) => r.showId === id)
      .map((r) => ({ daysBefore: daysBetween(r.date, chinaDayOf(startsAt)), tickets: n(r.tickets) }))
  const forecast = forecastShowSales({
    capacity: capacities.get(show.venueId) ?? 0,
    startDay: chinaDayOf(show.startsAt),
    today,
    lastSaleDay: chinaDayOf(show.saleEndsAt),
    sales: salesOf(showId, show.startsAt),
    comparables: past.map((p) => ({
      showId: p.showId,
      capacity: capacities.get(p.venueId) ?? 0,
      sales: salesOf(p.showId, p.startsAt),
    })),
  })
  const pastById = new Map(past.map((p) => [p.showId, p]))
  const { venueId: _venue, saleEndsAt: _saleEnd, ...described } = show
  return {
    show: { ...described, startDay: chinaDayOf(show.startsAt) },
    today,
    ...forecast,
    comparables: forecast.comparables.map((c) => {
      const { venueId, ...about } = pastById.get(c.showId)!
      return {
        ...c,
        ...about,
        sameEvent: about.eventId === show.eventId,
        sameVenue: venueId === show.venueId,
      }
    }),
  }
}

/** Expected visitors per day at a scenic site from today, with the back-test (404 for another organizer's site). */
export async function scenicVisitorForecast(
  db: Database,
  organizerId: string,
  siteId: string,
  options: { days: number; holdoutWeeks: number },
  now = Date.now(),
) {
  const [site] = await db
    .select({
      siteId: scenicSites.id,
      name: scenicSites.name,
      nameEn: scenicSites.nameEn,
      dailyCapacity: scenicSites.dailyCapacity,
    })
    .from(scenicSites)
    .where(and(eq(scenicSites.id, siteId), eq(scenicSites.organizerId, organizerId)))
  if (!site) throw notFound(`scenic site ${siteId}`)
  const asOf = chinaDayOf(now)
  const lastDay = addDays(asOf, options.days - 1)
  const visits = await db
    .select({ date: orders.visitDate, visits: count(orderLines.id) })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .innerJoin(visitProducts, eq(visitProducts.id, orderLines.productId))
    .where(
      and(
        eq(orders.organizerId, organizerId),
        eq(orders.siteId, siteId),
        isNotNull(orders.paidAt),
        eq(orderLines.status, 'active'),
        eq(visitProducts.kind, 'entry'),
        gte(orders.visitDate, addDays(asOf, -HISTORY_DAYS)),
        lt(orders.visitDate, addDays(lastDay, 1)),
      ),
    )
    .groupBy(orders.visitDate)
  const rows: DailyVisits[] = visits.map((r) => ({ date: r.date ?? '', visits: n(r.visits) }))
  const forecast = forecastVisitors({ history: rows, asOf, ...options })
  // Visitors already booked for the forecast days: a floor the organizer sees beside each expectation.
  const booked = new Map(rows.filter((r) => r.date >= asOf).map((r) => [r.date, r.visits]))
  return {
    site,
    ...forecast,
    days: forecast.days.map((d) => ({ ...d, booked: booked.get(d.date) ?? 0 })),
  }
}
