import { and, eq, sql } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import type { Database } from '../db/client.ts'
import { memberships, organizers, staffUsers } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { currentStaff, requireStaff, type StaffEnv } from '../middleware/staff-auth.ts'
import { notFound, Problem, validationProblem } from '../problem.ts'
import { decoyHash, hashPassword, verifyPassword } from '../services/password.ts'
import { claimSignInGuess, clientAddress, SIGN_IN_GUESS_LIMITS } from '../services/sign-in-guesses.ts'
import { acceptInvitation, invitationOfToken } from '../services/staff-invitations.ts'
import { SESSION_COOKIE, SESSION_TTL_SECONDS, signStaffSession } from '../services/staff-session.ts'
import { validate } from '../validation.ts'
import { invitationAcceptedSchema, invitationPreviewSchema, staffMeSchema } from './contracts/auth.ts'
import { json } from './openapi.ts'
import { nonEmpty } from './query.ts'

const tag = 'Staff sign-in'
const limits = SIGN_IN_GUESS_LIMITS

/** A password someone chooses for themselves. */
const newPassword = v.pipe(v.string(), v.minLength(10, 'at least 10 characters'), v.maxLength(200))

const loginInput = v.object({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('must be an email address')),
  password: v.pipe(v.string(), v.minLength(1, 'is required'), v.maxLength(200)),
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
    lastOrganizerId: user!.lastOrganizerId,
  }
}

export const authRoutes = new Hono<AppEnv>()

/** Starts a browser session for the user at their current session version. */
export async function startStaffSession<E extends AppEnv>(
  c: Context<E>,
  user: { id: string; sessionVersion: number },
) {
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
}

authRoutes.post(
  '/login',
  describeRoute({
    tags: [tag],
    summary: 'Sign in with email and password',
    description:
      `Sets an http-only session cookie. Wrong passwords are counted per account and client address ` +
      `(${limits.perAccountAndAddress} in ${limits.windowMinutes} minutes), per address (${limits.perAddress}) and ` +
      `per account from all addresses (${limits.perAccount}); past a limit, sign-in answers \`rate_limited\` ` +
      'with `Retry-After` until the window ends, before checking the password.',
    responses: {
      200: { description: 'Signed in', content: json(staffMeSchema) },
      401: { description: 'Wrong email or password (code `unauthorized`)' },
      429: { description: 'Too many wrong passwords (code `rate_limited`)' },
    },
  }),
  validate('json', loginInput),
  async (c) => {
    const { email, password } = c.req.valid('json')
    const db = c.get('db')
    // The guess is claimed before the password is checked, so parallel attempts cannot exceed the limit.
    const guess = await claimSignInGuess(db, email, clientAddress(c.req.header('cf-connecting-ip')))
    const [user] = await db.select().from(staffUsers).where(eq(staffUsers.email, email))
    // Verify against a decoy when the email is unknown so response time does not reveal which accounts exist.
    const valid = await verifyPassword(password, user?.passwordHash ?? decoyHash)
    if (!user || !valid) throw new Problem({ code: 'unauthorized', detail: 'Wrong email or password' })
    await guess.succeeded()
    await startStaffSession(c, user)
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
      200: { description: 'The staff member', content: json(staffMeSchema) },
      401: { description: 'Not signed in' },
    },
  }),
  requireStaff,
  async (c) => c.json(await describeStaff(c.get('db'), c.get('principal').id)),
)

staffOnly.put(
  '/me/organizer',
  describeRoute({
    tags: [tag],
    summary: 'Remember the organizer the console works on, for this account on every browser',
    responses: {
      204: { description: 'Remembered' },
      401: { description: 'Not signed in' },
      404: { description: '`not_found`: no such organizer, or not one this account works for' },
    },
  }),
  requireStaff,
  validate('json', v.object({ organizerId: v.pipe(v.string(), v.minLength(1), v.maxLength(100)) })),
  async (c) => {
    const { organizerId } = c.req.valid('json')
    const principal = c.get('principal')
    const db = c.get('db')
    const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, principal.id))
    const [reachable] = user!.platformAdmin
      ? await db.select({ id: organizers.id }).from(organizers).where(eq(organizers.id, organizerId))
      : await db
          .select({ id: memberships.organizerId })
          .from(memberships)
          .where(and(eq(memberships.userId, principal.id), eq(memberships.organizerId, organizerId)))
    // Another organizer's id is answered like an unknown one, so it tells nothing about who exists.
    if (!reachable) throw notFound(`organizer ${organizerId}`)
    await db.update(staffUsers).set({ lastOrganizerId: organizerId }).where(eq(staffUsers.id, principal.id))
    return c.body(null, 204)
  },
)

