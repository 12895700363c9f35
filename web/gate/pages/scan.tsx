import { useEffect, useRef, useState } from 'preact/hooks'
import type { GateDecision } from '../../../worker/domain/gate-decision.ts'
import type { GateSync } from '../../../worker/routes/contracts/gate.ts'
import { formatDate, formatDateTime, formatTime } from '../../lib/format.ts'
import { type Locale, useLocale } from '../../lib/i18n.ts'
import { localName, seatFromLabel, seatName, withSectionNames } from '../../lib/labels.ts'
import { Button } from '../../lib/ui.tsx'
import { type CameraScan, decoderKind, startCameraScan } from '../camera.ts'
import type { DeviceState, ScanOutcome } from '../device-state.ts'
import type { GateDeviceRuntime } from '../gate-device.ts'
import { messages } from '../messages.ts'
import type { ScanSource } from '../store.ts'
import { IdEntry } from './id-entry.tsx'
import { SyncPanel } from './sync-panel.tsx'

/** A code that stays in front of the camera is read once; it counts again after this long out of view. */
const SAME_CODE_PAUSE_MS = 3000
/** Keystrokes this close together (on average) come from a USB scanner, not a person. */
const WEDGE_KEY_INTERVAL_MS = 35

type T = ReturnType<typeof messages.useT>

function reasonText(decision: GateDecision, t: T, locale: Locale, timeZone: string) {
  if (decision.admit) return ''
  switch (decision.reason) {
    case 'already_used':
      return decision.previous
        ? t('reason_already_used', {
            time: formatDateTime(decision.previous.at, locale, timeZone),
            gate: decision.previous.gateName,
          })
        : t('reason_already_used_here')
    case 'wrong_day':
      return t('reason_wrong_day', {
        day: decision.ticketDay ? formatDate(`${decision.ticketDay}T12:00:00Z`, locale, 'UTC') : '?',
      })
    default:
      return t(`reason_${decision.reason}`)
  }
}

/** What a ticket is for, as staff read it: a scenic product's name and slot instead of its short code. */
type ProductName = { code: string; name: string; nameEn?: string | null }

/** What the ticket admits, in the gate's language: 池座 C排9座 / "Stalls, row C, seat 9", or the product and slot. */
export function itemText(
  item: string,
  names: {
    products: ProductName[] | undefined
    sections: string[] | undefined
    sectionNames: GateSync['sectionNames'] | undefined
  },
  t: T,
  locale: Locale,
) {
  const seat = seatFromLabel(item, names.sections ?? [])
  if (seat)
    return seatName(withSectionNames(seat, names.sectionNames), locale, {
      section: names.sections!.length > 1,
    })
  const [code, slot] = item.split('@')
  const product = names.products?.find((p) => p.code === code)
  if (!product) return item
  const name = localName(product, locale)
  return slot ? t('productSlot', { product: name, slot }) : name
}

function DecisionPanel({
  outcome,
  timeZone,
  products,
  sections,
  sectionNames,
}: {
  outcome?: ScanOutcome
  timeZone: string
  products: ProductName[] | undefined
  sections: string[] | undefined
  sectionNames: GateSync['sectionNames'] | undefined
}) {
  const t = messages.useT()
  const locale = useLocale()
  if (!outcome) {
    return (
      <output class="decision decision-idle" data-testid="decision" data-decision="none">
        {t('waiting')}
      </output>
    )
  }
  const { decision } = outcome
  const ticket = decision.ticket
  return (
    <output
      class={`decision ${decision.admit ? 'decision-admit' : 'decision-refuse'}`}
      data-testid="decision"
      data-decision={decision.admit ? 'admit' : 'refuse'}
      data-reason={decision.admit ? undefined : decision.reason}
      data-mode={outcome.mode}
      data-source={outcome.source}
      data-nonce={outcome.nonce}
    >
      <span class="decision-word">{decision.admit ? t('admit') : t('refused')}</span>
      {!decision.admit && (
        <span class="decision-reason" data-testid="decision-reason">
          {reasonText(decision, t, locale, timeZone)}
        </span>
      )}
      {ticket && (
        <span class="decision-ticket">
          {t('ticket', {
            id: ticket.tid,
            item: itemText(ticket.it, { products, sections, sectionNames }, t, locale),
          })}
          {ticket.hh && ` · ${t('holder', { hint: ticket.hh })}`}
        </span>
      )}
      {outcome.holder && (
        <span class="decision-holder" data-testid="decision-holder">
          {t('holderName', { name: outcome.holder })} · {t('sourceIdCard')}
        </span>
      )}
      <span class="decision-meta">
        {formatTime(outcome.at, locale, timeZone)} ·{' '}
        {t('decidedIn', {
          ms: Math.round(outcome.mode === 'online' ? outcome.totalMs : outcome.localMs),
          mode: outcome.mode === 'online' ? t('modeOnline') : t('modeOffline'),
        })}
      </span>
    </output>
  )
}

