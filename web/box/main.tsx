// The box office (/box): a clerk at a ticket window (counter PC or tablet) signs in, opens a shift, sells show and
// scenic tickets for cash, the card terminal or the buyer's payment code, prints them (80 mm or A4), refunds and
// reprints. Keyboard first: every step is a form that Enter submits; N, P and F work outside the fields.
import '../lib/base.css'
import './box.css'
import { render } from 'preact'
import { useState } from 'preact/hooks'
import type { StaffMe } from '../../worker/routes/contracts/auth.ts'
import { api } from '../lib/api.ts'
import { Button, Field, Loading, ProblemAlert, Shell, useResource } from '../lib/ui.tsx'
import { Desk } from './desk.tsx'
import { focusOnMount } from './inputs.ts'
import { messages } from './messages.ts'

const sellerRoles = new Set(['owner', 'manager', 'box_office'])

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const t = messages.useT()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<unknown>(null)
  const submit = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      await api('/api/auth/login', { body: { email, password } })
      onSignedIn()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <form class="box-card stack" onSubmit={submit}>
      <h2>{t('signIn')}</h2>
      <Field label={t('email')}>
        {({ id }) => (
          <input
            id={id}
            type="email"
            autoComplete="username"
            required
            ref={focusOnMount}
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label={t('password')}>
        {({ id }) => (
          <input
            id={id}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        )}
      </Field>
      <ProblemAlert error={error} messages={{ unauthorized: t('wrongPassword') }} />
      <Button type="submit" variant="primary">
        {t('signIn')}
      </Button>
    </form>
  )
}

function App() {
  const t = messages.useT()
  document.title = t('title')
  const me = useResource(
    (signal) =>
      api<StaffMe>('/api/auth/me', { signal }).catch((error) =>
        error?.status === 401 ? null : Promise.reject(error),
      ),
    [],
  )
  const [organizerId, setOrganizerId] = useState<string>()
  const signOut = async () => {
    await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined)
    me.reload()
  }
  const organizers = (me.data?.organizers ?? []).filter(
    (o) => me.data?.platformAdmin || sellerRoles.has(o.role),
  )
  const chosen = organizers.find((o) => o.id === organizerId) ?? organizers[0]
  return (
    <Shell
      brand={<a href="/box">{t('title')}</a>}
      nav={
        me.data ? (
          <>
            {organizers.length > 1 && (
              <label>
                <span class="visually-hidden">{t('organizer')}</span>
                <select value={chosen?.id} onChange={(e) => setOrganizerId(e.currentTarget.value)}>
                  {organizers.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <Button onClick={signOut}>{t('signOut')}</Button>
          </>
        ) : undefined
      }
    >
      <h1 class="visually-hidden">{t('title')}</h1>
      {me.loading && !me.data ? (
        <Loading />
      ) : me.error ? (
        <ProblemAlert error={me.error} onRetry={me.reload} />
      ) : !me.data ? (
        <SignIn onSignedIn={me.reload} />
      ) : !chosen ? (
        <p class="alert">{t('noOrganizer')}</p>
      ) : (
        <Desk key={chosen.id} organizerId={chosen.id} />
      )}
    </Shell>
  )
}

render(<App />, document.getElementById('app')!)
