// Visitors, 二消 with the co-purchase table (and its make-a-package button), check-in and the scenic forecast.
import { useState } from 'preact/hooks'
import type {
  CheckinReport,
  CopurchaseReport,
  SecondaryReport,
  VisitorsReport,
} from '../../../worker/routes/contracts/admin/analytics-scenic.ts'
import type { ScenicVisitorForecastResponse } from '../../../worker/routes/contracts/admin/forecasts.ts'
import { api } from '../../lib/api.ts'
import { formatDay } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName } from '../../lib/labels.ts'
import { Button, ProblemAlert } from '../../lib/ui.tsx'
import { adminMessages } from '../messages.ts'
import { ReportChart } from './report-chart.tsx'
import { ExportLinks, type Filters, ReportSection, reportQuery } from './section.tsx'

interface Props {
  base: string
  filters: Filters
  currency: string
}

export function VisitorSection({ base, filters, currency }: Props) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const query = reportQuery(filters, ['from', 'to', 'showId', 'siteId', 'channel'])
  return (
    <ReportSection<VisitorsReport>
      id="dash-visitors"
      title={t('dashVisitors')}
      url={`${base}/reports/visitors`}
      query={query}
    >
      {(r) => (
        <>
          <p>
            {t('dashVisitorsTotal', { n: r.visitors })} ·{' '}
            {t('dashNewReturning', { fresh: r.buyers.newOrders, returning: r.buyers.returningOrders })}
          </p>
          <div class="charts">
            <ReportChart
              testId="chart-provinces"
              title={t('dashByProvince')}
              currency={currency}
              spec={{
                type: 'bar',
                kind: 'count',
                horizontal: true,
                labels: r.byProvince.map((p) =>
                  p.name ? localName({ name: p.name, nameEn: p.nameEn }, locale) : t('dashUnknown'),
                ),
                series: [{ label: t('dashVisitorsCount'), data: r.byProvince.map((p) => p.visitors) }],
              }}
            />
            <ReportChart
              testId="chart-ages"
              title={t('dashByAge')}
              currency={currency}
              spec={{
                type: 'bar',
                kind: 'count',
                labels: r.byAgeBand.map((a) => (a.band === 'unknown' ? t('dashUnknown') : a.band)),
                series: [{ label: t('dashVisitorsCount'), data: r.byAgeBand.map((a) => a.visitors) }],
              }}
            />
            <ReportChart
              testId="chart-retention"
              title={t('dashRetention')}
              currency={currency}
              spec={{
                type: 'line',
                kind: 'percent',
                labels: [...new Set(r.cohorts.flatMap((c) => c.months.map((m) => m.offset)))]
                  .sort((a, b) => a - b)
                  .map((offset) => t('dashMonthAfter', { n: offset })),
                series: r.cohorts.map((c) => ({
                  label: c.cohortMonth,
                  data: [...new Set(r.cohorts.flatMap((x) => x.months.map((m) => m.offset)))]
                    .sort((a, b) => a - b)
                    .map((offset) => c.months.find((m) => m.offset === offset)?.rate ?? null),
                })),
              }}
            />
          </div>
          <ExportLinks base={base} report="visitors" query={query} table="byProvince" />
        </>
      )}
    </ReportSection>
  )
}

