import { eq, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { describeRoute, resolver } from 'hono-openapi'
import * as v from 'valibot'
import type { Database } from '../db/client.ts'
import { memberships, organizers, staffUsers } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { requireStaff, type StaffEnv } from '../middleware/staff-auth.ts'
import { Problem } from '../problem.ts'
import { decoyHash, verifyPassword } from '../services/password.ts'
import { SESSION_COOKIE, SESSION_TTL_SECONDS, signStaffSession } from '../services/staff-session.ts'
import { validate } from '../validation.ts'

export const MAX_FAILED_LOGINS = 5
export const LOCKOUT_MINUTES = 15
const tag = 'Staff sign-in'

const loginInput = v.object({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('must be an email address')),
  password: v.pipe(v.string(), v.minLength(1, 'is required'), v.maxLength(200)),
})

const me = v.object({
  id: v.string(),
  email: v.string(),
  name: v.string(),
  platformAdmin: v.boolean(),
  organizers: v.array(
    v.object({ id: v.string(), name: v.string(), role: v.picklist(['owner', 'manager', 'gate']) }),
  ),
})

async function describeStaff(db: Database, userId: string) {
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, userId))
  const roles = await db
    .select({ id: organizers.id, name: organizers.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizers, eq(organizers.id, memberships.organizerId))
    .where(eq(memberships.userId, userId))
  return {
    id: user!.id,
    email: user!.email,
    name: user!.name,
    platformAdmin: user!.platformAdmin,
    organizers: roles,
  }
}

export const authRoutes = new Hono<AppEnv>()

authRoutes.post(
  '/login',
  describeRoute({
    tags: [tag],
    summary: 'Sign in with email and password',
    description: `Sets an http-only session cookie. After ${MAX_FAILED_LOGINS} wrong passwords the account is locked for ${LOCKOUT_MINUTES} minutes (code \`rate_limited\`).`,
    responses: {
      200: { description: 'Signed in', content: { 'application/json': { schema: resolver(me) } } },
      401: { description: 'Wrong email or password (code `unauthorized`)' },
      429: { description: 'Account locked after repeated failures (code `rate_limited`)' },
    },
  }),
  validate('json', loginInput),
  async (c) => {
    const { email, password } = c.req.valid('json')
    const db = c.get('db')
    const [user] = await db.select().from(staffUsers).where(eq(staffUsers.email, email))
    const now = Date.now()
    if (user?.lockedUntil && Date.parse(user.lockedUntil) > now) {
      const seconds = Math.ceil((Date.parse(user.lockedUntil) - now) / 1000)
      throw new Problem({
        code: 'rate_limited',
        detail: `Too many failed sign-ins; try again in ${Math.ceil(seconds / 60)} minute(s)`,
        headers: { 'retry-after': String(seconds) },
      })
    }
    // Verify against a decoy when the email is unknown so response time does not reveal which accounts exist.
    const valid = await verifyPassword(password, user?.passwordHash ?? decoyHash)
    if (!user || !valid) {
      if (user) {
        const lockUntil = new Date(now + LOCKOUT_MINUTES * 60_000).toISOString()
        await db
          .update(staffUsers)
          .set({
            failedLogins: sql`CASE WHEN ${staffUsers.failedLogins} + 1 >= ${MAX_FAILED_LOGINS} THEN 0 ELSE ${staffUsers.failedLogins} + 1 END`,
            lockedUntil: sql`CASE WHEN ${staffUsers.failedLogins} + 1 >= ${MAX_FAILED_LOGINS} THEN ${lockUntil} ELSE ${staffUsers.lockedUntil} END`,
          })
          .where(eq(staffUsers.id, user.id))
      }
      throw new Problem({ code: 'unauthorized', detail: 'Wrong email or password' })
    }
    if (user.failedLogins > 0 || user.lockedUntil) {
      await db
        .update(staffUsers)
        .set({ failedLogins: 0, lockedUntil: null })
        .where(eq(staffUsers.id, user.id))
    }
    const token = await signStaffSession(
      { userId: user.id, sessionVersion: user.sessionVersion },
      c.env.SESSION_SECRET,
    )
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: SESSION_TTL_SECONDS,
    })
    c.get('logger').info('staff signed in', { userId: user.id })
    return c.json(await describeStaff(db, user.id))
  },
)

authRoutes.post(
  '/logout',
  describeRoute({
    tags: [tag],
    summary: 'Sign out (clears the session cookie)',
    responses: { 204: { description: 'Signed out' } },
  }),
  async (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true })
    return c.body(null, 204)
  },
)

const staffOnly = new Hono<StaffEnv>()
staffOnly.get(
  '/me',
  describeRoute({
    tags: [tag],
    summary: 'Who is signed in, and their roles per organizer',
    responses: {
      200: { description: 'The staff member', content: { 'application/json': { schema: resolver(me) } } },
      401: { description: 'Not signed in' },
    },
  }),
  requireStaff,
  async (c) => c.json(await describeStaff(c.get('db'), c.get('principal').id)),
)
authRoutes.route('/', staffOnly as never)
