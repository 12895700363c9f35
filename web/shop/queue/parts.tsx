// Pieces of the waiting-room page: the countdown to opening, the place with its progress bar, and what happens
// next. The bar and the figures are visual and ticking; what a screen reader hears comes from the page's one
// polite live region (web/shop/queue/waiting-room.tsx), so nothing is announced every second.
import { formatDateTime } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { useNow } from '../../lib/ui.tsx'
import { countdownText } from '../components/price-tag.tsx'
import { shopMessages } from '../messages.ts'
import { queueMessages } from './messages.ts'
import { progressPercent, waitMinutes } from './progress.ts'

export function OpeningCountdown(props: { opensAt: string | null; waiting: number }) {
  const t = queueMessages.useT()
  const shop = shopMessages.useT()
  const locale = useLocale()
  const now = useNow(1000)
  const left = props.opensAt ? Date.parse(props.opensAt) - now : null
  return (
    <div class="stack-tight" data-testid="queue-before-open">
      <p>
        <strong>{t('beforeLead')}</strong> {t('beforeRandom')}
      </p>
      {props.opensAt && (
        <p class="queue-countdown">
          {left !== null && left > 0 ? (
            <span role="timer" aria-live="off" data-testid="queue-countdown">
              {t('opensIn', { time: countdownText(shop, left) })}
            </span>
          ) : (
            <span>{t('openingNow')}</span>
          )}
          <br />
          <span class="muted small">{t('opensAt', { when: formatDateTime(props.opensAt, locale) })}</span>
        </p>
      )}
      <p class="muted small" data-testid="queue-waiting">
        {t('waitingNow', { count: props.waiting })}
      </p>
    </div>
  )
}

function waitText(t: ReturnType<typeof queueMessages.useT>, seconds: number | null): string {
  const minutes = waitMinutes(seconds)
  if (minutes === null) return t('waitUnknown')
  return minutes === 0 ? t('waitUnderMinute') : t('waitMinutes', { count: minutes })
}

export function QueuePlace(props: {
  position: number
  firstPosition: number
  estimatedWaitSeconds: number | null
  admittedPerMinute: number | null
}) {
  const t = queueMessages.useT()
  const ahead = props.position - 1
  const percent = progressPercent(props.firstPosition, props.position)
  return (
    <div class="stack queue-place" data-testid="queue-place" data-position={props.position}>
      <dl class="queue-figures">
        <div>
          <dt>{t('yourPlace')}</dt>
          <dd data-testid="queue-position">{t('placeNumber', { position: props.position })}</dd>
        </div>
        <div>
          <dt>{t('wait')}</dt>
          <dd data-testid="queue-wait">{waitText(t, props.estimatedWaitSeconds)}</dd>
        </div>
      </dl>
      <div
        class="progress-track"
        role="progressbar"
        aria-label={t('progressLabel')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={t('progressText', { position: props.position, ahead })}
        data-testid="queue-progress"
      >
        <div class="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p class="row spread small">
        <strong data-testid="queue-ahead">{t('ahead', { count: ahead })}</strong>
        {props.admittedPerMinute !== null && props.admittedPerMinute > 0 && (
          <span class="muted">{t('pace', { count: props.admittedPerMinute })}</span>
        )}
      </p>
    </div>
  )
}

export function NextSteps(props: { kind: 'show' | 'day'; passMinutes: number | null }) {
  const t = queueMessages.useT()
  return (
    <section class="card stack-tight" aria-labelledby="queue-next-heading" data-testid="queue-next">
      <h2 id="queue-next-heading">{t('nextHeading')}</h2>
      <ul class="queue-next">
        <li>{t(props.kind === 'show' ? 'nextTurnSeats' : 'nextTurnDay')}</li>
        <li>{props.passMinutes ? t('nextPass', { count: props.passMinutes }) : t('nextPassUnknown')}</li>
        <li>{t('nextKeepOpen')}</li>
        <li>{t('nextOnePlace')}</li>
      </ul>
    </section>
  )
}
