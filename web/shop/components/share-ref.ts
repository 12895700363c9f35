// A distributor's share link (`?ref=CODE`) or a friend's invite (`?invite=CODE`): the server keeps it on this buyer
// (the last one wins, for the organizer's window), then the code is taken off the address so a reload or a shared
// URL does not count again. An unknown or switched-off code is simply not credited.
import { api } from '../../lib/api.ts'

export function captureShareRef() {
  const url = new URL(location.href)
  const ref = url.searchParams.get('ref')
  const invite = url.searchParams.get('invite')
  if (ref || invite) {
    url.searchParams.delete('ref')
    url.searchParams.delete('invite')
    history.replaceState(history.state, '', url)
    if (ref) api('/api/distribution/clicks', { body: { ref } }).catch(() => 0)
    if (invite) api('/api/distribution/invite-visits', { body: { code: invite } }).catch(() => 0)
  }
}
