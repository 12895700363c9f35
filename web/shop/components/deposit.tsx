// 定金 deposit presale in the shop: the show's offer (deposit per ticket, the balance window, what an unpaid balance
// costs), the checkout choice between paying in full and paying the deposit, and the order's balance step (what is
// paid, what is left, the window with a countdown to the due time, and the button once the window is open).
import { useState } from 'preact/hooks'
import { api } from '../../lib/api.ts'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Button, ProblemAlert, useNow } from '../../lib/ui.tsx'
import { shopMessages, useProblemMessages } from '../messages.ts'
import type { DepositOffer, OrderView } from '../types.ts'
import { countdownText } from './price-tag.tsx'

/** The show's deposit offer, beside its prices. */
export function DepositOfferCard(props: {
  offer: DepositOffer
  currency: string
  categoryName: (code: string) => string
}) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const { offer } = props
  return (
    <section class="card" aria-labelledby="deposit-heading" data-testid="deposit-offer">
      <h2 id="deposit-heading">
        {t('deposit_offerTitle')}
        {offer.categories.length > 0 && (
          <span class="muted small"> · {offer.categories.map(props.categoryName).join(' / ')}</span>
        )}
      </h2>
      <p>
        {t('deposit_offer', {
          deposit: formatMoney(offer.amount, props.currency, locale),
          opens: formatDateTime(offer.balanceOpensAt, locale),
          due: formatDateTime(offer.balanceDueAt, locale),
        })}
      </p>
      <p class="muted small">{t(offer.forfeit === 'refund' ? 'deposit_offerRefund' : 'deposit_offerKeep')}</p>
    </section>
  )
}

/** The deposit an order of these seats would pay under the offer, or null when the offer does not cover them. */
export function depositForSeats(
  offer: DepositOffer | null | undefined,
  seats: { category: string; price: number }[],
  now: number,
): number | null {
  if (!offer || now >= Date.parse(offer.balanceDueAt)) return null
  const covered = seats.every(
    (s) => (offer.categories.length === 0 || offer.categories.includes(s.category)) && s.price > offer.amount,
  )
  return covered && seats.length ? offer.amount * seats.length : null
}

/** Checkout: pay in full, or the deposit now and the balance in its window. */
export function DepositChoice(props: {
  offer: DepositOffer
  deposit: number
  total: number
  currency: string
  chosen: boolean
  onChoose: (deposit: boolean) => void
}) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const money = (minor: number) => formatMoney(minor, props.currency, locale)
  return (
    <fieldset class="stack" data-testid="deposit-choice">
      <legend>{t('deposit_choose')}</legend>
      <label class="checkbox deposit-option">
        <input type="radio" name="pay-how" checked={!props.chosen} onChange={() => props.onChoose(false)} />
        <span>{t('deposit_full', { amount: money(props.total) })}</span>
      </label>
      <label class="checkbox deposit-option">
        <input
          type="radio"
          name="pay-how"
          data-testid="choose-deposit"
          checked={props.chosen}
          onChange={() => props.onChoose(true)}
        />
        <span>
          {t('deposit_option', {
            deposit: money(props.deposit),
            balance: money(props.total - props.deposit),
            opens: formatDateTime(props.offer.balanceOpensAt, locale),
            due: formatDateTime(props.offer.balanceDueAt, locale),
          })}
        </span>
      </label>
    </fieldset>
  )
}

/** The order's balance step: shown on every order bought with a deposit. */
export function BalanceStep({ order }: { order: OrderView }) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const problems = useProblemMessages()
  const now = useNow(1000)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const terms = order.deposit
  if (!terms) return null
  const money = (minor: number) => formatMoney(minor, order.currency, locale)
  const opens = Date.parse(terms.balanceOpensAt)
  const due = Date.parse(terms.balanceDueAt)
  const waiting = order.status === 'deposit_paid'
  const open = waiting && now >= opens && now < due
  const payBalance = async () => {
    setBusy(true)
    setError(null)
    try {
      const started = await api<{ checkoutUrl: string }>(`/api/orders/${order.id}/balance`, { body: {} })
      location.assign(started.checkoutUrl)
    } catch (failure) {
      setError(failure)
      setBusy(false)
    }
  }
  return (
    <section class="card stack" aria-labelledby="balance-heading" data-testid="balance-step">
      <h2 id="balance-heading">{t('deposit_stepHeading')}</h2>
      {order.status === 'paid' || order.status === 'partially_refunded' || order.status === 'refunded' ? (
        <p>{t('deposit_balancePaid', { deposit: money(terms.deposit), balance: money(terms.balance) })}</p>
      ) : (
        <>
          <p class="row spread">
            <span>{t('deposit_paidSoFar', { amount: money(terms.deposit) })}</span>
          </p>
          <p class="row spread">
            <strong data-testid="balance-amount">
              {t('deposit_balanceDue', { amount: money(terms.balance) })}
            </strong>
          </p>
          <p data-testid="balance-window">
            {t('deposit_window', {
              opens: formatDateTime(terms.balanceOpensAt, locale),
              due: formatDateTime(terms.balanceDueAt, locale),
            })}
          </p>
          {waiting && (
            <p class="price-countdown" role="timer" data-testid="balance-countdown">
              {now < opens
                ? t('deposit_opensIn', { time: countdownText(t, opens - now) })
                : t('deposit_dueIn', { time: countdownText(t, due - now) })}
            </p>
          )}
          {waiting && (
            <p class="muted">
              {t(order.kind === 'scenic' ? 'scenicDeposit_noTicketYet' : 'deposit_noTicketYet')}
            </p>
          )}
          {order.status === 'forfeited' && <p role="status">{t('deposit_overdue')}</p>}
          {open && (
            <div class="row">
              <Button variant="primary" onClick={payBalance} disabled={busy} data-testid="pay-balance">
                {t('deposit_payBalance', { amount: money(terms.balance) })}
              </Button>
            </div>
          )}
          <ProblemAlert error={error} messages={problems} />
        </>
      )}
    </section>
  )
}
