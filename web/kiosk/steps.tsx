// The purchase steps before payment: start (language), visit date, tickets and entry time, visitors (ID keypad),
// phone (optional), review. Every control is a large button; nothing needs a keyboard.
import { useState } from 'preact/hooks'
import { isValidPrcIdNumber } from '../../worker/domain/id-number.ts'
import { ApiError } from '../lib/api.ts'
import {
  kioskLocales,
  localeNames,
  money,
  named,
  setKioskLocale,
  type T,
  useKioskLocale,
  useT,
} from './messages.ts'
import { KeypadField } from './pad.tsx'
import type { KioskCatalogue } from './runtime.ts'
import { linesOf, MAX_TICKETS, offeredDates, priceOf, type Sale, ticketCount } from './sale.ts'

export interface StepProps {
  sale: Sale
  catalogue: KioskCatalogue
  update: (changes: Partial<Sale>) => void
  /** Loads a visit date's availability, then shows the tickets step. */
  chooseDate: (date: string) => Promise<void>
  pay: () => Promise<void>
  busy: boolean
  error: unknown
}

function LanguageButtons() {
  const locale = useKioskLocale()
  const t = useT()
  return (
    <fieldset class="kiosk-languages">
      <legend class="visually-hidden">{t('language')}</legend>
      {kioskLocales.map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          aria-pressed={locale === code}
          onClick={() => setKioskLocale(code)}
        >
          {localeNames[code]}
        </button>
      ))}
    </fieldset>
  )
}

export function StartStep({
  update,
  catalogue,
  paused,
}: Pick<StepProps, 'update' | 'catalogue'> & { paused: boolean }) {
  const t = useT()
  const locale = useKioskLocale()
  return (
    <section class="kiosk-start" aria-labelledby="start-heading">
      <h1 id="start-heading">{catalogue.site ? named(catalogue.site, locale) : t('title')}</h1>
      <button
        type="button"
        class="kiosk-primary kiosk-huge"
        disabled={paused}
        onClick={() => update({ step: 'date' })}
      >
        {t('start')}
      </button>
      <p class="kiosk-hint">{t('startHint')}</p>
      <LanguageButtons />
    </section>
  )
}

export function DateStep({ catalogue, chooseDate, busy }: StepProps) {
  const t = useT()
  const [today, tomorrow] = offeredDates(catalogue.site?.timezone ?? 'Asia/Shanghai')
  return (
    <section aria-labelledby="date-heading">
      <h1 id="date-heading">{t('chooseDate')}</h1>
      <div class="kiosk-choices">
        {[
          [today!, t('today')],
          [tomorrow!, t('tomorrow')],
        ].map(([date, label]) => (
          <button
            key={date}
            type="button"
            class="kiosk-choice"
            disabled={busy}
            onClick={() => void chooseDate(date!)}
          >
            <span class="kiosk-choice-title">{label}</span>
            <span>{date}</span>
          </button>
        ))}
      </div>
    </section>
  )
}

export function TicketsStep({ sale, catalogue, update }: StepProps) {
  const t = useT()
  const locale = useKioskLocale()
  const day = sale.day
  const count = ticketCount(sale)
  const available = catalogue.products.filter((p) => day?.products.some((d) => d.id === p.id))
  const needsSlot = available.some((p) => p.timed && (sale.counts[p.id] ?? 0) > 0)
  const total = available.reduce((sum, p) => sum + priceOf(sale, p) * (sale.counts[p.id] ?? 0), 0)
  const change = (id: string, by: number) =>
    update({ counts: { ...sale.counts, [id]: Math.max(0, (sale.counts[id] ?? 0) + by) } })
  return (
    <section aria-labelledby="tickets-heading">
      <h1 id="tickets-heading">{t('chooseTickets')}</h1>
      {available.length === 0 ? <p class="kiosk-hint">{t('noTickets')}</p> : null}
      <ul class="kiosk-products">
        {available.map((product) => {
          const left = day!.products.find((d) => d.id === product.id)!.remaining
          const name = named(product, locale)
          const n = sale.counts[product.id] ?? 0
          return (
            <li key={product.id} class="kiosk-product" data-testid={`product-${product.id}`}>
              <div>
                <span class="kiosk-product-name">{name}</span>
                <span class="kiosk-price">{money(priceOf(sale, product), 'CNY', locale)}</span>
                <span class="kiosk-hint">{left > 0 ? t('left', { count: left }) : t('soldOut')}</span>
              </div>
              <div class="kiosk-stepper">
                <button
                  type="button"
                  aria-label={t('remove', { name })}
                  disabled={n === 0}
                  onClick={() => change(product.id, -1)}
                >
                  −
                </button>
                <output aria-live="polite" aria-label={t('count', { count: n, name })}>
                  {n}
                </output>
                <button
                  type="button"
                  aria-label={t('add', { name })}
                  disabled={left <= n || count >= MAX_TICKETS}
                  onClick={() => change(product.id, 1)}
                >
                  +
                </button>
              </div>
            </li>
          )
        })}
      </ul>
      {needsSlot ? (
        <fieldset class="kiosk-slots">
          <legend>{t('chooseSlot')}</legend>
          {day!.slots.map((slot) => (
            <button
              key={slot.code}
              type="button"
              aria-pressed={sale.slot === slot.code}
              disabled={slot.remaining < count}
              onClick={() => update({ slot: slot.code })}
            >
              {t('slotLeft', { start: slot.start, end: slot.end, count: slot.remaining })}
            </button>
          ))}
        </fieldset>
      ) : null}
      <p class="kiosk-total">{t('total', { amount: money(total, 'CNY', locale) })}</p>
      <NavButtons
        back={() => update({ step: 'date', counts: {}, slot: null })}
        next={() => {
          const lines = linesOf(sale, catalogue)
          const visitors = lines.filter((l) => l.visitor !== null).length
          update({
            visitors: Array.from(
              { length: visitors },
              (_, i) => sale.visitors[i] ?? { name: '', idNumber: '' },
            ),
            visitorIndex: 0,
            step: visitors > 0 ? 'visitor' : 'phone',
          })
        }}
        nextDisabled={count === 0 || (needsSlot && !sale.slot)}
      />
    </section>
  )
}

