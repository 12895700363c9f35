import { and, desc, eq, gt, isNull } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { memberships, organizers, type StaffRole, staffInvitations, staffUsers } from '../db/schema.ts'
import type { Locale } from '../domain/locale.ts'
import { newId } from '../ids.ts'
import type { Logger } from '../middleware/logger.ts'
import { conflict, notFound, Problem, validationProblem } from '../problem.ts'
import { catalogueMessage, sendMessage } from './messages.ts'
import { hashPassword } from './password.ts'

// Staff join an organizer only through an invitation they accept themselves: the owner names an email and a
// role, the invitee receives a one-time link and sets their own password (new account) or accepts while signed
// in as the account that already has that email. Nobody chooses a password for someone else, and inviting
// says nothing about whether the email has an account.

export const INVITATION_DAYS = 7
/** Where the admin console's accept page lives; the token travels in the fragment, never to a server log. */
export const ACCEPT_PATH = '/admin/invitation'

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')

/** SHA-256 of the token: enough for 256 random bits, and a leaked table does not reveal usable links. */
async function hashToken(token: string): Promise<string> {
  return b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))))
}

export type Invitation = typeof staffInvitations.$inferSelect

export function invitationView(row: Invitation) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    invitedBy: row.invitedBy,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  }
}

const pending = (now: number) =>
  and(
    isNull(staffInvitations.acceptedAt),
    isNull(staffInvitations.revokedAt),
    gt(staffInvitations.expiresAt, new Date(now).toISOString()),
  )

/**
 * Invites `email` to the organizer in `role` and sends the link. An earlier pending invitation of the same
 * email to the same organizer is revoked, so only the newest link works.
 */
export async function inviteStaff(
  db: Database,
  logger: Logger,
  input: {
    organizerId: string
    email: string
    role: StaffRole
    invitedBy: { id: string; name: string }
    /** The inviting console's language. */
    locale: Locale
    origin: string
    /** The link is a credential: outside development the stored copy of the message keeps no text. */
    environment: string
    /** SESSION_SECRET: seals the invitation link in the outbox until it is sent. */
    sealSecret: string
  },
  now = Date.now(),
): Promise<Invitation> {
  const [member] = await db
    .select({ id: staffUsers.id })
    .from(memberships)
    .innerJoin(staffUsers, eq(staffUsers.id, memberships.userId))
    .where(and(eq(memberships.organizerId, input.organizerId), eq(staffUsers.email, input.email)))
  if (member) throw conflict(`${input.email} is already a member`)
  const [organizer] = await db.select().from(organizers).where(eq(organizers.id, input.organizerId))
  if (!organizer) throw notFound('organizer')
  const token = b64url(crypto.getRandomValues(new Uint8Array(32)))
  const id = newId('inv')
  const [, [row]] = await db.batch([
    db
      .update(staffInvitations)
      .set({ revokedAt: new Date(now).toISOString() })
      .where(
        and(
          eq(staffInvitations.organizerId, input.organizerId),
          eq(staffInvitations.email, input.email),
          pending(now),
        ),
      ),
    db
      .insert(staffInvitations)
      .values({
        id,
        organizerId: input.organizerId,
        email: input.email,
        role: input.role,
        tokenHash: await hashToken(token),
        invitedBy: input.invitedBy.id,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + INVITATION_DAYS * 86_400_000).toISOString(),
      })
      .returning(),
  ])
  const link = `${input.origin}${ACCEPT_PATH}#token=${token}`
  await sendMessage(
    db,
    logger,
    {
      to: input.email,
      sensitive: true,
      organizerId: input.organizerId,
      ...catalogueMessage(input.locale, 'staff_invitation', {
        inviter: input.invitedBy.name,
        organizer: organizer.name,
        role: input.role,
        days: INVITATION_DAYS,
        link,
      }),
    },
    { environment: input.environment, sealSecret: input.sealSecret },
  )
  return row!
}

export async function pendingInvitations(db: Database, organizerId: string, now = Date.now()) {
  return db
    .select()
    .from(staffInvitations)
    .where(and(eq(staffInvitations.organizerId, organizerId), pending(now)))
    .orderBy(desc(staffInvitations.createdAt))
}

