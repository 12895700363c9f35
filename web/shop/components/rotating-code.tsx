// The anti-screenshot code beside a ticket's QR (events that ask for it): 6 digits that change every
// `stepSeconds`, derived in the browser from this ticket's own secret with the same module enrolled gates
// use to recompute it offline (worker/domain/rotating-code.ts). A screenshot is refused after a minute.
import { useEffect, useState } from 'preact/hooks'
import { rotatingCode } from '../../../worker/domain/rotating-code.ts'

const fromBase64Url = (text: string) =>
  Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (ch) => ch.charCodeAt(0))

/** The current code, recomputed each second (cheap) so it turns over at the step boundary; undefined at first. */
export function useRotatingCode(
  secret: string | undefined,
  stepSeconds: number,
): { code?: string; secondsLeft: number } {
  const [state, setState] = useState<{ code?: string; secondsLeft: number }>({ secondsLeft: stepSeconds })
  useEffect(() => {
    if (!secret) return
    const key = fromBase64Url(secret)
    let alive = true
    const tick = async () => {
      const now = Date.now()
      const code = await rotatingCode(key, now)
      if (alive)
        setState((old) => {
          const secondsLeft = stepSeconds - (Math.floor(now / 1000) % stepSeconds)
          return old.code === code && old.secondsLeft === secondsLeft ? old : { code, secondsLeft }
        })
    }
    void tick()
    const timer = setInterval(tick, 1000)
    return () => {
      alive = false
      clearInterval(timer)
    }
  }, [secret, stepSeconds])
  return state
}

/** The code in large digits, a bar running down to the next code and the seconds left. */
export function RotatingCode(props: {
  code: string | undefined
  secondsLeft: number
  stepSeconds: number
  label: string
  changesIn: string
}) {
  return (
    <div class="rotating-code" data-testid="rotating-code">
      <span class="rotating-code-label">{props.label}</span>
      <strong class="rotating-code-digits" data-testid="rotating-code-digits">
        {props.code ? `${props.code.slice(0, 3)} ${props.code.slice(3)}` : '––– –––'}
      </strong>
      <span class="rotating-code-timer">
        <span
          class="rotating-code-bar"
          aria-hidden="true"
          style={{ width: `${(props.secondsLeft / props.stepSeconds) * 100}%` }}
        />
      </span>
      <small class="muted" data-testid="rotating-code-countdown" data-seconds={props.secondsLeft}>
        {props.changesIn}
      </small>
    </div>
  )
}
