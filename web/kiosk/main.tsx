// The self-service kiosk (served at /kiosk): a touch-only purchase flow for one visitor at a time, enrolled like a
// gate, with an idle reset that releases the hold and forgets everything the visitor typed. Its own app rather
// than a mode of the shop: no sign-in, cookies or shop navigation, four languages, a device token, a heartbeat
// and a printer; and the shop's first-load budget stays the shop's.
import '../lib/base.css'
import './kiosk.css'
import { render } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { KioskOrderCreated, KioskOrderStatus } from '../../worker/routes/contracts/kiosk.ts'
import { setKioskLocale, useT } from './messages.ts'
import { KeypadField } from './pad.tsx'
import { PayStep, PrintStep } from './pay.tsx'
import { KioskRuntime, type KioskState } from './runtime.ts'
import { type Day, type Hold, linesOf, newSale, type Sale } from './sale.ts'
import { DateStep, PhoneStep, ReviewStep, StartStep, TicketsStep, VisitorStep } from './steps.tsx'

const runtime = new KioskRuntime()
const params = new URLSearchParams(location.search)
/** Seconds without a touch before the flow starts over (`?idle=` for trials), the last 10 with a warning. */
const IDLE_SECONDS = Math.max(15, Number(params.get('idle')) || 90)
const WARN_SECONDS = 10

function useKioskState(): KioskState {
  const [state, setState] = useState(runtime.state)
  useEffect(() => runtime.subscribe(setState), [])
  return state
}

function EnrollPage() {
  const t = useT()
  const [code, setCode] = useState('')
  const [failed, setFailed] = useState(false)
  return (
    <section aria-labelledby="enroll-heading">
      <h1 id="enroll-heading">{t('enrollHeading')}</h1>
      <p>{t('enrollIntro')}</p>
      <KeypadField
        id="enroll-code"
        label={t('enrollCode')}
        value={code}
        onChange={setCode}
        mode="code"
        maxLength={8}
        error={failed ? t('enrollInvalid') : undefined}
      />
      <button
        type="button"
        class="kiosk-primary"
        disabled={code.length < 8}
        onClick={() => runtime.enroll(code).catch(() => setFailed(true))}
      >
        {t('enroll')}
      </button>
    </section>
  )
}

