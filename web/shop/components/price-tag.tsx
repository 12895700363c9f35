// What a buyer pays now and for how long: the current price with the list price struck through, the tier's name
// (known labels such as 早鸟 / Early bird in the buyer's language, the organizer's own label otherwise), a
// countdown to the tier's end and the places left at that price. The show answer's `categories[].current`.
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName } from '../../lib/labels.ts'
import { useNow } from '../../lib/ui.tsx'
import { shopMessages } from '../messages.ts'
import type { CategoryAvailability } from '../types.ts'

type T = ReturnType<typeof shopMessages.useT>

const known: Record<string, 'price_tier_early' | 'price_tier_flash' | 'price_tier_presale'> = {
  早鸟: 'price_tier_early',
  早鸟票: 'price_tier_early',
  'early bird': 'price_tier_early',
  'early-bird': 'price_tier_early',
  earlybird: 'price_tier_early',
  限时抢购: 'price_tier_flash',
  秒杀: 'price_tier_flash',
  'flash sale': 'price_tier_flash',
  flash: 'price_tier_flash',
  预售: 'price_tier_presale',
  presale: 'price_tier_presale',
  'pre-sale': 'price_tier_presale',
}

/** A tier's name in the buyer's language when it is a well-known one, else as the organizer wrote it. */
export function tierName(t: T, label: string): string {
  const key = known[label.trim().toLowerCase()]
  return key ? t(key) : label
}

/** `2 d 03:04:05` / `2天 03:04:05`, or `03:04:05` under a day. */
export function countdownText(t: T, ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const days = Math.floor(total / 86_400)
  const pad = (n: number) => String(n).padStart(2, '0')
  const time = `${pad(Math.floor((total % 86_400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`
  return days > 0 ? t('price_days', { days, time }) : time
}

/** The price, and the list price struck through when it differs (read out as "List price …"). */
export function PriceWithList(props: { price: number; listPrice: number; currency: string }) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const money = (minor: number) => formatMoney(minor, props.currency, locale)
  return (
    <span class="price-now">
      <strong data-testid="price-current">{money(props.price)}</strong>
      {props.listPrice > props.price && (
        <s class="price-list">
          <span class="visually-hidden">{t('price_was')} </span>
          <span data-testid="price-list">{money(props.listPrice)}</span>
        </s>
      )}
    </span>
  )
}

/** One category's price now: tier badge, price over struck list price, countdown and places left. */
export function CategoryPrice(props: { category: CategoryAvailability; currency: string }) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const now = useNow(1000)
  const { current } = props.category
  const endsIn = current.endsAt ? Date.parse(current.endsAt) - now : null
  return (
    <div class="category-price" data-testid="category-price" data-category={props.category.code}>
      <span class="swatch" style={{ background: props.category.color }} aria-hidden="true" />
      <span class="category-price-name">{localName(props.category, locale)}</span>
      {current.tier && (
        <span class="badge badge-tier" data-testid="price-tier">
          {tierName(t, current.tier)}
        </span>
      )}
      <PriceWithList price={current.price} listPrice={current.listPrice} currency={props.currency} />
      {endsIn !== null && endsIn > 0 && (
        <span class="price-countdown" data-testid="price-countdown" role="timer">
          {t('price_endsIn', { time: countdownText(t, endsIn) })}
        </span>
      )}
      {current.unitsLeft !== null && (
        <span class="muted small" data-testid="price-units-left">
          {t('price_unitsLeft', { count: current.unitsLeft })}
        </span>
      )}
    </div>
  )
}

/** The price list of a show: every category at its price now. */
export function CurrentPrices(props: { categories: CategoryAvailability[]; currency: string }) {
  const t = shopMessages.useT()
  return (
    <section class="card stack-tight" aria-labelledby="prices-heading" data-testid="current-prices">
      <h2 id="prices-heading">{t('price_now')}</h2>
      <ul class="plain-list stack-tight">
        {props.categories.map((category) => (
          <li key={category.code}>
            <CategoryPrice category={category} currency={props.currency} />
          </li>
        ))}
      </ul>
    </section>
  )
}
