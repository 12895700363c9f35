// The tickets the kiosk prints: the shared print sheet (web/lib/ticket-print.tsx) on the 80 mm thermal roll, shown
// on screen too (preview), so a visitor whose printer jammed still sees each ticket's QR code.
import type { KioskOrderStatus } from '../../worker/routes/contracts/kiosk.ts'
import { type PrintableTicket, TicketPrintSheet } from '../lib/ticket-print.tsx'
import { type KioskLocale, named, useKioskLocale, useT } from './messages.ts'

type Ticket = KioskOrderStatus['tickets'][number]

export function printable(ticket: Ticket, locale: KioskLocale): PrintableTicket | null {
  if (!ticket.token) return null
  const product = named({ name: ticket.product ?? ticket.description, nameEn: ticket.productEn }, locale)
  return {
    ticketId: ticket.ticketId,
    token: ticket.token,
    title: named({ name: ticket.title, nameEn: ticket.titleEn }, locale),
    when: `${ticket.visitDate ?? ''}${ticket.slot ? ` ${ticket.slot.start}` : ''}`,
    venue: named({ name: ticket.venue, nameEn: ticket.venueEn }, locale),
    item: product,
    holder: ticket.holderIdMasked,
  }
}

export function PrintedTickets(props: { tickets: KioskOrderStatus['tickets']; orderNumber: string }) {
  const t = useT()
  const locale = useKioskLocale()
  const tickets = props.tickets.map((ticket) => printable(ticket, locale)).filter((x) => x !== null)
  return (
    <TicketPrintSheet
      tickets={tickets}
      paper="thermal80"
      preview
      labels={{
        qr: t('ticketQr'),
        order: t('ticketsHeading'),
        orderNumber: props.orderNumber,
        footer: t('printedHint'),
      }}
    />
  )
}
