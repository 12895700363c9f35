// "我的门票" as a wallet: the buyer's upcoming tickets soonest first, each with what, when (the venue's time
// zone, the reader's language), where, the seat or slot and its state; past, used and refunded ones behind a
// toggle. A ticket opens on its order's page, scrolled to it, with the QR code (and rotating code).
import { useState } from 'preact/hooks'
import { api } from '../../lib/api.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { shopMessages } from '../messages.ts'
import type { Page, WalletTicket } from '../types.ts'
import { placeText, stateText, titleText, whenText } from './ticket-text.ts'

/** When it begins (a visit: its day's start in the site's zone, near enough to order the list). */
const startOf = (ticket: WalletTicket) => Date.parse(ticket.startsAt ?? `${ticket.visitDate}T00:00:00+08:00`)

function WalletItem({ ticket }: { ticket: WalletTicket }) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const place = placeText(t, locale, ticket)
  return (
    <li data-testid="wallet-ticket" data-state={ticket.state}>
      <Link
        href={`/orders/${encodeURIComponent(ticket.orderId)}#ticket-${ticket.ticketId}`}
        class={`card wallet-ticket wallet-ticket-${ticket.state}`}
      >
        <span class="wallet-ticket-head">
          <strong class="wallet-ticket-title">{titleText(locale, ticket)}</strong>
          <span class={`badge ticket-state-${ticket.state}`}>{stateText(t, ticket.state)}</span>
        </span>
        <span class="wallet-ticket-when" data-testid="wallet-when">
          {whenText(locale, ticket)}
        </span>
        {ticket.venue !== ticket.title && <span class="muted small">{ticket.venue}</span>}
        {place && (
          <span class="wallet-ticket-place" data-testid="wallet-place">
            {place}
          </span>
        )}
        {ticket.holder && <span class="muted small">{t('ticket_holder', { name: ticket.holder })}</span>}
      </Link>
    </li>
  )
}

export function TicketWallet() {
  const t = shopMessages.useT()
  const [showPast, setShowPast] = useState(false)
  const wallet = useResource(
    (signal) => api<Page<WalletTicket>>('/api/tickets', { signal, query: { limit: 50 } }),
    [],
  )
  if (wallet.loading && !wallet.data) return <Loading />
  if (wallet.error) return <ProblemAlert error={wallet.error} onRetry={wallet.reload} />
  const now = Date.now()
  const all = wallet.data?.items ?? []
  const upcoming = all
    .filter((ticket) => ticket.state === 'valid' && Date.parse(ticket.validUntil) > now)
    .sort((a, b) => startOf(a) - startOf(b))
  const past = all.filter((ticket) => !upcoming.includes(ticket)).sort((a, b) => startOf(b) - startOf(a))
  if (all.length === 0) return <p data-testid="wallet-empty">{t('wallet_none')}</p>
  return (
    <div class="stack">
      <section aria-labelledby="wallet-upcoming" class="stack">
        <h2 id="wallet-upcoming">{t('wallet_upcoming')}</h2>
        {upcoming.length === 0 && <p>{t('wallet_noUpcoming')}</p>}
        <ul class="plain-list wallet-list" data-testid="wallet-upcoming">
          {upcoming.map((ticket) => (
            <WalletItem key={ticket.ticketId} ticket={ticket} />
          ))}
        </ul>
      </section>
      {past.length > 0 && (
        <section class="stack">
          <button
            type="button"
            class="button wallet-toggle"
            aria-expanded={showPast}
            aria-controls="wallet-past"
            onClick={() => setShowPast(!showPast)}
          >
            {showPast ? t('wallet_hidePast') : t('wallet_showPast', { count: past.length })}
          </button>
          <ul class="plain-list wallet-list" id="wallet-past" data-testid="wallet-past" hidden={!showPast}>
            {past.map((ticket) => (
              <WalletItem key={ticket.ticketId} ticket={ticket} />
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}
