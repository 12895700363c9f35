// Printed tickets (box office, kiosks): one ticket per page with its QR code, laid out for an 80 mm thermal
// roll or A4 by CSS @page (ticket-print.css), printed with the browser's own print. Every string comes from the
// caller in the page's language; a revoked ticket (no token) is never printed.
import './ticket-print.css'
import { QrCode } from './qr.tsx'

export type PrintPaper = 'thermal80' | 'a4'

/** One ticket as it is printed. `token` is the QR code's content (the signed ticket). */
export interface PrintableTicket {
  ticketId: string
  token: string
  title: string
  /** When: the show's start or the visit date, already formatted for the page's language. */
  when: string
  venue: string
  /** Seat, or product and slot. */
  item: string
  holder?: string | null
  /** The price, formatted. */
  price?: string | null
}

export interface PrintLabels {
  /** The QR code's accessible name, e.g. "Ticket QR code". */
  qr: string
  order: string
  orderNumber: string
  /** A short line at the foot (e.g. "Show this code at the gate"). */
  footer: string
}

/**
 * The print sheet: hidden on screen unless `preview`, the only thing printed (`body.printing-tickets` hides the
 * rest of the page). The paper is chosen by `paper` through a named @page.
 */
export function TicketPrintSheet(props: {
  tickets: PrintableTicket[]
  paper: PrintPaper
  labels: PrintLabels
  preview?: boolean
}) {
  return (
    <section
      class={`ticket-print ticket-print-${props.paper}${props.preview ? ' ticket-print-preview' : ''}`}
      data-testid="ticket-print"
      data-paper={props.paper}
      aria-label={props.labels.order}
    >
      {props.tickets.map((ticket) => (
        <article class="ticket-print-page" key={ticket.ticketId} data-ticket-id={ticket.ticketId}>
          <h2 class="ticket-print-title">{ticket.title}</h2>
          <p class="ticket-print-when">{ticket.when}</p>
          <p class="ticket-print-venue">{ticket.venue}</p>
          <p class="ticket-print-item">{ticket.item}</p>
          {ticket.holder ? <p class="ticket-print-holder">{ticket.holder}</p> : null}
          <div class="ticket-print-qr">
            <QrCode text={ticket.token} label={props.labels.qr} testId={`print-qr-${ticket.ticketId}`} />
          </div>
          <p class="ticket-print-meta">
            {props.labels.orderNumber}
            {ticket.price ? ` · ${ticket.price}` : ''}
          </p>
          <p class="ticket-print-footer">{props.labels.footer}</p>
        </article>
      ))}
    </section>
  )
}

/**
 * Prints the sheet now on the mounted page: marks the body so only the sheet prints, then the browser's print
 * dialog (a kiosk in Chrome's --kiosk-printing mode prints without asking). Resolves after the dialog closes.
 */
export function printTickets(paper: PrintPaper): void {
  const body = document.body
  body.classList.add('printing-tickets')
  body.dataset.paper = paper
  const done = () => {
    body.classList.remove('printing-tickets')
    window.removeEventListener('afterprint', done)
  }
  window.addEventListener('afterprint', done)
  window.print()
}
