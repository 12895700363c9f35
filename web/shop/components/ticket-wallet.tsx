// "我的门票" as a wallet: the buyer's upcoming tickets soonest first, each with what, when (the venue's time
// zone, the reader's language), where, the seat or slot and its state; past, used and refunded ones behind a
// toggle. A ticket opens on its order's page, scrolled to it, with the QR code (and rotating code).
// Each online load keeps the upcoming tickets on the device (wallet-store.ts); with no network the wallet
// shows that copy instead, every ticket with its QR and live code, under an "offline — saved at" notice.
import { useEffect, useState } from 'preact/hooks'
import { ApiError, api } from '../../lib/api.ts'
import { formatDateTime, formatTime } from '../../lib/format.ts'
import { type Locale, useLocale } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { shopMessages } from '../messages.ts'
import { registerShopWorker } from '../shop-worker.ts'
import type { Page, WalletTicket } from '../types.ts'
import { loadWallet, type SavedTicket, type SavedWallet, saveWallet, startOf } from '../wallet-store.ts'
import { TicketCard } from './ticket-card.tsx'
import { placeText, stateText, titleText, venueText, whenText } from './ticket-text.ts'

/** No answer from the server (no signal, or a gateway that cannot reach it): the device copy stands in. */
export const unreachable = (error: unknown) =>
  error instanceof ApiError && (error.code === 'network' || [502, 503, 504].includes(error.status))

/** The device's own clock for "saved at": the time the buyer saw, not the venue's. */
function savedAtText(savedAt: string, locale: Locale, now: number) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const day = (at: number) => new Date(at).toDateString()
  return day(Date.parse(savedAt)) === day(now)
    ? formatTime(savedAt, locale, zone)
    : formatDateTime(savedAt, locale, zone)
}

/** A kept ticket as its card reads it: the pass stands for the token and code secret of the order page. */
const cardOf = (ticket: SavedTicket) => ({
  ...ticket,
  status: 'valid' as const,
  holderIdMasked: null,
  token: ticket.pass.token,
  rotatingCode: ticket.pass.rotatingCode,
})

/** The kept tickets (all, or one order's on its page) with their QR and code, under the offline notice. */
export function OfflineTickets({ saved, heading }: { saved: SavedWallet; heading: string }) {
  const t = shopMessages.useT()
  const locale = useLocale()
  return (
    <div class="stack">
      <p class="alert alert-info wallet-offline" role="status" data-testid="wallet-offline">
        <strong>{t('walletOffline_notice', { time: savedAtText(saved.savedAt, locale, Date.now()) })}</strong>
        <br />
        {t('walletOffline_help')}
      </p>
      <section aria-labelledby="wallet-upcoming" class="stack">
        <h2 id="wallet-upcoming">{heading}</h2>
        <ul class="grid plain-list ticket-grid" data-testid="wallet-saved">
          {saved.tickets.map((ticket) => (
            <TicketCard key={ticket.ticketId} ticket={cardOf(ticket)} />
          ))}
        </ul>
      </section>
    </div>
  )
}

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
        {venueText(locale, ticket) && <span class="muted small">{venueText(locale, ticket)}</span>}
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

export function TicketWallet({ onOffline }: { onOffline?: (offline: boolean) => void }) {
  const t = shopMessages.useT()
  const [showPast, setShowPast] = useState(false)
  const wallet = useResource(
    (signal) => api<Page<WalletTicket>>('/api/tickets', { signal, query: { limit: 50 } }),
    [],
  )
  // Every answer replaces the device copy: refunded and past tickets leave it with this load.
  useEffect(() => {
    if (wallet.data) saveWallet(localStorage, wallet.data.items, Date.now())
  }, [wallet.data])
  // From here on the shop's pages and this wallet open with no network (web/shop/service-worker.ts).
  useEffect(registerShopWorker, [])
  // Back online, the wallet loads again by itself.
  useEffect(() => {
    addEventListener('online', wallet.reload)
    return () => removeEventListener('online', wallet.reload)
  }, [wallet.reload])
  const saved = wallet.error && unreachable(wallet.error) ? loadWallet(localStorage, Date.now()) : null
  useEffect(() => onOffline?.(saved !== null), [saved !== null])

  if (wallet.loading && !wallet.data) return <Loading />
  if (saved) return <OfflineTickets saved={saved} heading={t('wallet_upcoming')} />
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
