// The page an invitation link opens (/admin/invitation#token=…): the invitee creates their own account, or
// signs in as the account the email already has, and accepts. The token stays in the fragment, so it never
// reaches a server log or a Referer header; the page sends it in request bodies only.
import { useEffect, useState } from 'preact/hooks'
import type { InvitationPreview } from '../../../worker/routes/contracts/auth.ts'
import { api } from '../../lib/api.ts'
import { Link } from '../../lib/router.tsx'
import { Button, Loading, ProblemAlert } from '../../lib/ui.tsx'
import { TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { SignInPage } from './sign-in.tsx'

const tokenOfLink = () => new URLSearchParams(location.hash.slice(1)).get('token') ?? ''

export function InvitationPage({ onJoined }: { onJoined: () => void }) {
  const t = adminMessages.useT()
  const token = tokenOfLink()
  const [preview, setInvitationPreview] = useState<InvitationPreview | null>(null)
  const [failure, setFailure] = useState<unknown>(null)
  const [joined, setJoined] = useState(false)
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const look = () =>
    api<InvitationPreview>('/api/auth/invitations/lookup', { body: { token } })
      .then((found) => {
        setInvitationPreview(found)
        setFailure(null)
      })
      .catch(setFailure)
  useEffect(() => {
    look()
  }, [token])
  const accept = async (event?: Event) => {
    event?.preventDefault()
    setBusy(true)
    setFailure(null)
    try {
      await api('/api/auth/invitations/accept', {
        body: { token, ...(preview?.accountExists ? {} : { name, password }) },
      })
      setJoined(true)
      onJoined()
    } catch (error) {
      setFailure(error)
    } finally {
      setBusy(false)
    }
  }
  const invalid = (failure as { code?: string } | null)?.code === 'invitation_invalid'
  return (
    <section class="sign-in card stack">
      <h1>{t('invitationTitle')}</h1>
      {!preview && !failure && <Loading />}
      {invalid && (
        <p class="alert alert-error" role="alert">
          {t('invitationInvalid')}
        </p>
      )}
      {preview && !invalid && (
        <p>
          {t('invitationIntro', {
            organizer: preview.organizerName,
            role: t(`role_${preview.role}` as never),
            email: preview.email,
          })}
        </p>
      )}
      {joined && preview ? (
        <>
          <p class="alert alert-info" role="status">
            {t('joined', { organizer: preview.organizerName })}
          </p>
          <Link href="/admin" class="button button-primary">
            {t('openConsole')}
          </Link>
        </>
      ) : (
        preview &&
        !invalid && (
          <>
            {!preview.accountExists && (
              <form class="stack" onSubmit={accept}>
                <p class="muted small">{t('invitationNewAccount')}</p>
                <TextInput
                  label={t('yourName')}
                  value={name}
                  onInput={setName}
                  required
                  autoComplete="name"
                />
                <TextInput
                  label={t('choosePassword')}
                  type="password"
                  value={password}
                  onInput={setPassword}
                  required
                  autoComplete="new-password"
                />
                <ProblemAlert error={failure} />
                <Button type="submit" variant="primary" disabled={busy}>
                  {t('createAndJoin')}
                </Button>
              </form>
            )}
            {preview.accountExists && preview.signedInAsInvitee && (
              <>
                <ProblemAlert error={failure} />
                <Button variant="primary" onClick={() => accept()} disabled={busy}>
                  {t('acceptInvitation')}
                </Button>
              </>
            )}
            {preview.accountExists && !preview.signedInAsInvitee && (
              <>
                <p>{t('invitationSignIn', { email: preview.email })}</p>
                <SignInPage onSignedIn={look} embedded />
              </>
            )}
          </>
        )
      )}
      {failure && !invalid && !preview && <ProblemAlert error={failure} onRetry={look} />}
    </section>
  )
}
