// One card per event on the shop home, as cinema and concert apps show them: poster, name, venue, dates,
// "¥45起", a sold-out badge, and a chip per showtime (today / tomorrow / the date) that opens that show.
import type { EventListing, ListedShow } from '../../../worker/routes/contracts/listings.ts'
import { eventTimeZone, formatMoney, formatTime } from '../../lib/format.ts'
import type { Locale } from '../../lib/i18n.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName } from '../../lib/labels.ts'
import { Link } from '../../lib/router.tsx'
import { type ShopMessage, shopMessages } from '../messages.ts'
import { PosterImage } from './poster-image.tsx'

/** Chips shown before "+N more": two rows on a phone. */
const MAX_CHIPS = 6
const DAY_MS = 86_400_000

const dayKey = (value: string | number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: eventTimeZone }).format(new Date(value))

function dayLabel(startsAt: string, locale: Locale, t: (key: ShopMessage) => string, now = Date.now()) {
  const day = dayKey(startsAt)
  if (day === dayKey(now)) return t('home_today')
  if (day === dayKey(now + DAY_MS)) return t('home_tomorrow')
  return new Intl.DateTimeFormat(locale, {
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    timeZone: eventTimeZone,
  }).format(new Date(startsAt))
}

function dateRange(event: EventListing, locale: Locale) {
  const format = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: eventTimeZone })
  const [first, last] = [new Date(event.firstStartsAt), new Date(event.lastStartsAt)]
  return dayKey(event.firstStartsAt) === dayKey(event.lastStartsAt)
    ? format.format(first)
    : format.formatRange(first, last)
}

function ShowtimeChip({ show }: { show: ListedShow }) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const when = `${dayLabel(show.startsAt, locale, t)} ${formatTime(show.startsAt, locale)}`
  return (
    <li>
      <Link
        href={`/shows/${show.id}`}
        class={`chip${show.soldOut ? ' chip-sold-out' : ''}`}
        data-testid="showtime"
        aria-label={show.soldOut ? t('home_showtimeSoldOut', { time: when }) : undefined}
      >
        <time dateTime={show.startsAt}>{when}</time>
      </Link>
    </li>
  )
}

export function EventCard({ event }: { event: EventListing }) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const first = event.shows[0]!
  const hidden = event.shows.length - MAX_CHIPS
  return (
    <li class="card event-card" data-testid="event-card">
      <PosterImage poster={event.poster} class="event-poster" sizes="(min-width: 720px) 120px, 96px" />
      <div class="event-info">
        <span class="badge">{t(`kind_${event.kind}` as ShopMessage)}</span>
        <h3>
          <Link href={`/shows/${first.id}`}>{localName(event, locale)}</Link>
        </h3>
        <p class="muted event-where">
          {(locale === 'en' ? event.venuesEn : event.venues).join(' · ')}
          <br />
          <span data-testid="date-range">{dateRange(event, locale)}</span>
        </p>
        <p class="event-price">
          {event.fromPrice !== null && (
            <strong class={event.soldOut ? 'muted' : 'price-from'} data-testid="from-price">
              {t('home_fromPrice', { price: formatMoney(event.fromPrice, event.currency, locale) })}
            </strong>
          )}{' '}
          {event.soldOut ? (
            <span class="badge badge-sold-out" data-testid="sold-out">
              {t('home_soldOut')}
            </span>
          ) : (
            !event.onSale && <span class="badge">{t('home_notOnSaleYet')}</span>
          )}
        </p>
      </div>
      <ul class="plain-list chips" aria-label={t('home_showtimesOf', { name: localName(event, locale) })}>
        {event.shows.slice(0, MAX_CHIPS).map((show) => (
          <ShowtimeChip key={show.id} show={show} />
        ))}
        {hidden > 0 && <li class="chip-more muted">{t('home_moreShowtimes', { count: hidden })}</li>}
      </ul>
    </li>
  )
}
