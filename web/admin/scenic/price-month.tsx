// The month view of a price calendar: each day's price from the draft rules, with the pure rule the day's actor
// quotes holds with (worker/domain/scenic-price-calendar.ts), for the channel picked; days a rule prices are
// marked with the rule's label.
import { useState } from 'preact/hooks'
import { type DatePriceRule, priceOnDate } from '../../../worker/domain/scenic-price-calendar.ts'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Button } from '../../lib/ui.tsx'
import { chinaDay, SelectInput } from '../form.tsx'
import { scenicPriceMessages } from './price-messages.ts'

const daysOf = (month: string) => {
  const [year, index] = month.split('-').map(Number) as [number, number]
  const count = new Date(Date.UTC(year, index, 0)).getUTCDate()
  return Array.from({ length: count }, (_, d) => `${month}-${String(d + 1).padStart(2, '0')}`)
}
const shift = (month: string, by: number) => {
  const [year, index] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(year, index - 1 + by, 1)).toISOString().slice(0, 7)
}

export function PriceMonth(props: {
  basePrice: number
  rules: DatePriceRule[]
  currency: string
  channels: { value: string; label: string }[]
  /** The month to open on (YYYY-MM); this month by default. */
  month?: string
}) {
  const p = scenicPriceMessages.useT()
  const locale = useLocale()
  const [month, setMonth] = useState(props.month ?? chinaDay(0).slice(0, 7))
  const [channel, setChannel] = useState(props.channels[0]?.value ?? 'web')
  const days = daysOf(month)
  const pad = new Date(`${days[0]}T00:00:00Z`).getUTCDay()
  const weekdays = Array.from({ length: 7 }, (_, i) =>
    new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, 7 + i)),
    ),
  )
  const title = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  )
  const money = (minor: number) => formatMoney(minor, props.currency, locale)
  return (
    <section class="card stack" aria-labelledby="price-month-heading" data-testid="price-month">
      <div class="row spread">
        <h3 id="price-month-heading">{p('sp_month')}</h3>
        <div class="row">
          <Button aria-label={p('sp_prevMonth')} onClick={() => setMonth(shift(month, -1))}>
            ‹
          </Button>
          <strong aria-live="polite" data-testid="price-month-title">
            {title}
          </strong>
          <Button aria-label={p('sp_nextMonth')} onClick={() => setMonth(shift(month, 1))}>
            ›
          </Button>
        </div>
      </div>
      {props.channels.length > 1 && (
        <SelectInput
          label={p('sp_monthFor')}
          value={channel}
          onChange={setChannel}
          options={props.channels}
        />
      )}
      <div class="price-month-grid">
        {weekdays.map((name) => (
          <span key={name} class="price-month-weekday" aria-hidden="true">
            {name}
          </span>
        ))}
        {Array.from({ length: pad }, (_, i) => (
          <span key={`pad${i}`} aria-hidden="true" />
        ))}
        {days.map((date) => {
          const quote = priceOnDate(props.basePrice, props.rules, date, { channel })
          const day = Number(date.slice(8))
          return (
            <div
              key={date}
              class={`price-month-day${quote.rule !== null ? ' price-month-day-ruled' : ''}`}
              data-testid="price-month-day"
              data-date={date}
              data-price={quote.price}
            >
              <span class="price-month-date">{day}</span>
              <strong class="price-month-price" data-testid="price-month-price">
                {money(quote.price)}
              </strong>
              {quote.label && (
                <span class="price-month-label" title={quote.label}>
                  {quote.label}
                </span>
              )}
            </div>
          )
        })}
      </div>
    </section>
  )
}
