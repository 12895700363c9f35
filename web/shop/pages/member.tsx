// 会员中心: the buyer's tier and its benefits, the way to the next tier, points (balance, debt, what expires soon,
// history), their invite-a-friend link, purchases with this organizer and favourite categories.
import { useEffect, useState } from 'preact/hooks'
import type { InviteRecord } from '../../../worker/routes/contracts/distribution.ts'
import { api } from '../../lib/api.ts'
import { formatDate, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { Button, Field, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { GroupShare } from '../components/group-share.tsx'
import { shopMessages } from '../messages.ts'
import type { MemberPage as Member, MemberTier } from '../types.ts'

const tierLabel = (tier: MemberTier, locale: string) => (locale === 'en' && tier.nameEn) || tier.name

import { type MemberMessage, memberMessages } from './member-messages.ts'

export function MemberPage({ organizerId }: { organizerId: string }) {
  const t = memberMessages.useT()
  const shopT = shopMessages.useT()
  const locale = useLocale()
  const query = `organizer=${encodeURIComponent(organizerId)}`
  const page = useResource((signal) => api<Member>(`/api/members/me?${query}`, { signal }), [query])
  const [categories, setCategories] = useState('')
  const [saved, setSaved] = useState(false)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    if (page.data) setCategories(page.data.preferences.favouriteCategories.join(', '))
  }, [page.data])
  if (page.error)
    return (
      <section class="stack">
        <h1>{t('member_link')}</h1>
        <p>{t('member_signIn')}</p>
        <Link href="/my-tickets">{shopT('myTickets')}</Link>
      </section>
    )
  const m = page.data
  if (!m) return <p aria-busy="true">…</p>
  const money = (minor: number) => formatMoney(minor, 'CNY', locale)
  const save = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      await api(`/api/members/me/preferences?${query}`, {
        method: 'PUT',
        body: {
          favouriteVenueIds: m.preferences.favouriteVenueIds,
          favouriteCategories: categories
            .split(/[,，、]/)
            .map((c) => c.trim())
            .filter(Boolean),
        },
      })
      setSaved(true)
      page.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  const next = m.nextTier
  return (
    <section class="stack">
      <h1>{t('member_title', { organizer: m.organizerName })}</h1>
      <div class="card stack">
        {m.tier && (
          <p>
            <span class="badge badge-tier" data-testid="member-badge">
              {t('member_badge', { tier: tierLabel(m.tier, locale) })}
            </span>
          </p>
        )}
        <ul class="plain-list" data-testid="member-benefits">
          {m.tier && m.tier.discountPercent > 0 && (
            <li>{t('member_discount', { percent: m.tier.discountPercent })}</li>
          )}
          {m.tier?.presaleAccess && <li>{t('member_presale')}</li>}
          {m.tier?.maxTicketsPerBuyer && (
            <li>{t('member_ticketLimit', { count: m.tier.maxTicketsPerBuyer })}</li>
          )}
          {m.tier && !m.tier.discountPercent && !m.tier.presaleAccess && !m.tier.maxTicketsPerBuyer && (
            <li>{t('member_noBenefits')}</li>
          )}
        </ul>
        <p class="muted small">{t('member_spend12', { amount: money(m.last12Months.spend) })}</p>
        <p class="muted small">
          {!next
            ? t('member_top')
            : next.spendToGo !== null && next.pointsToGo !== null
              ? t('member_next', {
                  tier: tierLabel(next.tier, locale),
                  spend: money(next.spendToGo),
                  points: next.pointsToGo,
                })
              : next.spendToGo !== null
                ? t('member_nextSpend', { tier: tierLabel(next.tier, locale), spend: money(next.spendToGo) })
                : t('member_nextPoints', {
                    tier: tierLabel(next.tier, locale),
                    points: next.pointsToGo ?? 0,
                  })}
        </p>
      </div>
      <div class="card stack">
        <h2>{t('member_points')}</h2>
        {m.rules ? (
          <>
            <p>
              <strong data-testid="points-balance">
                {t('member_balance', { points: m.points.balance })}
              </strong>
            </p>
            {m.points.debt > 0 && (
              <p class="alert alert-info">{t('member_debt', { points: m.points.debt })}</p>
            )}
            {m.points.expiring.points > 0 && m.points.expiring.at && (
              <p class="muted small">
                {t('member_expiring', {
                  points: m.points.expiring.points,
                  date: formatDate(m.points.expiring.at, locale),
                })}
              </p>
            )}
            <p class="muted small">
              {t('member_rules', {
                earn: m.rules.earnPerYuan,
                redeem: m.rules.pointsPerYuan,
                percent: m.rules.maxRedeemPercent,
              })}
            </p>
          </>
        ) : (
          <p>{t('member_noPoints')}</p>
        )}
        <h3>{t('member_history')}</h3>
        {m.points.history.length === 0 ? (
          <p class="muted">{t('member_historyEmpty')}</p>
        ) : (
          <ul class="plain-list" data-testid="points-history">
            {m.points.history.map((entry) => (
              <li key={entry.id} class="row spread">
                <span>
                  {t(`member_kind_${entry.kind}` as MemberMessage)}
                  <span class="muted small"> · {formatDate(entry.at, locale)}</span>
                </span>
                <span data-testid="points-change">
                  {entry.points > 0 ? `+${entry.points}` : entry.points || `−${entry.debt}`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <InviteFriend organizerId={organizerId} organizerName={m.organizerName} />
      <div class="card stack">
        <h2>{t('member_purchases')}</h2>
        {m.purchases.length === 0 ? (
          <p class="muted">{t('member_purchasesEmpty')}</p>
        ) : (
          <ul class="plain-list">
            {m.purchases.map((p) => (
              <li key={p.id} class="row spread">
                <Link href={`/orders/${encodeURIComponent(p.id)}`}>
                  {(locale === 'en' && (p.eventNameEn ?? p.siteNameEn)) ||
                    p.eventName ||
                    p.siteName ||
                    p.number}
                </Link>
                <span>{money(p.total)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <form class="card stack" onSubmit={save}>
        <h2>{t('member_preferences')}</h2>
        <Field label={t('member_categories')}>
          {({ id }) => (
            <input
              id={id}
              value={categories}
              onInput={(e) => {
                setSaved(false)
                setCategories((e.target as HTMLInputElement).value)
              }}
            />
          )}
        </Field>
        <ProblemAlert error={error} />
        <div class="row">
          <Button type="submit">{t('member_save')}</Button>
          {saved && <span role="status">{t('member_saved')}</span>}
        </div>
      </form>
    </section>
  )
}

/** Invite a friend: the customer's `/?invite=CODE` link on this shop's origin, and what both sides get. */
function InviteFriend({ organizerId, organizerName }: { organizerId: string; organizerName: string }) {
  const t = memberMessages.useT()
  const locale = useLocale()
  const invite = useResource(
    (signal) =>
      api<InviteRecord>(`/api/distribution/invite?organizerId=${encodeURIComponent(organizerId)}`, {
        signal,
      }),
    [organizerId],
  )
  // Without a code (an older server or a failed call) there is nothing to share; the rest of the page stands.
  const data = invite.data
  if (!data) return null
  const url = `${location.origin}/?invite=${encodeURIComponent(data.code)}`
  const coupon = data.reward && ((locale === 'en' && data.reward.titleEn) || data.reward.title)
  return (
    <section class="card stack" aria-labelledby="invite-heading" data-testid="member-invite">
      <h2 id="invite-heading">{t('member_invite')}</h2>
      <p data-testid="invite-reward">
        {coupon ? t('member_inviteReward', { coupon }) : t('member_inviteNoReward')}
      </p>
      <GroupShare
        url={url}
        label={t('member_inviteLink')}
        title={t('member_inviteShareTitle', { organizer: organizerName })}
        text={t('member_inviteShareText', { organizer: organizerName })}
      />
    </section>
  )
}
