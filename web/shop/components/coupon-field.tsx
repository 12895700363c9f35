// The coupon at checkout: a code field (and, signed in, the buyer's own coupons to tap), priced live by
// POST /api/coupons/quote. Nothing is reserved until the order; the order checks the code again.
import { useState } from 'preact/hooks'
import type { DiscountQuoteView, MyCouponView } from '../../../worker/routes/contracts/coupons.ts'
import { api } from '../../lib/api.ts'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Button, Field, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { shopMessages, useProblemMessages } from '../messages.ts'

export interface AppliedCoupon {
  code: string
  quote: DiscountQuoteView
}

export function CouponField(props: {
  /** The hold as the quote route takes it (kind, show or site and date, hold id). */
  hold: Record<string, string>
  currency: string
  applied: AppliedCoupon | null
  onApplied: (applied: AppliedCoupon | null) => void
  disabled?: boolean
}) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const problems = useProblemMessages()
  const [code, setCode] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  // Not signed in (401): no list, just the field.
  const mine = useResource(
    (signal) => api<{ items: MyCouponView[] }>('/api/coupons/mine', { signal }).catch(() => null),
    [],
  )
  const usable = (mine.data?.items ?? []).filter((c) => c.state === 'available')
  const apply = async (typed: string) => {
    if (!typed.trim()) return
    setBusy(true)
    setError(null)
    try {
      const quote = await api<DiscountQuoteView>('/api/coupons/quote', {
        body: { ...props.hold, couponCode: typed.trim() },
      })
      props.onApplied({ code: typed.trim(), quote })
    } catch (failure) {
      setError(failure)
      props.onApplied(null)
    } finally {
      setBusy(false)
    }
  }
  if (props.applied)
    return (
      <div class="row spread" data-testid="coupon-applied">
        <span>
          {t('coupon_applied', {
            code: props.applied.code,
            amount: formatMoney(props.applied.quote.discount, props.currency, locale),
          })}
        </span>
        <Button onClick={() => props.onApplied(null)} disabled={props.disabled}>
          {t('coupon_remove')}
        </Button>
      </div>
    )
  return (
    <div class="stack-tight">
      <Field label={t('coupon_label')} hint={t('coupon_hint')}>
        {({ id, describedBy }) => (
          <input
            id={id}
            aria-describedby={describedBy}
            autoComplete="off"
            autoCapitalize="characters"
            value={code}
            onInput={(e) => setCode((e.target as HTMLInputElement).value)}
          />
        )}
      </Field>
      <Button onClick={() => apply(code)} disabled={busy || props.disabled || !code.trim()}>
        {t('coupon_apply')}
      </Button>
      {usable.length > 0 && (
        <fieldset class="stack-tight" data-testid="my-coupons">
          <legend>{t('coupon_mine')}</legend>
          {usable.map((c) => (
            <Button key={c.code} onClick={() => apply(c.code)} disabled={busy || props.disabled}>
              {locale === 'en' && c.titleEn ? c.titleEn : c.title}
            </Button>
          ))}
        </fieldset>
      )}
      <ProblemAlert error={error} messages={problems} />
    </div>
  )
}
