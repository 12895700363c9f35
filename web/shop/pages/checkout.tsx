// Checkout: what is held (the countdown stays in the banner), who each ticket is for on a real-name show (name
// and ID number, asked here while the seats stay held), where to send the tickets, then the order and the
// sandbox payment page. The idempotency key lives as long as this hold, so a retried click never orders twice.
// Once the hold has run out the pay button is off, says why and offers to pick again.
import { useEffect, useMemo, useState } from 'preact/hooks'
import { isValidPrcIdNumber } from '../../../worker/domain/id-number.ts'
import { api, newIdempotencyKey } from '../../lib/api.ts'
import { formatDay, formatMoney } from '../../lib/format.ts'
import { getLocale, useLocale } from '../../lib/i18n.ts'
import { seatName } from '../../lib/labels.ts'
import { Link, navigate } from '../../lib/router.tsx'
import { Button, Field, ProblemAlert, useNow } from '../../lib/ui.tsx'
import { type AppliedCoupon, CouponField } from '../components/coupon-field.tsx'
import { DepositChoice, depositForSeats } from '../components/deposit.tsx'
import { HoldButton } from '../components/hold-button.tsx'
import { IdNumberField } from '../components/id-number-field.tsx'
import { PriceWithList, tierName } from '../components/price-tag.tsx'
import { releaseCurrentHold, setCurrentHold, useCurrentHold } from '../hold-store.ts'
import { shopMessages, useProblemMessages } from '../messages.ts'
import type { MemberPage, OrderCreated } from '../types.ts'

type MemberKit = typeof import('../components/member-checkout.tsx')

const contactKey = 'checkout-contact'