export function VisitorStep({ sale, catalogue, update }: StepProps) {
  const t = useT()
  const locale = useKioskLocale()
  const i = sale.visitorIndex
  const visitor = sale.visitors[i]!
  const line = linesOf(sale, catalogue).find((l) => l.visitor === i)!
  const [touched, setTouched] = useState(false)
  const idOk = isValidPrcIdNumber(visitor.idNumber)
  const set = (changes: Partial<typeof visitor>) =>
    update({ visitors: sale.visitors.map((v, at) => (at === i ? { ...v, ...changes } : v)) })
  return (
    <section aria-labelledby="visitor-heading" key={i}>
      <h1 id="visitor-heading">
        {t('visitorHeading', { n: i + 1, total: sale.visitors.length, ticket: named(line.product, locale) })}
      </h1>
      <KeypadField
        id="visitor-name"
        label={t('visitorName')}
        value={visitor.name}
        onChange={(name) => set({ name })}
        mode="letters"
        maxLength={40}
      />
      <KeypadField
        id="visitor-id"
        label={t('visitorId')}
        value={visitor.idNumber}
        onChange={(idNumber) => {
          setTouched(idNumber.length >= 18)
          set({ idNumber })
        }}
        mode="id"
        maxLength={18}
        error={touched && !idOk ? t('invalidId') : undefined}
      />
      <NavButtons
        back={() => update(i === 0 ? { step: 'tickets' } : { visitorIndex: i - 1 })}
        next={() =>
          update(i + 1 < sale.visitors.length ? { visitorIndex: i + 1 } : { step: 'phone', visitorIndex: i })
        }
        nextDisabled={!visitor.name.trim() || !idOk}
      />
    </section>
  )
}

export function PhoneStep({ sale, update }: StepProps) {
  const t = useT()
  const back = () => update({ step: sale.visitors.length ? 'visitor' : 'tickets' })
  return (
    <section aria-labelledby="phone-heading">
      <h1 id="phone-heading">{t('phoneHeading')}</h1>
      <p class="kiosk-hint">{t('phoneHint')}</p>
      <KeypadField
        id="phone"
        label={t('phone')}
        value={sale.phone}
        onChange={(phone) => update({ phone })}
        mode="digits"
        maxLength={11}
      />
      <div class="kiosk-nav">
        <button type="button" class="kiosk-secondary" onClick={back}>
          {t('back')}
        </button>
        <button type="button" class="kiosk-secondary" onClick={() => update({ phone: '', step: 'review' })}>
          {t('skip')}
        </button>
        <button
          type="button"
          class="kiosk-primary"
          disabled={sale.phone.length > 0 && sale.phone.length < 11}
          onClick={() => update({ step: 'review' })}
        >
          {t('next')}
        </button>
      </div>
    </section>
  )
}

const problemText = (error: unknown, t: T) => {
  if (!error) return null
  if (error instanceof ApiError && error.code === 'not_eligible') return t('notEligible')
  return t('errorGeneric')
}

export function ReviewStep({ sale, catalogue, update, pay, busy, error }: StepProps) {
  const t = useT()
  const locale = useKioskLocale()
  const lines = linesOf(sale, catalogue)
  const total = lines.reduce((sum, l) => sum + priceOf(sale, l.product), 0)
  const slot = sale.day?.slots.find((s) => s.code === sale.slot)
  const problem = problemText(error, t)
  return (
    <section aria-labelledby="review-heading">
      <h1 id="review-heading">{t('reviewHeading')}</h1>
      <ul class="kiosk-review">
        {lines.map((line, i) => (
          <li key={i}>
            <span>
              {t('ticketFor', { ticket: named(line.product, locale), date: sale.date ?? '' })}
              {line.product.timed && slot ? ` · ${slot.start}` : ''}
            </span>
            {line.visitor !== null ? (
              <span class="kiosk-hint">
                {sale.visitors[line.visitor]!.name} · ****{sale.visitors[line.visitor]!.idNumber.slice(-4)}
              </span>
            ) : null}
            <span class="kiosk-price">{money(priceOf(sale, line.product), 'CNY', locale)}</span>
          </li>
        ))}
      </ul>
      {problem ? (
        <p class="kiosk-error" role="alert">
          {problem}
        </p>
      ) : null}
      {busy ? <p aria-live="polite">{t('holding')}</p> : null}
      <NavButtons
        back={() => update({ step: 'phone' })}
        next={() => void pay()}
        nextLabel={t('pay', { amount: money(total, 'CNY', locale) })}
        nextDisabled={busy}
      />
    </section>
  )
}

function NavButtons(props: {
  back: () => void
  next: () => void
  nextDisabled?: boolean
  nextLabel?: string
}) {
  const t = useT()
  return (
    <div class="kiosk-nav">
      <button type="button" class="kiosk-secondary" onClick={props.back}>
        {t('back')}
      </button>
      <button type="button" class="kiosk-primary" disabled={props.nextDisabled} onClick={props.next}>
        {props.nextLabel ?? t('next')}
      </button>
    </div>
  )
}
