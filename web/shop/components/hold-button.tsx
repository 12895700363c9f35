// A primary button that, when it cannot be used, says why right under it (and tells screen readers through
// aria-describedby) instead of only greying out.
import type { ComponentChildren } from 'preact'
import { useRef } from 'preact/hooks'

export function HoldButton(props: {
  /** Why the button cannot be used now; null when it can. */
  reason: string | null
  onClick?: () => void
  type?: 'button' | 'submit'
  testId?: string
  children: ComponentChildren
}) {
  const id = useRef(`r${Math.random().toString(36).slice(2, 9)}`).current
  return (
    <div class="stack-tight">
      <button
        type={props.type ?? 'button'}
        class="button button-primary"
        disabled={props.reason !== null}
        aria-describedby={props.reason ? id : undefined}
        onClick={props.onClick}
        data-testid={props.testId}
      >
        {props.children}
      </button>
      {props.reason && (
        <p id={id} class="disabled-reason" data-testid="disabled-reason">
          {props.reason}
        </p>
      )}
    </div>
  )
}
