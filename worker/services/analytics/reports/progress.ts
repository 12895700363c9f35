// Sales progress of a show against the organizer's earlier shows of the same event or venue, on one axis: days
// before the show's start day (in the organizer's time zone). Each curve is cumulative net tickets (paid, less
// refunded and rebooked away) as of the end of that day; sales on or after the start day count at day 0.
import { and, desc, eq, lt, ne, or } from 'drizzle-orm'
import type { Database } from '../../../db/client.ts'
import { events, organizers, shows } from '../../../db/schema.ts'
import { localDayOf } from '../../../domain/analytics-events.ts'
import type { ReportFilter } from './filters.ts'
import { ticketsPerShowDay } from './sales.ts'

const dayMs = 86_400_000
/** The curve reaches at most this far back. */
export const maxDaysBefore = 365

export interface ProgressCurve {
  showId: string
  eventId: string
  eventName: string
  eventNameEn: string | null
  startsAt: string
  /** The show asked about (the others are the comparison). */
  current: boolean
  /** Aligned with `daysBefore`; null where the day has not come yet (the current show's future). */
  cumulativeTickets: (number | null)[]
  tickets: number
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / dayMs)

/** Cumulative tickets per days-before-start, for the days `axis` (descending, ending at 0). */
export function cumulativeCurve(
  sales: { day: string; tickets: number }[],
  startDay: string,
  axis: number[],
  today: string,
): (number | null)[] {
  const perDaysBefore = new Map<number, number>()
  let before = 0
  for (const { day, tickets } of sales) {
    const d = Math.max(0, daysBetween(day, startDay))
    if (d > axis[0]!) before += tickets
    else perDaysBefore.set(d, (perDaysBefore.get(d) ?? 0) + tickets)
  }
  const daysToStart = daysBetween(today, startDay)
  let total = before
  return axis.map((d) => {
    total += perDaysBefore.get(d) ?? 0
    return d < daysToStart ? null : total
  })
}

/** null when the show is not this organizer's. */
export async function salesProgress(
  db: Database,
  filter: Omit<ReportFilter, 'from' | 'to' | 'showId'>,
  showId: string,
  compareWith: number,
  now = new Date(),
) {
  const [show] = await db
    .select({ id: shows.id, eventId: shows.eventId, venueId: shows.venueId, startsAt: shows.startsAt })
    .from(shows)
    .where(and(eq(shows.id, showId), eq(shows.organizerId, filter.organizerId)))
  if (!show) return null
  const [organizer] = await db
    .select({ timezone: organizers.timezone })
    .from(organizers)
    .where(eq(organizers.id, filter.organizerId))
  const zone = organizer?.timezone ?? 'Asia/Shanghai'
  const columns = {
    showId: shows.id,
    eventId: shows.eventId,
    eventName: events.name,
    eventNameEn: events.nameEn,
    startsAt: shows.startsAt,
  }
  const [self] = await db
    .select(columns)
    .from(shows)
    .innerJoin(events, eq(events.id, shows.eventId))
    .where(eq(shows.id, show.id))
  const earlier = await db
    .select(columns)
    .from(shows)
    .innerJoin(events, eq(events.id, shows.eventId))
    .where(
      and(
        eq(shows.organizerId, filter.organizerId),
        ne(shows.id, show.id),
        lt(shows.startsAt, show.startsAt),
        or(eq(shows.eventId, show.eventId), eq(shows.venueId, show.venueId)),
      ),
    )
    .orderBy(desc(shows.startsAt))
    .limit(compareWith)
  const list = [self!, ...earlier]
  const sales = await ticketsPerShowDay(
    db,
    { ...filter, from: '', to: '' },
    list.map((s) => s.showId),
  )
  const startDay = new Map(list.map((s) => [s.showId, localDayOf(new Date(s.startsAt), zone)]))
  const reach = Math.min(
    maxDaysBefore,
    Math.max(0, ...sales.map((s) => daysBetween(s.day, startDay.get(s.showId)!))),
  )
  const axis = Array.from({ length: reach + 1 }, (_, i) => reach - i)
  const today = localDayOf(now, zone)
  const curves: ProgressCurve[] = list.map((s, i) => {
    const own = sales.filter((r) => r.showId === s.showId)
    return {
      ...s,
      current: i === 0,
      cumulativeTickets: cumulativeCurve(own, startDay.get(s.showId)!, axis, today),
      tickets: own.reduce((sum, r) => sum + r.tickets, 0),
    }
  })
  return { showId: show.id, daysBefore: axis, shows: curves }
}
