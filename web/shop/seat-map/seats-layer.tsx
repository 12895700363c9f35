// The seats themselves: a circle each (a square for a wheelchair space), coloured by price category while
// free; held, sold and the buyer's own picks each look different. Rendered once per change of seats or
// picks, not per pan frame (the caller memoizes it).
import type { CategoryAvailability, Seat } from '../types.ts'

export const SEAT_COLOURS = { selected: '#1d1b1a', held: '#e3c9a8', sold: '#aaa4a1' }

export function seatFill(seat: Seat, selected: boolean, category: CategoryAvailability | undefined) {
  if (selected) return SEAT_COLOURS.selected
  if (seat.state === 'free') return category?.color ?? '#777'
  return seat.state === 'held' ? SEAT_COLOURS.held : SEAT_COLOURS.sold
}

export function SeatsLayer(props: {
  seats: Seat[]
  radius: number
  categories: Map<string, CategoryAvailability>
  selected: ReadonlySet<string>
  focusedId: string | undefined
  interactive: boolean
  label: (seat: Seat) => string
  onFocus: (seat: Seat) => void
  onPick: (seat: Seat) => void
}) {
  const r = props.radius
  return (
    <g>
      {props.seats.map((seat) => {
        const selected = props.selected.has(seat.id)
        const available = seat.state === 'free' || selected
        const common = {
          'data-seat-id': seat.id,
          'data-state': selected ? 'selected' : seat.state,
          role: 'checkbox' as const,
          'aria-checked': selected,
          'aria-disabled': !available,
          'aria-label': props.label(seat),
          tabindex: props.interactive && seat.id === props.focusedId ? 0 : -1,
          class: `seat${selected ? ' seat-selected' : ''}${available ? '' : ' seat-taken'}${seat.state === 'held' && !selected ? ' seat-held' : ''}`,
          fill: seatFill(seat, selected, props.categories.get(seat.category)),
          onFocus: () => props.onFocus(seat),
          onClick: () => props.onPick(seat),
        }
        return seat.accessible ? (
          <rect
            key={seat.id}
            {...common}
            x={seat.x - r}
            y={seat.y - r}
            width={r * 2}
            height={r * 2}
            rx={r / 3}
          />
        ) : (
          <circle key={seat.id} {...common} cx={seat.x} cy={seat.y} r={r} />
        )
      })}
    </g>
  )
}
