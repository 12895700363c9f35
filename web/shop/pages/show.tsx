// A show: details, the live seat map, picking seats or best available, then holding them for checkout. Real-name
// shows hold first too: names and ID numbers are asked at checkout, with the hold's countdown running.
import { useEffect, useMemo, useState } from 'preact/hooks'
import { seatRuns, strandedSeats } from '../../../worker/domain/lone-seats.ts'
import { usePageBeacon } from '../../lib/analytics.ts'
import { ApiError, api } from '../../lib/api.ts'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { navigate } from '../../lib/router.tsx'
import { Button, Field, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { HoldButton } from '../components/hold-button.tsx'

export { IdNumberField } from '../components/id-number-field.tsx'

import {
  categoryName,
  cityName,
  eventTitle,
  localName,
  seatName,
  venueTitle,
  withSectionNames,
} from '../../lib/labels.ts'
import { DepositOfferCard } from '../components/deposit.tsx'
import { FlashSales } from '../components/flash-sales.tsx'
import { GroupBuyTeaser } from '../components/group-buy-teaser.tsx'
import { codeProblems, PresaleNotice, presaleOf } from '../components/presale-notice.tsx'
import { CurrentPrices } from '../components/price-tag.tsx'
import { SignInPrompt } from '../components/sign-in-prompt.tsx'
import { releaseCurrentHold, setCurrentHold } from '../hold-store.ts'
import { shopMessages, useProblemMessages } from '../messages.ts'
import { admissionHeaders, type OnSale, sendToQueueIfRequired } from '../queue/admission.ts'
import { WaitingRoomNotice } from '../queue/notice.tsx'
import { SeatMap } from '../seat-map/index.tsx'
import { useShowSeatMap } from '../seat-map/use-seat-map.ts'
import type { Seat, ShowDetail, ShowHold } from '../types.ts'

export function ShowPage({ showId }: { showId: string }) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const problems = useProblemMessages()
  const show = useResource(
    (signal) => api<ShowDetail>(`/api/shows/${encodeURIComponent(showId)}`, { signal }),
    [showId],
  )
  const { map, outline, seatMap, connected, needSections } = useShowSeatMap(showId)
  usePageBeacon({ kind: 'show_view', showId }, showId)
  usePageBeacon({ kind: 'seat_map_open', showId }, map ? showId : null)
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [best, setBest] = useState({ category: '', quantity: 2, accessible: false })
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  /** The hold the organizer's sign-in requirement refused, made again once the buyer signs in. */
  const [afterSignIn, setAfterSignIn] = useState<object | null>(null)
  const [presaleCode, setPresaleCode] = useState('')

  // A seat someone else just took leaves the selection.
  const seats = map?.seats ?? []
  const runs = useMemo(() => seatRuns(seats), [seats.length, seats[0]?.id])
  useEffect(() => {
    const taken = seats.filter((seat) => selected.has(seat.id) && seat.state !== 'free')
    if (!taken.length) return
    const next = new Set(selected)
    for (const seat of taken) next.delete(seat.id)
    setSelected(next)
  }, [map])

  // The page follows the sale as it moves: at a phase's start or end, or the general sale's, the show is read
  // again (the notice, the code field and the buttons come from that answer).
  useEffect(() => {
    const detail = show.data
    if (!detail || detail.onSale) return
    const now = Date.now()
    const next = [detail.saleStartsAt, ...detail.salePhases.flatMap((p) => [p.startsAt, p.endsAt])]
      .map((at) => Date.parse(at) - now)
      .filter((ms) => ms > 0 && ms < 2 ** 31 - 1)
    if (!next.length) return
    const timer = setTimeout(show.reload, Math.min(...next) + 500)
    return () => clearTimeout(timer)
  }, [show.data])

  if (show.error) return <ProblemAlert error={show.error} onRetry={show.reload} />
  if (!show.data) return <Loading />
  const detail = show.data
  const limit = detail.maxTicketsPerBuyer
  const chosen = seats.filter((seat) => selected.has(seat.id))
  // The price a seat would be quoted now (its tier's, else the list price); the hold answer has the exact quote.
  const priceOf = (seat: Seat) => {
    const zone = detail.categories.find((c) => c.code === seat.category)
    return zone?.current.price ?? zone?.price ?? 0
  }
  const currency = map?.currency ?? 'CNY'
  const presale = presaleOf(detail)
  // In an open presale a hold may go in: with the code typed, or as a member (the server decides).
  const presaleOpen = presale?.open ? presale.phase : null
  const codeError = error instanceof ApiError && codeProblems.has(error.code) ? error : null
  const opensAt = error instanceof ApiError ? (error.problem as { opensAt?: unknown }).opensAt : undefined
  const holdProblems =
    typeof opensAt === 'string'
      ? { ...problems, not_on_sale: t('presale_opensAt', { when: formatDateTime(opensAt, locale) }) }
      : problems
  const notOnSaleReason = detail.onSale
    ? null
    : !presaleOpen
      ? t('holdReasonNotOnSale')
      : presaleOpen.codes && !presaleOpen.memberTiers.length && !presaleCode.trim()
        ? t('presale_needCode')
        : null
  const money = (minor: number) => formatMoney(minor, currency, locale)

  const toggle = (seat: Seat) => {
    const next = new Set(selected)
    if (next.has(seat.id)) next.delete(seat.id)
    else if (next.size < limit) next.add(seat.id)
    setSelected(next)
  }

  const sale: OnSale = { kind: 'show', showId }
  const hold = async (body: object) => {
    setBusy(true)
    setError(null)
    setAfterSignIn(null)
    try {
      await releaseCurrentHold()
      const code = presaleOpen?.codes ? presaleCode.trim() : ''
      const created = await api<ShowHold>(`/api/shows/${encodeURIComponent(showId)}/holds`, {
        body: code ? { ...body, presaleCode: code } : body,
        headers: admissionHeaders(sale),
      })
      setCurrentHold({
        kind: 'show',
        hold: created,
        title: eventTitle(detail, locale),
        startsAt: detail.startsAt,
        realNameRequired: detail.realNameRequired,
        categoryNames: Object.fromEntries(detail.categories.map((c) => [c.code, localName(c, locale)])),
        sectionNames: Object.fromEntries((map?.sections ?? []).map((s) => [s.key, localName(s, locale)])),
        deposit: detail.deposit,
      })
      navigate('/checkout')
    } catch (failure) {
      if (sendToQueueIfRequired(failure, sale)) return
      if (failure instanceof ApiError && failure.code === 'sign_in_required') setAfterSignIn(body)
      else setError(failure)
      // A refused code is said at its field: take the buyer there.
      if (failure instanceof ApiError && codeProblems.has(failure.code))
        requestAnimationFrame(() =>
          document.querySelector<HTMLInputElement>('[name="presale-code"]')?.focus(),
        )
      seatMap.reload()
      show.reload()
    } finally {
      setBusy(false)
    }
  }

  const holdChosen = () => hold({ seatIds: chosen.map((seat) => seat.id) })
  const named = (seat: Seat) => withSectionNames(seat, map?.sections)
  const nameOfSeat = (seat: Seat) => seatName(named(seat), locale)
  const zoneName = (code: string) => categoryName(code, detail.categories, locale)
  // Seats the pick would leave empty on their own (E-5 and E-7 picked leave E-6): said before the hold.
  const stranded = chosen.length
    ? strandedSeats(runs, (seat) => seat.state === 'free', selected).map(nameOfSeat)
    : []
  const holdReason = busy
    ? t('holdReasonBusy')
    : notOnSaleReason
      ? notOnSaleReason
      : chosen.length === 0
        ? t('holdReasonNone')
        : null
  const category = best.category || detail.categories[0]?.code || ''

  return (
    <article class="stack">
      <header>
        <h1>{eventTitle(detail, locale)}</h1>
        <p class="muted">
          <time dateTime={detail.startsAt}>{formatDateTime(detail.startsAt, locale)}</time> ·{' '}
          {venueTitle(detail, locale)} · {cityName(detail, locale)} ·{' '}
          <span class="badge">{t(detail.onSale ? 'onSale' : 'notOnSale')}</span>
          {detail.deposit && (
            <>
              {' '}
              <span class="badge badge-tier" data-testid="deposit-badge">
                {t('deposit_offerTitle')}
              </span>
            </>
          )}
        </p>
      </header>
      <WaitingRoomNotice sale={sale} waitingRoom={detail.waitingRoom} />
      {detail.signInToHold && <p class="alert alert-info">{t('signInRequiredNote')}</p>}
      {afterSignIn && <SignInPrompt onSignedIn={() => hold(afterSignIn)} />}
      {presale && (
        <PresaleNotice
          detail={detail}
          presale={presale}
          code={presaleCode}
          onCode={(code) => {
            setPresaleCode(code)
            if (codeError) setError(null)
          }}
          codeError={codeError}
        />
      )}
      <GroupBuyTeaser showId={showId} currency={currency} />
      <CurrentPrices categories={detail.categories} currency={currency} />
      <FlashSales
        sales={detail.flashSales}
        currency={currency}
        categoryName={zoneName}
        blocked={busy ? t('holdReasonBusy') : notOnSaleReason}
        onHold={(flashSaleId, quantity) => {
          const sale = detail.flashSales.find((s) => s.id === flashSaleId)
          void hold({ best: { category: sale?.category ?? '', quantity, allowSplit: true }, flashSaleId })
        }}
      />

      <section aria-labelledby="map-heading" class="card seat-map-card">
        <div class="row">
          <h2 id="map-heading">{t('seatMap')}</h2>
          <span
            class={`live-dot${connected ? ' live-on' : ''}`}
            data-testid="live-status"
            data-live={connected}
          >
            {t(connected ? 'live' : 'liveOff')}
          </span>
        </div>
        {seatMap.error && <ProblemAlert error={seatMap.error} onRetry={seatMap.reload} />}
        {!map && !seatMap.error && <Loading />}
        {map && (
          <SeatMap
            seats={map.seats}
            categories={map.categories}
            currency={currency}
            stage={map.stage}
            isCinema={detail.kind === 'film'}
            selected={selected}
            onToggle={toggle}
            sections={map.sections}
            outline={outline}
            onNeedSections={needSections}
          />
        )}
      </section>
      {/* 定金: the terms, beside where seats are picked (the header says the show offers it). */}
      {detail.deposit && (
        <DepositOfferCard offer={detail.deposit} currency={currency} categoryName={zoneName} />
      )}

      <section aria-labelledby="picked-heading" class="card">
        <h2 id="picked-heading">{t('yourSeats')}</h2>
        <p class="muted small">{t('maxSeats', { count: limit })}</p>
        {chosen.length === 0 && <p>{t('noSeatsPicked')}</p>}
        {detail.realNameRequired && (
          <p class="small" data-testid="real-name-note">
            {t('realNameAfterHold')}
          </p>
        )}
        <ul class="plain-list stack" data-testid="picked-seats">
          {chosen.map((seat) => (
            <li key={seat.id} class="row spread">
              <span>
                {seatName(named(seat), locale, { section: true })} · {zoneName(seat.category)} ·{' '}
                {money(priceOf(seat))}
              </span>
              <Button onClick={() => toggle(seat)} aria-label={`${t('clear')} ${nameOfSeat(seat)}`}>
                ×
              </Button>
            </li>
          ))}
        </ul>
        {stranded.length > 0 && (
          <p class="seat-warning" role="status" data-testid="lone-seat-warning">
            {t('loneSeatWarning', { seats: stranded.join('、') })}
          </p>
        )}
        {chosen.length > 0 && (
          <p>
            <strong>
              {t('total')}: {money(chosen.reduce((sum, seat) => sum + priceOf(seat), 0))}
            </strong>
          </p>
        )}
        <ProblemAlert error={codeError ? null : error} messages={holdProblems} />
        {error instanceof ApiError && error.code === 'seats_not_together' && (
          <Button
            disabled={busy}
            onClick={() => hold({ best: { category, quantity: best.quantity, allowSplit: true } })}
          >
            {t('seatApart')}
          </Button>
        )}
        <div class="row">
          <HoldButton reason={holdReason} onClick={holdChosen} testId="hold-picked">
            {chosen.length === 1 ? t('holdPickedOne') : t('holdPicked', { count: chosen.length })}
          </HoldButton>
          {chosen.length > 0 && <Button onClick={() => setSelected(new Set())}>{t('clear')}</Button>}
        </div>
      </section>

      <section aria-labelledby="best-heading" class="card">
        <h2 id="best-heading">{t('bestAvailable')}</h2>
        <form
          class="row"
          onSubmit={(event) => {
            event.preventDefault()
            hold({
              best: {
                category,
                quantity: best.quantity,
                ...(best.accessible ? { accessible: 1 } : {}),
              },
            })
          }}
        >
          <Field label={t('category')}>
            {({ id }) => (
              <select
                id={id}
                value={category}
                onChange={(event) =>
                  setBest({ ...best, category: (event.target as HTMLSelectElement).value })
                }
              >
                {detail.categories.map((zone) => (
                  <option key={zone.code} value={zone.code}>
                    {localName(zone, locale)} · {money(zone.current.price)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('quantity')}>
            {({ id }) => (
              <select
                id={id}
                value={best.quantity}
                onChange={(event) =>
                  setBest({ ...best, quantity: Number((event.target as HTMLSelectElement).value) })
                }
              >
                {Array.from({ length: limit }, (_, index) => index + 1).map((count) => (
                  <option key={count} value={count}>
                    {count}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <label class="checkbox">
            <input
              type="checkbox"
              checked={best.accessible}
              onChange={(event) =>
                setBest({ ...best, accessible: (event.target as HTMLInputElement).checked })
              }
            />
            {t('accessibleNeeded')}
          </label>
          <HoldButton type="submit" reason={busy ? t('holdReasonBusy') : notOnSaleReason}>
            {t('findSeats')}
          </HoldButton>
        </form>
      </section>
    </article>
  )
}
