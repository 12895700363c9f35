// A distributor's share link (`?ref=CODE`): the click is counted and kept on this buyer by the server (last click
// wins, for the organizer's window), then the code is taken off the address so a reload or a shared URL does not
// count again.
import { useEffect } from 'preact/hooks'
import { api } from '../../lib/api.ts'

export function ShareRefCapture() {
  useEffect(() => {
    const url = new URL(location.href)
    const ref = url.searchParams.get('ref')
    if (!ref) return
    url.searchParams.delete('ref')
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`)
    // An unknown or switched-off code is simply not credited; the page works the same.
    void api('/api/distribution/clicks', { body: { ref } }).catch(() => undefined)
  }, [])
  return null
}
