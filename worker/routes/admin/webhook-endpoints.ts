// An organizer's webhook endpoints (owner only): create, change, rotate the secret, disable, delete. The delivery
// log and replays are in webhook-deliveries.ts.
import { and, desc, eq, inArray, lt } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import {
  salesChannels,
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  webhookEventTypes,
} from '../../db/schema.ts'
import { newId } from '../../ids.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { validationProblem } from '../../problem.ts'
import { newWebhookSecret } from '../../services/webhooks/signature.ts'
import { webhookTargetGuardFor } from '../../services/webhooks/target-guard.ts'
import { validate } from '../../validation.ts'
import {
  webhookEndpoint,
  webhookEndpointPage,
  webhookEndpointWithSecret,
} from '../contracts/admin/webhook-endpoints.ts'
import { json } from '../openapi.ts'
import { page, pageQuery } from '../query.ts'
import { webhookDeliveryRoutes } from './webhook-deliveries.ts'
import { type Endpoint, endpointParams, ownedEndpoint } from './webhook-endpoint-access.ts'

const tag = 'Webhooks'
/** How long a rotated-out secret keeps signing beside the new one. */
const previousSecretGraceMs = 24 * 3600_000

export const webhookEndpointRoutes = new Hono<StaffEnv>()
webhookEndpointRoutes.use('*', requireOrganizerRole('owner'))

/** What the console sees of an endpoint: never its secret. */
function endpointView(e: Endpoint) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    channel: e.channel,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  }
}

const url = v.pipe(v.string(), v.trim(), v.maxLength(2000), v.url('must be an absolute URL'))
const eventTypes = v.pipe(
  v.array(v.picklist(webhookEventTypes)),
  v.minLength(1, 'subscribe to at least one event type'),
  v.transform((types) => [...new Set(types)]),
)
const channel = v.nullable(v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_-]{1,31}$/, 'a sales channel code')))
const description = v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(500)))

const endpointInput = v.object({
  url,
  eventTypes,
  channel: v.optional(channel, null),
  description: v.optional(description, null),
})
const endpointUpdate = v.object({
  url: v.optional(url),
  eventTypes: v.optional(eventTypes),
  channel: v.optional(channel),
  description: v.optional(description),
})

/**
 * Receivers must be public HTTPS hosts (names resolving only to public addresses); in development and tests a
 * loopback receiver over plain HTTP is allowed too. Checked again before every delivery attempt.
 */
async function checkEndpoint(
  c: Context<StaffEnv>,
  organizerId: string,
  input: { url?: string; channel?: string | null },
) {
  const errors = []
  if (input.url) {
    const target = await webhookTargetGuardFor(c.env).check(input.url)
    if (!target.ok) errors.push({ path: 'json.url', message: target.reason })
  }
  if (input.channel) {
    const [known] = await c
      .get('db')
      .select({ id: salesChannels.id })
      .from(salesChannels)
      .where(and(eq(salesChannels.organizerId, organizerId), eq(salesChannels.code, input.channel)))
    if (!known)
      errors.push({ path: 'json.channel', message: `no sales channel ${input.channel} in this organizer` })
  }
  if (errors.length) throw validationProblem(errors)
}

webhookEndpointRoutes.get(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'Webhook endpoints of the organizer (secrets are never listed)',
    responses: {
      200: { description: 'A page of endpoints, newest first', content: json(webhookEndpointPage) },
    },
  }),
  validate('query', v.object({ ...pageQuery })),
  async (c) => {
    const organizerId = c.req.param('organizerId')!
    const q = c.req.valid('query')
    const rows = await c
      .get('db')
      .select()
      .from(webhookEndpoints)
      .where(
        and(
          eq(webhookEndpoints.organizerId, organizerId),
          q.cursor ? lt(webhookEndpoints.id, q.cursor) : undefined,
        ),
      )
      .orderBy(desc(webhookEndpoints.id))
      .limit(q.limit + 1)
    const result = page(rows, q.limit)
    return c.json({ ...result, items: result.items.map(endpointView) })
  },
)

webhookEndpointRoutes.post(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'Create a webhook endpoint; the answer carries its signing secret, shown this once',
    description:
      'With `channel` (a sales channel code such as `ctrip`) the endpoint receives only events of orders sold ' +
      'through that channel, plus events about no order (`price.changed`, `availability.changed`). ' +
      'In production `url` must be `https://` on a public host: addresses and names that resolve to loopback, ' +
      'private, link-local, CGNAT, unique-local, multicast, reserved or cloud-metadata addresses are refused ' +
      '(`validation` on `json.url`), here and again before every delivery. In development a loopback ' +
      'receiver over `http://` is allowed.',
    responses: {
      201: {
        description: 'The endpoint and its `secret` (`whsec_…`)',
        content: json(webhookEndpointWithSecret),
      },
      400: { description: 'Invalid input, or a receiver the rules refuse (code `validation`)' },
    },
  }),
  validate('json', endpointInput),
  async (c) => {
    const organizerId = c.req.param('organizerId')!
    const input = c.req.valid('json')
    await checkEndpoint(c, organizerId, input)
    const secret = newWebhookSecret()
    const [row] = await c
      .get('db')
      .insert(webhookEndpoints)
      .values({ id: newId('whe'), organizerId, ...input, secret })
      .returning()
    return c.json({ ...endpointView(row!), secret }, 201)
  },
)

