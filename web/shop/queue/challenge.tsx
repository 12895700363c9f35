// The challenge step an organizer may require before queueing. With a Turnstile site key configured (the
// `TURNSTILE_SITE_KEY` environment variable when the web is built) the real widget is rendered (Cloudflare's
// script, loaded only then); without one (local development, tests) a plain "I am not a robot" box stands in and
// sends the local double's token, which the server's test double accepts.
import { useEffect, useRef, useState } from 'preact/hooks'
import { useLocale } from '../../lib/i18n.ts'
import { queueMessages } from './messages.ts'

/** What the server's local challenge double takes as a passed check (worker/services/bot-challenge/local.ts). */
export const localChallengeToken = 'pass'

const turnstileScript = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit'

interface TurnstileApi {
  render(
    container: HTMLElement,
    options: {
      sitekey: string
      language?: string
      callback?: (token: string) => void
      'error-callback'?: () => void
      'expired-callback'?: () => void
    },
  ): string | null | undefined
  remove(widget: string): void
}

let loading: Promise<TurnstileApi> | undefined
function loadTurnstile(): Promise<TurnstileApi> {
  loading ??= new Promise<TurnstileApi>((resolve, reject) => {
    const script = document.createElement('script')
    script.src = turnstileScript
    script.async = true
    script.onload = () => {
      const api = (window as unknown as { turnstile?: TurnstileApi }).turnstile
      if (api) resolve(api)
      else reject(new Error('turnstile missing'))
    }
    script.onerror = () => {
      loading = undefined
      reject(new Error('turnstile unreachable'))
    }
    document.head.append(script)
  })
  return loading
}

export function ChallengeStep(props: {
  siteKey: string | null
  token: string | null
  onToken: (token: string | null) => void
  failed: boolean
}) {
  const t = queueMessages.useT()
  return (
    <fieldset class="stack-tight queue-challenge" data-testid="queue-challenge">
      <legend>{t('challengeHeading')}</legend>
      <p class="muted small">{t('challengeHint')}</p>
      {props.siteKey ? (
        <TurnstileWidget siteKey={props.siteKey} onToken={props.onToken} />
      ) : (
        <label class="checkbox">
          <input
            type="checkbox"
            checked={props.token !== null}
            onChange={(event) =>
              props.onToken((event.target as HTMLInputElement).checked ? localChallengeToken : null)
            }
          />
          {t('challengeLocal')}
        </label>
      )}
      {props.failed && (
        <p class="field-error" role="alert">
          {t('challengeFailed')}
        </p>
      )}
    </fieldset>
  )
}

function TurnstileWidget(props: { siteKey: string; onToken: (token: string | null) => void }) {
  const t = queueMessages.useT()
  const locale = useLocale()
  const box = useRef<HTMLDivElement>(null)
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading')
  const onToken = useRef(props.onToken)
  onToken.current = props.onToken
  useEffect(() => {
    let widget: string | null | undefined
    let live = true
    loadTurnstile().then(
      (turnstile) => {
        if (!live || !box.current) return
        setState('ready')
        widget = turnstile.render(box.current, {
          sitekey: props.siteKey,
          language: locale === 'zh-CN' ? 'zh-cn' : 'en',
          callback: (token) => onToken.current(token),
          'error-callback': () => onToken.current(null),
          'expired-callback': () => onToken.current(null),
        })
      },
      () => live && setState('failed'),
    )
    return () => {
      live = false
      if (widget) void loading?.then((turnstile) => turnstile.remove(widget!))
    }
  }, [props.siteKey, locale])
  return (
    <div>
      {state === 'loading' && <p class="muted small">{t('challengeLoading')}</p>}
      {state === 'failed' && <p class="field-error">{t('challengeFailed')}</p>}
      <div ref={box} />
    </div>
  )
}
