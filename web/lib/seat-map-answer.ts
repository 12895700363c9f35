// The seat map answer (GET /api/shows/{id}/seat-map): a small house whole, a big one as an overview whose sections
// are asked for one by one (worker/routes/contracts/seat-map.ts). The shop's show page loads sections as the buyer
// opens them (web/shop/seat-map/section-loader.ts); pages that draw every seat (the organizer's show page, the
// group-buy seat picker) use `wholeSeatMap`.
import type { SeatMapAnswer, SeatMapSection } from '../../worker/routes/contracts/seat-map.ts'
import type { SeatMap } from '../../worker/routes/contracts/shows.ts'
import { api } from './api.ts'

export const seatMapPath = (showId: string) => `/api/shows/${encodeURIComponent(showId)}/seat-map`
export const sectionPath = (showId: string, section: string) =>
  `${seatMapPath(showId)}/sections/${encodeURIComponent(section)}`

/** Sections asked for at once when a page needs them all. */
const AT_ONCE = 6

/** Every seat of the show: a big house's sections fetched a few at a time and put together in their order. */
export async function wholeSeatMap(showId: string, signal?: AbortSignal): Promise<SeatMap> {
  const answer = await api<SeatMapAnswer>(seatMapPath(showId), { signal })
  if (answer.layout === 'whole') return answer
  const parts: SeatMapSection[] = []
  for (let i = 0; i < answer.areas.length; i += AT_ONCE)
    parts.push(
      ...(await Promise.all(
        answer.areas
          .slice(i, i + AT_ONCE)
          .map((area) => api<SeatMapSection>(sectionPath(showId, area.key), { signal })),
      )),
    )
  const { layout: _, areas: _areas, seatCount: _count, pitch: _pitch, bounds: _bounds, ...rest } = answer
  // The oldest part's version: live deltas after it bring every part up to date.
  return { ...rest, version: Math.min(...parts.map((p) => p.version)), seats: parts.flatMap((p) => p.seats) }
}