export function SecondarySection({ base, filters, currency }: Props) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const query = reportQuery(filters, ['from', 'to', 'siteId', 'channel'])
  const [made, setMade] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const makePackage = async (productIds: string[]) => {
    setError(null)
    try {
      const created = await api<{ name?: string; id: string }>(`${base}/reports/copurchase/packages`, {
        method: 'POST',
        body: { siteId: filters.siteId, productIds },
      })
      setMade(created.name ?? created.id)
    } catch (e) {
      setError(e)
    }
  }
  const siteUrl = (path: string) => (filters.siteId ? `${base}/reports/${path}` : null)
  return (
    <>
      <ReportSection<SecondaryReport>
        id="dash-secondary"
        title={t('dashSecondary')}
        url={siteUrl('secondary')}
        query={query}
        waiting={t('dashPickSite')}
      >
        {(r) => {
          const name = new Map(r.products.map((p) => [p.id, localName(p, locale)]))
          return (
            <>
              <ReportChart
                testId="chart-secondary"
                title={t('dashSecondaryShare')}
                currency={currency}
                spec={{
                  type: 'bar',
                  kind: 'percent',
                  labels: r.byDay.map((d) => formatDay(d.day, locale)),
                  series: r.products.map((p) => ({
                    label: name.get(p.id) ?? p.id,
                    data: r.byDay.map((d) => d.products.find((x) => x.productId === p.id)?.share ?? null),
                  })),
                }}
              />
              <ExportLinks base={base} report="secondary" query={query} table="byDay" />
            </>
          )
        }}
      </ReportSection>
      <ReportSection<CopurchaseReport>
        id="dash-copurchase"
        title={t('dashCopurchase')}
        url={siteUrl('copurchase')}
        query={query}
        waiting={t('dashPickSite')}
      >
        {(r) => {
          const name = new Map(r.products.map((p) => [p.id, localName(p, locale)]))
          const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 })
          const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })
          if (r.combinations.length === 0) return <p class="muted">{t('dashNoData')}</p>
          return (
            <>
              {made ? <p role="status">{t('dashPackageMade', { name: made })}</p> : null}
              {error ? <ProblemAlert error={error} /> : null}
              {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table scrolls; keyboard users must reach it */}
              <section class="table-scroll" tabIndex={0} aria-label={t('dashCopurchase')}>
                <table data-testid="copurchase-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('dashCombination')}</th>
                      <th scope="col" class="numeric">
                        {t('dashSupport')}
                      </th>
                      <th scope="col">{t('dashRule')}</th>
                      <th scope="col" class="numeric">
                        {t('dashConfidence')}
                      </th>
                      <th scope="col" class="numeric">
                        {t('dashLift')}
                      </th>
                      <th scope="col">{t('actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.combinations.map((c) => {
                      const best = [...c.rules].sort((a, b) => b.confidence - a.confidence)[0]
                      return (
                        <tr key={c.productIds.join('+')}>
                          <th scope="row">{c.productIds.map((id) => name.get(id) ?? id).join(' + ')}</th>
                          <td class="numeric">{percent.format(c.support)}</td>
                          <td>
                            {best
                              ? `${best.antecedent.map((id) => name.get(id) ?? id).join(' + ')} → ${name.get(best.consequent) ?? best.consequent}`
                              : '—'}
                          </td>
                          <td class="numeric">{best ? percent.format(best.confidence) : '—'}</td>
                          <td class="numeric">{best ? decimal.format(best.lift) : '—'}</td>
                          <td>
                            <Button onClick={() => makePackage(c.productIds)}>{t('dashMakePackage')}</Button>
                          </td>
                        </tr>
                      )
                    })}
                  </tbody>
                </table>
              </section>
              <ExportLinks base={base} report="copurchase" query={query} table="combinations" />
            </>
          )
        }}
      </ReportSection>
    </>
  )
}

export function CheckinSection({ base, filters, currency }: Props) {
  const t = adminMessages.useT()
  const query = reportQuery(filters, ['from', 'to', 'showId', 'siteId', 'channel'])
  return (
    <ReportSection<CheckinReport>
      id="dash-checkin"
      title={t('dashCheckin')}
      url={`${base}/reports/checkin`}
      query={query}
    >
      {(r) => {
        const hours = [...new Set(r.byHour.map((h) => h.hour))].sort((a, b) => a - b)
        const gates = [...new Set(r.byHour.map((h) => h.gate))]
        return (
          <>
            <p data-testid="checkin-totals">
              {t('dashCheckinTotals', {
                sold: r.totals.sold,
                admitted: r.totals.admitted,
                noShows: r.totals.noShows,
              })}
            </p>
            <ReportChart
              testId="chart-checkin"
              title={t('dashAdmittedByHour')}
              currency={currency}
              spec={{
                type: 'bar',
                kind: 'count',
                stacked: true,
                labels: hours.map((h) => `${String(h).padStart(2, '0')}:00`),
                series: gates.map((gate) => ({
                  label: gate,
                  data: hours.map((h) =>
                    r.byHour
                      .filter((x) => x.gate === gate && x.hour === h)
                      .reduce((n, x) => n + x.admitted, 0),
                  ),
                })),
              }}
            />
            <ExportLinks base={base} report="checkin" query={query} table="scopes" />
          </>
        )
      }}
    </ReportSection>
  )
}

export function ScenicForecastSection({ base, filters, currency }: Props) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 })
  return (
    <ReportSection<ScenicVisitorForecastResponse>
      id="dash-scenic-forecast"
      title={t('dashScenicForecast')}
      url={filters.siteId ? `${base}/reports/forecasts/scenic-sites/${filters.siteId}` : null}
      query={{}}
      waiting={t('dashPickSite')}
    >
      {(r) => (
        <div class="forecast-with-error">
          <ReportChart
            testId="chart-scenic-forecast"
            title={t('dashExpectedVisitors')}
            currency={currency}
            spec={{
              type: 'line',
              kind: 'count',
              labels: r.days.map((d) => formatDay(d.date, locale)),
              series: [
                { label: t('dashExpected'), data: r.days.map((d) => d.expected) },
                { label: t('dashLow'), data: r.days.map((d) => d.low) },
                { label: t('dashHigh'), data: r.days.map((d) => d.high) },
                { label: t('dashBooked'), data: r.days.map((d) => d.booked) },
              ],
            }}
          />
          <aside class="card" data-testid="backtest">
            <h3>{t('dashBacktest')}</h3>
            <p>
              {r.backtest?.mape != null
                ? t('dashMape', { mape: decimal.format(r.backtest.mape), weeks: r.backtest.holdoutWeeks })
                : t('dashNoBacktest')}
            </p>
          </aside>
        </div>
      )}
    </ReportSection>
  )
}
