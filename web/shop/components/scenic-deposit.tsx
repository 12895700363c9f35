// 定金 on the scenic page: a product sold with a deposit says so beside its price (the deposit per ticket and when the
// balance is due, on the chosen day in the site's zone); a hold of such tickets carries the deposit offer for that
// day to checkout, where the shop's deposit choice (deposit.tsx) takes it. The terms are judged by the same pure
// module as the orders service, so the shop offers exactly what an order with `deposit: true` will take.
import { scenicDepositFor } from '../../../worker/domain/scenic-deposit-terms.ts'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { defineMessages, useLocale } from '../../lib/i18n.ts'
import type { DepositOffer, ScenicHold, VisitProduct } from '../types.ts'

const en = {
  scenicDeposit_noteDue: 'Deposit presale: {deposit} per ticket keeps your place, balance due by {due}',
  scenicDeposit_noteDays:
    'Deposit presale: {deposit} per ticket keeps your place, balance due {days} day(s) before your visit',
} as const

const messages = defineMessages<keyof typeof en>({
  en,
  'zh-CN': {
    scenicDeposit_noteDue: '定金预售：每张付定金 {deposit} 即可锁定名额，尾款须在 {due} 前付清',
    scenicDeposit_noteDays: '定金预售：每张付定金 {deposit} 即可锁定名额，尾款须在游玩日前 {days} 天付清',
  },
})

/** Beside a product's price: its deposit, and when the balance is due for the chosen day (or in days before). */
export function ScenicDepositNote(props: { product: VisitProduct; date: string | null; timezone: string }) {
  const t = messages.useT()
  const locale = useLocale()
  const terms = props.product.deposit
  if (!terms) return null
  const offer = props.date
    ? scenicDepositFor(
        [{ productId: props.product.id, price: Number.POSITIVE_INFINITY }],
        () => terms,
        { date: props.date, timezone: props.timezone },
        Date.now(),
      )
    : null
  // A day whose balance would already be due sells in full only: no note then.
  if (offer && !offer.ok) return null
  const deposit = formatMoney(terms.amount, 'CNY', locale)
  return (
    <span class="muted small" data-testid="scenic-deposit-note">
      <br />
      {offer?.ok
        ? t('scenicDeposit_noteDue', { deposit, due: formatDateTime(offer.order.balanceDueAt, locale) })
        : t('scenicDeposit_noteDays', { deposit, days: terms.balanceDueDaysBefore })}
    </span>
  )
}

/**
 * The deposit offer of a hold (every line's product sold with a deposit on the same terms), as checkout takes it;
 * `amount` is the whole hold's deposit. Null: the hold is paid in full only.
 */
export function scenicHoldDeposit(
  hold: ScenicHold,
  products: VisitProduct[],
  timezone: string,
  now = Date.now(),
): DepositOffer | null {
  const terms = new Map(products.flatMap((p) => (p.deposit ? [[p.id, p.deposit] as const] : [])))
  const offer = scenicDepositFor(
    hold.lines.map((line) => ({ productId: line.productId, price: line.price })),
    (productId) => terms.get(productId),
    { date: hold.date, timezone },
    now,
  )
  if (!offer.ok) return null
  const { deposit, balanceOpensAt, balanceDueAt, forfeit } = offer.order
  return { amount: deposit, categories: [], balanceOpensAt, balanceDueAt, forfeit }
}
