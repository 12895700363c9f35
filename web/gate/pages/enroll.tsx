import { useState } from 'preact/hooks'
import { Button, Field, ProblemAlert } from '../../lib/ui.tsx'
import type { GateDeviceRuntime } from '../gate-device.ts'
import { messages } from '../messages.ts'

/** Staff type the short-lived code from the admin console; the device downloads what it needs offline. */
export function EnrollPage({ runtime }: { runtime: GateDeviceRuntime }) {
  const t = messages.useT()
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()

  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await runtime.enroll(code)
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="enroll-heading" class="gate-card">
      <h2 id="enroll-heading">{t('enrollHeading')}</h2>
      <p>{t('enrollIntro')}</p>
      <form onSubmit={submit}>
        <Field label={t('enrollCode')} hint={t('enrollHint')}>
          {({ id, describedBy }) => (
            <input
              id={id}
              aria-describedby={describedBy}
              value={code}
              onInput={(event) => setCode((event.target as HTMLInputElement).value)}
              autoComplete="off"
              autoCapitalize="characters"
              spellcheck={false}
              minLength={8}
              maxLength={12}
              required
              class="enroll-code"
            />
          )}
        </Field>
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? t('enrolling') : t('enroll')}
        </Button>
      </form>
      <ProblemAlert
        error={error}
        messages={{ enrollment_code_invalid: t('enrollInvalid'), rate_limited: t('enrollTooMany') }}
      />
    </section>
  )
}
