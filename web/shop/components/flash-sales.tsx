// Flash sales (限时抢购) of a show: price over the struck list price, units left of the total, the per-buyer
// limit, and its own hold button (the hold carries `flashSaleId`). Before it opens the button says when; once
// the units are gone or the window closed it says so. The countdown runs to the opening or to the end.
import { useState } from 'preact/hooks'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { useNow } from '../../lib/ui.tsx'
import { shopMessages } from '../messages.ts'
import type { FlashSaleView } from '../types.ts'
import { HoldButton } from './hold-button.tsx'
import { countdownText, PriceWithList, tierName } from './price-tag.tsx'

export function FlashSales(props: {
  sales: FlashSaleView[]
  currency: string
  categoryName: (code: string) => string
  /** Why no hold is possible at all now (not on sale, busy), else null. */
  blocked: string | null
  onHold: (flashSaleId: string, quantity: number) => void
}) {
  const t = shopMessages.useT()
  const shown = props.sales.filter((sale) => sale.status !== 'ended' || sale.unitsLeft > 0)
  if (!props.sales.length) return null
  return (
    <section class="card stack" aria-labelledby="flash-heading" data-testid="flash-sales">
      <h2 id="flash-heading">{t('price_flashSales')}</h2>
      {shown.length === 0 && <p class="muted">{t('price_flashEnded')}</p>}
      <ul class="plain-list stack">
        {shown.map((sale) => (
          <FlashSaleItem key={sale.id} sale={sale} {...props} />
        ))}
      </ul>
    </section>
  )
}

function FlashSaleItem(props: {
  sale: FlashSaleView
  currency: string
  categoryName: (code: string) => string
  blocked: string | null
  onHold: (flashSaleId: string, quantity: number) => void
}) {
  const { sale } = props
  const t = shopMessages.useT()
  const locale = useLocale()
  const now = useNow(1000)
  const [quantity, setQuantity] = useState(1)
  const opens = Date.parse(sale.startsAt)
  const ends = Date.parse(sale.endsAt)
  // The clock decides between answers too, so the button opens at the instant without a reload.
  const status = now < opens ? 'upcoming' : now >= ends ? 'ended' : sale.status
  const soldOut = sale.unitsLeft === 0
  const reason =
    status === 'upcoming'
      ? t('price_flashReasonUpcoming')
      : status === 'ended'
        ? t('price_flashEnded')
        : soldOut
          ? t('price_flashReasonSoldOut')
          : props.blocked
  const most = Math.max(1, Math.min(sale.perBuyer, sale.unitsLeft))
  return (
    <li class="flash-sale stack-tight" data-testid="flash-sale" data-status={soldOut ? 'sold-out' : status}>
      <div class="row">
        <span class="badge badge-tier">{t('price_tier_flash')}</span>
        <strong>{tierName(t, sale.label)}</strong>
        <span class="muted">{props.categoryName(sale.category)}</span>
      </div>
      <PriceWithList price={sale.price} listPrice={sale.listPrice} currency={props.currency} />
      <p class="small">
        {soldOut ? (
          <span class="badge badge-sold-out">{t('price_flashSoldOut')}</span>
        ) : (
          <span data-testid="flash-left">
            {t('price_flashLeft', { count: sale.unitsLeft, units: sale.units })}
          </span>
        )}{' '}
        · {t('price_flashPerBuyer', { count: sale.perBuyer })}
      </p>
      {status === 'upcoming' && (
        <p class="small" data-testid="flash-opens">
          {t('price_flashOpensAt', { time: formatDateTime(sale.startsAt, locale) })} ·{' '}
          <span role="timer">{t('price_flashOpensIn', { time: countdownText(t, opens - now) })}</span>
        </p>
      )}
      {status === 'active' && !soldOut && (
        <p class="small price-countdown" role="timer" data-testid="flash-countdown">
          {t('price_endsIn', { time: countdownText(t, ends - now) })}
        </p>
      )}
      <div class="row">
        {sale.perBuyer > 1 && status === 'active' && !soldOut && (
          <label class="row">
            {t('quantity')}
            <select
              value={quantity}
              onChange={(event) => setQuantity(Number((event.target as HTMLSelectElement).value))}
            >
              {Array.from({ length: most }, (_, k) => k + 1).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        )}
        <HoldButton reason={reason} onClick={() => props.onHold(sale.id, quantity)} testId="flash-hold">
          {t('price_flashHold', {
            count: quantity,
            price: formatMoney(sale.price * quantity, props.currency, locale),
          })}
        </HoldButton>
      </div>
    </li>
  )
}
