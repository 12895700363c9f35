// The hold countdown, visible on every page while something is held (through checkout).
import { formatCountdown } from '../lib/format.ts'
import { Link } from '../lib/router.tsx'
import { useNow } from '../lib/ui.tsx'
import { setCurrentHold, useCurrentHold } from './hold-store.ts'
import { shopMessages } from './messages.ts'

export function HoldBanner({ onCheckout }: { onCheckout: boolean }) {
  const t = shopMessages.useT()
  const current = useCurrentHold()
  const now = useNow(1000)
  if (!current) return null
  const left = new Date(current.hold.expiresAt).getTime() - now
  const expired = left <= 0
  return (
    <aside
      class={`hold-banner${expired ? ' hold-expired' : ''}`}
      aria-label={t('checkout')}
      data-testid="hold-banner"
    >
      {expired ? (
        <span role="alert">{t('holdExpired')}</span>
      ) : (
        <span>
          <strong>{current.title}</strong> ·{' '}
          <span role="timer" aria-live="off" data-testid="hold-countdown">
            {t('heldFor', { time: formatCountdown(left) })}
          </span>
        </span>
      )}
      {!onCheckout && !expired && (
        <Link class="button button-primary" href="/checkout">
          {t('continueCheckout')}
        </Link>
      )}
      {expired && (
        <button type="button" class="button" onClick={() => setCurrentHold(null)}>
          {t('clear')}
        </button>
      )}
    </aside>
  )
}
