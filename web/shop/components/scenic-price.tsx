// A scenic ticket's or package's price on the chosen day, as the day's actor quotes it for the shop: the date
// price's label (周末价 / 春节 …, a well-known one in the buyer's language), a tier badge (早鸟 …) and the price
// with the day's list price struck through when a tier takes it lower.
import { defineMessages } from '../../lib/i18n.ts'
import { shopMessages } from '../messages.ts'
import { PriceWithList, tierName } from './price-tag.tsx'

const en = {
  datePrice_weekend: 'Weekend price',
  datePrice_holiday: 'Holiday price',
  datePrice_spring: 'Spring Festival',
  datePrice_national: 'National Day',
  calendarSpecial: '{label}: {price}',
} as const

export const scenicPriceMessages = defineMessages<keyof typeof en>({
  en,
  'zh-CN': {
    datePrice_weekend: '周末价',
    datePrice_holiday: '节假日价',
    datePrice_spring: '春节',
    datePrice_national: '国庆',
    calendarSpecial: '{label}：{price}',
  },
})

type PriceT = ReturnType<typeof scenicPriceMessages.useT>

const knownDateLabels: Record<string, keyof typeof en> = {
  周末价: 'datePrice_weekend',
  周末: 'datePrice_weekend',
  weekend: 'datePrice_weekend',
  'weekend price': 'datePrice_weekend',
  节假日价: 'datePrice_holiday',
  节假日: 'datePrice_holiday',
  holiday: 'datePrice_holiday',
  'holiday price': 'datePrice_holiday',
  春节: 'datePrice_spring',
  'spring festival': 'datePrice_spring',
  国庆: 'datePrice_national',
  'national day': 'datePrice_national',
}

/** A date rule's label in the buyer's language when it is a well-known one, else as the organizer wrote it. */
export function dateLabelName(t: PriceT, label: string): string {
  const key = knownDateLabels[label.trim().toLowerCase()]
  return key ? t(key) : label
}

export interface DayPrice {
  price: number
  listPrice: number
  tier: string | null
  dateLabel: string | null
}

/** Badges for the date price and tier, then the price (list price struck when a tier applies). */
export function ScenicDayPrice(props: { quote: DayPrice }) {
  const t = shopMessages.useT()
  const p = scenicPriceMessages.useT()
  const { quote } = props
  return (
    <span class="scenic-day-price" data-testid="scenic-price">
      {quote.dateLabel && (
        <span class="badge badge-date" data-testid="price-date-label">
          {dateLabelName(p, quote.dateLabel)}
        </span>
      )}
      {quote.tier && (
        <span class="badge badge-tier" data-testid="price-tier">
          {tierName(t, quote.tier)}
        </span>
      )}
      <PriceWithList price={quote.price} listPrice={quote.listPrice} currency="CNY" />
    </span>
  )
}
