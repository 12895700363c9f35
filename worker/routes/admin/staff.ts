import { and, eq, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import * as v from 'valibot'
import { memberships, staffRoles, staffUsers } from '../../db/schema.ts'
import { newId } from '../../ids.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { conflict, notFound, validationProblem } from '../../problem.ts'
import { hashPassword } from '../../services/password.ts'
import { validate } from '../../validation.ts'
import { nonEmpty } from '../query.ts'

const tag = 'Organizer staff'
const member = v.object({
  userId: v.string(),
  email: v.string(),
  name: v.string(),
  role: v.picklist(staffRoles),
})
const json = (schema: v.GenericSchema) => ({ 'application/json': { schema: resolver(schema) } })

export const passwordSchema = v.pipe(v.string(), v.minLength(10, 'at least 10 characters'), v.maxLength(200))

const addMember = v.object({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email()),
  name: nonEmpty(),
  role: v.picklist(staffRoles),
  /** Required when the email has no account yet. */
  password: v.optional(passwordSchema),
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
    responses: { 200: { description: 'Members', content: json(v.object({ items: v.array(member) })) } },
  }),
  async (c) => c.json({ items: await listMembers(c, c.req.param('organizerId')!) }),
)

staffRoutes.post(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'Add a staff member (creates the account if the email is new)',
    responses: {
      201: { description: 'Added', content: json(member) },
      409: { description: 'Already a member' },
    },
  }),
  validate('json', addMember),
  async (c) => {
    const organizerId = c.req.param('organizerId')!
    const input = c.req.valid('json')
    const db = c.get('db')
    let [user] = await db.select().from(staffUsers).where(eq(staffUsers.email, input.email))
    if (!user) {
      if (!input.password)
        throw validationProblem([{ path: 'json.password', message: 'is required for a new account' }])
      ;[user] = await db
        .insert(staffUsers)
        .values({
          id: newId('usr'),
          email: input.email,
          name: input.name,
          passwordHash: await hashPassword(input.password),
        })
        .returning()
    }
    const existing = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, user!.id), eq(memberships.organizerId, organizerId)))
    if (existing.length) throw conflict(`${input.email} is already a member`)
    await db.insert(memberships).values({ userId: user!.id, organizerId, role: input.role })
    return c.json({ userId: user!.id, email: user!.email, name: user!.name, role: input.role }, 201)
  },
)

staffRoutes.patch(
  '/:userId',
  describeRoute({
    tags: [tag],
    summary: "Change a member's role",
    responses: { 200: { description: 'Changed', content: json(member) } },
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
