// The order at the window: what was sold (and the change to give), its tickets with print (80 mm or A4), a refund of
// the whole order by the tender it came in, and a reprint per ticket (the old ticket stops opening the gate).
import { useState } from 'preact/hooks'
import type { BoxOrder, BoxRefund, BoxTicket } from '../../worker/routes/contracts/box-office.ts'
import { api } from '../lib/api.ts'
import { formatDate, formatDateTime, formatMoney } from '../lib/format.ts'
import { useLocale } from '../lib/i18n.ts'
import {
  type PrintableTicket,
  type PrintPaper,
  printTickets,
  TicketPrintSheet,
} from '../lib/ticket-print.tsx'
import { Button, ProblemAlert } from '../lib/ui.tsx'
import { messages } from './messages.ts'

export function OrderPanel(props: {
  base: string
  order: BoxOrder & { change?: number | null }
  currency: string
  onChange: (order: BoxOrder) => void
}) {
  const t = messages.useT()
  const locale = useLocale()
  const { order } = props
  const money = (minor: number) => formatMoney(minor, order.currency, locale)
  const [paper, setPaper] = useState<PrintPaper>('thermal80')
  const [notice, setNotice] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const printable: PrintableTicket[] = order.tickets
    .filter((ticket): ticket is BoxTicket & { token: string } => ticket.status === 'valid' && !!ticket.token)
    .map((ticket) => ({
      ticketId: ticket.ticketId,
      token: ticket.token,
      title: locale === 'en' && ticket.titleEn ? ticket.titleEn : ticket.title,
      when: ticket.startsAt
        ? formatDateTime(ticket.startsAt, locale)
        : ticket.visitDate
          ? formatDate(`${ticket.visitDate}T12:00:00+08:00`, locale)
          : '',
      venue: ticket.venue,
      item: ticket.seat
        ? t('seat', { seat: ticket.seat })
        : [locale === 'en' && ticket.productEn ? ticket.productEn : ticket.product, ticket.entrance]
            .filter(Boolean)
            .join(' · '),
      holder: ticket.holder,
    }))
  const print = (which: PrintPaper) => {
    setPaper(which)
    // The sheet re-renders for the paper first, then the browser prints it.
    requestAnimationFrame(() => printTickets(which))
  }
  const act = async (run: () => Promise<void>) => {
    setError(null)
    setNotice(null)
    try {
      await run()
    } catch (failure) {
      setError(failure)
    }
  }
  const refund = () =>
    act(async () => {
      const done = await api<BoxRefund>(`${props.base}/orders/${order.orderId}/refund`, { body: {} })
      setNotice(t('refunded', { amount: money(done.amount), tender: t(done.tender) }))
      props.onChange(await api<BoxOrder>(`${props.base}/orders/${order.orderId}`))
    })
  const reprint = (ticketId: string) =>
    act(async () => {
      const done = await api<{ ticketId: string; order: BoxOrder }>(
        `${props.base}/tickets/${ticketId}/reprint`,
        { body: {} },
      )
      setNotice(t('reprinted'))
      props.onChange(done.order)
    })
  return (
    <section class="box-card box-order" aria-labelledby="order-heading" data-testid="order">
      <h2 id="order-heading">{t('sold', { number: order.number, total: money(order.total) })}</h2>
      {order.change != null && (
        <p class="box-change" role="status" data-testid="change">
          {t('change', { change: money(order.change) })}
        </p>
      )}
      {notice && (
        <p class="alert" role="status">
          {notice}
        </p>
      )}
      <ProblemAlert error={error} />
      <ul class="box-tickets">
        {order.tickets.map((ticket) => (
          <li key={ticket.ticketId} data-ticket-id={ticket.ticketId}>
            <span>{ticket.seat ? t('seat', { seat: ticket.seat }) : ticket.product}</span>{' '}
            <span class={`badge badge-${ticket.status}`}>{t(ticket.status)}</span>{' '}
            {ticket.status === 'valid' && order.status !== 'refunded' && (
              <Button onClick={() => reprint(ticket.ticketId)}>{t('reprint')}</Button>
            )}
          </li>
        ))}
      </ul>
      <div class="box-actions">
        <Button
          variant="primary"
          data-testid="print-80"
          onClick={() => print('thermal80')}
          disabled={!printable.length}
        >
          {t('print80')}
        </Button>
        <Button data-testid="print-a4" onClick={() => print('a4')} disabled={!printable.length}>
          {t('printA4')}
        </Button>
        {(order.status === 'paid' || order.status === 'partially_refunded') && (
          <Button variant="danger" onClick={refund}>
            {t('refund')}
          </Button>
        )}
      </div>
      <TicketPrintSheet
        tickets={printable}
        paper={paper}
        labels={{
          qr: t('ticketQr'),
          order: t('orderNumber', { number: order.number }),
          orderNumber: t('orderNumber', { number: order.number }),
          footer: t('printFooter'),
        }}
      />
    </section>
  )
}