/** Revokes a pending invitation (its link stops working at once); 404 when there is none by that id. */
export async function revokeInvitation(db: Database, organizerId: string, id: string, now = Date.now()) {
  const [row] = await db
    .update(staffInvitations)
    .set({ revokedAt: new Date(now).toISOString() })
    .where(and(eq(staffInvitations.id, id), eq(staffInvitations.organizerId, organizerId), pending(now)))
    .returning()
  if (!row) throw notFound('pending invitation')
}

const invalid = () =>
  new Problem({
    code: 'invitation_invalid',
    status: 400,
    detail: 'This invitation link is unknown, already used, revoked or expired; ask for a new one',
  })

/** The pending invitation a token opens, with what the accept page shows. */
export async function invitationOfToken(db: Database, token: string, now = Date.now()) {
  const [row] = await db
    .select({ invitation: staffInvitations, organizerName: organizers.name })
    .from(staffInvitations)
    .innerJoin(organizers, eq(organizers.id, staffInvitations.organizerId))
    .where(and(eq(staffInvitations.tokenHash, await hashToken(token)), pending(now)))
  if (!row) throw invalid()
  const [account] = await db
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(eq(staffUsers.email, row.invitation.email))
  return { ...row, accountId: account?.id }
}

/** D1 under drizzle, for INSERT … SELECT statements conditional on the claim made in the same batch. */
const d1Of = (db: Database) => (db as Database & { $client: D1Database }).$client

export type Acceptance = { userId: string; organizerId: string; role: StaffRole; accountCreated: boolean }

/**
 * Accepts an invitation. When an account has the invited email, only that account, signed in, can accept
 * (`signedInAs`); otherwise `newAccount` creates it with the invitee's own name and password. The claim on
 * the invitation and the writes it allows are one D1 batch, so a link is used at most once.
 */
export async function acceptInvitation(
  db: Database,
  token: string,
  who: { signedInAs?: string | undefined; newAccount?: { name: string; password: string } | undefined },
  now = Date.now(),
): Promise<Acceptance> {
  const { invitation, accountId } = await invitationOfToken(db, token, now)
  const nowIso = new Date(now).toISOString()
  const d1 = d1Of(db)
  let userId: string
  const statements: D1PreparedStatement[] = []
  if (accountId) {
    if (!who.signedInAs)
      throw new Problem({
        code: 'unauthorized',
        detail: `Sign in as ${invitation.email} to accept this invitation`,
      })
    if (who.signedInAs !== accountId)
      throw new Problem({
        code: 'forbidden',
        detail: `This invitation is for ${invitation.email}; sign in as that account to accept it`,
      })
    userId = accountId
  } else {
    if (!who.newAccount)
      throw validationProblem(
        [
          { path: 'json.name', message: 'is required for a new account' },
          { path: 'json.password', message: 'is required for a new account' },
        ],
        'Choose your name and password to create your account',
      )
    userId = newId('usr')
    statements.push(
      d1
        .prepare(
          `INSERT INTO staff_users (id, email, name, password_hash)
           SELECT accepted_by, email, ?, ? FROM staff_invitations WHERE id = ? AND accepted_by = ? AND accepted_at = ?`,
        )
        .bind(
          who.newAccount.name,
          await hashPassword(who.newAccount.password),
          invitation.id,
          userId,
          nowIso,
        ),
    )
  }
  const claim = d1
    .prepare(
      `UPDATE staff_invitations SET accepted_at = ?, accepted_by = ?
       WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ? RETURNING id`,
    )
    .bind(nowIso, userId, invitation.id, nowIso)
  const join = d1
    .prepare(
      `INSERT INTO memberships (user_id, organizer_id, role)
       SELECT accepted_by, organizer_id, role FROM staff_invitations WHERE id = ? AND accepted_by = ? AND accepted_at = ?
       ON CONFLICT (user_id, organizer_id) DO NOTHING`,
    )
    .bind(invitation.id, userId, nowIso)
  let claimed: D1Result
  try {
    ;[claimed] = (await d1.batch([claim, ...statements, join])) as [D1Result]
  } catch (error) {
    // The batch rolled back: an account with this email was created meanwhile (another invitation accepted).
    if (/UNIQUE constraint failed: staff_users\.email/.test(String((error as Error)?.message)))
      throw conflict(`An account for ${invitation.email} exists now; sign in as it and open the link again`)
    throw error
  }
  if (claimed.results.length === 0) throw invalid()
  const [membership] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.organizerId, invitation.organizerId)))
  return {
    userId,
    organizerId: invitation.organizerId,
    role: membership?.role ?? invitation.role,
    accountCreated: !accountId,
  }
}
