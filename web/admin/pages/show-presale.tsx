// A show's presale (pretix's "presale" + vouchers, Damai's 优先购): the phases before the general sale and the
// presale codes they admit. Beside the show's pricing page, linked both ways.
import { useEffect } from 'preact/hooks'
import type { EventRecord } from '../../../worker/routes/contracts/admin/events.ts'
import type { SalePhasesRecord } from '../../../worker/routes/contracts/admin/sale-phases.ts'
import type { ShowRecord } from '../../../worker/routes/contracts/admin/shows.ts'
import type { ShowDetail } from '../../../worker/routes/contracts/shows.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { adminMessages } from '../messages.ts'
import { PresaleCodes } from '../presale-codes.tsx'
import { PresalePhases } from '../presale-phases.tsx'
import { useSession } from '../session.tsx'

export function ShowPresalePage({ id }: { id: string }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const showPath = `${base}/shows/${encodeURIComponent(id)}`
  const show = useResource((signal) => api<ShowRecord>(showPath, { signal }), [showPath])
  const phases = useResource(
    (signal) => api<SalePhasesRecord>(`${showPath}/sale-phases`, { signal }),
    [showPath],
  )
  // Where each phase stands now, as buyers see it (only while the event is published).
  const live = useResource(
    (signal) => api<ShowDetail>(`/api/shows/${encodeURIComponent(id)}`, { signal }).catch(() => null),
    [id, phases.data?.updatedAt],
  )
  const eventId = show.data?.eventId
  const eventRecord = useResource(
    (signal) =>
      eventId
        ? api<EventRecord>(`${base}/events/${encodeURIComponent(eventId)}`, { signal })
        : new Promise<never>(() => {}),
    [base, eventId],
  )
  const title = eventRecord.data?.name ?? (show.data ? formatDateTime(show.data.startsAt, locale) : '')
  useEffect(() => {
    if (show.data) document.title = `${t('presale_title', { name: title })} · ${t('title')}`
  })

  if (show.error) return <ProblemAlert error={show.error} onRetry={show.reload} />
  if (phases.error) return <ProblemAlert error={phases.error} onRetry={phases.reload} />
  if (!show.data || !phases.data) return <Loading />
  const statuses = Object.fromEntries((live.data?.salePhases ?? []).map((p) => [p.id, p.status]))
  const showHref = `/admin/shows/${encodeURIComponent(id)}`

  return (
    <section class="stack">
      <nav class="row" aria-label={t('presale_nav')}>
        <Link href={showHref}>← {t('pricing_back')}</Link>
        <Link href={`${showHref}/pricing`}>{t('pricing_link')}</Link>
      </nav>
      <h1>{t('presale_title', { name: title })}</h1>
      <p class="muted">{t('presale_hint')}</p>
      <PresalePhases
        phasesPath={`${showPath}/sale-phases`}
        saved={phases.data}
        statuses={statuses}
        sale={show.data}
        onSaved={phases.reload}
      />
      <PresaleCodes
        codesPath={`${showPath}/presale-codes`}
        showId={id}
        openToCodes={phases.data.phases.some((p) => p.codes)}
      />
    </section>
  )
}
