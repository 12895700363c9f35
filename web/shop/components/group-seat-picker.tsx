// Picking one's own seats for a group buy (the leader seating the group, or a member choosing): the show's seat
// map, where only seats sold at a group price can be picked, up to the campaign's per-buyer limit; each pick is
// listed with its group price. The map reloads when the start or join is refused, so taken seats show.
import { useState } from 'preact/hooks'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { categoryName, seatName } from '../../lib/labels.ts'
import { wholeSeatMap } from '../../lib/seat-map-answer.ts'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { SeatMap } from '../seat-map/index.tsx'
import type { Seat } from '../types.ts'
import { groupBuyMessages } from './group-buy-messages.ts'

export function GroupSeatPicker(props: {
  showId: string
  isCinema: boolean
  prices: Record<string, number>
  currency: string
  limit: number
  selected: ReadonlySet<string>
  onChange: (seatIds: ReadonlySet<string>, seats: Seat[]) => void
  /** Bumped by the form after a refusal: the map is loaded again. */
  reloadKey: number
}) {
  const t = groupBuyMessages.useT()
  const locale = useLocale()
  const [notice, setNotice] = useState<string | null>(null)
  const map = useResource((signal) => wholeSeatMap(props.showId, signal), [props.showId, props.reloadKey])
  if (map.error) return <ProblemAlert error={map.error} onRetry={map.reload} />
  if (!map.data) return <Loading />
  const seats = map.data.seats
  const chosen = seats.filter((seat) => props.selected.has(seat.id))
  const nameOf = (code: string) => categoryName(code, map.data!.categories, locale)
  const money = (minor: number) => formatMoney(minor, props.currency, locale)

  const toggle = (seat: Seat) => {
    const next = new Set(props.selected)
    setNotice(null)
    if (next.has(seat.id)) next.delete(seat.id)
    else if (props.prices[seat.category] === undefined) {
      setNotice(t('seatNotInGroup'))
      return
    } else if (next.size >= props.limit) {
      setNotice(t('seatLimit', { count: props.limit }))
      return
    } else next.add(seat.id)
    props.onChange(
      next,
      seats.filter((s) => next.has(s.id)),
    )
  }

  return (
    <div class="stack" data-testid="group-seat-picker">
      <SeatMap
        seats={seats}
        sections={map.data.sections}
        categories={map.data.categories}
        currency={map.data.currency}
        stage={map.data.stage}
        isCinema={props.isCinema}
        selected={props.selected}
        onToggle={toggle}
      />
      <p role="status" aria-live="polite" class="small needs-parent">
        {notice ?? ''}
      </p>
      <p class="muted small">{t('pickSeatsHelp', { count: props.limit })}</p>
      {chosen.length === 0 ? (
        <p class="small">{t('noSeatsPicked')}</p>
      ) : (
        <ul class="plain-list stack" data-testid="group-picked-seats">
          {chosen.map((seat) => (
            <li key={seat.id} class="row spread small">
              <span>
                {seatName(seat, locale)} · {nameOf(seat.category)} ·{' '}
                {t('groupPriceShort', { price: money(props.prices[seat.category] ?? 0) })}
              </span>
              <Button onClick={() => toggle(seat)} aria-label={t('unpick', { seat: seatName(seat, locale) })}>
                ×
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
