// Customer sign-in where the shop needs it (an on-sale that takes holds only from signed-in buyers): a one-time
// code to an email or phone, then the code. Signed in, the caller carries on with what was refused.
import { useState } from 'preact/hooks'
import { api } from '../../lib/api.ts'
import { getLocale } from '../../lib/i18n.ts'
import { Button, Field, ProblemAlert } from '../../lib/ui.tsx'
import { shopMessages, useProblemMessages } from '../messages.ts'

export function SignInPrompt(props: { onSignedIn: () => void }) {
  const t = shopMessages.useT()
  const problems = useProblemMessages()
  const [contact, setContact] = useState('')
  const [code, setCode] = useState('')
  const [sentTo, setSentTo] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const run = async (work: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await work()
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }
  const send = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      await api('/api/customer/auth/code', { body: { contact: contact.trim(), locale: getLocale() } })
      setSentTo(contact.trim())
    })
  }
  const verify = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      await api('/api/customer/auth/verify', {
        body: { contact: sentTo, code: code.trim(), locale: getLocale() },
      })
      props.onSignedIn()
    })
  }

  return (
    <section class="card stack" aria-labelledby="sign-in-heading" data-testid="sign-in-prompt">
      <h2 id="sign-in-heading">{t('signInTitle')}</h2>
      <p>{t('signInWhy')}</p>
      <form class="row" onSubmit={send}>
        <Field label={t('signInContact')}>
          {({ id }) => (
            <input
              id={id}
              required
              autoComplete="email"
              value={contact}
              onInput={(event) => setContact((event.target as HTMLInputElement).value)}
            />
          )}
        </Field>
        <Button type="submit" disabled={busy || !contact.trim()}>
          {t('sendCode')}
        </Button>
      </form>
      {sentTo && (
        <form class="row" onSubmit={verify}>
          <p role="status" class="small">
            {t('codeSent', { contact: sentTo })}
          </p>
          <Field label={t('signInCode')}>
            {({ id }) => (
              <input
                id={id}
                required
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                maxLength={6}
                value={code}
                onInput={(event) => setCode((event.target as HTMLInputElement).value)}
              />
            )}
          </Field>
          <Button type="submit" variant="primary" disabled={busy || code.trim().length !== 6}>
            {t('signInGo')}
          </Button>
        </form>
      )}
      <ProblemAlert error={error} messages={problems} />
    </section>
  )
}
