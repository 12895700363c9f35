import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { SalesReport, SellThroughReport } from '../../../worker/routes/contracts/admin/reports.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime, formatDay, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { eventTitle, localName } from '../../lib/labels.ts'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { ReportChart } from '../dashboard/report-chart.tsx'
import { downloadCsv, salesRows, sellThroughRows } from '../export.ts'
import { chinaDay, TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'
import { downloadXlsx } from '../xlsx.ts'

/** Every day from `from` to `to`, with the days that had no sales at zero. */
function everyDay(report: SalesReport) {
  const byDate = new Map(report.byDay.map((d) => [d.date, d]))
  const days: { date: string; amount: number }[] = []
  for (
    let time = Date.parse(`${report.from}T00:00:00Z`);
    time <= Date.parse(`${report.to}T00:00:00Z`);
    time += 86_400_000
  ) {
    const date = new Date(time).toISOString().slice(0, 10)
    days.push({ date, amount: byDate.get(date)?.amount ?? 0 })
  }
  return days
}

type AnalyticsProps = { base: string; from: string; to: string; currency: string }

/** The analytics sections load behind import() after the first view (figures above) has rendered. */
function LazyAnalytics(props: AnalyticsProps) {
  const [Analytics, setAnalytics] = useState<ComponentType<AnalyticsProps> | null>(null)
  useEffect(() => {
    import('../dashboard/analytics.tsx').then((module) => setAnalytics(() => module.default))
  }, [])
  return Analytics ? <Analytics {...props} /> : <Loading />
}

export function DashboardPage() {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base, organizer } = useSession()
  const [from, setFrom] = useState(chinaDay(-29))
  const [to, setTo] = useState(chinaDay(0))
  const sales = useResource(
    (signal) => api<SalesReport>(`${base}/reports/sales`, { signal, query: { from, to } }),
    [base, from, to],
  )
  const through = useResource(
    (signal) => api<SellThroughReport>(`${base}/reports/sell-through`, { signal }),
    [base],
  )
  const currency = sales.data?.currency ?? organizer.currency
  const money = (fen: number) => formatMoney(fen, currency, locale)
  const s = sales.data
  return (
    <section class="stack">
      <h1>{t('navDashboard')}</h1>
      <form class="card range-form" onSubmit={(e) => e.preventDefault()}>
        <TextInput
          label={t('from')}
          type="date"
          value={from}
          onInput={(v) => v && setFrom(v)}
          name="report-from"
        />
        <TextInput label={t('to')} type="date" value={to} onInput={(v) => v && setTo(v)} name="report-to" />
      </form>
      {sales.error ? <ProblemAlert error={sales.error} onRetry={sales.reload} /> : null}
      {!s && !sales.error && <Loading />}
      {s && (
        <>
          <dl class="figures" data-testid="sales-totals">
            <div>
              <dt>{t('grossSales')}</dt>
              <dd>{money(s.totals.gross)}</dd>
            </div>
            <div>
              <dt>{t('refunds')}</dt>
              <dd>−{money(s.totals.refunded)}</dd>
            </div>
            <div>
              <dt>{t('netSales')}</dt>
              <dd>{money(s.totals.net)}</dd>
            </div>
            <div>
              <dt>{t('ticketsSold')}</dt>
              <dd>
                <span class="figure-value">{s.totals.tickets}</span>
                <small class="muted">{t('ticketsRefundedNote', { n: s.totals.refundedTickets })}</small>
              </dd>
            </div>
            <div>
              <dt>{t('ordersWithTickets')}</dt>
              <dd>
                <span class="figure-value">{s.totals.ordersWithTickets}</span>
                <small class="muted">{t('ordersPaidNote', { n: s.totals.orders })}</small>
              </dd>
            </div>
          </dl>
          <p class="muted small">{t('figuresExplained')}</p>
          <div class="export-bar">
            <Button onClick={() => downloadCsv(`sales-${s.from}-${s.to}.csv`, salesRows(s, t, locale))}>
              {t('exportSalesCsv')}
            </Button>
            <Button
              onClick={() =>
                downloadXlsx(`sales-${s.from}-${s.to}.xlsx`, t('salesSheet'), salesRows(s, t, locale))
              }
            >
              {t('exportSalesXlsx')}
            </Button>
            {through.data && (
              <Button
                onClick={() =>
                  downloadCsv(
                    `sell-through-${through.data!.from}-${through.data!.to}.csv`,
                    sellThroughRows(through.data!, t, locale),
                  )
                }
              >
                {t('exportShowsCsv')}
              </Button>
            )}
            {through.data && (
              <Button
                onClick={() =>
                  downloadXlsx(
                    `sell-through-${through.data!.from}-${through.data!.to}.xlsx`,
                    t('sellThroughSheet'),
                    sellThroughRows(through.data!, t, locale),
                  )
                }
              >
                {t('exportShowsXlsx')}
              </Button>
            )}
          </div>
          <div class="charts">
            <ReportChart
              testId="chart-days"
              title={t('salesPerDay')}
              currency={currency}
              spec={{
                type: 'bar',
                kind: 'money',
                labels: everyDay(s).map((d) => formatDay(d.date, locale)),
                series: [{ label: t('netOfRefundedTickets'), data: everyDay(s).map((d) => d.amount) }],
              }}
            />
            <ReportChart
              testId="chart-types"
              title={t('salesPerTicketType')}
              currency={currency}
              spec={{
                type: 'bar',
                kind: 'count',
                horizontal: true,
                labels: s.byTicketType.map((d) =>
                  d.kind === 'scenic' ? t(`ticketType_${d.key}` as never) : localName(d, locale),
                ),
                series: [
                  { label: t('ticketsSold'), data: s.byTicketType.map((d) => d.tickets) },
                  {
                    label: t('netOfRefundedTickets'),
                    kind: 'money',
                    tableOnly: true,
                    data: s.byTicketType.map((d) => d.amount),
                  },
                ],
              }}
            />
            <ReportChart
              testId="chart-channels"
              title={t('salesPerChannel')}
              currency={currency}
              spec={{
                type: 'bar',
                kind: 'money',
                horizontal: true,
                labels: s.byChannel.map((d) => localName(d, locale)),
                series: [{ label: t('netOfRefundedTickets'), data: s.byChannel.map((d) => d.amount) }],
              }}
            />
          </div>
        </>
      )}
      {through.error ? <ProblemAlert error={through.error} onRetry={through.reload} /> : null}
      {!through.data && !through.error && <Loading />}
      {through.data && (
        <ReportChart
          testId="chart-sell-through"
          title={t('sellThrough')}
          currency={currency}
          spec={{
            type: 'bar',
            kind: 'percent',
            horizontal: true,
            labels: through.data.shows.map(
              (show) => `${eventTitle(show, locale)} ${formatDateTime(show.startsAt, locale)}`,
            ),
            series: [
              {
                label: t('sellThroughShare'),
                data: through.data.shows.map((show) => (show.capacity ? show.tickets / show.capacity : 0)),
              },
              {
                label: t('dashSoldOfCapacity'),
                tableOnly: true,
                data: through.data.shows.map((show) => show.tickets),
                cells: through.data.shows.map(
                  (show) => `${show.tickets.toLocaleString(locale)}/${show.capacity.toLocaleString(locale)}`,
                ),
              },
            ],
          }}
        />
      )}
      <LazyAnalytics base={base} from={from} to={to} currency={currency} />
    </section>
  )
}
