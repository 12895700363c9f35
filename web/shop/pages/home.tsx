// Home: one card per event (poster, from-price, sold-out, showtime chips) and scenic sites, searchable and
// filtered by date, city and category; everything from one listing request.
import { useEffect, useState } from 'preact/hooks'
import type { Listing } from '../../../worker/routes/contracts/listings.ts'
import { usePageBeacon } from '../../lib/analytics.ts'
import { api } from '../../lib/api.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName } from '../../lib/labels.ts'
import { Field, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { EventCard } from '../components/event-card.tsx'
import { SiteCard } from '../components/site-card.tsx'
import { type ShopMessage, shopMessages } from '../messages.ts'

const showKinds = ['concert', 'theatre', 'film', 'sport', 'exhibition', 'other'] as const

export function HomePage() {
  const t = shopMessages.useT()
  const locale = useLocale()
  const [q, setQ] = useState('')
  const [city, setCity] = useState('')
  const [category, setCategory] = useState('')
  const [from, setFrom] = useState('')

  const listing = useResource(
    (signal) =>
      api<Listing>('/api/listings', {
        signal,
        query: {
          limit: 50,
          q,
          city,
          kind: category || undefined,
          from: from ? new Date(`${from}T00:00:00+08:00`).toISOString() : undefined,
        },
      }),
    [q, city, category, from],
  )
  // The city menu lists every city whatever the filters, so choosing one never empties it.
  const [cities, setCities] = useState<{ name: string; nameEn: string | null }[]>([])
  useEffect(() => {
    if (listing.data && listing.data.cityNames.length > cities.length) setCities(listing.data.cityNames)
  }, [listing.data])

  usePageBeacon({ kind: 'listing_view' }, 'home')

  const showShows = category !== 'scenic'
  const showSites = category === '' || category === 'scenic'

  return (
    <section class="stack">
      <h1>{t('homeTitle')}</h1>
      <form class="filters card" aria-label={t('search')} onSubmit={(event) => event.preventDefault()}>
        <Field label={t('search')}>
          {({ id }) => (
            <input
              id={id}
              type="search"
              value={q}
              placeholder={t('searchPlaceholder')}
              onInput={(event) => setQ((event.target as HTMLInputElement).value)}
            />
          )}
        </Field>
        <Field label={t('city')}>
          {({ id }) => (
            <select
              id={id}
              value={city}
              onChange={(event) => setCity((event.target as HTMLSelectElement).value)}
            >
              <option value="">{t('anyCity')}</option>
              {cities.map((named) => (
                <option key={named.name} value={named.name}>
                  {localName(named, locale)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('category')}>
          {({ id }) => (
            <select
              id={id}
              value={category}
              onChange={(event) => setCategory((event.target as HTMLSelectElement).value)}
            >
              <option value="">{t('anyCategory')}</option>
              {showKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`kind_${kind}` as ShopMessage)}
                </option>
              ))}
              <option value="scenic">{t('kind_scenic')}</option>
            </select>
          )}
        </Field>
        <Field label={t('date')}>
          {({ id }) => (
            <input
              id={id}
              type="date"
              value={from}
              onInput={(event) => setFrom((event.target as HTMLInputElement).value)}
            />
          )}
        </Field>
      </form>

      {listing.loading && !listing.data && <Loading />}
      <ProblemAlert error={listing.error} onRetry={listing.reload} />
      {showShows && listing.data && (
        <section aria-labelledby="shows-heading">
          <h2 id="shows-heading">{t('shows')}</h2>
          {listing.data.events.length === 0 && <p class="muted">{t('noShows')}</p>}
          <ul class="event-list plain-list" data-testid="show-list">
            {listing.data.events.map((event) => (
              <EventCard key={event.id} event={event} />
            ))}
          </ul>
          {listing.data.moreEvents && <p class="muted">{t('home_moreEventsHint')}</p>}
        </section>
      )}

      {showSites && listing.data && (
        <section aria-labelledby="sites-heading">
          <h2 id="sites-heading">{t('scenicSites')}</h2>
          {listing.data.sites.length === 0 && <p class="muted">{t('noSites')}</p>}
          <ul class="site-list plain-list" data-testid="site-list">
            {listing.data.sites.map((site) => (
              <SiteCard key={site.id} site={site} />
            ))}
          </ul>
        </section>
      )}
    </section>
  )
}
