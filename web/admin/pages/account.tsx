// The signed-in staff member's own account: change the password (the current one is needed; every other
// session of the account ends, this one stays signed in).
import { useState } from 'preact/hooks'
import { api } from '../../lib/api.ts'
import { Button, ProblemAlert } from '../../lib/ui.tsx'
import { TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'

export function AccountPage() {
  const t = adminMessages.useT()
  const { me } = useSession()
  const [current, setCurrent] = useState('')
  const [chosen, setChosen] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [changed, setChanged] = useState(false)
  const [busy, setBusy] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    setChanged(false)
    try {
      await api('/api/auth/password', { body: { currentPassword: current, newPassword: chosen } })
      setCurrent('')
      setChosen('')
      setChanged(true)
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }
  return (
    <section class="stack">
      <h1>{t('account')}</h1>
      <p>
        {me.name} · {me.email}
      </p>
      <form class="card stack" onSubmit={submit}>
        <h2>{t('changePassword')}</h2>
        <input type="hidden" name="username" autoComplete="username" value={me.email} />
        <TextInput
          label={t('currentPassword')}
          type="password"
          value={current}
          onInput={setCurrent}
          required
          autoComplete="current-password"
        />
        <TextInput
          label={t('newPassword')}
          type="password"
          value={chosen}
          onInput={setChosen}
          required
          autoComplete="new-password"
        />
        <ProblemAlert error={error} messages={{ rate_limited: t('locked') }} />
        {changed && (
          <p class="alert alert-info" role="status">
            {t('passwordChanged')}
          </p>
        )}
        <Button type="submit" variant="primary" disabled={busy}>
          {t('changePassword')}
        </Button>
      </form>
    </section>
  )
}
