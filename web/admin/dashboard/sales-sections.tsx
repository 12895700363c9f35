// Sales, channels (with OTA settlement), funnel and the show's progress and forecast, each a lazy section.
import { useState } from 'preact/hooks'
import type {
  AnalyticsSalesReport,
  ChannelReport,
  FunnelReport,
} from '../../../worker/routes/contracts/admin/analytics-sales.ts'
import type { ShowSalesForecastResponse } from '../../../worker/routes/contracts/admin/forecasts.ts'
import { formatDay } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { eventTitle, localName } from '../../lib/labels.ts'
import { SelectInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { ReportChart } from './report-chart.tsx'
import { ExportLinks, type Filters, ReportSection, reportQuery } from './section.tsx'

interface Props {
  base: string
  filters: Filters
  currency: string
}

export function SalesSection({ base, filters, currency }: Props) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const [granularity, setGranularity] = useState<'day' | 'week' | 'month'>('day')
  const query = { ...reportQuery(filters, ['from', 'to', 'showId', 'siteId', 'channel']), granularity }
  return (
    <ReportSection<AnalyticsSalesReport>
      id="dash-sales"
      title={t('dashSales')}
      url={`${base}/reports/analytics/sales`}
      query={query}
    >
      {(r) => (
        <>
          <SelectInput
            label={t('dashGranularity')}
            name="granularity"
            value={granularity}
            onChange={(v) => setGranularity(v as typeof granularity)}
            options={[
              { value: 'day', label: t('dashByDay') },
              { value: 'week', label: t('dashByWeek') },
              { value: 'month', label: t('dashByMonth') },
            ]}
          />
          <div class="charts">
            <ReportChart
              testId="chart-sales-series"
              title={t('dashNetSales')}
              currency={currency}
              spec={{
                type: 'bar',
                kind: 'money',
                labels: r.series.map((s) => (granularity === 'day' ? formatDay(s.period, locale) : s.period)),
                series: [
                  { label: t('dashNet'), data: r.series.map((s) => s.net) },
                  {
                    label: t('dashAverageOrder'),
                    data: r.series.map((s) => s.averageOrderValue),
                    line: true,
                  },
                ],
              }}
            />
            <ReportChart
              testId="chart-sales-types"
              title={t('dashByTicketType')}
              currency={currency}
              spec={{
                type: 'bar',
                kind: 'count',
                horizontal: true,
                labels: r.byTicketType.map((row) => localName(row, locale)),
                series: [{ label: t('dashTickets'), data: r.byTicketType.map((row) => row.tickets) }],
              }}
            />
            <ReportChart
              testId="chart-top-shows"
              title={t('dashTopShows')}
              currency={currency}
              spec={{
                type: 'bar',
                kind: 'money',
                horizontal: true,
                labels: r.topShows.map((s) => eventTitle(s, locale)),
                series: [{ label: t('dashNet'), data: r.topShows.map((s) => s.net) }],
              }}
            />
          </div>
          <ExportLinks base={base} report="analytics/sales" query={query} table="series" />
        </>
      )}
    </ReportSection>
  )
}

export function ChannelSection({ base, filters, currency }: Props) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const query = reportQuery(filters, ['from', 'to', 'showId', 'siteId', 'channel'])
  return (
    <ReportSection<ChannelReport>
      id="dash-channels"
      title={t('dashChannels')}
      url={`${base}/reports/analytics/channels`}
      query={query}
    >
      {(r) => (
        <>
          <div class="charts">
            <ReportChart
              testId="chart-channel-share"
              title={t('dashChannelShare')}
              currency={currency}
              spec={{
                type: 'bar',
                kind: 'percent',
                horizontal: true,
                labels: r.byChannel.map((c) => localName(c, locale)),
                series: [
                  { label: t('dashRevenueShare'), data: r.byChannel.map((c) => c.revenueShare) },
                  { label: t('dashTicketShare'), data: r.byChannel.map((c) => c.ticketShare) },
                ],
              }}
            />
            <ReportChart
              testId="chart-settlement"
              title={t('dashSettlement')}
              currency={currency}
              spec={{
                type: 'bar',
                kind: 'money',
                horizontal: true,
                labels: r.settlement.map((c) => localName(c, locale)),
                series: [
                  { label: t('dashSoldNet'), data: r.settlement.map((c) => c.soldNet) },
                  { label: t('dashRedeemedAmount'), data: r.settlement.map((c) => c.redeemedAmount) },
                  { label: t('dashDue'), data: r.settlement.map((c) => c.due) },
                ],
              }}
            />
          </div>
          <ExportLinks base={base} report="analytics/channels" query={query} table="byChannel" />
          <p class="export-bar">
            <a
              class="button"
              href={`${base}/exports/settlement?${new URLSearchParams({ ...reportQuery(filters, ['from', 'to', 'showId', 'siteId', 'channel']), format: 'xlsx', lang: locale })}`}
              download
            >
              {t('dashSettlementList')}
            </a>
            <a
              class="button"
              href={`${base}/exports/orders?${new URLSearchParams({ ...reportQuery(filters, ['from', 'to', 'showId', 'siteId', 'channel']), format: 'xlsx', lang: locale })}`}
              download
            >
              {t('dashOrderList')}
            </a>
          </p>
        </>
      )}
    </ReportSection>
  )
}

