// Refund as coupon (优惠券补偿): when the refund quote offers a coupon, the buyer picks "refund and take the coupon"
// or "refund only". The cash amount is the same either way; the coupon lands in My coupons once the refund succeeds.
import type { RefundQuote } from '../../../worker/routes/contracts/orders.ts'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { shopMessages } from '../messages.ts'

type Offer = NonNullable<Extract<RefundQuote, { allowed: true }>['compensation']>
export type CompensationChoice = 'coupon' | 'none'

export function RefundCompensation(props: {
  quote: Extract<RefundQuote, { allowed: true }>
  currency: string
  choice: CompensationChoice
  onChoice: (choice: CompensationChoice) => void
}) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const offer = props.quote.compensation
  if (!offer) return null
  const money = (minor: number) => formatMoney(minor, props.currency, locale)
  const value = offerValue(offer, money, t)
  const title = locale === 'en' && offer.titleEn ? offer.titleEn : offer.title
  const amount = money(props.quote.amount)
  return (
    <fieldset class="stack-tight" data-testid="refund-compensation">
      <legend>{t('refundCoupon_legend')}</legend>
      <p>
        {offer.mode === 'instead_of_fee'
          ? t('refundCoupon_insteadOfFee', { fee: money(props.quote.fee), title, value })
          : t('refundCoupon_onTop', { title, value })}
      </p>
      {(['coupon', 'none'] as const).map((choice) => (
        <label key={choice} class="row">
          <input
            type="radio"
            name="refund-compensation"
            value={choice}
            checked={props.choice === choice}
            onChange={() => props.onChoice(choice)}
          />
          {choice === 'coupon' ? t('refundCoupon_take', { amount }) : t('refundCoupon_none', { amount })}
        </label>
      ))}
    </fieldset>
  )
}

function offerValue(
  offer: Offer,
  money: (minor: number) => string,
  t: ReturnType<typeof shopMessages.useT>,
): string {
  if (offer.kind === 'amount_off')
    return offer.minSpend
      ? t('refundCoupon_valueMinSpend', { off: money(offer.amountOff ?? 0), min: money(offer.minSpend) })
      : t('refundCoupon_valueOff', { off: money(offer.amountOff ?? 0) })
  if (offer.kind === 'percent_off')
    return offer.maxOff
      ? t('refundCoupon_valuePercentMax', { percent: offer.percentOff ?? 0, max: money(offer.maxOff) })
      : t('refundCoupon_valuePercent', { percent: offer.percentOff ?? 0 })
  if (offer.kind === 'ticket_free') return t('refundCoupon_valueFree')
  return t('refundCoupon_valueTicketPrice', { price: money(offer.ticketPrice ?? 0) })
}
