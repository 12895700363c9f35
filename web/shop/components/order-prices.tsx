// What the buyer paid on an order, line by line: the price charged (the hold's quote), the category's list price
// struck through when the ticket was bought below it (early bird, flash sale), and the discount in all.
// Lines carry what was paid and the list price their quote was struck against (kept with the order, so a price
// step or a list price edited since does not change what the buyer sees); older lines without one fall back to
// the show's current list price for the line's category.
import { api } from '../../lib/api.ts'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName, seatName } from '../../lib/labels.ts'
import { useResource } from '../../lib/ui.tsx'
import { shopMessages } from '../messages.ts'
import type { OrderView, ShowDetail, Ticket } from '../types.ts'
import { PriceWithList } from './price-tag.tsx'
import { placeText } from './ticket-text.ts'

export function OrderPrices(props: { order: OrderView; tickets: Ticket[] | undefined }) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const { order } = props
  const show = useResource(
    (signal) =>
      order.showId
        ? api<ShowDetail>(`/api/shows/${encodeURIComponent(order.showId)}`, { signal })
        : Promise.resolve(null),
    [order.showId],
  )
  const lines = order.lines.filter((line) => line.status !== 'rebooked')
  if (!lines.length) return null
  const zones = new Map((show.data?.categories ?? []).map((zone) => [zone.code, zone]))
  const listOf = (line: OrderView['lines'][number]) =>
    Math.max(
      line.price + line.discount,
      line.listPrice ?? ((line.category && zones.get(line.category)?.current.listPrice) || line.price),
    )
  // The quote's discount (tiers, flash sales) apart from the checkout discounts (a coupon), each on its own row.
  const discount = lines.reduce((sum, line) => sum + listOf(line) - line.price - line.discount, 0)
  const checkoutDiscounts = order.discounts ?? []
  const money = (minor: number) => formatMoney(minor, order.currency, locale)
  return (
    <section class="card stack-tight" aria-labelledby="paid-heading" data-testid="order-prices">
      <h2 id="paid-heading">
        {/* 定金: until the balance is paid the lines are the prices, not what was paid (the balance step says that). */}
        {order.deposit && (order.status === 'deposit_paid' || order.status === 'forfeited')
          ? t(order.kind === 'scenic' ? 'scenicDeposit_linesHeading' : 'deposit_linesHeading')
          : t('price_linesHeading')}
      </h2>
      <ul class="plain-list stack-tight">
        {lines.map((line) => {
          const ticket = props.tickets?.find((item) => item.lineId === line.id)
          const zone = line.category
            ? localName(zones.get(line.category) ?? { name: '' }, locale) || undefined
            : undefined
          const place = ticket
            ? placeText(t, locale, ticket)
            : line.place
              ? seatName(line.place, locale, { section: true })
              : line.product
                ? localName({ name: line.product, nameEn: line.productEn }, locale)
                : ''
          return (
            <li key={line.id} class="row spread" data-testid="order-price-line">
              <span>
                {[place, zone, line.tier].filter(Boolean).join(' · ')}
                {line.discount > 0 && (
                  <span class="muted small" data-testid="order-line-coupon">
                    {' '}
                    {t('coupon_lineOff', { amount: money(line.discount) })}
                  </span>
                )}
              </span>
              <PriceWithList price={line.price} listPrice={listOf(line)} currency={order.currency} />
            </li>
          )
        })}
      </ul>
      {discount > 0 && (
        <p class="row spread price-discount">
          <span>{t('price_discount')}</span>
          <span data-testid="order-discount">−{money(discount)}</span>
        </p>
      )}
      {checkoutDiscounts.map((d) => (
        <p key={`${d.source}-${d.ref}`} class="row spread price-discount">
          <span>{d.source === 'coupon' ? `${t('coupon_discount')} · ${d.label}` : d.label}</span>
          <span data-testid="order-coupon-discount">−{money(d.amount)}</span>
        </p>
      ))}
    </section>
  )
}
