// The tickets the kiosk prints. Interim: each ticket's name, date, entrance and QR code, until the shared print
// layout (80 mm thermal / A4, web/lib/ticket-print.tsx from the box office) replaces it.
import type { KioskOrderStatus } from '../../worker/routes/contracts/kiosk.ts'
import { named, useKioskLocale } from './messages.ts'
import { QrImage } from './qr.tsx'

export function PrintedTickets(props: { tickets: KioskOrderStatus['tickets']; orderNumber: string }) {
  const locale = useKioskLocale()
  return (
    <ol class="kiosk-tickets print-area" data-testid="printed-tickets">
      {props.tickets.map((ticket) => (
        <li key={ticket.ticketId} class="kiosk-ticket" data-testid="printed-ticket">
          <strong>{named({ name: ticket.title, nameEn: ticket.titleEn }, locale)}</strong>
          <span>
            {named({ name: ticket.product ?? ticket.description, nameEn: ticket.productEn }, locale)} ·{' '}
            {ticket.visitDate}
            {ticket.slot ? ` · ${ticket.slot.start}` : ''}
          </span>
          {ticket.holderIdMasked ? <span>{ticket.holderIdMasked}</span> : null}
          {ticket.token ? <QrImage payload={ticket.token} label={ticket.ticketId} size={240} /> : null}
          <span class="kiosk-hint">{props.orderNumber}</span>
        </li>
      ))}
    </ol>
  )
}