export function CheckoutPage() {
  const t = shopMessages.useT()
  const locale = useLocale()
  const problems = useProblemMessages()
  const current = useCurrentHold()
  const saved = useMemo(
    () => JSON.parse(localStorage.getItem(contactKey) ?? '{}') as Record<string, string>,
    [],
  )
  const [email, setEmail] = useState(saved.email ?? '')
  const [phone, setPhone] = useState(saved.phone ?? '')
  const [names, setNames] = useState<Record<string, string>>({})
  const [idNumbers, setIdNumbers] = useState<Record<string, string>>({})
  const now = useNow(1000)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [payDeposit, setPayDeposit] = useState(false)
  const [coupon, setCoupon] = useState<AppliedCoupon | null>(null)
  const [usePoints, setUsePoints] = useState(false)
  // A new key with another coupon or points choice: the order asked for is a different one.
  const idempotencyKey = useMemo(() => newIdempotencyKey(), [current?.hold.id, coupon?.code, usePoints])
  // The membership and its pricing are loaded after the page (they stay out of the shop's first load).
  const [membership, setMembership] = useState<{ kit: MemberKit; member: MemberPage | null } | null>(null)
  const memberQuery =
    current?.kind === 'show'
      ? `show=${encodeURIComponent(current.hold.showId)}`
      : current
        ? `site=${encodeURIComponent(current.hold.siteId)}`
        : ''
  useEffect(() => {
    if (memberQuery)
      void Promise.all([
        import('../components/member-checkout.tsx'),
        api<MemberPage>(`/api/members/me?${memberQuery}`).catch(() => null),
      ]).then(([kit, member]) => setMembership({ kit, member }))
  }, [memberQuery])
  const kit = membership?.kit
  const member = membership?.member ?? null

  if (!current) {
    return (
      <section>
        <h1>{t('checkout')}</h1>
        <p>{t('noHold')}</p>
        <Link href="/">{t('browse')}</Link>
      </section>
    )
  }
  const money = (minor: number) => formatMoney(minor, current.hold.currency, locale)
  const nameOfSeat = (seat: { section: string; row: string; label: string }) =>
    seatName(
      { ...seat, sectionName: current.kind === 'show' ? current.sectionNames?.[seat.section] : null },
      locale,
      { section: true },
    )
  const items =
    current.kind === 'show'
      ? current.hold.seats.map((seat) => ({
          id: seat.id,
          text: [nameOfSeat(seat), current.categoryNames?.[seat.category]].filter(Boolean).join(' · '),
          price: seat.price,
          listPrice: seat.listPrice ?? seat.price,
          tier: seat.tier ? tierName(t, seat.tier) : null,
        }))
      : current.hold.lines.map((line) => ({
          id: line.id,
          text: [current.productNames?.[line.productId] ?? line.productName, line.slot, line.visitor?.name]
            .filter(Boolean)
            .join(' · '),
          price: line.price,
          // The day's price before a tier (holds kept from before price calendars have none).
          listPrice: line.listPrice ?? line.price,
          tier: line.tier ? tierName(t, line.tier) : null,
        }))
  const needNames = current.kind === 'show' && current.realNameRequired
  // 定金: offered when the show's terms cover every held seat (a scenic hold carries its whole deposit); the order
  // then charges the deposit first.
  const offer = current.deposit ?? null
  const deposit =
    current.kind === 'show'
      ? depositForSeats(offer, current.hold.seats, now)
      : offer && now < Date.parse(offer.balanceDueAt)
        ? offer.amount
        : null
  const withDeposit = payDeposit && deposit !== null
  // Member discount and points apply to tickets bought outright (not to a deposit), as the server decides; points
  // are not combined with a coupon here.
  const discountable = !withDeposit && !current.order
  const priced = kit?.memberPrice(discountable ? member : null, current.hold.total, usePoints && !coupon)
  // An order made before expiry is paid on its own page (its deadline is the order's); only a bare hold lapses.
  const expired = !current.order && new Date(current.hold.expiresAt).getTime() <= now
  const holdersDone =
    !needNames ||
    (current.kind === 'show' &&
      current.hold.seats.every(
        (seat) => (names[seat.id] ?? '').trim() && isValidPrcIdNumber((idNumbers[seat.id] ?? '').trim()),
      ))
  const payReason = expired
    ? t('payReasonExpired')
    : busy
      ? t('payReasonBusy')
      : !holdersDone
        ? t('payReasonHolders')
        : !email.trim() && !phone.trim()
          ? t('payReasonContact')
          : null
  const pickAgain = () => {
    const back = current.kind === 'show' ? `/shows/${encodeURIComponent(current.hold.showId)}` : '/'
    void releaseCurrentHold()
    navigate(back)
  }

  const pay = async (event: Event) => {
    event.preventDefault()
    setError(null)
    if (current.order) {
      location.assign(current.order.checkoutUrl)
      return
    }
    if (!email.trim() && !phone.trim()) {
      setError(new Error(t('contactNeeded')))
      return
    }
    setBusy(true)
    const couponCode = withDeposit ? undefined : coupon?.code
    const points = priced?.points
    try {
      localStorage.setItem(contactKey, JSON.stringify({ email, phone }))
      const contact = {
        ...(email.trim() ? { email: email.trim() } : {}),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        // The order's messages (reminder, refund) are written in the language the buyer orders in.
        locale: getLocale(),
      }
      const body =
        current.kind === 'show'
          ? {
              kind: 'show',
              showId: current.hold.showId,
              holdId: current.hold.id,
              ...(needNames
                ? {
                    holderNames: current.hold.seats.map((seat) => (names[seat.id] ?? '').trim()),
                    idNumbers: current.hold.seats.map((seat) => (idNumbers[seat.id] ?? '').trim()),
                  }
                : {}),
              ...(withDeposit ? { deposit: true } : {}),
              ...(couponCode ? { couponCode } : {}),
              ...(points ? { points } : {}),
              ...contact,
            }
          : {
              kind: 'scenic',
              siteId: current.hold.siteId,
              date: current.hold.date,
              holdId: current.hold.id,
              ...(withDeposit ? { deposit: true } : {}),
              ...(couponCode ? { couponCode } : {}),
              ...(points ? { points } : {}),
              ...contact,
            }
      const created = await api<OrderCreated>('/api/orders', { body, idempotencyKey })
      setCurrentHold({ ...current, order: { id: created.orderId, checkoutUrl: created.checkoutUrl } })
      location.assign(created.checkoutUrl)
    } catch (failure) {
      setError(failure)
      setBusy(false)
    }
  }

  // A coupon is for tickets bought outright: choosing the deposit sets it aside. Its quote is the server's price
  // of every discount (member first, then the coupon); without one, member discount and points are priced here
  // by the same pure rules the server applies.
  const couponQuote = !withDeposit && coupon ? coupon.quote : null
  const couponOff = couponQuote
    ? couponQuote.discounts.filter((d) => d.source === 'coupon').reduce((sum, d) => sum + d.amount, 0)
    : 0
  const total = couponQuote ? couponQuote.total : (priced?.total ?? current.hold.total)
  const holdRef: Record<string, string> =
    current.kind === 'show'
      ? { kind: 'show', showId: current.hold.showId, holdId: current.hold.id }
      : { kind: 'scenic', siteId: current.hold.siteId, date: current.hold.date, holdId: current.hold.id }
  return (
    <section class="stack">
      <h1>{t('checkout')}</h1>
      <div class="card">
        <h2>{current.title}</h2>
        {current.kind === 'scenic' && (
          <p class="muted">{t('visitDate', { date: formatDay(current.hold.date, locale) })}</p>
        )}
        <ul class="plain-list" data-testid="checkout-items">
          {items.map((item) => (
            <li key={item.id} class="row spread">
              <span>
                {item.text}
                {item.tier && (
                  <>
                    {' '}
                    <span class="badge badge-tier">{item.tier}</span>
                  </>
                )}
              </span>
              <PriceWithList price={item.price} listPrice={item.listPrice} currency={current.hold.currency} />
            </li>
          ))}
        </ul>
        {current.kind === 'show' && (current.hold.discount ?? 0) > 0 && (
          <p class="row spread price-discount">
            <span>{t('price_discount')}</span>
            <span data-testid="checkout-discount">−{money(current.hold.discount)}</span>
          </p>
        )}
        {kit && priced && (
          <kit.MemberPriceRows member={discountable ? member : null} priced={priced} money={money} />
        )}
        {couponQuote && (
          <p class="row spread price-discount">
            <span>{t('coupon_discount')}</span>
            <span data-testid="checkout-coupon-discount">−{money(couponOff)}</span>
          </p>
        )}
        <p class="row spread">
          <strong>{t('total')}</strong>
          <strong data-testid="checkout-total">{money(total)}</strong>
        </p>
        {withDeposit && (
          <>
            <p class="row spread">
              <span>{t('deposit_now')}</span>
              <span data-testid="checkout-deposit">{money(deposit)}</span>
            </p>
            <p class="row spread">
              <span>{t('deposit_later')}</span>
              <span data-testid="checkout-balance">{money(total - deposit)}</span>
            </p>
          </>
        )}
      </div>
      <form class="card" onSubmit={pay}>
        {needNames &&
          current.kind === 'show' &&
          current.hold.seats.map((seat) => (
            <fieldset key={seat.id} class="attendee" data-testid="ticket-holder">
              <legend>{t('attendeeFor', { seat: nameOfSeat(seat) })}</legend>
              <Field label={t('holderNameShort')}>
                {({ id }) => (
                  <input
                    id={id}
                    required
                    autoComplete="name"
                    value={names[seat.id] ?? ''}
                    onInput={(e) => setNames({ ...names, [seat.id]: (e.target as HTMLInputElement).value })}
                  />
                )}
              </Field>
              <IdNumberField
                label={t('idNumber')}
                value={idNumbers[seat.id] ?? ''}
                onInput={(value) => setIdNumbers({ ...idNumbers, [seat.id]: value })}
              />
            </fieldset>
          ))}
        {offer && deposit !== null && !current.order && (
          <DepositChoice
            offer={offer}
            deposit={deposit}
            total={total}
            currency={current.hold.currency}
            chosen={withDeposit}
            onChoose={setPayDeposit}
          />
        )}
        {member && kit && (
          <kit.MemberCheckout
            member={member}
            total={current.hold.total}
            usePoints={usePoints && !coupon}
            onUsePoints={setUsePoints}
            money={money}
            disabled={!discountable || coupon !== null}
          />
        )}
        {member && coupon && member.points.balance > 0 && (
          <p class="hint" data-testid="checkout-points-aside">
            {t('coupon_pointsAside')}
          </p>
        )}
        {!withDeposit && !current.order && (
          <CouponField
            hold={holdRef}
            currency={current.hold.currency}
            applied={coupon}
            onApplied={setCoupon}
            disabled={busy}
          />
        )}
        <h2>{t('contact')}</h2>
        <Field label={t('email')}>
          {({ id }) => (
            <input
              id={id}
              type="email"
              autoComplete="email"
              value={email}
              onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
            />
          )}
        </Field>
        <Field label={t('phone')}>
          {({ id }) => (
            <input
              id={id}
              type="tel"
              autoComplete="tel"
              value={phone}
              onInput={(e) => setPhone((e.target as HTMLInputElement).value)}
            />
          )}
        </Field>
        <ProblemAlert error={error} messages={problems} />
        <div class="row">
          <HoldButton type="submit" reason={payReason} testId="pay">
            {busy
              ? t('paying')
              : withDeposit
                ? t('deposit_payDeposit', { amount: money(deposit) })
                : t('payNow', { amount: money(total) })}
          </HoldButton>
          {expired ? (
            <Button variant="primary" onClick={pickAgain}>
              {t('pickAgain')}
            </Button>
          ) : (
            !current.order && (
              <Button onClick={() => releaseCurrentHold()} disabled={busy}>
                {t('release')}
              </Button>
            )
          )}
        </div>
      </form>
    </section>
  )
}
