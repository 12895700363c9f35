// One e-ticket as the holder shows it at the gate: what, when and where, the seat or slot, the holder, its
// state, and (while valid) the QR code; for events with anti-screenshot codes the 6-digit code beside it and
// inside the QR (`<token>~<code>`), both redrawn every step with a visible countdown.
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { shopMessages } from '../messages.ts'
import type { Ticket } from '../types.ts'
import { RotatingCode, useRotatingCode } from './rotating-code.tsx'
import { TicketQr } from './ticket-qr.tsx'
import { placeText, stateText, titleText, venueText, whenText } from './ticket-text.ts'

/** What the card reads: a ticket of its order's page, or one the wallet kept on the device (offline). */
export type CardTicket = Pick<
  Ticket,
  | 'ticketId'
  | 'status'
  | 'state'
  | 'title'
  | 'venue'
  | 'venueEn'
  | 'holder'
  | 'holderIdMasked'
  | 'redeemedAt'
  | 'timeZone'
  | 'token'
  | 'rotatingCode'
  | 'place'
  | 'seat'
  | 'product'
  | 'productEn'
  | 'titleEn'
  | 'slot'
  | 'startsAt'
  | 'visitDate'
>

export function TicketCard({
  ticket,
  focused,
  paid,
  currency,
}: {
  ticket: CardTicket
  focused?: boolean
  /** What its order line charged (minor units), shown on the order page. */
  paid?: number
  currency?: string
}) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const rotating = ticket.token ? ticket.rotatingCode : null
  const step = rotating?.stepSeconds ?? 30
  const { code, secondsLeft } = useRotatingCode(rotating?.secret, step)
  const place = placeText(t, locale, ticket)
  const title = titleText(locale, ticket)
  const payload = ticket.token && rotating ? (code ? `${ticket.token}~${code}` : undefined) : ticket.token
  return (
    <li
      id={`ticket-${ticket.ticketId}`}
      class={`card ticket${focused ? ' ticket-focused' : ''}`}
      data-ticket-status={ticket.status}
      data-ticket-state={ticket.state}
      data-testid="ticket"
    >
      <div class="ticket-head">
        <strong class="ticket-title">{title}</strong>
        <span class={`badge ticket-state-${ticket.state}`}>{stateText(t, ticket.state)}</span>
      </div>
      <p class="ticket-when">
        {whenText(locale, ticket)}
        {venueText(locale, ticket) && ` · ${venueText(locale, ticket)}`}
      </p>
      {place && (
        <p class="ticket-place" data-testid="ticket-place">
          {place}
        </p>
      )}
      {paid !== undefined && currency && (
        <p class="small" data-testid="ticket-paid">
          {t('price_paidEach', { price: formatMoney(paid, currency, locale) })}
        </p>
      )}
      {ticket.holder && (
        <p class="muted small">
          {t('ticket_holder', { name: ticket.holder })}
          {ticket.holderIdMasked && ` · ${ticket.holderIdMasked}`}
        </p>
      )}
      {ticket.redeemedAt && (
        <p class="muted small">
          {t('ticket_usedAt', { time: formatDateTime(ticket.redeemedAt, locale, ticket.timeZone) })}
        </p>
      )}
      {ticket.token && ticket.state === 'valid' && (
        <div class="ticket-pass">
          {payload ? (
            <TicketQr payload={payload} alt={t('ticket_qrFor', { ticket: place || title })} />
          ) : (
            <span class="qr qr-pending" aria-hidden="true" />
          )}
          {rotating && (
            <>
              <RotatingCode
                code={code}
                secondsLeft={secondsLeft}
                stepSeconds={step}
                label={t('ticket_codeLabel')}
                changesIn={t('ticket_codeChanges', { seconds: secondsLeft })}
              />
              <p class="muted small">{t('ticket_codeHelp', { seconds: step })}</p>
            </>
          )}
        </div>
      )}
    </li>
  )
}
