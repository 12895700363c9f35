// An optional seat pick at the window: the chosen zone's free seats as a list by row, one checkbox per seat
// (Tab moves between rows' seats, Space picks), for the buyer who points at a seat on the counter's plan. Not the
// shop's drawn map: that one is made for fingers on a phone and carries the shop's own messages and live feed;
// a clerk's keyboard is faster down a list. A big house (5,000 seats or more) is listed a section at a time, as
// the console's show page draws it (`seatMapPart`): the clerk chooses a section from the overview's free counts,
// then only that section's seats are read. The seats are read once, not live: a seat taken meanwhile is refused
// by the sale (409), the list is read again, and the seats the sale found taken stay in it, marked.
import { useState } from 'preact/hooks'
import type { SeatMapArea } from '../../worker/routes/contracts/seat-map.ts'
import { useLocale } from '../lib/i18n.ts'
import {
  categoryName,
  type NamedCategory,
  seatName,
  seatNames,
  seatNumber,
  sectionTitle,
  withSectionNames,
} from '../lib/labels.ts'
import { type SeatMapPart, seatMapPart } from '../lib/seat-map-answer.ts'
import { Loading, ProblemAlert, useResource } from '../lib/ui.tsx'
import { messages } from './messages.ts'
import { type PickedSeat, seatRows, sectionChoices, soleSection } from './seat-rows.ts'

/** The most seats one sale takes (the API's limit). */
export const MAX_SEATS = 20

export function SeatPick(props: {
  showId: string
  category: string
  picked: PickedSeat[]
  onChange: (seats: PickedSeat[]) => void
  /** Seats the last sale found taken: listed, marked and not pickable. */
  taken: PickedSeat[]
  /** Bumped after a refused sale, to read the seats again. */
  version: number
}) {
  const t = messages.useT()
  const locale = useLocale()
  // The section the clerk chose (a big house); until then the only one with free seats in the zone, if one is.
  const [chosen, setChosen] = useState<string | null>(null)
  const map = useResource(
    (signal) => seatMapPart(props.showId, chosen, signal, (areas) => soleSection(areas, props.category)),
    [props.showId, props.category, chosen, props.version],
  )
  if (map.loading && !map.data) return <Loading />
  if (map.error) return <ProblemAlert error={map.error} onRetry={map.reload} />
  const data = map.data!
  const shown = chosen ?? data.section
  // Another section chosen: its seats are on the way (the last one's are not listed meanwhile).
  const arriving = data.section !== shown
  const picked = new Set(props.picked.map((seat) => seat.id))
  const taken = new Set(props.taken.map((seat) => seat.id))
  const rows = arriving ? [] : seatRows(data.seats, props.category, taken)
  const toggle = (seat: PickedSeat, on: boolean) =>
    props.onChange(on ? [...props.picked, seat] : props.picked.filter((p) => p.id !== seat.id))
  return (
    <div class="box-seats stack" data-testid="seat-pick">
      <p class="muted" role="status">
        {props.picked.length
          ? t('seatsPickedList', {
              count: picked.size,
              max: MAX_SEATS,
              seats: seatNames(props.picked, locale, { section: true }),
            })
          : t('seatsPicked', { count: 0, max: MAX_SEATS })}
      </p>
      {data.areas && (
        <SectionChoice
          showId={props.showId}
          areas={data.areas}
          map={data}
          category={props.category}
          shown={shown}
          onChoose={setChosen}
        />
      )}
      {arriving ? (
        <Loading />
      ) : data.areas && !shown ? (
        <p class="muted">{t('seatSectionChoose')}</p>
      ) : !rows.length ? (
        <p class="muted">{data.areas ? t('seatsNoneInSection') : t('seatsNone')}</p>
      ) : (
        <div class="box-seat-list" data-testid="seat-list" data-section={shown ?? undefined}>
          {rows.map((row) => {
            const seats = row.seats.map((seat) => withSectionNames(seat, data.sections))
            return (
              <fieldset key={`${row.section}\u0000${row.row}`} class="box-seat-row">
                <legend>{t('seatRow', { section: sectionTitle(seats[0]!, locale), row: row.row })}</legend>
                {seats.map((seat) => (
                  <SeatBox
                    key={seat.id}
                    seat={seat}
                    taken={taken.has(seat.id) && seat.state !== 'free'}
                    picked={picked.has(seat.id)}
                    full={picked.size >= MAX_SEATS}
                    onToggle={toggle}
                  />
                ))}
              </fieldset>
            )
          })}
        </div>
      )}
    </div>
  )
}

function SeatBox(props: {
  seat: PickedSeat
  taken: boolean
  picked: boolean
  full: boolean
  onToggle: (seat: PickedSeat, on: boolean) => void
}) {
  const t = messages.useT()
  const locale = useLocale()
  const { seat } = props
  const name = seatName(seat, locale, { section: true })
  return (
    <label class={`box-seat${props.taken ? ' box-seat-taken' : ''}`} title={name}>
      <input
        type="checkbox"
        aria-label={props.taken ? t('seatTaken', { seat: name }) : name}
        data-seat-id={seat.id}
        data-state={seat.state}
        checked={props.picked && !props.taken}
        disabled={props.taken || (!props.picked && props.full)}
        onChange={(e) => props.onToggle(seat, e.currentTarget.checked)}
      />
      {seatNumber(seat)}
    </label>
  )
}

/**
 * A big house's sections as radio buttons (arrow keys move between them): each with its free seats in the zone
 * being sold, and in the other zones that have some. A section with none in this zone cannot be chosen.
 */
function SectionChoice(props: {
  showId: string
  areas: SeatMapArea[]
  map: SeatMapPart
  category: string
  shown: string | null
  onChoose: (key: string) => void
}) {
  const t = messages.useT()
  const locale = useLocale()
  const categories: NamedCategory[] = props.map.categories
  const choices = sectionChoices(props.areas, props.category)
  if (!choices.some((choice) => choice.free > 0)) return <p class="muted">{t('seatsNone')}</p>
  return (
    <fieldset class="box-sections" data-testid="seat-sections">
      <legend>{t('seatSection')}</legend>
      {choices.map((choice) => (
        <label key={choice.key} class={choice.free ? undefined : 'muted'}>
          <input
            type="radio"
            name={`box-section-${props.showId}`}
            value={choice.key}
            checked={choice.key === props.shown}
            disabled={!choice.free && choice.key !== props.shown}
            onChange={() => props.onChoose(choice.key)}
          />
          {t('sectionFree', {
            section: sectionTitle(
              withSectionNames({ section: choice.key, row: '' }, props.map.sections),
              locale,
            ),
            free: choice.free,
          })}
          {choice.others.length > 0 && (
            <span class="small">
              {' · '}
              {t('sectionOthers', {
                zones: choice.others
                  .map(([code, free]) => `${categoryName(code, categories, locale)} ${free}`)
                  .join(locale === 'zh-CN' ? '、' : ', '),
              })}
            </span>
          )}
        </label>
      ))}
    </fieldset>
  )
}