webhookEndpointRoutes.get(
  '/:endpointId',
  describeRoute({
    tags: [tag],
    summary: 'A webhook endpoint (without its secret)',
    responses: {
      200: { description: 'The endpoint', content: json(webhookEndpoint) },
      404: { description: 'Not found' },
    },
  }),
  validate('param', endpointParams),
  async (c) => {
    const { organizerId, endpointId } = c.req.valid('param')
    return c.json(endpointView(await ownedEndpoint(c, organizerId, endpointId)))
  },
)

webhookEndpointRoutes.patch(
  '/:endpointId',
  describeRoute({
    tags: [tag],
    summary: 'Change an endpoint’s URL, event types, channel or description',
    responses: {
      200: { description: 'The endpoint', content: json(webhookEndpoint) },
      404: { description: 'Not found' },
    },
  }),
  validate('param', endpointParams),
  validate('json', endpointUpdate),
  async (c) => {
    const { organizerId, endpointId } = c.req.valid('param')
    const changes = c.req.valid('json')
    await ownedEndpoint(c, organizerId, endpointId)
    await checkEndpoint(c, organizerId, changes)
    const [row] = await c
      .get('db')
      .update(webhookEndpoints)
      .set({ ...changes, updatedAt: new Date().toISOString() })
      .where(eq(webhookEndpoints.id, endpointId))
      .returning()
    return c.json(endpointView(row!))
  },
)

webhookEndpointRoutes.post(
  '/:endpointId/rotate-secret',
  describeRoute({
    tags: [tag],
    summary: 'Replace the signing secret; the new one is shown this once',
    description:
      'For 24 hours every webhook carries two signatures (new and old secret), so the receiver can switch over.',
    responses: {
      200: { description: 'The endpoint and its new `secret`', content: json(webhookEndpointWithSecret) },
      404: { description: 'Not found' },
    },
  }),
  validate('param', endpointParams),
  async (c) => {
    const { organizerId, endpointId } = c.req.valid('param')
    const old = await ownedEndpoint(c, organizerId, endpointId)
    const secret = newWebhookSecret()
    const now = Date.now()
    const [row] = await c
      .get('db')
      .update(webhookEndpoints)
      .set({
        secret,
        previousSecret: old.secret,
        previousSecretExpiresAt: new Date(now + previousSecretGraceMs).toISOString(),
        updatedAt: new Date(now).toISOString(),
      })
      .where(eq(webhookEndpoints.id, endpointId))
      .returning()
    return c.json({ ...endpointView(row!), secret })
  },
)

for (const [action, enabled] of [
  ['disable', false],
  ['enable', true],
] as const) {
  webhookEndpointRoutes.post(
    `/:endpointId/${action}`,
    describeRoute({
      tags: [tag],
      summary: enabled
        ? 'Enable an endpoint again (new events reach it; replay what it missed)'
        : 'Disable an endpoint: no new deliveries, pending ones are cancelled when their turn comes',
      description: 'A receiver answering 410 Gone disables its endpoint too (`disabledReason` says so).',
      responses: {
        200: { description: 'The endpoint', content: json(webhookEndpoint) },
        404: { description: 'Not found' },
      },
    }),
    validate('param', endpointParams),
    async (c) => {
      const { organizerId, endpointId } = c.req.valid('param')
      await ownedEndpoint(c, organizerId, endpointId)
      const [row] = await c
        .get('db')
        .update(webhookEndpoints)
        .set({
          enabled,
          disabledReason: enabled ? null : `disabled by ${c.get('principal').email}`,
          updatedAt: new Date().toISOString(),
        })
        .where(eq(webhookEndpoints.id, endpointId))
        .returning()
      return c.json(endpointView(row!))
    },
  )
}

webhookEndpointRoutes.delete(
  '/:endpointId',
  describeRoute({
    tags: [tag],
    summary: 'Delete an endpoint with its delivery log',
    responses: { 204: { description: 'Deleted' }, 404: { description: 'Not found' } },
  }),
  validate('param', endpointParams),
  async (c) => {
    const { organizerId, endpointId } = c.req.valid('param')
    await ownedEndpoint(c, organizerId, endpointId)
    const db = c.get('db')
    const deliveryIds = db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, endpointId))
    await db.batch([
      db.delete(webhookAttempts).where(inArray(webhookAttempts.deliveryId, deliveryIds)),
      db.delete(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)),
      db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)),
    ])
    return c.body(null, 204)
  },
)

// The delivery log and replays (webhook-deliveries.ts) sit under the same path and owner check.
webhookEndpointRoutes.route('/', webhookDeliveryRoutes)
