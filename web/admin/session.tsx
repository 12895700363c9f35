// Who is signed in and which organizer the console is working on (remembered per staff account on the server, so a
// sign-in on another browser opens the same organizer).
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
  role: 'owner' | 'manager' | 'gate' | 'box_office' | 'platform_admin'
  switchOrganizer: (id: string) => void
  signOut: () => Promise<void>
}

export const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside a signed-in console')
  return session
}

export function SessionProvider(props: {
  me: Me
  organizers: OrganizerSummary[]
  onSignedOut: () => void
  children: ComponentChildren
}) {
  const { me, organizers } = props
  // The last organizer this account chose (on any browser); else the one with the most shows to come, not whichever
  // sorts first.
  const [organizerId, setOrganizerId] = useState(() => {
    const remembered = me.lastOrganizerId
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
      setOrganizerId(id)
      // Switched at once; remembering it for the next sign-in may fail quietly (the choice still holds here).
      api('/api/auth/me/organizer', { method: 'PUT', body: { organizerId: id } }).catch(() => undefined)
    },
    signOut: async () => {
      await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined)
      props.onSignedOut()
    },
  }
  return <SessionContext.Provider value={session}>{props.children}</SessionContext.Provider>
}
