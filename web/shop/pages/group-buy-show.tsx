// 团购 for one screening: each campaign's group price per category, the groups still taking members (join one
// instead of starting another), and starting a group (you become its leader).
import { useState } from 'preact/hooks'
import { api } from '../../lib/api.ts'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { getLocale, useLocale } from '../../lib/i18n.ts'
import { eventTitle, localName, venueTitle } from '../../lib/labels.ts'
import { Link, navigate } from '../../lib/router.tsx'
import { Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { groupBuyMessages, useGroupProblemMessages } from '../components/group-buy-messages.ts'
import {
  type GroupCampaign,
  type GroupView,
  type Membership,
  rememberMembership,
  type ShowGroupBuys,
} from '../components/group-membership.ts'
import { GroupPrices } from '../components/group-prices.tsx'
import { GroupProgress } from '../components/group-progress.tsx'
import { GroupSeatingForm, type Seating } from '../components/group-seating-form.tsx'
import type { ShowDetail } from '../types.ts'

export function GroupBuyShowPage({ showId }: { showId: string }) {
  const t = groupBuyMessages.useT()
  const locale = useLocale()
  const show = useResource(
    (signal) => api<ShowDetail>(`/api/shows/${encodeURIComponent(showId)}`, { signal }),
    [showId],
  )
  const offers = useResource(
    (signal) => api<ShowGroupBuys>(`/api/group-buys/shows/${encodeURIComponent(showId)}`, { signal }),
    [showId],
  )
  if (show.error) return <ProblemAlert error={show.error} onRetry={show.reload} />
  if (offers.error) return <ProblemAlert error={offers.error} onRetry={offers.reload} />
  if (!show.data || !offers.data) return <Loading />
  const detail = show.data
  const { campaigns, groups } = offers.data
  const regularPrices = detail.categories.map((c) => c.price)
  const regularFrom = regularPrices.length ? Math.min(...regularPrices) : undefined

  return (
    <article class="stack">
      <header>
        <h1>{t('groupTitle', { event: eventTitle(detail, locale) })}</h1>
        <p class="muted">
          <time dateTime={detail.startsAt}>{formatDateTime(detail.startsAt, locale)}</time> ·{' '}
          {venueTitle(detail, locale)}
        </p>
        <p>
          <Link href={`/shows/${encodeURIComponent(showId)}`} data-testid="buy-alone">
            {regularFrom === undefined
              ? t('buyAloneLink')
              : t('buyAlone', { price: formatMoney(regularFrom, 'CNY', locale) })}
          </Link>
        </p>
      </header>

      <section aria-labelledby="open-groups-heading" class="card stack">
        <h2 id="open-groups-heading">{t('openGroups')}</h2>
        {groups.length === 0 && <p>{t('noOpenGroups')}</p>}
        <ul class="plain-list stack" data-testid="open-groups">
          {groups.map((group) => (
            <li key={group.groupId} class="stack group-listing">
              <GroupProgress group={group} />
              <Link class="button button-primary" href={`/group-buys/${encodeURIComponent(group.groupId)}`}>
                {t('joinThis')}
              </Link>
            </li>
          ))}
        </ul>
      </section>

      {campaigns.map((campaign) => (
        <CampaignCard key={campaign.id} campaign={campaign} show={detail} />
      ))}
    </article>
  )
}

function CampaignCard({ campaign, show }: { campaign: GroupCampaign; show: ShowDetail }) {
  const t = groupBuyMessages.useT()
  const locale = useLocale()
  const problems = useGroupProblemMessages()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  /** Refused starts so far: the seat map reloads after each, showing seats just taken. */
  const [refusals, setRefusals] = useState(0)
  // Campaign prices are in the organizer's currency, the same the show sells in.
  const currency = 'CNY'
  const headingId = `campaign-${campaign.id}`

  const start = async (seating: Seating) => {
    setBusy(true)
    setError(null)
    try {
      const created = await api<{ group: GroupView; membership: Membership }>(
        `/api/group-buys/campaigns/${encodeURIComponent(campaign.id)}/groups`,
        { body: { showId: show.id, ...seating, locale: getLocale() } },
      )
      rememberMembership(created.membership)
      navigate(`/group-buys/${encodeURIComponent(created.group.groupId)}`)
    } catch (failure) {
      setError(failure)
      setRefusals((n) => n + 1)
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby={headingId} class="card stack" data-testid="campaign">
      <h2 id={headingId}>{localName(campaign, locale)}</h2>
      {campaign.description && <p>{campaign.description}</p>}
      <p class="muted small">
        {t('campaignTerms', {
          min: campaign.minSize,
          max: campaign.maxSize,
          hours: Math.round(campaign.lifetimeMinutes / 60),
          limit: campaign.perBuyerLimit,
        })}
      </p>
      <GroupPrices
        prices={campaign.groupPrices}
        categories={show.categories}
        currency={currency}
        leaderDiscount={campaign.leaderDiscount}
      />
      <h3>{t('startGroup')}</h3>
      <p class="muted small">{t('startHelp')}</p>
      <GroupSeatingForm
        showId={show.id}
        isCinema={show.kind === 'film'}
        reloadKey={refusals}
        prices={campaign.groupPrices}
        categories={show.categories}
        currency={currency}
        perBuyerLimit={campaign.perBuyerLimit}
        submitLabel={t('start')}
        busy={busy || !show.onSale}
        onSubmit={start}
      />
      <ProblemAlert error={error} messages={problems} />
    </section>
  )
}
