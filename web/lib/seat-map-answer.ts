// The seat map answer (GET /api/shows/{id}/seat-map): a small house whole, a big one as an overview whose sections
// are asked for one by one (worker/routes/contracts/seat-map.ts). The shop's show page loads sections as the buyer
// opens them (web/shop/seat-map/section-loader.ts), and so does the group-buy seat picker; the organizer's show page
// and the box office's seat pick show one section at a time (`seatMapPart`). Nothing in the web apps reads a big
// house's every seat.
import type { SeatMapAnswer, SeatMapArea, SeatMapSection } from '../../worker/routes/contracts/seat-map.ts'
import type { SeatMap } from '../../worker/routes/contracts/shows.ts'
import { api } from './api.ts'

export const seatMapPath = (showId: string) => `/api/shows/${encodeURIComponent(showId)}/seat-map`
export const sectionPath = (showId: string, section: string) =>
  `${seatMapPath(showId)}/sections/${encodeURIComponent(section)}`

/** A map drawn a section at a time: the seats of `section` and the sections to choose from (null: a small house). */
export type SeatMapPart = SeatMap & { areas: SeatMapArea[] | null; section: string | null }

/**
 * A small house whole; a big one's seats of `section` only, with the overview's sections and their free seats to
 * choose another from. When `section` is null or not one of the show's, `otherwise` says which to show (by
 * default the first; null: none yet, no seats).
 */
export async function seatMapPart(
  showId: string,
  section: string | null,
  signal?: AbortSignal,
  otherwise: (areas: SeatMapArea[]) => string | null = (areas) => areas[0]?.key ?? null,
): Promise<SeatMapPart> {
  const answer = await api<SeatMapAnswer>(seatMapPath(showId), { signal })
  if (answer.layout === 'whole') {
    const { layout: _, ...whole } = answer
    return { ...whole, areas: null, section: null }
  }
  const key = answer.areas.some((area) => area.key === section) ? section! : otherwise(answer.areas)
  const part = key ? await api<SeatMapSection>(sectionPath(showId, key), { signal }) : null
  const { layout: _, areas, seatCount: _count, pitch: _pitch, bounds: _bounds, ...rest } = answer
  return { ...rest, version: part?.version ?? answer.version, seats: part?.seats ?? [], areas, section: key }
}
