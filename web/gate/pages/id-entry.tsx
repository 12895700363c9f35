// 身份证核验: staff type the visitor's ID number (or an ID-card reader types it and presses Enter); the gate finds
// the tickets it holds here from its keyed hashes, offline, and staff admit the one that matches the person.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { IdTicket } from '../../../worker/domain/id-index.ts'
import { formatDate } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Button } from '../../lib/ui.tsx'
import type { GateDeviceRuntime } from '../gate-device.ts'
import type { IdLookup } from '../id-admission.ts'
import { messages } from '../messages.ts'

export function IdEntry({
  runtime,
  timeZone,
  describe,
}: {
  runtime: GateDeviceRuntime
  timeZone: string
  /** What a ticket admits to, in the gate's words (product and slot). */
  describe: (item: string) => string
}) {
  const t = messages.useT()
  const locale = useLocale()
  const input = useRef<HTMLInputElement>(null)
  const choices = useRef<HTMLElement>(null)
  const [text, setText] = useState('')
  const [lookup, setLookup] = useState<IdLookup>()
  const [busy, setBusy] = useState(false)
  // A card reader types wherever focus is: the ID field has it whenever no choice is waiting.
  useEffect(() => input.current?.focus(), [])
  // In the render's own task (a layout effect), so an Enter pressed as soon as the choice shows confirms it.
  useLayoutEffect(() => {
    if (lookup?.kind === 'found' && lookup.tickets.length)
      choices.current?.querySelector<HTMLButtonElement>('button')?.focus()
  }, [lookup])

  const submit = async (event: Event) => {
    event.preventDefault()
    if (!text.trim()) return
    const found = await runtime.lookUpId(text)
    // The number leaves the screen at once: only the masked name stays for staff to compare.
    setText('')
    setLookup(found)
    if (found.kind !== 'found' || found.tickets.length === 0) input.current?.focus()
  }
  const admit = async (ticket: IdTicket) => {
    setBusy(true)
    try {
      await runtime.admitById(ticket)
    } finally {
      setBusy(false)
      setLookup(undefined)
      input.current?.focus()
    }
  }
  const cancel = () => {
    setLookup(undefined)
    input.current?.focus()
  }

  return (
    <div class="id-entry">
      <form onSubmit={submit} class="scan-form" data-testid="id-form">
        <label for="id-input">{t('idInput')}</label>
        <div class="scan-row">
          <input
            id="id-input"
            ref={input}
            value={text}
            onInput={(event) => setText((event.target as HTMLInputElement).value)}
            aria-describedby="id-hint"
            autoComplete="off"
            spellcheck={false}
            maxLength={24}
          />
          <Button type="submit" variant="primary">
            {t('idLookUp')}
          </Button>
        </div>
        <small id="id-hint" class="muted">
          {t('idHint')}
        </small>
      </form>
      {lookup && lookup.kind !== 'found' && (
        <p class="alert alert-error" role="alert" data-testid="id-result" data-result={lookup.kind}>
          {lookup.kind === 'invalid' ? t('idInvalid') : t('idUnavailable')}
        </p>
      )}
      {lookup?.kind === 'found' && lookup.tickets.length === 0 && (
        <p class="id-none" role="alert" data-testid="id-result" data-result="none">
          {t('idNone')}
        </p>
      )}
      {lookup?.kind === 'found' && lookup.tickets.length > 0 && (
        <section
          ref={choices}
          class="id-choices"
          aria-labelledby="id-choices-heading"
          data-testid="id-result"
          data-result="found"
          data-count={lookup.tickets.length}
        >
          <h3 id="id-choices-heading">
            {lookup.tickets.length > 1 ? t('idChoose', { count: lookup.tickets.length }) : t('idConfirm')}
          </h3>
          <ul>
            {lookup.tickets.map((found) => (
              <li key={found.ticket.tid} data-ticket={found.ticket.tid}>
                <span class="id-holder">{found.name}</span>
                <span class="id-item">
                  {describe(found.ticket.it)} · {formatDate(found.ticket.nbf * 1000, locale, timeZone)}
                </span>
                <Button
                  variant="primary"
                  disabled={busy}
                  onClick={() => void admit(found)}
                  aria-label={t('idAdmitNamed', { name: found.name, item: describe(found.ticket.it) })}
                >
                  {t('idAdmit')}
                </Button>
              </li>
            ))}
          </ul>
          <Button onClick={cancel}>{t('idCancel')}</Button>
        </section>
      )}
    </div>
  )
}
