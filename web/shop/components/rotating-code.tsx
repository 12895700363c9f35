// The anti-screenshot code beside a ticket's QR (events that ask for it): 6 digits that change every
// `stepSeconds`, derived in the browser from this ticket's own secret with the same module enrolled gates
// use to recompute it offline (worker/domain/rotating-code.ts). A screenshot is refused after a minute.
import { useEffect, useState } from 'preact/hooks'
import { rotatingCode } from '../../../worker/domain/rotating-code.ts'

const fromBase64Url = (text: string) =>
  Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (ch) => ch.charCodeAt(0))

/** The current code, recomputed at each step boundary; undefined until the first one is ready. */
export function useRotatingCode(secret: string, stepSeconds: number): { code?: string; secondsLeft: number } {
  const [state, setState] = useState<{ code?: string; secondsLeft: number }>({ secondsLeft: stepSeconds })
  useEffect(() => {
    const key = fromBase64Url(secret)
    let alive = true
    const tick = async () => {
      const now = Date.now()
      const code = await rotatingCode(key, now)
      if (alive) setState({ code, secondsLeft: stepSeconds - (Math.floor(now / 1000) % stepSeconds) })
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

/** The code in large digits with the seconds until it changes; `label` names it for screen readers. */
export function RotatingCode(props: { secret: string; stepSeconds: number; label: string }) {
  const { code, secondsLeft } = useRotatingCode(props.secret, props.stepSeconds)
  return (
    <p class="rotating-code" data-testid="rotating-code">
      <span class="visually-hidden">{props.label}</span>
      <strong style={{ fontSize: '2rem', letterSpacing: '0.2em', fontVariantNumeric: 'tabular-nums' }}>
        {code ?? '······'}
      </strong>{' '}
      <small class="muted">{secondsLeft}s</small>
    </p>
  )
}
