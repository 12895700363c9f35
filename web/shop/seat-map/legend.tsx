// What the colours mean: each price category by its name and price now (a tier's, with the list price struck)
// and seats left, then the buyer's picks, seats others hold, sold seats and wheelchair spaces.
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName } from '../../lib/labels.ts'
import { shopMessages } from '../messages.ts'
import type { CategoryAvailability } from '../types.ts'
import { SEAT_COLOURS } from './seats-layer.tsx'

export function SeatLegend(props: { categories: CategoryAvailability[]; currency: string }) {
  const t = shopMessages.useT()
  const locale = useLocale()
  return (
    <div class="legend-block">
      <ul class="legend plain-list row" aria-label={t('priceZones')} data-testid="price-legend">
        {props.categories.map((category) => (
          <li key={category.code} class={category.available === 0 ? 'legend-sold-out' : undefined}>
            <span class="swatch" style={{ background: category.color }} aria-hidden="true" />
            {localName(category, locale)} {formatMoney(category.current.price, props.currency, locale)}
            {category.current.price < category.current.listPrice && (
              <>
                {' '}
                <s class="price-list">
                  <span class="visually-hidden">{t('price_was')} </span>
                  {formatMoney(category.current.listPrice, props.currency, locale)}
                </s>
              </>
            )}{' '}
            · {category.available === 0 ? t('sectionSoldOut') : t('seatsLeft', { count: category.available })}
          </li>
        ))}
      </ul>
      <ul class="legend plain-list row" aria-label={t('seatStates')} data-testid="state-legend">
        <li>
          <span
            class="swatch swatch-selected"
            style={{ background: SEAT_COLOURS.selected }}
            aria-hidden="true"
          />
          {t('legendSelected')}
        </li>
        <li>
          <span class="swatch" style={{ background: SEAT_COLOURS.held }} aria-hidden="true" />
          {t('legendHeld')}
        </li>
        <li>
          <span class="swatch" style={{ background: SEAT_COLOURS.sold }} aria-hidden="true" />
          {t('legendSold')}
        </li>
        <li>
          <span class="swatch swatch-square" aria-hidden="true" />
          {t('legendAccessible')}
        </li>
      </ul>
    </div>
  )
}
