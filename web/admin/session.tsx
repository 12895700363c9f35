// Who is signed in and which organizer the console is working on (remembered per browser).
import { type ComponentChildren, createContext } from 'preact'
import { useContext, useState } from 'preact/hooks'
import type { OrganizerListItem } from '../../worker/routes/contracts/admin/organizers.ts'
import type { StaffMe } from '../../worker/routes/contracts/auth.ts'
import { api } from '../lib/api.ts'

export type Me = StaffMe
export type OrganizerSummary = Pick<OrganizerListItem, 'id' | 'name' | 'currency' | 'upcomingShows'>

export interface Session {
  me: Me
  organizers: OrganizerSummary[]
  organizer: OrganizerSummary
  /** `/api/admin/organizers/{id}`: prefix for every organizer route. */
  base: string
  role: 'owner' | 'manager' | 'gate' | 'platform_admin'
  switchOrganizer: (id: string) => void
  signOut: () => Promise<void>
}

const storageKey = 'admin.organizer'
export const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside a signed-in console')
  return session
}

export function rememberedOrganizer(): string | null {
  try {
    return localStorage.getItem(storageKey)
  } catch {
    return null
  }
}

export function SessionProvider(props: {
  me: Me
  organizers: OrganizerSummary[]
  onSignedOut: () => void
  children: ComponentChildren
}) {
  const { me, organizers } = props
  // The last organizer chosen in this browser; else the one with the most shows to come, not whichever sorts first.
  const [organizerId, setOrganizerId] = useState(() => {
    const remembered = rememberedOrganizer()
    if (organizers.some((o) => o.id === remembered)) return remembered!
    return [...organizers].sort((a, b) => b.upcomingShows - a.upcomingShows)[0]!.id
  })
  const organizer = organizers.find((o) => o.id === organizerId) ?? organizers[0]!
  const membership = me.organizers.find((o) => o.id === organizer.id)
  const session: Session = {
    me,
    organizers,
    organizer,
    base: `/api/admin/organizers/${encodeURIComponent(organizer.id)}`,
    role: membership?.role ?? 'platform_admin',
    switchOrganizer: (id) => {
      try {
        localStorage.setItem(storageKey, id)
      } catch {
        // not remembered, still switched
      }
      setOrganizerId(id)
    },
    signOut: async () => {
      await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined)
      props.onSignedOut()
    },
  }
  return <SessionContext.Provider value={session}>{props.children}</SessionContext.Provider>
}
