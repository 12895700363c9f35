// The seat map answer (GET /api/shows/{id}/seat-map): a small house whole, a big one as an overview whose sections
// are asked for one by one (worker/routes/contracts/seat-map.ts). The shop's show page loads sections as the buyer
// opens them (web/shop/seat-map/section-loader.ts), and so does the group-buy seat picker; the organizer's show page
// draws one section at a time (`seatMapPart`); `wholeSeatMap` puts every seat together.
import type { SeatMapAnswer, SeatMapArea, SeatMapSection } from '../../worker/routes/contracts/seat-map.ts'
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

/** A map drawn a section at a time: the seats of `section` and the sections to choose from (null: a small house). */
export type SeatMapPart = SeatMap & { areas: SeatMapArea[] | null; section: string | null }

/**
 * A small house whole; a big one's seats of `section` only (its first section when `section` is null or not one
 * of the show's), with the overview's sections and their free seats to choose another from.
 */
export async function seatMapPart(
  showId: string,
  section: string | null,
  signal?: AbortSignal,
): Promise<SeatMapPart> {
  const answer = await api<SeatMapAnswer>(seatMapPath(showId), { signal })
  if (answer.layout === 'whole') {
    const { layout: _, ...whole } = answer
    return { ...whole, areas: null, section: null }
  }
  const key = answer.areas.some((area) => area.key === section) ? section! : (answer.areas[0]?.key ?? null)
  const part = key ? await api<SeatMapSection>(sectionPath(showId, key), { signal }) : null
  const { layout: _, areas, seatCount: _count, pitch: _pitch, bounds: _bounds, ...rest } = answer
  return { ...rest, version: part?.version ?? answer.version, seats: part?.seats ?? [], areas, section: key }
}
