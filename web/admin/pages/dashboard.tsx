import { useState } from 'preact/hooks'
import type { SalesReport, SellThroughReport } from '../../../worker/routes/contracts/admin/reports.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime, formatDay, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { BarChart, DayChart } from '../charts.tsx'
import { chinaDay, TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'

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
  const money = (fen: number) => formatMoney(fen, sales.data?.currency ?? organizer.currency, locale)
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
              <dt>{t('revenue')}</dt>
              <dd>{money(s.totals.amount)}</dd>
            </div>
            <div>
              <dt>{t('ticketsSold')}</dt>
              <dd>{s.totals.tickets}</dd>
            </div>
            <div>
              <dt>{t('ordersPaid')}</dt>
              <dd>{s.totals.orders}</dd>
            </div>
            <div>
              <dt>{t('refundedTotal')}</dt>
              <dd>{money(s.totals.refunded)}</dd>
            </div>
          </dl>
          <div class="charts">
            <DayChart
              testId="chart-days"
              title={t('salesPerDay')}
              valueHeader={t('revenue')}
              data={everyDay(s).map((d) => ({
                label: formatDay(d.date, locale),
                value: d.amount,
                display: money(d.amount),
              }))}
            />
            <BarChart
              testId="chart-types"
              title={t('salesPerTicketType')}
              valueHeader={t('ticketsSold')}
              data={s.byTicketType.map((d) => ({
                label: d.kind === 'scenic' ? t(`ticketType_${d.key}` as never) : d.key,
                value: d.tickets,
                display: `${d.tickets} · ${money(d.amount)}`,
              }))}
            />
            <BarChart
              testId="chart-channels"
              title={t('salesPerChannel')}
              valueHeader={t('revenue')}
              data={s.byChannel.map((d) => ({ label: d.channel, value: d.amount, display: money(d.amount) }))}
            />
          </div>
        </>
      )}
      {through.error ? <ProblemAlert error={through.error} onRetry={through.reload} /> : null}
      {through.data && (
        <BarChart
          testId="chart-sell-through"
          title={t('sellThrough')}
          valueHeader={t('sellThroughShare')}
          max={100}
          data={through.data.shows.map((show) => {
            const share = show.capacity ? (show.tickets / show.capacity) * 100 : 0
            return {
              label: `${show.eventName} ${formatDateTime(show.startsAt, locale)}`,
              value: share,
              display: `${share.toFixed(share < 10 ? 1 : 0)}% (${show.tickets}/${show.capacity})`,
            }
          })}
        />
      )}
    </section>
  )
}