function Camera({ onCode }: { onCode: (text: string, decodedAt: number) => void }) {
  const t = messages.useT()
  const video = useRef<HTMLVideoElement>(null)
  const scan = useRef<CameraScan | undefined>(undefined)
  const [on, setOn] = useState(false)
  const [error, setError] = useState<string>()
  const [decoder, setDecoder] = useState<'native' | 'js'>()
  const handler = useRef(onCode)
  handler.current = onCode

  useEffect(() => () => scan.current?.stop(), [])

  const start = async () => {
    setError(undefined)
    try {
      let last = { text: '', seen: 0 }
      scan.current = await startCameraScan(video.current!, (text, decodedAt) => {
        const repeat = text === last.text && decodedAt - last.seen < SAME_CODE_PAUSE_MS
        last = { text, seen: decodedAt }
        if (!repeat) handler.current(text, decodedAt)
      })
      setOn(true)
      setDecoder(await decoderKind())
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure))
    }
  }
  const stop = () => {
    scan.current?.stop()
    scan.current = undefined
    setOn(false)
  }

  return (
    <div class="camera">
      <video
        ref={video}
        class={on ? 'camera-video' : 'camera-video camera-off'}
        aria-label={t('cameraLabel')}
        muted
        playsInline
      />
      <div class="camera-controls">
        {on ? (
          <Button onClick={stop}>{t('cameraStop')}</Button>
        ) : (
          <Button variant="primary" onClick={start}>
            {t('cameraStart')}
          </Button>
        )}
        {on && decoder && (
          <small class="muted" data-testid="decoder">
            {decoder === 'native' ? t('decoderNative') : t('decoderJs')}
          </small>
        )}
      </div>
      {error && (
        <p class="alert alert-error" role="alert">
          {t('cameraError', { error })}
        </p>
      )}
    </div>
  )
}

