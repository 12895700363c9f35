import { and, asc, eq, getTableColumns, gt, inArray, like, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { memberships, organizers, shows } from '../../db/schema.ts'
import { newId } from '../../ids.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { forbidden, notFound } from '../../problem.ts'
import { invitationView, inviteStaff } from '../../services/staff-invitations.ts'
import { validate } from '../../validation.ts'
import {
  createdOrganizer,
  organizerInput,
  organizerPage,
  organizerRecord,
} from '../contracts/admin/organizers.ts'
import { json } from '../openapi.ts'
import { page, pageQuery } from '../query.ts'
import { localeField, requestLocale } from '../reader-locale.ts'

const tag = 'Organizers'

export const organizerRoutes = new Hono<StaffEnv>()

organizerRoutes.get(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'List the organizers you belong to (all of them for platform admins)',
    responses: {
      200: {
        description: 'A page',
        content: json(organizerPage),
      },
    },
  }),
  validate('query', v.object({ ...pageQuery, q: v.optional(v.pipe(v.string(), v.maxLength(100))) })),
  async (c) => {
    const { limit, cursor, q } = c.req.valid('query')
    const principal = c.get('principal')
    const db = c.get('db')
    const mine = principal.platformAdmin
      ? undefined
      : (
          await db
            .select({ id: memberships.organizerId })
            .from(memberships)
            .where(eq(memberships.userId, principal.id))
        ).map((m) => m.id)
    if (mine && mine.length === 0) return c.json({ items: [], nextCursor: null })
    const now = new Date().toISOString()
    const rows = await db
      .select({
        ...getTableColumns(organizers),
        upcomingShows: sql<number>`(select count(*) from ${shows} where ${shows.organizerId} = ${organizers.id} and ${shows.startsAt} > ${now} and ${shows.status} != 'cancelled')`,
      })
      .from(organizers)
      .where(
        and(
          mine ? inArray(organizers.id, mine) : undefined,
          cursor ? gt(organizers.id, cursor) : undefined,
          q ? like(organizers.name, `%${q.replace(/[%_]/g, '')}%`) : undefined,
        ),
      )
      .orderBy(asc(organizers.id))
      .limit(limit + 1)
    return c.json(
      page(
        rows.map((r) => ({ ...r, upcomingShows: Number(r.upcomingShows) })),
        limit,
      ),
    )
  },
)

organizerRoutes.post(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'Create an organizer (platform admins only)',
    description:
      'With `ownerEmail`, the first owner is invited (a one-time link by email; they choose their own password ' +
      'or accept with the account they have). Nobody sets a password for them.',
    responses: {
      201: { description: 'Created', content: json(createdOrganizer) },
      403: { description: 'Not a platform admin' },
    },
  }),
  validate(
    'json',
    v.object({
      ...organizerInput.entries,
      ownerEmail: v.optional(v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email(), v.maxLength(254))),
      /** The console's language: the owner's invitation is written in it. */
      ...localeField,
    }),
  ),
  async (c) => {
    const principal = c.get('principal')
    if (!principal.platformAdmin) throw forbidden('Only platform admins create organizers')
    const { ownerEmail, locale, ...input } = c.req.valid('json')
    const db = c.get('db')
    const [row] = await db
      .insert(organizers)
      .values({ ...input, id: newId('org') })
      .returning()
    if (!ownerEmail) return c.json(row!, 201)
    const invitation = await inviteStaff(db, c.get('logger'), {
      organizerId: row!.id,
      email: ownerEmail,
      role: 'owner',
      locale: requestLocale(c, locale),
      invitedBy: { id: principal.id, name: principal.name },
      origin: new URL(c.req.url).origin,
      environment: c.env.ENVIRONMENT,
      sealSecret: c.env.SESSION_SECRET,
    })
    return c.json({ ...row!, ownerInvitation: invitationView(invitation) }, 201)
  },
)

const orgParam = v.object({ organizerId: v.string() })

organizerRoutes.get(
  '/:organizerId',
  describeRoute({
    tags: [tag],
    summary: 'Get an organizer',
    responses: { 200: { description: 'The organizer', content: json(organizerRecord) } },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('param', orgParam),
  async (c) => {
    const [row] = await c
      .get('db')
      .select()
      .from(organizers)
      .where(eq(organizers.id, c.req.valid('param').organizerId))
    if (!row) throw notFound('organizer')
    return c.json(row)
  },
)

organizerRoutes.patch(
  '/:organizerId',
  describeRoute({
    tags: [tag],
    summary: 'Update an organizer (owners)',
    responses: { 200: { description: 'Updated', content: json(organizerRecord) } },
  }),
  requireOrganizerRole('owner'),
  validate('param', orgParam),
  validate('json', v.partial(organizerInput)),
  async (c) => {
    const [row] = await c
      .get('db')
      .update(organizers)
      .set({ ...c.req.valid('json'), updatedAt: new Date().toISOString() })
      .where(eq(organizers.id, c.req.valid('param').organizerId))
      .returning()
    if (!row) throw notFound('organizer')
    return c.json(row)
  },
)
