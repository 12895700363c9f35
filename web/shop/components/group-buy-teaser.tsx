// On a show's page: its group buys (团购), if any, with the lowest group price and how many groups are open.
import { api } from '../../lib/api.ts'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { useResource } from '../../lib/ui.tsx'
import { groupBuyMessages } from './group-buy-messages.ts'
import type { ShowGroupBuys } from './group-membership.ts'

export function GroupBuyTeaser({ showId, currency }: { showId: string; currency: string }) {
  const t = groupBuyMessages.useT()
  const locale = useLocale()
  const offers = useResource(
    (signal) => api<ShowGroupBuys>(`/api/group-buys/shows/${encodeURIComponent(showId)}`, { signal }),
    [showId],
  )
  const prices = offers.data?.campaigns.flatMap((campaign) => Object.values(campaign.groupPrices)) ?? []
  // Group buying is an extra: when it cannot be loaded the show page simply goes without it.
  if (prices.length === 0) return null
  return (
    <aside class="card group-teaser" aria-labelledby="group-teaser-heading">
      <h2 id="group-teaser-heading">{t('groupBuy')}</h2>
      <p>{t('teaser', { price: formatMoney(Math.min(...prices), currency, locale) })}</p>
      <Link
        class="button button-primary"
        href={`/shows/${encodeURIComponent(showId)}/group-buys`}
        data-testid="group-buy-link"
      >
        {t('teaserLink')}
        {offers.data!.groups.length > 0 && ` (${offers.data!.groups.length})`}
      </Link>
    </aside>
  )
}