export function ScanPage({ runtime, state }: { runtime: GateDeviceRuntime; state: DeviceState }) {
  const t = messages.useT()
  const enrolled = state.enrolled!
  const input = useRef<HTMLInputElement>(null)
  const [text, setText] = useState('')
  const [mode, setMode] = useState<'code' | 'id'>('code')
  const keyTimes = useRef<number[]>([])
  const queue = useRef(Promise.resolve())
  // A USB scanner types wherever focus is: the scan field has it from the start (a dedicated gate device).
  useEffect(() => {
    if (mode === 'code') input.current?.focus()
  }, [mode])

  // Scans are decided one after another, in the order they arrive.
  const [rotating, setRotating] = useState('')
  const rotatingRef = useRef(rotating)
  rotatingRef.current = rotating
  const decide = (scan: string, source: ScanSource, decodedAt: number) => {
    // A code typed beside the scan goes with the next scan only.
    const code = /^\d{6}$/.test(rotatingRef.current) ? rotatingRef.current : undefined
    setRotating('')
    queue.current = queue.current.then(() =>
      runtime.scan(scan, source, decodedAt, code).then(() => undefined),
    )
  }

  const submit = (event: Event) => {
    event.preventDefault()
    const value = text.trim()
    if (!value) return
    const times = keyTimes.current
    const average = times.length > 10 ? (times.at(-1)! - times[0]!) / (times.length - 1) : Infinity
    decide(value, average < WEDGE_KEY_INTERVAL_MS ? 'wedge' : 'typed', performance.now())
    setText('')
    keyTimes.current = []
    input.current?.focus()
  }

  const profile = enrolled.profile
  const locale = useLocale()
  const online = state.sync.online
  const attendance = state.attendance
  const scopeText = (entry: (typeof profile.scope)[number]) =>
    `${localName({ name: entry.label, nameEn: entry.labelEn }, locale)} · ${
      entry.startsAt
        ? formatDateTime(entry.startsAt, locale, profile.timezone)
        : formatDate(`${entry.day}T12:00:00Z`, locale, 'UTC')
    }`
  return (
    <>
      {!online && (
        <p class="offline-banner" role="status" data-testid="offline-banner">
          <span class="dot dot-off" aria-hidden="true" />
          {t('offlineBanner')}
        </p>
      )}
      <div class="gate-head">
        <p class="gate-name" data-testid="gate-name">
          {t('gate', {
            name: profile.gateName,
            direction: profile.direction === 'entry' ? t('entry') : t('exit'),
          })}
        </p>
        {attendance && (
          <p
            class="attendance"
            data-testid="attendance"
            data-admitted={attendance.admitted}
            data-expected={attendance.expected}
          >
            <span class="attendance-count">
              {attendance.admitted} / {attendance.expected}
            </span>{' '}
            <span class="small">{attendance.today ? t('attendanceToday') : t('attendanceAll')}</span>
          </p>
        )}
      </div>
      <section aria-labelledby="scan-heading" class="gate-card scan-card">
        <h2 id="scan-heading" class="visually-hidden">
          {t('scanHeading')}
        </h2>
        {enrolled.idIndex && (
          <fieldset class="mode-switch">
            <legend class="visually-hidden">{t('modeLabel')}</legend>
            {(['code', 'id'] as const).map((m) => (
              <Button
                key={m}
                variant={mode === m ? 'primary' : 'secondary'}
                aria-pressed={mode === m}
                data-testid={`mode-${m}`}
                onClick={() => setMode(m)}
              >
                {m === 'code' ? t('modeQr') : t('modeId')}
              </Button>
            ))}
          </fieldset>
        )}
        {mode === 'id' ? (
          <IdEntry
            runtime={runtime}
            timeZone={profile.timezone}
            describe={(item) =>
              itemText(
                item,
                {
                  products: enrolled.products,
                  sections: enrolled.sections,
                  sectionNames: enrolled.sectionNames,
                },
                t,
                locale,
              )
            }
          />
        ) : (
          <form onSubmit={submit} class="scan-form">
            <label for="scan-input">{t('scanInput')}</label>
            <div class="scan-row">
              <input
                id="scan-input"
                ref={input}
                value={text}
                onInput={(event) => setText((event.target as HTMLInputElement).value)}
                onKeyDown={() => keyTimes.current.push(performance.now())}
                aria-describedby="scan-hint"
                autoComplete="off"
                spellcheck={false}
                maxLength={600}
              />
              <Button type="submit" variant="primary">
                {t('check')}
              </Button>
            </div>
            <small id="scan-hint" class="muted">
              {t('scanHint')}
            </small>
          </form>
        )}
        {mode === 'code' && profile.scope.some((entry) => entry.rotatingCode) && (
          <div class="rotating-field">
            <label for="rotating-input">{t('rotatingCode')}</label>
            <input
              id="rotating-input"
              value={rotating}
              onInput={(event) => setRotating((event.target as HTMLInputElement).value.replace(/\D/g, ''))}
              inputMode="numeric"
              autoComplete="off"
              maxLength={6}
              aria-describedby="rotating-hint"
            />
            <small id="rotating-hint" class="muted">
              {t('rotatingHint')}
            </small>
          </div>
        )}
      </section>
      <DecisionPanel
        timeZone={profile.timezone}
        products={enrolled.products}
        sections={enrolled.sections}
        sectionNames={enrolled.sectionNames}
        {...(state.last ? { outcome: state.last } : {})}
      />
      <section class="gate-card">
        <Camera onCode={(code, decodedAt) => decide(code, 'camera', decodedAt)} />
      </section>
      <details class="gate-card scope" data-testid="scope">
        <summary>
          {t('scope', { scope: profile.scope[0] ? scopeText(profile.scope[0]) : '—' })}
          {profile.scope.length > 1 && ` ${t('scopeMore', { count: profile.scope.length - 1 })}`}
        </summary>
        <ul>
          {profile.scope.map((entry) => (
            <li key={entry.id}>{scopeText(entry)}</li>
          ))}
        </ul>
      </details>
      <SyncPanel runtime={runtime} state={state} />
      <p>
        <Button
          variant="danger"
          onClick={() => {
            if (confirm(t('forgetConfirm'))) void runtime.forget()
          }}
        >
          {t('forget')}
        </Button>
      </p>
    </>
  )
}
