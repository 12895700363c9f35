// The dashboard's analytics part, behind import(): its filters drive every section below; each section loads
// its report when it scrolls near, and Chart.js loads with the first chart.
import { useState } from 'preact/hooks'
import type { SellThroughReport } from '../../../worker/routes/contracts/admin/reports.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { eventTitle, localName } from '../../lib/labels.ts'
import { useResource } from '../../lib/ui.tsx'
import { SelectInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import type { PageOf } from '../table.tsx'
import { ChannelSection, FunnelSection, SalesSection, ShowForecastSection } from './sales-sections.tsx'
import {
  CheckinSection,
  ScenicForecastSection,
  SecondarySection,
  VisitorSection,
} from './scenic-sections.tsx'

interface Named {
  id: string
  name: string
  nameEn?: string | null
}
interface Channel {
  code: string
  name: string
  nameEn?: string | null
}

export default function Analytics(props: { base: string; from: string; to: string; currency: string }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const [showId, setShowId] = useState('')
  const [siteId, setSiteId] = useState('')
  const [channel, setChannel] = useState('')
  const shows = useResource(
    (signal) =>
      api<SellThroughReport>(`${props.base}/reports/sell-through`, { signal, query: { limit: 200 } }),
    [props.base],
  )
  const sites = useResource(
    (signal) => api<PageOf<Named>>(`${props.base}/scenic-sites`, { signal, query: { limit: 200 } }),
    [props.base],
  )
  const channels = useResource(
    (signal) => api<PageOf<Channel>>(`${props.base}/sales-channels`, { signal, query: { limit: 200 } }),
    [props.base],
  )
  const filters = {
    from: props.from,
    to: props.to,
    showId: showId || undefined,
    siteId: siteId || undefined,
    channel: channel || undefined,
  }
  const section = { base: props.base, filters, currency: props.currency }
  return (
    <div class="stack">
      <form class="card range-form" aria-label={t('dashFilters')} onSubmit={(e) => e.preventDefault()}>
        <SelectInput
          label={t('dashShow')}
          name="dash-show"
          value={showId}
          onChange={setShowId}
          options={[
            { value: '', label: t('dashAllShows') },
            ...(shows.data?.shows ?? []).map((s) => ({
              value: s.showId,
              label: `${eventTitle(s, locale)} ${formatDateTime(s.startsAt, locale)}`,
            })),
          ]}
        />
        <SelectInput
          label={t('dashSite')}
          name="dash-site"
          value={siteId}
          onChange={setSiteId}
          options={[
            { value: '', label: t('dashAllSites') },
            ...(sites.data?.items ?? []).map((s) => ({ value: s.id, label: localName(s, locale) })),
          ]}
        />
        <SelectInput
          label={t('dashChannel')}
          name="dash-channel"
          value={channel}
          onChange={setChannel}
          options={[
            { value: '', label: t('dashAllChannels') },
            ...(channels.data?.items ?? []).map((c) => ({ value: c.code, label: localName(c, locale) })),
          ]}
        />
      </form>
      <SalesSection {...section} />
      <ShowForecastSection {...section} />
      <ChannelSection {...section} />
      <FunnelSection {...section} />
      <VisitorSection {...section} />
      <SecondarySection {...section} />
      <CheckinSection {...section} />
      <ScenicForecastSection {...section} />
    </div>
  )
}
