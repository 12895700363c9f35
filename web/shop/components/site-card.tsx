// A scenic site on the shop home: its picture, city, opening hours and the price of its cheapest gate ticket.
import type { SiteListing } from '../../../worker/routes/contracts/listings.ts'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { cityName, localName } from '../../lib/labels.ts'
import { Link } from '../../lib/router.tsx'
import { shopMessages } from '../messages.ts'
import { PosterImage } from './poster-image.tsx'

export function SiteCard({ site }: { site: SiteListing }) {
  const t = shopMessages.useT()
  const locale = useLocale()
  return (
    <li class="card site-card" data-testid="site-card">
      <PosterImage poster={site.poster} class="site-picture" sizes="(min-width: 720px) 360px, 100vw" />
      <div class="site-info">
        <span class="badge">{t('kind_scenic')}</span>
        <h3>
          <Link href={`/scenic/${site.id}`}>{localName(site, locale)}</Link>
        </h3>
        <p class="muted">
          {cityName(site, locale)} · {t('open', { from: site.opensAt, to: site.closesAt })}
        </p>
        {site.fromPrice !== null && (
          <p>
            <strong class="price-from" data-testid="from-price">
              {t('home_fromPrice', { price: formatMoney(site.fromPrice, site.currency, locale) })}
            </strong>
          </p>
        )}
        {site.description && <p class="site-description">{site.description}</p>}
      </div>
    </li>
  )
}
