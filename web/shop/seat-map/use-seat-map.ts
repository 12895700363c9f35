// The show page's seat map, loaded and kept live: a small house whole (every seat, deltas applied to them); a big
// one (5,000 seats or more) as its overview, with each section's seats loaded when the buyer opens it
// (section-loader.ts). A delta about a section not loaded refreshes the overview's counts, at most every few
// seconds; a missed delta reloads the overview and the sections that were open.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { api } from '../../lib/api.ts'
import { seatMapPath, sectionPath } from '../../lib/seat-map-answer.ts'
import { useResource } from '../../lib/ui.tsx'
import { useLiveSeats } from '../live.ts'
import type { SeatMap, SeatMapAnswer, SeatMapOverview, SeatMapSection, SeatState } from '../types.ts'
import { SectionLoader } from './section-loader.ts'

/** How soon after a change elsewhere in the house the overview's counts are read again. */
const OVERVIEW_REFRESH_MS = 5_000

export function useShowSeatMap(showId: string) {
  const [map, setMap] = useState<SeatMap | null>(null)
  const [outline, setOutline] = useState<SeatMapOverview | null>(null)
  const loader = useRef<SectionLoader | null>(null)
  const refresh = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(() => () => clearTimeout(refresh.current ?? undefined), [])

  const seatMap = useResource(
    async (signal) => {
      const answer = await api<SeatMapAnswer>(seatMapPath(showId), { signal })
      const previous = loader.current
      if (answer.layout === 'whole') {
        loader.current = null
        setOutline(null)
        setMap(answer)
        return answer
      }
      const sections: SectionLoader = new SectionLoader(
        answer,
        (key) => api<SeatMapSection>(sectionPath(showId, key)),
        () => loader.current === sections && setMap((m) => m && { ...m, seats: sections.seats() }),
      )
      loader.current = sections
      const { layout: _, areas: _areas, seatCount: _n, pitch: _p, bounds: _b, ...shown } = answer
      setOutline(answer)
      setMap({ ...shown, seats: [] })
      // After a missed delta, the sections the buyer had open come back.
      if (previous) sections.need(previous.keys())
      return answer
    },
    [showId],
  )

  const refreshOverview = (sections: SectionLoader) => {
    if (refresh.current) return
    refresh.current = setTimeout(() => {
      refresh.current = null
      api<SeatMapAnswer>(seatMapPath(showId)).then(
        (answer) => answer.layout === 'sections' && loader.current === sections && setOutline(answer),
        () => undefined,
      )
    }, OVERVIEW_REFRESH_MS)
  }

  const connected = useLiveSeats(
    showId,
    map?.version,
    (changes, version) => {
      const sections = loader.current
      if (sections) {
        if (sections.applyDelta(changes, version).outside) refreshOverview(sections)
        setMap((current) => current && { ...current, version, seats: sections.seats() })
        return
      }
      setMap((current) => {
        if (!current) return current
        const states = new Map<string, SeatState>(changes)
        return {
          ...current,
          version,
          seats: current.seats.map((seat) =>
            states.has(seat.id) ? { ...seat, state: states.get(seat.id)! } : seat,
          ),
        }
      })
    },
    () => seatMap.reload(),
  )

  const needSections = useCallback((keys: string[]) => loader.current?.need(keys), [])
  return { map, outline, seatMap, connected, needSections }
}
