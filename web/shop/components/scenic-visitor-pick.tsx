// Whom a child ticket (cable car, 父子票) is for: picked from the visitors already entered on this order's gate
// tickets, or from the buyer's gate tickets bought earlier for the same day, never typed again. The server gives
// the child line its parent ticket's visitor.

import { scenicMessages } from './scenic-messages.ts'

/** A gate ticket a child line can go with: a line of this order (by position) or one already bought. */
export interface ParentChoice {
  key: string
  label: string
  ref: { line: number } | { lineId: string }
}

export function VisitorPick(props: {
  legend: string
  name: string
  choices: ParentChoice[]
  value: string | undefined
  onPick: (key: string) => void
}) {
  const m = scenicMessages.useT()
  const hintId = `${props.name}-hint`
  return (
    <fieldset class="visitor" data-testid="visitor" aria-describedby={hintId}>
      <legend>{props.legend}</legend>
      <p class="small strong">{m('pickVisitor')}</p>
      <div class="visitor-chips">
        {props.choices.map((choice) => (
          <label
            key={choice.key}
            class={`visitor-chip${props.value === choice.key ? ' visitor-chip-on' : ''}`}
            data-testid="visitor-choice"
          >
            <input
              type="radio"
              name={props.name}
              value={choice.key}
              checked={props.value === choice.key}
              onChange={() => props.onPick(choice.key)}
            />
            <span>{choice.label}</span>
          </label>
        ))}
      </div>
      <small id={hintId} class="muted">
        {m('pickVisitorHint')}
      </small>
    </fieldset>
  )
}
