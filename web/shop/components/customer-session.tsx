// Who the wallet belongs to, when a customer is signed in (one-time code), with a way to sign out. Signing out
// also takes the tickets kept on this device off it: a shared or lent phone keeps nobody's tickets.
import { useState } from 'preact/hooks'
import { api } from '../../lib/api.ts'
import { Button, useResource } from '../../lib/ui.tsx'
import { shopMessages } from '../messages.ts'
import { clearWallet } from '../wallet-store.ts'

interface Customer {
  contact: string
}

export function CustomerSession({ onSignedOut }: { onSignedOut: () => void }) {
  const t = shopMessages.useT()
  // Not signed in (401) or offline: nothing to show.
  const me = useResource((signal) => api<Customer>('/api/customer/auth/me', { signal }).catch(() => null), [])
  const [signedOut, setSignedOut] = useState(false)
  const [busy, setBusy] = useState(false)
  const signOut = async () => {
    setBusy(true)
    try {
      await api('/api/customer/auth/logout', { method: 'POST' })
      clearWallet(localStorage)
      setSignedOut(true)
      me.reload()
      onSignedOut()
    } finally {
      setBusy(false)
    }
  }
  if (signedOut && !me.data)
    return (
      <p class="alert alert-info" role="status">
        {t('walletOffline_signedOut')}
      </p>
    )
  if (!me.data) return null
  return (
    <p class="row spread wallet-session" data-testid="customer-session">
      <span class="muted small">{t('walletOffline_signedInAs', { contact: me.data.contact })}</span>
      <Button onClick={signOut} disabled={busy}>
        {t('walletOffline_signOut')}
      </Button>
    </p>
  )
}
