// Refund as coupon (优惠券补偿) of an event or a scenic site: off, or one of the organizer's coupons offered to
// signed-in buyers on the refund quote, instead of the fee or on top of every refund.
import { useEffect, useState } from 'preact/hooks'
import type { CouponRecordView, RefundCompensationView } from '../../worker/routes/contracts/admin/coupons.ts'
import { api } from '../lib/api.ts'
import { useLocale } from '../lib/i18n.ts'
import { Button, Field, ProblemAlert, useResource } from '../lib/ui.tsx'
import { adminMessages } from './messages.ts'
import { useSession } from './session.tsx'

type Mode = 'instead_of_fee' | 'on_top'

export function RefundCompensationField(props: { path: string }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const current = useResource((signal) => api<RefundCompensationView>(props.path, { signal }), [props.path])
  const coupons = useResource(
    (signal) => api<{ items: CouponRecordView[] }>(`${base}/coupons`, { signal, query: { limit: 200 } }),
    [base],
  )
  const [couponId, setCouponId] = useState('')
  const [mode, setMode] = useState<Mode>('instead_of_fee')
  const [saved, setSaved] = useState(false)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    setCouponId(current.data?.compensation?.couponId ?? '')
    setMode(current.data?.compensation?.mode ?? 'instead_of_fee')
  }, [current.data])
  const usable = (coupons.data?.items ?? []).filter((c) => !c.disabled || c.id === couponId)
  const save = async (event: Event) => {
    event.preventDefault()
    setError(null)
    setSaved(false)
    try {
      await api(props.path, {
        method: 'PUT',
        body: { compensation: couponId ? { couponId, mode } : null },
      })
      setSaved(true)
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <form class="card stack" onSubmit={save} data-testid="refund-compensation">
      <h2>{t('refundCoupon_heading')}</h2>
      <p class="muted">{t('refundCoupon_intro')}</p>
      {coupons.data && usable.length === 0 && <p class="muted">{t('refundCoupon_noCoupons')}</p>}
      <Field label={t('refundCoupon_coupon')}>
        {({ id }) => (
          <select
            id={id}
            value={couponId}
            onChange={(e) => setCouponId((e.target as HTMLSelectElement).value)}
          >
            <option value="">{t('refundCoupon_off')}</option>
            {usable.map((c) => (
              <option key={c.id} value={c.id}>
                {locale === 'en' && c.titleEn ? c.titleEn : c.title}
              </option>
            ))}
          </select>
        )}
      </Field>
      {couponId && (
        <fieldset class="stack-tight">
          <legend>{t('refundCoupon_mode')}</legend>
          {(['instead_of_fee', 'on_top'] as const).map((m) => (
            <label key={m} class="row">
              <input
                type="radio"
                name="refund-coupon-mode"
                checked={mode === m}
                onChange={() => setMode(m)}
              />
              {t(`refundCoupon_mode_${m}`)}
            </label>
          ))}
        </fieldset>
      )}
      <div class="row">
        <Button type="submit" variant="primary">
          {t('refundCoupon_save')}
        </Button>
        {saved && <span role="status">{t('refundCoupon_saved')}</span>}
      </div>
      <ProblemAlert error={error ?? current.error ?? coupons.error} />
    </form>
  )
}
