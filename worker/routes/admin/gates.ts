import { and, desc, eq, lt } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { gateDevices, redemptionConflictKinds, redemptionConflicts, redemptions } from '../../db/schema.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound, validationProblem } from '../../problem.ts'
import { createEnrollmentCode, MAX_SITE_DAYS } from '../../services/gate-devices.ts'
import { validate } from '../../validation.ts'
import { enrollmentCode, gateConflictPage, gateDevicePage, redemptionPage } from '../contracts/admin/gates.ts'
import { json } from '../openapi.ts'
import { isoDate, nonEmpty, page, pageQuery } from '../query.ts'

const tag = 'Organizer gates'

/** Enrollment codes for gate devices, the enrolled devices, and what they redeemed. */
export const gateAdminRoutes = new Hono<StaffEnv>()

gateAdminRoutes.post(
  '/gate-enrollments',
  describeRoute({
    tags: [tag],
    summary: 'A one-time code (8 characters, valid 15 minutes) that enrolls one gate device',
    description:
      'Scope: an event (all its scheduled shows) with `eventId`, or a scenic site’s days with `siteId`, `fromDate`, ' +
      '`toDate` (at most 62 days). The code (8 Crockford base32 characters, no I/L/O/U) is shown once; only its hash is ' +
      'kept, and it works once (a conditional update decides races). The device sends it to `POST /api/gate/enroll`.',
    responses: { 201: { description: 'The code and when it expires', content: json(enrollmentCode) } },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate(
    'json',
    v.object({
      gateName: nonEmpty(80),
      direction: v.optional(v.picklist(['entry', 'exit']), 'entry'),
      eventId: v.optional(v.pipe(v.string(), v.maxLength(64))),
      siteId: v.optional(v.pipe(v.string(), v.maxLength(64))),
      fromDate: v.optional(isoDate),
      toDate: v.optional(isoDate),
    }),
  ),
  async (c) => {
    const body = c.req.valid('json')
    const errors = []
    if (!body.eventId === !body.siteId)
      errors.push({ path: 'json.eventId', message: 'give eventId or siteId' })
    if (body.siteId) {
      if (!body.fromDate || !body.toDate)
        errors.push({ path: 'json.fromDate', message: 'a site scope needs fromDate and toDate' })
      else {
        const days = (Date.parse(body.toDate) - Date.parse(body.fromDate)) / 86_400_000 + 1
        if (days < 1 || days > MAX_SITE_DAYS)
          errors.push({ path: 'json.toDate', message: `from 1 to ${MAX_SITE_DAYS} days after fromDate` })
      }
    }
    if (errors.length) throw validationProblem(errors)
    const created = await createEnrollmentCode(c.get('db'), {
      organizerId: c.req.param('organizerId')!,
      gateName: body.gateName,
      direction: body.direction,
      eventId: body.eventId,
      siteId: body.siteId,
      fromDate: body.fromDate,
      toDate: body.toDate,
      createdBy: c.get('principal').id,
    })
    return c.json(created, 201)
  },
)

gateAdminRoutes.get(
  '/gate-devices',
  describeRoute({
    tags: [tag],
    summary: 'Enrolled gate devices, newest first',
    responses: { 200: { description: 'A page of devices', content: json(gateDevicePage) } },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('query', v.object(pageQuery)),
  async (c) => {
    const q = c.req.valid('query')
    const rows = await c
      .get('db')
      .select()
      .from(gateDevices)
      .where(
        and(
          eq(gateDevices.organizerId, c.req.param('organizerId')!),
          q.cursor ? lt(gateDevices.id, q.cursor) : undefined,
        ),
      )
      .orderBy(desc(gateDevices.id))
      .limit(q.limit + 1)
    return c.json(page(rows, q.limit))
  },
)

gateAdminRoutes.delete(
  '/gate-devices/:deviceId',
  describeRoute({
    tags: [tag],
    summary: 'Revoke a gate device: its token stops working at once',
    responses: { 204: { description: 'Revoked' }, 404: { description: 'No such device here' } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', v.object({ deviceId: v.pipe(v.string(), v.maxLength(64)) })),
  async (c) => {
    const revoked = await c
      .get('db')
      .update(gateDevices)
      .set({ revokedAt: new Date().toISOString() })
      .where(
        and(
          eq(gateDevices.id, c.req.valid('param').deviceId),
          eq(gateDevices.organizerId, c.req.param('organizerId')!),
        ),
      )
      .returning({ id: gateDevices.id })
    if (revoked.length === 0) throw notFound(`gate device ${c.req.valid('param').deviceId}`)
    return c.body(null, 204)
  },
)

gateAdminRoutes.get(
  '/redemptions',
  describeRoute({
    tags: [tag],
    summary: 'Redemptions (核销): each ticket’s first admission, newest first',
    description:
      'Each redemption is written with a `ticket.redeemed` outbox event in one batch. Filter one ticket with `?ticketId=`.',
    responses: { 200: { description: 'A page of redemptions', content: json(redemptionPage) } },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('query', v.object({ ...pageQuery, ticketId: v.optional(v.pipe(v.string(), v.maxLength(64))) })),
  async (c) => {
    const q = c.req.valid('query')
    const rows = await c
      .get('db')
      .select()
      .from(redemptions)
      .where(
        and(
          eq(redemptions.organizerId, c.req.param('organizerId')!),
          q.ticketId ? eq(redemptions.ticketId, q.ticketId) : undefined,
          q.cursor ? lt(redemptions.id, q.cursor) : undefined,
        ),
      )
      .orderBy(desc(redemptions.id))
      .limit(q.limit + 1)
    return c.json(page(rows, q.limit))
  },
)

gateAdminRoutes.get(
  '/gate-conflicts',
  describeRoute({
    tags: [tag],
    summary:
      'Offline admissions to look at: tickets admitted twice, or admitted although revoked; newest first',
    description:
      '`kind`: `second_admission` is a later admission of a ticket already redeemed, with the redemption it collided ' +
      'with (`first`); `revoked_admitted` is an admission of a ticket that was refunded, cancelled or rebooked ' +
      '(`revocationReason`, `revokedAt`: before the scan when the gate had not synced yet, after it when the refund ' +
      'went through before the scan was uploaded), `first` being that admission itself. Filter with `?kind=`.',
    responses: { 200: { description: 'A page of conflicts', content: json(gateConflictPage) } },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('query', v.object({ ...pageQuery, kind: v.optional(v.picklist(redemptionConflictKinds)) })),
  async (c) => {
    const q = c.req.valid('query')
    const rows = await c
      .get('db')
      .select({ conflict: redemptionConflicts, first: redemptions })
      .from(redemptionConflicts)
      .innerJoin(redemptions, eq(redemptions.id, redemptionConflicts.redemptionId))
      .where(
        and(
          eq(redemptionConflicts.organizerId, c.req.param('organizerId')!),
          q.kind ? eq(redemptionConflicts.kind, q.kind) : undefined,
          q.cursor ? lt(redemptionConflicts.id, q.cursor) : undefined,
        ),
      )
      .orderBy(desc(redemptionConflicts.id))
      .limit(q.limit + 1)
    const items = rows.map(({ conflict, first }) => ({
      ...conflict,
      first: {
        redemptionId: first.id,
        gateName: first.gateName,
        deviceId: first.deviceId,
        redeemedAt: first.redeemedAt,
      },
    }))
    return c.json(page(items, q.limit))
  },
)
