// Dashboard exports as CSV (papaparse's unparse: quoting and escaping done by a well-kept library already in the
// project). A UTF-8 byte-order mark lets Excel open Chinese names correctly; money is in yuan with 2 decimals.
import Papa from 'papaparse'
import type { SalesReport, SellThroughReport } from '../../worker/routes/contracts/admin/reports.ts'
import type { Locale, Translate } from '../lib/i18n.ts'
import { eventTitle, localName } from '../lib/labels.ts'
import type { AdminKey } from './messages.ts'

const yuan = (fen: number) => (fen / 100).toFixed(2)

/** One row per day, then one per ticket type and per channel, each with its kind in the first column. */
export function salesRows(report: SalesReport, t: Translate<AdminKey>, locale: Locale): string[][] {
  const header = [t('csvSection'), t('item'), t('csvOrders'), t('ticketsSold'), t('csvAmount')]
  return [
    header,
    ...report.byDay.map((d) => [
      t('salesPerDay'),
      d.date,
      String(d.orders),
      String(d.tickets),
      yuan(d.amount),
    ]),
    ...report.byTicketType.map((d) => [
      t('salesPerTicketType'),
      d.kind === 'scenic' ? t(`ticketType_${d.key}` as AdminKey) : localName(d, locale),
      '',
      String(d.tickets),
      yuan(d.amount),
    ]),
    ...report.byChannel.map((d) => [
      t('salesPerChannel'),
      localName(d, locale),
      String(d.orders),
      String(d.tickets),
      yuan(d.amount),
    ]),
    [t('grossSales'), '', String(report.totals.orders), '', yuan(report.totals.gross)],
    [t('refunds'), '', '', String(report.totals.refundedTickets), yuan(-report.totals.refunded)],
    [
      t('netSales'),
      '',
      String(report.totals.ordersWithTickets),
      String(report.totals.tickets),
      yuan(report.totals.net),
    ],
  ]
}

export function sellThroughRows(
  report: SellThroughReport,
  t: Translate<AdminKey>,
  locale: Locale,
): string[][] {
  return [
    [t('event'), t('csvStartsAt'), t('ticketsSold'), t('capacity'), t('sellThroughShare'), t('csvAmount')],
    ...report.shows.map((s) => [
      eventTitle(s, locale),
      s.startsAt,
      String(s.tickets),
      String(s.capacity),
      s.capacity ? `${((s.tickets / s.capacity) * 100).toFixed(1)}%` : '0%',
      yuan(s.amount),
    ]),
  ]
}

export function downloadCsv(filename: string, rows: string[][]) {
  const text = `\uFEFF${Papa.unparse(rows, { newline: '\r\n' })}`
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
