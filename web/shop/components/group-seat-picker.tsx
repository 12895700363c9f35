// Picking one's own seats for a group buy (the leader seating the group, or a member choosing): the show's seat
// map, where only seats sold at a group price can be picked, up to the campaign's per-buyer limit; each pick is
// listed with its group price. The map reloads when the start or join is refused, so taken seats show. It is the
// shop's live map: a big house's sections are loaded as the buyer opens them, not every seat at once.
import { useEffect, useRef, useState } from 'preact/hooks'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { categoryName, seatName } from '../../lib/labels.ts'
import { Button, Loading, ProblemAlert } from '../../lib/ui.tsx'
import { SeatMap } from '../seat-map/index.tsx'
import { useShowSeatMap } from '../seat-map/use-seat-map.ts'
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
  const { map, outline, seatMap, needSections } = useShowSeatMap(props.showId)
  const reloadedFor = useRef(props.reloadKey)
  useEffect(() => {
    if (reloadedFor.current === props.reloadKey) return
    reloadedFor.current = props.reloadKey
    seatMap.reload()
  }, [props.reloadKey])
  if (seatMap.error) return <ProblemAlert error={seatMap.error} onRetry={seatMap.reload} />
  if (!map) return <Loading />
  const seats = map.seats
  const chosen = seats.filter((seat) => props.selected.has(seat.id))
  const nameOf = (code: string) => categoryName(code, map.categories, locale)
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
        sections={map.sections}
        categories={map.categories}
        currency={map.currency}
        stage={map.stage}
        outline={outline}
        onNeedSections={needSections}
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
