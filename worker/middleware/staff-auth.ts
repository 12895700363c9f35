import { and, eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { memberships, type StaffRole, staffUsers } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { Problem } from '../problem.ts'
import { readStaffSession, SESSION_COOKIE } from '../services/staff-session.ts'

export interface StaffPrincipal {
  id: string
  email: string
  name: string
  platformAdmin: boolean
}

type StaffEnv = AppEnv & { Variables: { principal: StaffPrincipal; role: StaffRole | 'platform_admin' } }

/** The staff member whose session cookie this request carries, if it is valid and its session version current. */
export async function currentStaff<E extends AppEnv>(c: Context<E>) {
  const token = getCookie(c, SESSION_COOKIE)
  const session = token ? await readStaffSession(token, c.env.SESSION_SECRET) : undefined
  if (!session) return undefined
  const [user] = await c.get('db').select().from(staffUsers).where(eq(staffUsers.id, session.userId)).limit(1)
  if (!user || user.sessionVersion !== session.sessionVersion) return undefined
  return { session, user }
}

/** Requires a valid staff session cookie whose session version is still current. */
export const requireStaff = createMiddleware<StaffEnv>(async (c, next) => {
  const hasCookie = Boolean(getCookie(c, SESSION_COOKIE))
  const current = await currentStaff(c)
  if (!current)
    throw new Problem({
      code: 'unauthorized',
      detail: hasCookie ? 'Your session has ended; sign in again' : 'Sign in as organizer staff first',
    })
  const { session, user } = current
  c.set('staff', session)
  c.set('principal', { id: user.id, email: user.email, name: user.name, platformAdmin: user.platformAdmin })
  await next()
})

/**
 * Requires the signed-in staff member to hold one of `roles` in the organizer named by the
 * `organizerId` path parameter. Platform admins pass everywhere.
 */
export function requireOrganizerRole(...roles: StaffRole[]) {
  return createMiddleware<StaffEnv>(async (c, next) => {
    const principal = c.get('principal')
    const organizerId = c.req.param('organizerId')
    if (!organizerId) throw new Problem({ code: 'internal', detail: 'Route has no organizerId parameter' })
    if (principal.platformAdmin) {
      c.set('role', 'platform_admin')
      return next()
    }
    const [membership] = await c
      .get('db')
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.userId, principal.id), eq(memberships.organizerId, organizerId)))
      .limit(1)
    if (!membership || !roles.includes(membership.role)) {
      throw new Problem({ code: 'forbidden', detail: 'Your role in this organizer does not allow this' })
    }
    c.set('role', membership.role)
    await next()
  })
}

export type { StaffEnv }