const steps = ['view', 'open', 'hold', 'order', 'paid'] as const

export function FunnelSection({ base, filters, currency }: Props) {
  const t = adminMessages.useT()
  const query = reportQuery(filters, ['from', 'to', 'showId', 'siteId', 'channel'])
  return (
    <ReportSection<FunnelReport>
      id="dash-funnel"
      title={t('dashFunnel')}
      url={`${base}/reports/analytics/funnel`}
      query={query}
    >
      {(r) => (
        <>
          <div class="charts">
            <ReportChart
              testId="chart-funnel"
              title={t('dashFunnel')}
              currency={currency}
              spec={{
                type: 'bar',
                kind: 'count',
                labels: steps.map((s) => t(`dashStep_${s}`)),
                series: [{ label: t('dashPeople'), data: steps.map((s) => r.steps[s]) }],
              }}
            />
            <ReportChart
              testId="chart-funnel-sources"
              title={t('dashConversionBySource')}
              currency={currency}
              spec={{
                type: 'bar',
                kind: 'percent',
                horizontal: true,
                labels: r.bySource.map((s) => s.key || t('dashDirect')),
                series: [{ label: t('dashConversion'), data: r.bySource.map((s) => s.conversion.overall) }],
              }}
            />
          </div>
          <ExportLinks base={base} report="analytics/funnel" query={query} table="bySource" />
        </>
      )}
    </ReportSection>
  )
}

export function ShowForecastSection({ base, filters, currency }: Props) {
  const t = adminMessages.useT()
  const locale = useLocale()
  return (
    <ReportSection<ShowSalesForecastResponse>
      id="dash-show-forecast"
      title={t('dashShowForecast')}
      url={filters.showId ? `${base}/reports/forecasts/shows/${filters.showId}` : null}
      query={{}}
      waiting={t('dashPickShow')}
    >
      {(r) => (
        <>
          <p data-testid="show-forecast-figures">
            {t('dashForecastFinal', {
              expected: r.expectedFinal,
              low: r.low,
              high: r.high,
              capacity: r.capacity,
            })}{' '}
            {r.sellOutDate ? t('dashSellOut', { date: formatDay(r.sellOutDate, locale) }) : null}
          </p>
          <ReportChart
            testId="chart-show-forecast"
            title={t('dashProgressVsEarlier')}
            currency={currency}
            spec={{
              type: 'line',
              kind: 'count',
              labels: r.curve.map((p) => t('dashDaysBefore', { n: p.daysBefore })),
              series: [
                { label: t('dashSoldSoFar'), data: r.curve.map((p) => p.sold) },
                { label: t('dashExpected'), data: r.curve.map((p) => p.expected) },
                { label: t('dashLow'), data: r.curve.map((p) => p.low) },
                { label: t('dashHigh'), data: r.curve.map((p) => p.high) },
                ...r.comparables.slice(0, 3).map((c) => {
                  const byDay = new Map(c.progress.map((p) => [p.daysBefore, p.sold]))
                  return {
                    label: `${eventTitle(c, locale)} ${formatDay(c.startsAt.slice(0, 10), locale)}`,
                    data: r.curve.map((p) => byDay.get(p.daysBefore) ?? null),
                  }
                }),
              ],
            }}
          />
        </>
      )}
    </ReportSection>
  )
}
