// Home: upcoming shows and scenic sites, searchable and filtered by date, city and category.
import { useState } from 'preact/hooks'
import { api } from '../../lib/api.ts'
import { formatDateTime } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { Field, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { type ShopMessage, shopMessages } from '../messages.ts'
import type { Page, ShowSummary, SiteSummary } from '../types.ts'

const showKinds = ['concert', 'theatre', 'film', 'sport', 'exhibition', 'other'] as const

export function HomePage() {
  const t = shopMessages.useT()
  const locale = useLocale()
  const [q, setQ] = useState('')
  const [city, setCity] = useState('')
  const [category, setCategory] = useState('')
  const [from, setFrom] = useState('')

  const shows = useResource(
    (signal) =>
      api<Page<ShowSummary>>('/api/shows', {
        signal,
        query: {
          limit: 100,
          q,
          city,
          kind: category && category !== 'scenic' ? category : undefined,
          from: from ? new Date(`${from}T00:00:00+08:00`).toISOString() : undefined,
        },
      }),
    [q, city, category, from],
  )
  const sites = useResource(
    (signal) => api<Page<SiteSummary>>('/api/scenic-sites', { signal, query: { limit: 100, q, city } }),
    [q, city],
  )
  // Cities come from everything listed without a city filter, so choosing one never empties the menu.
  const allCities = useResource(async (signal) => {
    const [s, p] = await Promise.all([
      api<Page<ShowSummary>>('/api/shows', { signal, query: { limit: 200 } }),
      api<Page<SiteSummary>>('/api/scenic-sites', { signal, query: { limit: 200 } }),
    ])
    return [...new Set([...s.items, ...p.items].map((item) => item.city))].sort()
  }, [])

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
              {allCities.data?.map((name) => (
                <option key={name} value={name}>
                  {name}
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

      {showShows && (
        <section aria-labelledby="shows-heading">
          <h2 id="shows-heading">{t('shows')}</h2>
          {shows.loading && !shows.data && <Loading />}
          <ProblemAlert error={shows.error} onRetry={shows.reload} />
          {shows.data && shows.data.items.length === 0 && <p class="muted">{t('noShows')}</p>}
          <ul class="grid plain-list" data-testid="show-list">
            {shows.data?.items.map((show) => (
              <li key={show.id} class="card listing">
                <span class="badge">{t(`kind_${show.kind}` as ShopMessage)}</span>
                <h3>
                  <Link href={`/shows/${show.id}`}>{show.eventName}</Link>
                </h3>
                <p class="muted">
                  <time dateTime={show.startsAt}>{formatDateTime(show.startsAt, locale)}</time>
                  <br />
                  {show.venueName} · {show.city}
                </p>
              </li>
            ))}
          </ul>
        </section>
      )}

      {showSites && (
        <section aria-labelledby="sites-heading">
          <h2 id="sites-heading">{t('scenicSites')}</h2>
          {sites.loading && !sites.data && <Loading />}
          <ProblemAlert error={sites.error} onRetry={sites.reload} />
          {sites.data && sites.data.items.length === 0 && <p class="muted">{t('noSites')}</p>}
          <ul class="grid plain-list" data-testid="site-list">
            {sites.data?.items.map((site) => (
              <li key={site.id} class="card listing">
                <span class="badge">{t('kind_scenic')}</span>
                <h3>
                  <Link href={`/scenic/${site.id}`}>{site.name}</Link>
                </h3>
                <p class="muted">
                  {site.city} · {t('open', { from: site.opensAt, to: site.closesAt })}
                </p>
                {site.description && <p>{site.description}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  )
}
