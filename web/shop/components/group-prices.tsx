// What a group buy costs, with every figure labelled: per price category the group price, the regular price when
// buying alone, and the saving per seat; then what the leader saves on top.
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { categoryName } from '../../lib/labels.ts'
import type { CategoryAvailability } from '../types.ts'
import { groupBuyMessages } from './group-buy-messages.ts'

export function GroupPrices(props: {
  prices: Record<string, number>
  categories: CategoryAvailability[]
  currency: string
  leaderDiscount: number
}) {
  const t = groupBuyMessages.useT()
  const locale = useLocale()
  const money = (minor: number) => formatMoney(minor, props.currency, locale)
  return (
    <div class="stack">
      <table class="group-price-table">
        <caption class="visually-hidden">{t('pricesCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('category')}</th>
            <th scope="col">{t('groupPrice')}</th>
            <th scope="col">{t('regularPrice')}</th>
            <th scope="col">{t('savesPerSeat')}</th>
          </tr>
        </thead>
        <tbody data-testid="group-prices">
          {Object.entries(props.prices).map(([code, price]) => {
            const category = props.categories.find((c) => c.code === code)
            const saving = category ? category.price - price : 0
            return (
              <tr key={code}>
                <th scope="row">{categoryName(code, category ? [category] : [], locale)}</th>
                <td>
                  <strong class="group-price-value">{money(price)}</strong>
                </td>
                <td>{category ? <s>{money(category.price)}</s> : '—'}</td>
                <td>{saving > 0 ? <span class="badge badge-save">{money(saving)}</span> : '—'}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {props.leaderDiscount > 0 && (
        <p class="small" data-testid="leader-saves">
          {t('leaderSaves', { amount: money(props.leaderDiscount) })}
        </p>
      )}
    </div>
  )
}
