// The waiting-room pages of the shop (issue 22): `/shows/:id/queue` for a show and `/scenic/:id/queue?date=` for
// one visit date of a scenic site. Each names its sale and hands the queue itself to <WaitingRoom>.

import { api } from '../../lib/api.ts'
import { formatDateTime, formatDay } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { cityName, eventTitle, localName, venueTitle } from '../../lib/labels.ts'
import { Link, useLocation } from '../../lib/router.tsx'
import { Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { shopMessages } from '../messages.ts'
import { type OnSale, salePagePath } from '../queue/admission.ts'
import { queueMessages } from '../queue/messages.ts'
import { WaitingRoom } from '../queue/waiting-room.tsx'
import type { ShowDetail, SiteDetail } from '../types.ts'

export function ShowQueuePage({ showId }: { showId: string }) {
  const locale = useLocale()
  const show = useResource(
    (signal) => api<ShowDetail>(`/api/shows/${encodeURIComponent(showId)}`, { signal }),
    [showId],
  )
  if (show.error) return <ProblemAlert error={show.error} onRetry={show.reload} />
  if (!show.data) return <Loading />
  const detail = show.data
  const sale: OnSale = { kind: 'show', showId }
  return (
    <QueueFrame
      sale={sale}
      title={eventTitle(detail, locale)}
      subtitle={`${formatDateTime(detail.startsAt, locale)} · ${venueTitle(detail, locale)} · ${cityName(detail, locale)}`}
      realName={detail.realNameRequired}
    />
  )
}

export function ScenicQueuePage({ siteId }: { siteId: string }) {
  const locale = useLocale()
  const shop = shopMessages.useT()
  const date = useLocation().query.get('date') ?? ''
  const site = useResource(
    (signal) => api<SiteDetail>(`/api/scenic-sites/${encodeURIComponent(siteId)}`, { signal }),
    [siteId],
  )
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
    return (
      <section>
        <h1>{shop('notFound')}</h1>
        <Link href={`/scenic/${encodeURIComponent(siteId)}`}>{shop('home')}</Link>
      </section>
    )
  if (site.error) return <ProblemAlert error={site.error} onRetry={site.reload} />
  if (!site.data) return <Loading />
  const detail = site.data
  const sale: OnSale = { kind: 'day', siteId, date }
  return (
    <QueueFrame
      key={date}
      sale={sale}
      title={localName(detail, locale)}
      subtitle={`${shop('visitDate', { date: formatDay(date, locale) })} · ${cityName(detail, locale)}`}
      realName={detail.products.some((p) => p.status === 'active' && p.realNameRequired)}
    />
  )
}

function QueueFrame(props: { sale: OnSale; title: string; subtitle: string; realName: boolean }) {
  const t = queueMessages.useT()
  const shop = shopMessages.useT()
  document.title = `${t('title')} · ${props.title} · ${shop('brand')}`
  return (
    <article class="stack queue-page">
      <header>
        <h1>{props.title}</h1>
        <p class="muted">{props.subtitle}</p>
      </header>
      <WaitingRoom sale={props.sale} realName={props.realName} />
      <p>
        <Link href={salePagePath(props.sale)}>← {t('back')}</Link>
      </p>
    </article>
  )
}
