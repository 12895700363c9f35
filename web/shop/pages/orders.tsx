// "My tickets": the buyer's orders (by their cookie or customer session), and one order with its QR tickets,
// add-to-calendar, and the refund quote then refund.
import { useEffect, useMemo, useState } from 'preact/hooks'
import { api, newIdempotencyKey } from '../../lib/api.ts'
import { formatDateTime, formatDay, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { cityName, eventTitle, localName, venueTitle } from '../../lib/labels.ts'
import { orderReasonText } from '../../lib/order-reasons.ts'
import { Link, navigate } from '../../lib/router.tsx'
import { Button, Field, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { downloadIcs, icsEvent } from '../calendar.ts'
import { CustomerSession } from '../components/customer-session.tsx'
import { BalanceStep } from '../components/deposit.tsx'
import { GroupOrderLink } from '../components/group-order-link.tsx'
import { OrderPrices } from '../components/order-prices.tsx'
import { type CompensationChoice, RefundCompensation } from '../components/refund-compensation.tsx'
import { TicketCard } from '../components/ticket-card.tsx'
import { OfflineTickets, TicketWallet, unreachable } from '../components/ticket-wallet.tsx'
import { getCurrentHold, setCurrentHold } from '../hold-store.ts'
import { type ShopMessage, shopMessages, useProblemMessages } from '../messages.ts'
import { admissionHeaders } from '../queue/admission.ts'
import type {
  OrderLine,
  OrderRecord,
  OrderView,
  Page,
  RebookingCreated,
  RefundQuote,
  ShowDetail,
  ShowHold,
  ShowSummary,
  SiteDetail,
  Ticket,
} from '../types.ts'
import { loadWallet } from '../wallet-store.ts'

const statusText = (t: (key: ShopMessage) => string, status: string) =>
  t(`status_${status}` as ShopMessage) === `status_${status}` ? status : t(`status_${status}` as ShopMessage)

/** A pending order whose payment was already taken (a group-buy member waiting for the group) is not "awaiting payment". */
const orderStatusText = (t: (key: ShopMessage) => string, order: OrderView) =>
  order.status === 'pending' && order.payments?.some((p) => p.status === 'succeeded')
    ? t('status_paid_waiting')
    : statusText(t, order.status)

/** "我的门票": the wallet of tickets first, then the orders (payment pending, receipts, refunds). */
export function MyTicketsPage() {
  const t = shopMessages.useT()
  const locale = useLocale()
  const orders = useResource(
    (signal) => api<Page<OrderRecord>>('/api/orders', { signal, query: { limit: 50 } }),
    [],
  )
  // Offline the wallet shows the tickets kept on the device; the orders wait for a connection.
  const [offline, setOffline] = useState(false)
  // After sign-out the wallet and the orders are loaded again, as whoever this browser is now.
  const [session, setSession] = useState(0)
  return (
    <section class="stack">
      <h1>{t('wallet_title')}</h1>
      <CustomerSession
        onSignedOut={() => {
          setSession(session + 1)
          orders.reload()
        }}
      />
      <TicketWallet key={session} onOffline={setOffline} />
      <h2>{t('wallet_orders')}</h2>
      {offline && <p class="muted">{t('walletOffline_orders')}</p>}
      {orders.loading && !orders.data && <Loading />}
      {!offline && <ProblemAlert error={orders.error} onRetry={orders.reload} />}
      {orders.data?.items.length === 0 && <p>{t('noOrders')}</p>}
      <ul class="plain-list stack" data-testid="order-list">
        {orders.data?.items.map((order) => (
          <li key={order.id} class="card row spread">
            <span>
              <Link href={`/orders/${order.id}`}>{t('order', { number: order.number })}</Link>
              <br />
              <span class="muted small">{formatDateTime(order.createdAt, locale)}</span>
            </span>
            <span>
              <span class="badge">{statusText(t, order.status)}</span>{' '}
              {formatMoney(order.total, order.currency, locale)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}

export function OrderPage({ orderId }: { orderId: string }) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const problems = useProblemMessages()
  const order = useResource(
    (signal) => api<OrderView>(`/api/orders/${encodeURIComponent(orderId)}`, { signal }),
    [orderId],
  )
  // 定金: `deposit_paid` has no tickets yet (the balance issues them), `forfeited` none at all.
  const paid =
    order.data &&
    order.data.status !== 'pending' &&
    order.data.status !== 'deposit_paid' &&
    order.data.status !== 'forfeited'
  const tickets = useResource(
    (signal) =>
      paid
        ? api<{ items: Ticket[] }>(`/api/orders/${encodeURIComponent(orderId)}/tickets`, { signal })
        : Promise.resolve({ items: [] as Ticket[] }),
    [orderId, order.data?.status, order.data?.refundedTotal],
  )
  const subject = useResource(
    async (signal): Promise<{ title: string; start: Date; end: Date; location: string } | null> => {
      const data = order.data
      if (!data) return null
      if (data.kind === 'show' && data.showId) {
        const show = await api<ShowDetail>(`/api/shows/${data.showId}`, { signal }).catch(() => null)
        if (!show) return null
        const start = new Date(show.startsAt)
        return {
          title: eventTitle(show, locale),
          start,
          end: show.endsAt ? new Date(show.endsAt) : new Date(start.getTime() + 2 * 3600_000),
          location: `${venueTitle(show, locale)}, ${cityName(show, locale)}`,
        }
      }
      if (data.siteId && data.visitDate) {
        const site = await api<SiteDetail>(`/api/scenic-sites/${data.siteId}`, { signal }).catch(() => null)
        if (!site) return null
        // Opening hours are the site's local (China) time.
        return {
          title: localName(site, locale),
          start: new Date(`${data.visitDate}T${site.opensAt}:00+08:00`),
          end: new Date(`${data.visitDate}T${site.closesAt}:00+08:00`),
          location: cityName(site, locale),
        }
      }
      return null
    },
    [order.data?.id],
  )

  // From the wallet: the ticket tapped is brought into view once the tickets are there.
  const focusedTicket = location.hash.slice(1)
  useEffect(() => {
    if (focusedTicket && tickets.data)
      document.getElementById(focusedTicket)?.scrollIntoView({ block: 'start' })
  }, [focusedTicket, tickets.data])

  // Once the order is no longer waiting for payment, its hold is done with: the countdown goes away.
  useEffect(() => {
    const held = getCurrentHold()
    if (held?.order?.id === orderId && order.data && order.data.status !== 'pending') setCurrentHold(null)
  }, [order.data?.status, orderId])

  const [quote, setQuote] = useState<RefundQuote | null>(null)
  const [refundError, setRefundError] = useState<unknown>(null)
  const [refundDone, setRefundDone] = useState<{ amount: number; coupon: boolean } | null>(null)
  const [compensation, setCompensation] = useState<CompensationChoice>('coupon')
  const [busy, setBusy] = useState(false)
  const refundKey = useMemo(() => newIdempotencyKey(), [quote])

  if (order.error) {
    // Offline, the order's tickets kept on the device still open (from the wallet's last online load).
    const kept = unreachable(order.error) ? loadWallet(localStorage, Date.now()) : null
    const mine = kept?.tickets.filter((ticket) => ticket.orderId === orderId) ?? []
    if (kept && mine.length > 0)
      return (
        <article class="stack">
          <h1 className="order-title">{t('order', { number: mine[0]!.orderNumber })}</h1>
          <OfflineTickets saved={{ ...kept, tickets: mine }} heading={t('tickets')} />
          <Link href="/my-tickets">{t('myTickets')}</Link>
        </article>
      )
    return <ProblemAlert error={order.error} onRetry={order.reload} />
  }
  if (!order.data) return <Loading />
  const data = order.data
  const money = (minor: number) => formatMoney(minor, data.currency, locale)
  const activeLines = (data.lines ?? []).filter((line) => line.status === 'active')

  const askQuote = async () => {
    setRefundError(null)
    setBusy(true)
    try {
      setQuote(await api<RefundQuote>(`/api/orders/${orderId}/refund-quote`))
    } catch (failure) {
      setRefundError(failure)
    } finally {
      setBusy(false)
    }
  }
  const refund = async () => {
    setBusy(true)
    setRefundError(null)
    try {
      const offered = !!(quote?.allowed && quote.compensation) // then the buyer's choice goes with it
      await api(`/api/orders/${orderId}/refunds`, {
        body: offered ? { compensation } : {},
        idempotencyKey: refundKey,
      })
      setRefundDone({
        amount: quote?.allowed ? quote.amount : 0,
        coupon: offered && compensation === 'coupon',
      })
      setQuote(null)
      order.reload()
    } catch (failure) {
      setRefundError(failure)
    } finally {
      setBusy(false)
    }
  }
  const pending = getCurrentHold()?.order?.id === orderId ? getCurrentHold()?.order?.checkoutUrl : undefined

  return (
    <article class="stack">
      <header>
        <h1 className="order-title">{t('order', { number: data.number })}</h1>
        <p>
          <span class="badge" data-testid="order-status" data-status={data.status}>
            {orderStatusText(t, data)}
          </span>{' '}
          {money(data.total)}
          {data.refundedTotal > 0 && <> · {t('refunded', { amount: money(data.refundedTotal) })}</>}
        </p>
        {subject.data && (
          <p class="muted">
            {subject.data.title} ·{' '}
            {data.visitDate ? formatDay(data.visitDate, locale) : formatDateTime(subject.data.start, locale)}{' '}
            · {subject.data.location}
          </p>
        )}
        {orderReasonText(data, locale) && (
          <p class="muted" data-testid="status-reason">
            {orderReasonText(data, locale)}
          </p>
        )}
      </header>
      <GroupOrderLink orderId={orderId} />
      <BalanceStep order={data} />
      <OrderPrices order={data} tickets={tickets.data?.items} />

      {data.status === 'pending' && pending && (
        <p>
          <a class="button button-primary" href={pending}>
            {t('payPending')}
          </a>
        </p>
      )}

      {paid && (
        <section aria-labelledby="tickets-heading" class="stack">
          <div class="row spread">
            <h2 id="tickets-heading">{t('tickets')}</h2>
            {subject.data && (
              <Button
                onClick={() =>
                  downloadIcs(
                    `${data.number}.ics`,
                    icsEvent({
                      uid: `${data.id}@edge-ticketing`,
                      description: data.number,
                      ...subject.data!,
                    }),
                  )
                }
              >
                {t('addToCalendar')}
              </Button>
            )}
          </div>
          {tickets.loading && !tickets.data && <Loading />}
          <ProblemAlert error={tickets.error} onRetry={tickets.reload} />
          <ul class="grid plain-list ticket-grid" data-testid="tickets">
            {tickets.data?.items.map((ticket) => (
              <TicketCard
                key={ticket.ticketId}
                ticket={ticket}
                paid={data.lines.find((line) => line.id === ticket.lineId)?.price}
                currency={data.currency}
                focused={focusedTicket === `ticket-${ticket.ticketId}`}
              />
            ))}
          </ul>
        </section>
      )}

      {(paid || data.status === 'deposit_paid') && activeLines.length > 0 && (
        <section aria-labelledby="refund-heading" class="card">
          <h2 id="refund-heading">{t('refund')}</h2>
          {!quote && (
            <Button onClick={askQuote} disabled={busy}>
              {t('refund')}
            </Button>
          )}
          {quote && !quote.allowed && <p role="status">{quote.reason ?? t('refundNotAllowed')}</p>}
          {quote?.allowed && (
            <div class="stack">
              <p data-testid="refund-quote">
                {t('refundQuote', { amount: money(quote.amount), fee: money(quote.fee) })}
              </p>
              <RefundCompensation
                quote={quote}
                currency={data.currency}
                choice={compensation}
                onChoice={setCompensation}
              />
              <div class="row">
                <Button variant="danger" onClick={refund} disabled={busy}>
                  {t('confirmRefund')}
                </Button>
                <Button onClick={() => setQuote(null)}>{t('cancel')}</Button>
              </div>
            </div>
          )}
          <ProblemAlert error={refundError} messages={problems} />
        </section>
      )}
      {paid && data.kind === 'show' && data.showId && activeLines.length > 0 && (
        <RebookShow order={data} showId={data.showId} lines={activeLines} />
      )}
      {refundDone !== null && (
        <p role="status" class="alert alert-info">
          {t('refunded', { amount: money(refundDone.amount) })}
          {refundDone.coupon && <> {t('refundCoupon_granted')}</>}
        </p>
      )}
      <Link href="/my-tickets">{t('myTickets')}</Link>
    </article>
  )
}

/** 改签: best seats in the same zone at another performance of the same event; the new order charges the difference. */
function RebookShow({ order, showId, lines }: { order: OrderView; showId: string; lines: OrderLine[] }) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const problems = useProblemMessages()
  const category = lines[0]?.category ?? ''
  const sameZone = lines.every((line) => line.category === category)
  const others = useResource(
    async (signal) => {
      const current = await api<ShowDetail>(`/api/shows/${showId}`, { signal })
      const all = await api<Page<ShowSummary>>('/api/shows', { signal, query: { limit: 200 } })
      return all.items.filter((show) => show.eventId === current.eventId && show.id !== showId)
    },
    [showId],
  )
  const [target, setTarget] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const key = useMemo(() => newIdempotencyKey(), [target])
  if (!sameZone || !category) return null
  const choice = target || others.data?.[0]?.id || ''

  const rebook = async () => {
    setBusy(true)
    setError(null)
    try {
      const hold = await api<ShowHold>(`/api/shows/${choice}/holds`, {
        body: { best: { category, quantity: lines.length } },
        headers: admissionHeaders({ kind: 'show', showId: choice }),
      })
      const created = await api<RebookingCreated>(`/api/orders/${order.id}/rebook`, {
        body: { holdId: hold.id, showId: choice, lineIds: lines.map((line) => line.id) },
        idempotencyKey: key,
      })
      if (created.checkoutUrl !== null && created.amountDue > 0 && created.order.status === 'pending')
        location.assign(created.checkoutUrl)
      else navigate(`/orders/${created.orderId}`)
    } catch (failure) {
      setError(failure)
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="rebook-heading" class="card stack">
      <h2 id="rebook-heading">{t('rebook')}</h2>
      <p class="muted small">{t('rebookHelp', { count: lines.length })}</p>
      {others.data && others.data.length === 0 && <p>{t('noOtherShows')}</p>}
      {others.data && others.data.length > 0 && (
        <div class="row">
          <Field label={t('rebookTo')}>
            {({ id }) => (
              <select
                id={id}
                value={choice}
                onChange={(e) => setTarget((e.target as HTMLSelectElement).value)}
              >
                {others.data!.map((show) => (
                  <option key={show.id} value={show.id}>
                    {formatDateTime(show.startsAt, locale)} · {venueTitle(show, locale)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Button onClick={rebook} disabled={busy || !choice}>
            {t('rebookGo')}
          </Button>
        </div>
      )}
      <ProblemAlert error={error} messages={problems} />
      <ProblemAlert error={others.error} onRetry={others.reload} />
    </section>
  )
}
