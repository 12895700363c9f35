// The show part of a window sale: which performance, which price zone, and best available or seats picked on
// the list (a big house's a section at a time). Changing any of them drops the seats picked so far.
import type { BoxCatalogue } from '../../worker/routes/contracts/box-office.ts'
import type { ShowDetail } from '../../worker/routes/contracts/shows.ts'
import { formatDateTime } from '../lib/format.ts'
import { useLocale } from '../lib/i18n.ts'
import { localName } from '../lib/labels.ts'
import { Field } from '../lib/ui.tsx'
import { focusOnMount } from './inputs.ts'
import { messages } from './messages.ts'
import { SeatPick } from './seat-pick.tsx'
import type { PickedSeat } from './seat-rows.ts'

type Zone = ShowDetail['categories'][number]

export function ShowFields(props: {
  shows: BoxCatalogue['shows']
  showId: string
  onShow: (showId: string) => void
  categories: Zone[]
  zone: Zone | undefined
  onCategory: (code: string) => void
  pickSeats: boolean
  onPickSeats: (pick: boolean) => void
  picked: PickedSeat[]
  onSeats: (seats: PickedSeat[]) => void
  /** Seats the last sale found taken meanwhile (marked in the list). */
  taken: PickedSeat[]
  /** Bumped to read the seat list again (after a seat was taken meanwhile). */
  seatsVersion: number
  money: (minor: number) => string
}) {
  const t = messages.useT()
  const locale = useLocale()
  const { showId, zone } = props
  return (
    <>
      <Field label={t('show')}>
        {({ id }) => (
          <select
            id={id}
            ref={focusOnMount}
            value={showId}
            onChange={(e) => props.onShow(e.currentTarget.value)}
            required
          >
            {props.shows.map((s) => (
              <option key={s.id} value={s.id}>
                {formatDateTime(s.startsAt, locale)} ·{' '}
                {localName({ name: s.eventName, nameEn: s.eventNameEn }, locale)} ·{' '}
                {localName({ name: s.venueName, nameEn: s.venueNameEn }, locale)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {!props.shows.length && <p class="muted">{t('showsNone')}</p>}
      <Field label={t('category')}>
        {({ id }) => (
          <select
            id={id}
            value={zone?.code ?? ''}
            onChange={(e) => props.onCategory(e.currentTarget.value)}
            required
          >
            {props.categories.map((c) => (
              <option key={c.code} value={c.code}>
                {t('categoryOption', {
                  name: localName({ name: c.name, nameEn: c.nameEn ?? null }, locale),
                  price: props.money(c.current.price),
                  available: c.available,
                })}
              </option>
            ))}
          </select>
        )}
      </Field>
      <label class="box-check">
        <input
          type="checkbox"
          checked={props.pickSeats}
          onChange={(e) => props.onPickSeats(e.currentTarget.checked)}
        />
        {t('pickSeats')}
      </label>
      {props.pickSeats && showId && zone && (
        <SeatPick
          key={`${showId}\u0000${zone.code}`}
          showId={showId}
          category={zone.code}
          picked={props.picked}
          onChange={props.onSeats}
          taken={props.taken}
          version={props.seatsVersion}
        />
      )}
    </>
  )
}
