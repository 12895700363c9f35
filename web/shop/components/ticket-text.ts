// How a ticket reads to a person, shared by the wallet and the ticket card: the seat as 「C排9座」 or
// "Row C, seat 9" with its section, the scenic product and entry slot, and when, in the venue's time zone.
import { formatDateTime, formatDay } from '../../lib/format.ts'
import type { Locale } from '../../lib/i18n.ts'
import { localName, seatName } from '../../lib/labels.ts'
import type { ShopMessage } from '../messages.ts'
import type { Ticket, WalletTicket } from '../types.ts'

type T = (key: ShopMessage, params?: Record<string, string | number>) => string
type Described = Pick<
  Ticket,
  'place' | 'seat' | 'product' | 'productEn' | 'slot' | 'startsAt' | 'visitDate' | 'timeZone'
>

/** The seat (with its section), or the scenic product (in the reader's language) with its entry slot. */
export function placeText(t: T, locale: Locale, ticket: Described): string {
  if (ticket.place) return seatName(ticket.place, locale, { section: true })
  if (ticket.seat) return ticket.seat
  const slot = ticket.slot
    ? ticket.slot.end
      ? t('ticket_slot', { start: ticket.slot.start, end: ticket.slot.end })
      : t('ticket_slotStart', { start: ticket.slot.start })
    : ''
  const product = ticket.product ? localName({ name: ticket.product, nameEn: ticket.productEn }, locale) : ''
  return [product, slot].filter(Boolean).join(' · ')
}

/** The event's or scenic site's name in the reader's language. */
export const titleText = (locale: Locale, ticket: Pick<Ticket, 'title' | 'titleEn'>) =>
  localName({ name: ticket.title, nameEn: ticket.titleEn }, locale)

/** The venue (hall) or scenic site in the reader's language; null when it is what the title already says. */
export function venueText(locale: Locale, ticket: Pick<Ticket, 'title' | 'titleEn' | 'venue' | 'venueEn'>) {
  return ticket.venue === ticket.title
    ? null
    : localName({ name: ticket.venue, nameEn: ticket.venueEn }, locale)
}

/** The show's start in the venue's zone, or the visit day. */
export function whenText(locale: Locale, ticket: Described): string {
  if (ticket.startsAt) return formatDateTime(ticket.startsAt, locale, ticket.timeZone)
  return ticket.visitDate ? formatDay(ticket.visitDate, locale) : ''
}

export const stateText = (t: T, state: WalletTicket['state']) => t(`ticket_state_${state}`)
