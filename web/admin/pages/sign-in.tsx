import { useState } from 'preact/hooks'
import { api } from '../../lib/api.ts'
import { Button, ProblemAlert } from '../../lib/ui.tsx'
import { TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'

/** The sign-in form; `embedded` (inside another page, e.g. an invitation) drops the page's own heading and card. */
export function SignInPage({ onSignedIn, embedded }: { onSignedIn: () => void; embedded?: boolean }) {
  const t = adminMessages.useT()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await api('/api/auth/login', { body: { email, password } })
      onSignedIn()
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }
  return (
    <section class={embedded ? 'stack' : 'sign-in card'}>
      {!embedded && <h1>{t('title')}</h1>}
      <h2>{t('signIn')}</h2>
      <form onSubmit={submit} class="stack">
        <TextInput
          label={t('email')}
          type="email"
          value={email}
          onInput={setEmail}
          required
          autoComplete="username"
        />
        <TextInput
          label={t('password')}
          type="password"
          value={password}
          onInput={setPassword}
          required
          autoComplete="current-password"
        />
        <ProblemAlert
          error={error}
          messages={{ unauthorized: t('wrongPassword'), rate_limited: t('locked') }}
        />
        <Button type="submit" variant="primary" disabled={busy}>
          {t('signIn')}
        </Button>
      </form>
    </section>
  )
}
