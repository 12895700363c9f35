// The window: the clerk's shift (open with a float, totals by tender, close with the count), the sale in progress,
// the last sale with its print sheet, and finding an order to refund or reprint.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { BoxCatalogue, BoxOrder, ShiftView } from '../../worker/routes/contracts/box-office.ts'
import { api } from '../lib/api.ts'
import { formatDateTime, formatMoney } from '../lib/format.ts'
import { useLocale } from '../lib/i18n.ts'
import { Button, Field, Loading, ProblemAlert, useResource } from '../lib/ui.tsx'
import { focusOnMount, yuan } from './inputs.ts'
import { messages } from './messages.ts'
import { OrderPanel } from './order-panel.tsx'
import { SalePanel } from './sale-panel.tsx'

const tenders = ['cash', 'card', 'payment_code'] as const

export function Desk({ organizerId }: { organizerId: string }) {
  const base = `/api/box/organizers/${encodeURIComponent(organizerId)}`
  const shift = useResource((signal) => api<ShiftView>(`${base}/shift`, { signal }), [base])
  const catalogue = useResource((signal) => api<BoxCatalogue>(`${base}/catalogue`, { signal }), [base])
  const [order, setOrder] = useState<(BoxOrder & { change?: number | null }) | null>(null)
  const [saleKey, setSaleKey] = useState(0)
  const lookupRef = useRef<HTMLInputElement>(null)
  useEffect(() => {
    // N, P and F when no field has the focus: a new sale, print the last one, find an order.
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement
      if (event.ctrlKey || event.metaKey || event.altKey || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))
        return
      const key = event.key.toLowerCase()
      if (key === 'n') {
        event.preventDefault()
        setOrder(null)
        setSaleKey((k) => k + 1)
      } else if (key === 'p') document.querySelector<HTMLButtonElement>('[data-testid="print-80"]')?.click()
      else if (key === 'f') {
        event.preventDefault()
        lookupRef.current?.focus()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  if ((shift.loading && !shift.data) || (catalogue.loading && !catalogue.data)) return <Loading />
  if (shift.error || catalogue.error)
    return (
      <ProblemAlert
        error={shift.error ?? catalogue.error}
        onRetry={() => {
          shift.reload()
          catalogue.reload()
        }}
      />
    )
  const currency = catalogue.data!.currency
  const open = shift.data!.shift
  return (
    <div class="box-desk">
      <ShiftPanel base={base} view={shift.data!} currency={currency} onChange={shift.reload} />
      {open && (
        <>
          {order ? (
            <OrderPanel
              base={base}
              order={order}
              currency={currency}
              onChange={(next) => {
                setOrder(next)
                shift.reload()
              }}
            />
          ) : (
            <SalePanel
              key={saleKey}
              base={base}
              catalogue={catalogue.data!}
              onSold={(sold) => {
                setOrder(sold)
                shift.reload()
              }}
            />
          )}
          <Lookup base={base} inputRef={lookupRef} onFound={setOrder} />
        </>
      )}
    </div>
  )
}

function ShiftPanel(props: { base: string; view: ShiftView; currency: string; onChange: () => void }) {
  const t = messages.useT()
  const locale = useLocale()
  const money = (minor: number) => formatMoney(minor, props.currency, locale)
  const [amount, setAmount] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [closed, setClosed] = useState<{
    expectedCash: number
    countedCash: number
    difference: number
  } | null>(null)
  const { shift, totals } = props.view
  const submit = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      if (shift) {
        const result = await api<{ expectedCash: number; countedCash: number; difference: number }>(
          `${props.base}/shift/close`,
          { body: { shiftId: shift.id, countedCash: yuan(amount) } },
        )
        setClosed(result)
      } else {
        await api(`${props.base}/shift`, { body: { openingFloat: yuan(amount) } })
        setClosed(null)
      }
      setAmount('')
      props.onChange()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <section class="box-card box-shift" aria-labelledby="shift-heading" data-testid="shift">
      <h2 id="shift-heading">{t('shift')}</h2>
      {closed && (
        <p class="alert" role="status" data-testid="shift-closed">
          {t('shiftClosed', {
            expected: money(closed.expectedCash),
            counted: money(closed.countedCash),
            difference: money(closed.difference),
          })}
        </p>
      )}
      {shift && totals && (
        <>
          <p>
            {t('shiftOpenSince', {
              time: formatDateTime(shift.openedAt, locale),
              float: money(shift.openingFloat),
            })}
          </p>
          <table class="box-totals" data-testid="shift-totals">
            <caption>{t('totals')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tender')}</th>
                <th scope="col">{t('sales')}</th>
                <th scope="col">{t('refunds')}</th>
                <th scope="col">{t('net')}</th>
              </tr>
            </thead>
            <tbody>
              {tenders.map((tender) => (
                <tr key={tender} data-tender={tender}>
                  <th scope="row">{t(tender)}</th>
                  <td>{money(totals.sales[tender])}</td>
                  <td>{money(totals.refunds[tender])}</td>
                  <td>{money(totals.net[tender])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {t('expectedCash')}: <strong data-testid="expected-cash">{money(totals.expectedCash)}</strong>
          </p>
        </>
      )}
      <form class="box-inline" onSubmit={submit}>
        <Field label={shift ? t('countedCash') : t('openingFloat')}>
          {({ id }) => (
            <input
              id={id}
              inputMode="decimal"
              required
              pattern="[0-9]+(\.[0-9]{1,2})?"
              ref={shift ? undefined : focusOnMount}
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
          )}
        </Field>
        <Button type="submit" variant={shift ? 'secondary' : 'primary'}>
          {shift ? t('closeShift') : t('openShift')}
        </Button>
      </form>
      <ProblemAlert error={error} />
      <p class="muted small">{t('keys')}</p>
    </section>
  )
}

function Lookup(props: {
  base: string
  inputRef: { current: HTMLInputElement | null }
  onFound: (order: BoxOrder) => void
}) {
  const t = messages.useT()
  const [ref, setRef] = useState('')
  const [error, setError] = useState<unknown>(null)
  const submit = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      props.onFound(await api<BoxOrder>(`${props.base}/orders/${encodeURIComponent(ref.trim())}`))
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <section class="box-card" aria-labelledby="lookup-heading">
      <h2 id="lookup-heading">{t('lookup')}</h2>
      <form class="box-inline" onSubmit={submit}>
        <Field label={t('orderRef')}>
          {({ id }) => (
            <input
              id={id}
              ref={props.inputRef}
              required
              minLength={4}
              value={ref}
              onInput={(e) => setRef(e.currentTarget.value)}
            />
          )}
        </Field>
        <Button type="submit">{t('find')}</Button>
      </form>
      <ProblemAlert error={error} />
    </section>
  )
}
