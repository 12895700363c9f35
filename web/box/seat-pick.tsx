// An optional seat pick at the window: the chosen zone's free seats as a list by row, one checkbox per seat
// (Tab moves between rows' seats, Space picks), for the buyer who points at a seat on the counter's plan. Not the
// shop's drawn map: that one is made for fingers on a phone and carries the shop's own messages and live feed;
// a clerk's keyboard is faster down a list. The seats are read once per show; a seat taken meanwhile is refused
// by the sale (409) and the list read again.
import { useMemo } from 'preact/hooks'
import { useLocale } from '../lib/i18n.ts'
import { seatName, seatNumber, sectionTitle, withSectionNames } from '../lib/labels.ts'
import { wholeSeatMap } from '../lib/seat-map-answer.ts'
import { Loading, ProblemAlert, useResource } from '../lib/ui.tsx'
import { messages } from './messages.ts'

/** The most seats one sale takes (the API's limit). */
export const MAX_SEATS = 20

export function SeatPick(props: {
  showId: string
  category: string
  picked: string[]
  onChange: (seatIds: string[]) => void
  /** Bumped after a refused sale, to read the seats again. */
  version: number
}) {
  const t = messages.useT()
  const locale = useLocale()
  const map = useResource((signal) => wholeSeatMap(props.showId, signal), [props.showId, props.version])
  const rows = useMemo(() => {
    const byRow = new Map<string, { title: string; seats: { id: string; name: string; number: string }[] }>()
    for (const seat of map.data?.seats ?? []) {
      if (seat.category !== props.category || seat.state !== 'free') continue
      const named = withSectionNames(seat, map.data?.sections)
      const key = `${seat.section}\u0000${seat.row}`
      if (!byRow.has(key))
        byRow.set(key, {
          title: t('seatRow', { section: sectionTitle(named, locale), row: seat.row }),
          seats: [],
        })
      byRow.get(key)!.seats.push({
        id: seat.id,
        name: seatName(named, locale, { section: true }),
        number: seatNumber(named),
      })
    }
    return [...byRow.values()]
  }, [map.data, props.category, locale])
  if (map.loading && !map.data) return <Loading />
  if (map.error) return <ProblemAlert error={map.error} onRetry={map.reload} />
  const picked = new Set(props.picked)
  const toggle = (id: string, on: boolean) =>
    props.onChange(on ? [...props.picked, id] : props.picked.filter((p) => p !== id))
  if (!rows.length) return <p class="muted">{t('seatsNone')}</p>
  return (
    <div class="box-seats stack" data-testid="seat-pick">
      <p class="muted" role="status">
        {t('seatsPicked', { count: picked.size, max: MAX_SEATS })}
      </p>
      {rows.map((row) => (
        <fieldset key={row.title} class="box-seat-row">
          <legend>{row.title}</legend>
          {row.seats.map((seat) => (
            <label key={seat.id} class="box-seat" title={seat.name}>
              <input
                type="checkbox"
                aria-label={seat.name}
                data-seat-id={seat.id}
                checked={picked.has(seat.id)}
                disabled={!picked.has(seat.id) && picked.size >= MAX_SEATS}
                onChange={(e) => toggle(seat.id, e.currentTarget.checked)}
              />
              {seat.number}
            </label>
          ))}
        </fieldset>
      ))}
    </div>
  )
}
