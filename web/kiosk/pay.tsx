// Payment by QR code (the visitor pays on their phone; the kiosk polls the order until it is paid), then printing.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { KioskOrderStatus } from '../../worker/routes/contracts/kiosk.ts'
import { QrCode } from '../lib/qr.tsx'
import { printTickets } from '../lib/ticket-print.tsx'
import { money, useKioskLocale, useT } from './messages.ts'
import { PrintedTickets } from './print.tsx'
import type { KioskRuntime } from './runtime.ts'
import type { Sale } from './sale.ts'

const POLL_MS = 2000

export function PayStep(props: {
  sale: Sale
  runtime: KioskRuntime
  paid: (tickets: KioskOrderStatus['tickets']) => void
  reset: () => void
}) {
  const { sale, runtime, paid } = props
  const t = useT()
  const locale = useKioskLocale()
  const order = sale.order!
  const [failed, setFailed] = useState(false)
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    let alive = true
    let timer: ReturnType<typeof setTimeout>
    const poll = async () => {
      try {
        const status = await runtime.call<KioskOrderStatus>(`/api/kiosk/orders/${order.orderId}`)
        if (!alive) return
        if (status.status === 'paid') return paid(status.tickets)
        if (status.status !== 'pending') return setFailed(true)
      } catch {
        // offline for a moment: keep polling
      }
      setNow(Date.now())
      if (alive) timer = setTimeout(() => void poll(), POLL_MS)
    }
    timer = setTimeout(() => void poll(), POLL_MS)
    return () => {
      alive = false
      clearTimeout(timer)
    }
  }, [order.orderId])
  const minutes = Math.max(0, Math.ceil((Date.parse(order.expiresAt) - now) / 60_000))
  useEffect(() => {
    if (minutes === 0) setFailed(true)
  }, [minutes])
  if (failed)
    return (
      <section aria-labelledby="pay-heading">
        <h1 id="pay-heading">{t('payFailed')}</h1>
        <button type="button" class="kiosk-primary kiosk-huge" onClick={props.reset}>
          {t('done')}
        </button>
      </section>
    )
  return (
    <section aria-labelledby="pay-heading" class="kiosk-pay">
      <h1 id="pay-heading">{t('payHeading')}</h1>
      <p class="kiosk-amount" data-testid="pay-amount">
        {money(order.amountDue, order.currency, locale)}
      </p>
      <div class="kiosk-qr" data-checkout-url={order.checkoutUrl}>
        <QrCode text={order.checkoutUrl} label={t('payQr', { number: order.number })} testId="pay-qr" />
      </div>
      <p class="kiosk-hint">{t('payHint')}</p>
      <p aria-live="polite" data-testid="pay-status">
        {t('payWaiting')} {t('payExpiresIn', { minutes })}
      </p>
      <button type="button" class="kiosk-secondary" onClick={props.reset}>
        {t('cancel')}
      </button>
    </section>
  )
}

export function PrintStep(props: {
  tickets: KioskOrderStatus['tickets']
  orderNumber: string
  runtime: KioskRuntime
  reset: () => void
}) {
  const t = useT()
  const [printing, setPrinting] = useState(true)
  const printedOnce = useRef(false)
  const print = () => {
    setPrinting(true)
    // The kiosk browser prints silently to its receipt printer (e.g. Chromium's --kiosk-printing).
    setTimeout(() => {
      try {
        printTickets('thermal80')
      } finally {
        setPrinting(false)
        props.runtime.printed(props.tickets.length)
      }
    }, 50)
  }
  useEffect(() => {
    if (printedOnce.current) return
    printedOnce.current = true
    print()
  }, [])
  return (
    <section aria-labelledby="print-heading">
      <h1 id="print-heading" data-testid="print-heading">
        {printing ? t('printing') : t('printed')}
      </h1>
      <p class="kiosk-hint">{t('printedHint')}</p>
      <PrintedTickets tickets={props.tickets} orderNumber={props.orderNumber} />
      <div class="kiosk-nav">
        <button type="button" class="kiosk-secondary" onClick={print} disabled={printing}>
          {t('printAgain')}
        </button>
        <button type="button" class="kiosk-primary" onClick={props.reset}>
          {t('done')}
        </button>
      </div>
    </section>
  )
}
