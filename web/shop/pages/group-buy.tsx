// One group (the page its share link and QR code open): progress toward the minimum, countdown to the deadline,
// members, the share link and its QR code, joining, paying through the normal checkout, leaving before success,
// and what happened in the end (tickets, or every payment refunded).
import { useEffect, useState } from 'preact/hooks'
import { api } from '../../lib/api.ts'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { getLocale, useLocale } from '../../lib/i18n.ts'
import { eventTitle, localName, seatNames, venueTitle } from '../../lib/labels.ts'
import { Link } from '../../lib/router.tsx'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { groupBuyMessages, useGroupProblemMessages } from '../components/group-buy-messages.ts'
import {
  type GroupCampaign,
  type GroupView,
  type Membership,
  membershipOf,
  rememberMembership,
} from '../components/group-membership.ts'
import { GroupPrices } from '../components/group-prices.tsx'
import { GroupProgress } from '../components/group-progress.tsx'
import { GroupSeatingForm, type Seating } from '../components/group-seating-form.tsx'
import { GroupShare } from '../components/group-share.tsx'
import type { ShowDetail } from '../types.ts'

/** While a group is still deciding, its page refreshes this often (other members join and pay meanwhile). */
const REFRESH_MS = 5000

export function GroupBuyPage({ groupId }: { groupId: string }) {
  const t = groupBuyMessages.useT()
  const locale = useLocale()
  const problems = useGroupProblemMessages()
  const group = useResource(
    (signal) => api<GroupView>(`/api/group-buys/groups/${encodeURIComponent(groupId)}`, { signal }),
    [groupId],
  )
  const data = group.data
  const show = useResource(
    (signal) =>
      data
        ? api<ShowDetail>(`/api/shows/${encodeURIComponent(data.showId)}`, { signal })
        : Promise.resolve(undefined),
    [data?.showId],
  )
  const campaign = useResource(
    (signal) =>
      data
        ? api<GroupCampaign>(`/api/group-buys/campaigns/${encodeURIComponent(data.campaignId)}`, { signal })
        : Promise.resolve(undefined),
    [data?.campaignId],
  )
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [leaving, setLeaving] = useState(false)
  /** Refused joins so far: the seat map reloads after each, showing seats just taken. */
  const [refusals, setRefusals] = useState(0)
  const [mine, setMine] = useState<Membership | undefined>(() => membershipOf(groupId))

  const settled =
    data &&
    (data.status === 'failed' ||
      (data.status === 'succeeded' && (!data.you || !['awaiting_payment', 'paid'].includes(data.you.status))))
  useEffect(() => {
    if (!data || settled) return
    const timer = setInterval(group.reload, REFRESH_MS)
    return () => clearInterval(timer)
  }, [data?.status, data?.you?.status, settled])

  if (group.error && !data) return <ProblemAlert error={group.error} onRetry={group.reload} />
  if (!data) return <Loading />
  const money = (minor: number) => formatMoney(minor, data.currency, locale)
  const cheapest = Object.values(data.prices).length ? Math.min(...Object.values(data.prices)) : undefined
  const you = data.you
  const active = you && ['awaiting_payment', 'paid', 'confirmed'].includes(you.status)
  const canJoin =
    !active && data.status !== 'failed' && data.placesLeft > 0 && Date.parse(data.deadline) > Date.now()
  const membership = mine && you && mine.memberId === you.memberId ? mine : undefined

  const join = async (seating: Seating) => {
    setBusy(true)
    setError(null)
    try {
      const joined = await api<Membership>(`/api/group-buys/groups/${encodeURIComponent(groupId)}/members`, {
        body: { ...seating, locale: getLocale() },
      })
      rememberMembership(joined)
      setMine(joined)
      group.reload()
    } catch (failure) {
      setError(failure)
      setRefusals((n) => n + 1)
    } finally {
      setBusy(false)
    }
  }
  const leave = async () => {
    if (!you) return
    setBusy(true)
    setError(null)
    try {
      await api(
        `/api/group-buys/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(you.memberId)}`,
        {
          method: 'DELETE',
        },
      )
      setLeaving(false)
      group.reload()
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  return (
    <article class="stack" data-testid="group-page" data-status={data.status}>
      <header>
        <h1>{t('groupTitle', { event: show.data ? eventTitle(show.data, locale) : '' })}</h1>
        <p class="muted">
          {show.data && (
            <>
              <time dateTime={show.data.startsAt}>{formatDateTime(show.data.startsAt, locale)}</time> ·{' '}
              {venueTitle(show.data, locale)} ·{' '}
            </>
          )}
          <span class="badge" data-testid="group-status" data-status={data.status}>
            {t(`status_${data.status}`)}
          </span>
        </p>
        {campaign.data && <p class="small">{localName(campaign.data, locale)}</p>}
      </header>

      <section aria-labelledby="progress-heading" class="card stack">
        <h2 id="progress-heading">{t('members')}</h2>
        <GroupProgress group={data} />
        <p class="small muted">
          {t('deadline')}: <time dateTime={data.deadline}>{formatDateTime(data.deadline, locale)}</time>
        </p>
        <ul class="plain-list member-list" data-testid="members">
          {data.members.map((member, index) => (
            <li key={`${member.joinedAt}-${index}`} class="row spread small">
              <span>
                {t(member.role)} · {t('seatsCount', { count: member.quantity })}
              </span>
              <span class="badge">{t(`memberStatus_${member.status}`)}</span>
            </li>
          ))}
        </ul>
        {/* Once the show is loaded: a price without its category's name and regular price explains nothing. */}
        {show.data && (
          <GroupPrices
            prices={data.prices}
            categories={show.data.categories}
            currency={data.currency}
            leaderDiscount={data.leaderDiscount}
          />
        )}
      </section>

      {data.status === 'failed' && (
        <p class="alert alert-info" role="status" data-testid="group-outcome">
          {t('failed')}
        </p>
      )}
      {data.status === 'succeeded' && !active && canJoin && (
        <p class="alert alert-info" role="status">
          {t('succeededOthers')}
        </p>
      )}

      {you && (
        <section
          aria-labelledby="you-heading"
          class="card stack"
          data-testid="your-membership"
          data-member-status={you.status}
        >
          <h2 id="you-heading">{t('you')}</h2>
          <p>{t('yourRole', { role: t(you.role) })}</p>
          {membership && membership.seats.length > 0 && (
            <p data-testid="your-seats">{t('yourSeats', { seats: seatNames(membership.seats, locale) })}</p>
          )}
          {you.status === 'awaiting_payment' && (
            <>
              <p>{t('payBy', { time: formatDateTime(you.payBy, locale) })}</p>
              {membership?.checkoutUrl ? (
                <a class="button button-primary" href={membership.checkoutUrl} data-testid="group-pay">
                  {t('pay', { amount: money(membership.amountDue) })}
                </a>
              ) : (
                you.orderId && (
                  <Link class="button button-primary" href={`/orders/${encodeURIComponent(you.orderId)}`}>
                    {t('payOnOrder')}
                  </Link>
                )
              )}
            </>
          )}
          {you.status === 'paid' && <p role="status">{t('paidWaiting', { min: data.minSize })}</p>}
          {you.status === 'confirmed' && (
            <p class="alert alert-info" role="status" data-testid="group-outcome">
              {t('succeeded')}
            </p>
          )}
          {['left', 'refunded', 'cancelled', 'lapsed'].includes(you.status) && (
            <p role="status">{you.status === 'left' ? t('left') : t('youRefunded')}</p>
          )}
          {you.orderId && you.status === 'confirmed' && (
            <Link href={`/orders/${encodeURIComponent(you.orderId)}`} data-testid="group-order-link">
              {t('seeTickets')}
            </Link>
          )}
          {active && data.status === 'open' && (
            <div class="row">
              {!leaving && <Button onClick={() => setLeaving(true)}>{t('leave')}</Button>}
              {leaving && (
                <>
                  <Button variant="danger" onClick={leave} disabled={busy}>
                    {t('leaveConfirm')}
                  </Button>
                  <Button onClick={() => setLeaving(false)}>{t('cancel')}</Button>
                </>
              )}
            </div>
          )}
        </section>
      )}

      {canJoin && campaign.data && show.data && (
        <section aria-labelledby="join-heading" class="card stack">
          <h2 id="join-heading">{t('joinHeading')}</h2>
          <p class="muted small">{t('joinHelp')}</p>
          <GroupSeatingForm
            showId={data.showId}
            isCinema={show.data.kind === 'film'}
            reloadKey={refusals}
            prices={data.prices}
            categories={show.data.categories}
            currency={data.currency}
            perBuyerLimit={campaign.data.perBuyerLimit}
            submitLabel={t('join')}
            busy={busy}
            onSubmit={join}
          />
        </section>
      )}
      {!active && data.status !== 'failed' && data.placesLeft === 0 && <p role="status">{t('full')}</p>}
      <ProblemAlert error={error} messages={problems} />

      {data.status !== 'failed' && (
        <section aria-labelledby="share-heading" class="card stack">
          <h2 id="share-heading">{t('share')}</h2>
          <p class="muted small">{t('shareHelp')}</p>
          <GroupShare
            url={data.shareUrl}
            title={t('groupTitle', { event: show.data ? eventTitle(show.data, locale) : '' })}
            text={t('shareText', {
              event: show.data ? eventTitle(show.data, locale) : '',
              price: cheapest === undefined ? '' : money(cheapest),
              count: data.needed,
            })}
          />
          <img
            class="group-qr"
            width={200}
            height={200}
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(data.shareQrSvg)}`}
            alt={t('shareQr')}
            data-testid="share-qr"
          />
        </section>
      )}
    </article>
  )
}