function Purchase({ state, paused }: { state: KioskState; paused: boolean }) {
  const t = useT()
  const catalogue = state.catalogue!
  const [sale, setSale] = useState<Sale>(newSale)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const [tickets, setTickets] = useState<KioskOrderStatus['tickets']>([])
  const [lastTouch, setLastTouch] = useState(Date.now())
  const [now, setNow] = useState(Date.now())
  const saleRef = useRef(sale)
  saleRef.current = sale
  const update = (changes: Partial<Sale>) => {
    setError(undefined)
    setSale((current) => ({ ...current, ...changes }))
  }

  /** Back to the start: the hold is released, everything typed is forgotten, the language is Chinese again. */
  const reset = () => {
    const current = saleRef.current
    if (current.hold && !current.order)
      void runtime
        .call(`/api/kiosk/holds/${current.hold.id}`, {
          method: 'DELETE',
          query: { session: current.session, date: current.date },
        })
        .catch(() => undefined)
    setKioskLocale('zh-CN')
    setTickets([])
    setError(undefined)
    setSale(newSale())
    setLastTouch(Date.now())
  }

  useEffect(() => {
    const touched = () => setLastTouch(Date.now())
    window.addEventListener('pointerdown', touched, true)
    const tick = setInterval(() => setNow(Date.now()), 1000)
    return () => {
      window.removeEventListener('pointerdown', touched, true)
      clearInterval(tick)
    }
  }, [])
  // Paying happens on the phone (no touches here): the payment screen ends itself when the order does.
  const idleApplies = sale.step !== 'start' && sale.step !== 'pay'
  const idle = (now - lastTouch) / 1000
  useEffect(() => {
    if (idleApplies && idle >= IDLE_SECONDS) reset()
  }, [idleApplies, idle >= IDLE_SECONDS])

  const chooseDate = async (date: string) => {
    setBusy(true)
    try {
      const day = await runtime.call<Day>(`/api/kiosk/days/${date}`)
      update({ date, day, counts: {}, slot: null, step: 'tickets' })
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  const pay = async () => {
    setBusy(true)
    setError(undefined)
    try {
      const current = saleRef.current
      const hold =
        current.hold ??
        (await runtime.call<Hold>('/api/kiosk/holds', {
          body: {
            session: current.session,
            date: current.date,
            lines: linesOf(current, catalogue).map((line) => ({
              productId: line.product.id,
              ...(line.product.timed && current.slot ? { slot: current.slot } : {}),
              ...(line.visitor !== null
                ? {
                    visitor: {
                      name: current.visitors[line.visitor]!.name.trim(),
                      idNumber: current.visitors[line.visitor]!.idNumber,
                    },
                  }
                : {}),
            })),
          },
        }))
      update({ hold })
      const order = await runtime.call<KioskOrderCreated>('/api/kiosk/orders', {
        body: {
          session: current.session,
          date: current.date,
          holdId: hold.id,
          ...(current.phone ? { phone: current.phone } : {}),
        },
        idempotencyKey: `${current.session}-${hold.id}`,
      })
      update({ hold, order, step: 'pay' })
    } catch (failure) {
      // A refused hold (eligibility, sold out) is shown; the visitor changes the tickets or visitors.
      setError(failure)
      update({ hold: null })
    } finally {
      setBusy(false)
    }
  }

  const props = { sale, catalogue, update, chooseDate, pay, busy, error }
  const steps = {
    start: () => <StartStep update={update} catalogue={catalogue} paused={paused} />,
    date: () => <DateStep {...props} />,
    tickets: () => <TicketsStep {...props} />,
    visitor: () => <VisitorStep {...props} />,
    phone: () => <PhoneStep {...props} />,
    review: () => <ReviewStep {...props} />,
    pay: () => (
      <PayStep
        sale={sale}
        runtime={runtime}
        reset={reset}
        paid={(paidTickets) => {
          setTickets(paidTickets)
          setLastTouch(Date.now())
          update({ step: 'print' })
        }}
      />
    ),
    print: () => (
      <PrintStep tickets={tickets} orderNumber={sale.order?.number ?? ''} runtime={runtime} reset={reset} />
    ),
  }
  const warning = idleApplies && idle >= IDLE_SECONDS - WARN_SECONDS
  return (
    <>
      {sale.step !== 'start' && sale.step !== 'pay' ? (
        <button type="button" class="kiosk-cancel" onClick={reset}>
          {t('cancel')}
        </button>
      ) : null}
      {steps[sale.step]()}
      {warning ? (
        <div class="kiosk-dialog" role="alertdialog" aria-modal="true" aria-labelledby="idle-heading">
          <h2 id="idle-heading">{t('idleHeading')}</h2>
          <p>{t('idleHint', { seconds: Math.max(0, Math.ceil(IDLE_SECONDS - idle)) })}</p>
          <button type="button" class="kiosk-primary kiosk-huge" onClick={() => setLastTouch(Date.now())}>
            {t('idleContinue')}
          </button>
        </div>
      ) : null}
    </>
  )
}

function App() {
  const t = useT()
  const state = useKioskState()
  document.title = t('title')
  const paused = state.kiosk && (!state.online || state.paperLevel <= 0)
  return (
    <main id="main" class="kiosk" data-testid="kiosk">
      {!state.ready ? (
        <p>{t('loading')}</p>
      ) : !state.kiosk ? (
        <EnrollPage />
      ) : state.catalogue ? (
        <>
          {paused ? (
            <p class="kiosk-banner" role="status">
              {state.online ? t('outOfPaper') : t('offline')}
            </p>
          ) : null}
          <Purchase state={state} paused={Boolean(paused)} />
        </>
      ) : (
        <p>{t('loading')}</p>
      )}
    </main>
  )
}

setKioskLocale('zh-CN')
render(<App />, document.getElementById('app')!)
void runtime.start()