staffOnly.post(
  '/password',
  describeRoute({
    tags: [tag],
    summary: 'Change your own password (needs the current one)',
    description:
      'Ends every other session of the account (its session version is bumped) and renews this one. A wrong ' +
      'current password counts as a wrong sign-in guess.',
    responses: {
      204: { description: 'Changed; this browser stays signed in' },
      400: { description: '`validation`: the current password is wrong, or the new one too short' },
      429: { description: 'Too many wrong passwords (code `rate_limited`)' },
    },
  }),
  requireStaff,
  validate('json', v.object({ currentPassword: v.pipe(v.string(), v.maxLength(200)), newPassword })),
  async (c) => {
    const { currentPassword, newPassword: chosen } = c.req.valid('json')
    const principal = c.get('principal')
    const db = c.get('db')
    const guess = await claimSignInGuess(db, principal.email, clientAddress(c.req.header('cf-connecting-ip')))
    const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, principal.id))
    if (!(await verifyPassword(currentPassword, user!.passwordHash)))
      throw validationProblem([{ path: 'json.currentPassword', message: 'is not your current password' }])
    await guess.succeeded()
    if (chosen === currentPassword)
      throw validationProblem([
        { path: 'json.newPassword', message: 'must differ from the current password' },
      ])
    // Only the session that proved the password moves on; a change racing another change is refused.
    const [updated] = await db
      .update(staffUsers)
      .set({
        passwordHash: await hashPassword(chosen),
        sessionVersion: sql`${staffUsers.sessionVersion} + 1`,
      })
      .where(and(eq(staffUsers.id, user!.id), eq(staffUsers.sessionVersion, c.get('staff')!.sessionVersion)))
      .returning()
    if (!updated) throw new Problem({ code: 'unauthorized', detail: 'Your session has ended; sign in again' })
    await startStaffSession(c, updated)
    c.get('logger').info('staff password changed', { userId: user!.id })
    return c.body(null, 204)
  },
)
authRoutes.route('/', staffOnly as never)

const invitationTag = 'Staff invitations'
const invitationToken = v.pipe(v.string(), v.regex(/^[\w-]{43}$/, 'is not an invitation token'))

authRoutes.post(
  '/invitations/lookup',
  describeRoute({
    tags: [invitationTag],
    summary: 'What an invitation link offers (the token is from the link’s fragment)',
    description:
      'Tells the accept page whether to ask for a new name and password (`accountExists: false`) or for the ' +
      'invited account to sign in. Only the holder of the emailed token learns this.',
    responses: {
      200: {
        description: 'The invitation',
        content: json(invitationPreviewSchema),
      },
      400: { description: '`invitation_invalid`: unknown, used, revoked or expired' },
    },
  }),
  validate('json', v.object({ token: invitationToken })),
  async (c) => {
    const found = await invitationOfToken(c.get('db'), c.req.valid('json').token)
    const current = await currentStaff(c)
    return c.json({
      email: found.invitation.email,
      role: found.invitation.role,
      organizerName: found.organizerName,
      expiresAt: found.invitation.expiresAt,
      accountExists: Boolean(found.accountId),
      signedInAsInvitee: Boolean(found.accountId && current?.user.id === found.accountId),
    })
  },
)

authRoutes.post(
  '/invitations/accept',
  describeRoute({
    tags: [invitationTag],
    summary: 'Accept an invitation: join the organizer (creating your account, or signed in as it)',
    description:
      'For a new account send `name` and `password` (your own); you are signed in as it. When the email already ' +
      'has an account, sign in as that account first: anyone else gets `unauthorized` / `forbidden`.',
    responses: {
      200: { description: 'Joined', content: json(invitationAcceptedSchema) },
      400: { description: '`invitation_invalid`, or `validation`' },
      401: { description: 'The email has an account: sign in as it first' },
      403: { description: 'Signed in as another account' },
    },
  }),
  validate(
    'json',
    v.object({ token: invitationToken, name: v.optional(nonEmpty()), password: v.optional(newPassword) }),
  ),
  async (c) => {
    const { token, name, password } = c.req.valid('json')
    const db = c.get('db')
    const current = await currentStaff(c)
    const accepted = await acceptInvitation(db, token, {
      signedInAs: current?.user.id,
      newAccount: name && password ? { name, password } : undefined,
    })
    if (accepted.accountCreated) await startStaffSession(c, { id: accepted.userId, sessionVersion: 1 })
    c.get('logger').info('staff invitation accepted', {
      userId: accepted.userId,
      organizerId: accepted.organizerId,
    })
    return c.json(accepted)
  },
)
