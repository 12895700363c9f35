// The scenic site's month calendar: one cell per day with today and tomorrow marked (今天 / 明天), the lowest gate
// price of a day on sale or its sold-out state, and the month switch. Days before today or outside the booking
// window cannot be picked.
import { formatDay, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Button, Loading, ProblemAlert } from '../../lib/ui.tsx'
import { shopMessages } from '../messages.ts'
import type { DayAvailability } from '../types.ts'
import { tierName } from './price-tag.tsx'
import { scenicMessages } from './scenic-messages.ts'
import { dateLabelName, scenicPriceMessages } from './scenic-price.tsx'

/** Today in China (the sites' zone), as YYYY-MM-DD. */
export const todayInChina = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)

/** The day after an ISO date. */
export const nextDay = (iso: string) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)

export function monthDays(month: string): string[] {
  const [year, index] = month.split('-').map(Number) as [number, number]
  const count = new Date(Date.UTC(year, index, 0)).getUTCDate()
  return Array.from({ length: count }, (_, day) => `${month}-${String(day + 1).padStart(2, '0')}`)
}

export function shiftMonth(month: string, by: number): string {
  const [year, index] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(year, index - 1 + by, 1)).toISOString().slice(0, 7)
}

export function ScenicCalendar(props: {
  month: string
  today: string
  days: DayAvailability[]
  loading: boolean
  error: unknown
  onRetry: () => void
  selected: string | null
  onMonth: (month: string) => void
  onPick: (date: string) => void
}) {
  const t = shopMessages.useT()
  const m = scenicMessages.useT()
  const p = scenicPriceMessages.useT()
  const locale = useLocale()
  const { month, today } = props
  const tomorrow = nextDay(today)
  const byDate = new Map(props.days.map((day) => [day.date, day]))
  const days = monthDays(month)
  const firstWeekday = new Date(`${days[0]}T00:00:00Z`).getUTCDay()
  const weekdays = Array.from({ length: 7 }, (_, i) =>
    new Intl.DateTimeFormat(locale, { weekday: 'narrow', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, 7 + i)),
    ),
  )
  const monthTitle = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${month}-01T00:00:00Z`))
  const money = (minor: number) => formatMoney(minor, 'CNY', locale)

  return (
    <section aria-labelledby="calendar-heading" class="card">
      <div class="row spread">
        <h2 id="calendar-heading">{t('chooseDate')}</h2>
        <div class="row">
          <Button
            onClick={() => props.onMonth(shiftMonth(month, -1))}
            disabled={month <= today.slice(0, 7)}
            aria-label={t('prevMonth')}
          >
            ‹
          </Button>
          <strong aria-live="polite">{monthTitle}</strong>
          <Button onClick={() => props.onMonth(shiftMonth(month, 1))} aria-label={t('nextMonth')}>
            ›
          </Button>
        </div>
      </div>
      {Boolean(props.error) && <ProblemAlert error={props.error} onRetry={props.onRetry} />}
      <div class="calendar" data-testid="calendar">
        {weekdays.map((name, i) => (
          <span key={`w${i}`} class="calendar-weekday" aria-hidden="true">
            {name}
          </span>
        ))}
        {Array.from({ length: firstWeekday }, (_, i) => (
          <span key={`pad${i}`} aria-hidden="true" />
        ))}
        {days.map((iso) => {
          const info = byDate.get(iso)
          const entries = info?.products.filter((p) => p.kind === 'entry') ?? []
          const from = entries.length ? Math.min(...entries.map((p) => p.price)) : null
          // A day whose prices a date rule sets (weekend, holiday) is marked, with the rule's name read out.
          const special = entries.find((p) => p.dateLabel)?.dateLabel ?? null
          // The cheapest ticket's tier (早鸟 …) is named under its price; its list price is read out.
          const cheapest = entries.find((p) => p.price === from)
          const tier = cheapest?.tier ? tierName(t, cheapest.tier) : null
          const available = Boolean(info?.onSale && info.remaining > 0)
          const soldOut = Boolean(info?.onSale && info.remaining <= 0)
          const mark = iso === today ? m('today') : iso === tomorrow ? m('tomorrow') : null
          const state = available && from !== null ? 'open' : soldOut ? 'sold-out' : 'closed'
          return (
            <button
              key={iso}
              type="button"
              class={`calendar-day calendar-day-${state}${iso === props.selected ? ' calendar-day-selected' : ''}${mark ? ' calendar-day-near' : ''}${special ? ' calendar-day-special' : ''}`}
              disabled={!available}
              aria-pressed={iso === props.selected}
              data-date={iso}
              data-state={state}
              data-special={special ?? undefined}
              onClick={() => props.onPick(iso)}
            >
              <span class="visually-hidden">
                {mark ? `${mark}, ` : ''}
                {formatDay(iso, locale)}
                {available &&
                  from !== null &&
                  `, ${m('dayFromLong', { price: money(from), count: info!.remaining })}`}
                {available && special && `, ${dateLabelName(p, special)}`}
                {available && tier && cheapest && `, ${tier}, ${t('price_was')} ${money(cheapest.listPrice)}`}
                {soldOut && `, ${m('dayFull')}`}
              </span>
              <span class="calendar-date" aria-hidden="true" data-testid="day-number">
                {mark ?? Number(iso.slice(8))}
              </span>
              {available && from !== null && (
                <span class="calendar-price" aria-hidden="true" data-testid="day-price">
                  {m('dayFrom', { price: money(from) })}
                </span>
              )}
              {available && tier && (
                <span class="calendar-tier" aria-hidden="true" data-testid="day-tier">
                  {tier}
                </span>
              )}
              {soldOut && (
                <span class="calendar-price" aria-hidden="true" data-testid="day-price">
                  {m('dayFull')}
                </span>
              )}
            </button>
          )
        })}
      </div>
      {props.loading && <Loading />}
    </section>
  )
}
