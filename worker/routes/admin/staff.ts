import { and, eq, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { memberships, staffRoles, staffUsers } from '../../db/schema.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { conflict, notFound } from '../../problem.ts'
import {
  INVITATION_DAYS,
  invitationView,
  inviteStaff,
  pendingInvitations,
  revokeInvitation,
} from '../../services/staff-invitations.ts'
import { validate } from '../../validation.ts'
import {
  staffInvitation,
  staffInvitationList,
  staffMember,
  staffMemberList,
} from '../contracts/admin/staff.ts'
import { json } from '../openapi.ts'
import { localeField, requestLocale } from '../reader-locale.ts'

const tag = 'Organizer staff'
const inviteInput = v.object({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email(), v.maxLength(254)),
  role: v.picklist(staffRoles),
  /** The console's language: the invitation is written in it. */
  ...localeField,
})

/** Owners manage who works for their organizer and in which role. */
export const staffRoutes = new Hono<StaffEnv>()
staffRoutes.use('*', requireOrganizerRole('owner'))

const listMembers = (c: { get: (k: 'db') => StaffEnv['Variables']['db'] }, organizerId: string) =>
  c
    .get('db')
    .select({ userId: staffUsers.id, email: staffUsers.email, name: staffUsers.name, role: memberships.role })
    .from(memberships)
    .innerJoin(staffUsers, eq(staffUsers.id, memberships.userId))
    .where(eq(memberships.organizerId, organizerId))
    .orderBy(staffUsers.email)

staffRoutes.get(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'List staff of the organizer',
    responses: { 200: { description: 'Members', content: json(staffMemberList) } },
  }),
  async (c) => c.json({ items: await listMembers(c, c.req.param('organizerId')!) }),
)

staffRoutes.post(
  '/invitations',
  describeRoute({
    tags: [tag],
    summary: 'Invite an email to join in a role (the invitee accepts through a one-time link)',
    description:
      `The link is sent to the email and works for ${INVITATION_DAYS} days, once. The answer is the same whether ` +
      'or not the email has an account; an existing account joins only when its owner, signed in, accepts. ' +
      'Inviting an email again revokes its earlier pending invitation.',
    responses: {
      201: { description: 'Invited', content: json(staffInvitation) },
      409: { description: 'Already a member' },
    },
  }),
  validate('json', inviteInput),
  async (c) => {
    const principal = c.get('principal')
    const { locale, ...input } = c.req.valid('json')
    const row = await inviteStaff(c.get('db'), c.get('logger'), {
      ...input,
      locale: requestLocale(c, locale),
      organizerId: c.req.param('organizerId')!,
      invitedBy: { id: principal.id, name: principal.name },
      origin: new URL(c.req.url).origin,
      environment: c.env.ENVIRONMENT,
      sealSecret: c.env.SESSION_SECRET,
    })
    return c.json(invitationView(row), 201)
  },
)

staffRoutes.get(
  '/invitations',
  describeRoute({
    tags: [tag],
    summary: 'Pending invitations (not accepted, revoked or expired), newest first',
    responses: {
      200: { description: 'Invitations', content: json(staffInvitationList) },
    },
  }),
  async (c) => {
    const rows = await pendingInvitations(c.get('db'), c.req.param('organizerId')!)
    return c.json({ items: rows.map(invitationView) })
  },
)

staffRoutes.delete(
  '/invitations/:invitationId',
  describeRoute({
    tags: [tag],
    summary: 'Revoke a pending invitation: its link stops working',
    responses: { 204: { description: 'Revoked' }, 404: { description: 'No such pending invitation' } },
  }),
  async (c) => {
    await revokeInvitation(c.get('db'), c.req.param('organizerId')!, c.req.param('invitationId'))
    return c.body(null, 204)
  },
)

staffRoutes.patch(
  '/:userId',
  describeRoute({
    tags: [tag],
    summary: "Change a member's role",
    responses: { 200: { description: 'Changed', content: json(staffMember) } },
  }),
  validate('json', v.object({ role: v.picklist(staffRoles) })),
  async (c) => {
    const organizerId = c.req.param('organizerId')!
    const userId = c.req.param('userId')
    const { role } = c.req.valid('json')
    if (role !== 'owner') await assertNotLastOwner(c.get('db'), organizerId, userId)
    const [row] = await c
      .get('db')
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.userId, userId), eq(memberships.organizerId, organizerId)))
      .returning()
    if (!row) throw notFound('member')
    const [updated] = (await listMembers(c, organizerId)).filter((m) => m.userId === userId)
    return c.json(updated!)
  },
)

staffRoutes.delete(
  '/:userId',
  describeRoute({
    tags: [tag],
    summary: 'Remove a member from the organizer',
    responses: { 204: { description: 'Removed' } },
  }),
  async (c) => {
    const organizerId = c.req.param('organizerId')!
    const userId = c.req.param('userId')
    await assertNotLastOwner(c.get('db'), organizerId, userId)
    const removed = await c
      .get('db')
      .delete(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.organizerId, organizerId)))
      .returning()
    if (!removed.length) throw notFound('member')
    // End the removed person's sessions at once rather than at cookie expiry.
    await c
      .get('db')
      .update(staffUsers)
      .set({ sessionVersion: sql`${staffUsers.sessionVersion} + 1` })
      .where(eq(staffUsers.id, userId))
    return c.body(null, 204)
  },
)

async function assertNotLastOwner(db: StaffEnv['Variables']['db'], organizerId: string, userId: string) {
  const owners = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organizerId, organizerId), eq(memberships.role, 'owner')))
  if (owners.length === 1 && owners[0]!.userId === userId)
    throw conflict('An organizer keeps at least one owner')
}
