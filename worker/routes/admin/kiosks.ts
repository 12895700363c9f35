import { and, desc, eq, isNull, lt } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { kioskAlerts } from '../../db/schema.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound } from '../../problem.ts'
import { createKioskEnrollmentCode, revokeKiosk } from '../../services/kiosks/devices.ts'
import { KIOSK_SILENT_MINUTES, kioskStatuses, PAPER_LOW_PERCENT } from '../../services/kiosks/health.ts'
import { validate } from '../../validation.ts'
import { kioskAlertPage, kioskEnrollmentCodeSchema, kioskStatusPage } from '../contracts/kiosk.ts'
import { json } from '../openapi.ts'
import { nonEmpty, page, pageQuery } from '../query.ts'

const tag = 'Organizer kiosks'

/** Self-service kiosks: enrollment codes, the enrolled kiosks with their health, and their alerts. */
export const kioskAdminRoutes = new Hono<StaffEnv>()

kioskAdminRoutes.post(
  '/kiosk-enrollments',
  describeRoute({
    tags: [tag],
    summary: 'A one-time code (8 characters, valid 15 minutes) that enrolls one kiosk selling a scenic site',
    description:
      'Shown once; only its hash is kept, and it works once. Type it on the kiosk (`/kiosk`), which sends it to ' +
      '`POST /api/kiosk/enroll`.',
    responses: { 201: { description: 'The code', content: json(kioskEnrollmentCodeSchema) } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('json', v.object({ kioskName: nonEmpty(80), siteId: v.pipe(v.string(), v.maxLength(64)) })),
  async (c) => {
    const body = c.req.valid('json')
    const created = await createKioskEnrollmentCode(c.get('db'), {
      organizerId: c.req.param('organizerId')!,
      kioskName: body.kioskName,
      siteId: body.siteId,
      createdBy: c.get('principal').id,
    })
    return c.json(created, 201)
  },
)

kioskAdminRoutes.get(
  '/kiosks',
  describeRoute({
    tags: [tag],
    summary: 'Enrolled kiosks, newest first, with status, open alerts and today’s sales',
    description:
      `\`status\`: \`online\` (a heartbeat within ${KIOSK_SILENT_MINUTES} minutes), \`silent\`, \`never_seen\` or ` +
      `\`revoked\`. Open alerts: \`silent\` (raised by the minute cron) and \`paper_low\` (paper at or below ` +
      `${PAPER_LOW_PERCENT} %), each also sent once as a \`kiosk.alert\` webhook.`,
    responses: { 200: { description: 'A page of kiosks', content: json(kioskStatusPage) } },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('query', v.object(pageQuery)),
  async (c) => c.json(await kioskStatuses(c.get('db'), c.req.param('organizerId')!, c.req.valid('query'))),
)

kioskAdminRoutes.delete(
  '/kiosks/:kioskId',
  describeRoute({
    tags: [tag],
    summary: 'Revoke a kiosk: its token stops working at once',
    responses: { 204: { description: 'Revoked' }, 404: { description: 'No such kiosk here' } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', v.object({ kioskId: v.pipe(v.string(), v.maxLength(64)) })),
  async (c) => {
    const { kioskId } = c.req.valid('param')
    if (!(await revokeKiosk(c.get('db'), c.req.param('organizerId')!, kioskId)))
      throw notFound(`kiosk ${kioskId}`)
    return c.body(null, 204)
  },
)

kioskAdminRoutes.get(
  '/kiosk-alerts',
  describeRoute({
    tags: [tag],
    summary: 'Kiosk alerts, newest first (`?open=true`: only those not yet resolved)',
    responses: { 200: { description: 'A page of alerts', content: json(kioskAlertPage) } },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('query', v.object({ ...pageQuery, open: v.optional(v.picklist(['true', 'false'])) })),
  async (c) => {
    const q = c.req.valid('query')
    const rows = await c
      .get('db')
      .select()
      .from(kioskAlerts)
      .where(
        and(
          eq(kioskAlerts.organizerId, c.req.param('organizerId')!),
          q.open === 'true' ? isNull(kioskAlerts.resolvedAt) : undefined,
          q.cursor ? lt(kioskAlerts.id, q.cursor) : undefined,
        ),
      )
      .orderBy(desc(kioskAlerts.id))
      .limit(q.limit + 1)
    return c.json(page(rows, q.limit))
  },
)
