// An endpoint's delivery log, each delivery with every attempt, and replays. Mounted by webhook-endpoints.ts under
// its owner-only check.
import { and, desc, eq, inArray, lt } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import {
  webhookAttempts,
  webhookDeliveries,
  webhookDeliveryStates,
  webhookEventTypes,
} from '../../db/schema.ts'
import type { StaffEnv } from '../../middleware/staff-auth.ts'
import { conflict, notFound } from '../../problem.ts'
import { validate } from '../../validation.ts'
import {
  webhookDelivery,
  webhookDeliveryPage,
  webhookReplayQueued,
} from '../contracts/admin/webhook-endpoints.ts'
import { json } from '../openapi.ts'
import { page, pageQuery } from '../query.ts'
import { endpointParams, ownedEndpoint } from './webhook-endpoint-access.ts'

const tag = 'Webhooks'

export const webhookDeliveryRoutes = new Hono<StaffEnv>()

const deliveryParams = v.object({
  organizerId: v.string(),
  endpointId: v.pipe(v.string(), v.maxLength(64)),
  deliveryId: v.pipe(v.string(), v.maxLength(64)),
})

type Delivery = typeof webhookDeliveries.$inferSelect
type Attempt = typeof webhookAttempts.$inferSelect

function deliveryView(d: Delivery, attempts: Attempt[]) {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    state: d.state,
    attemptCount: d.attempts,
    nextAttemptAt: d.state === 'retrying' || d.state === 'pending' ? d.nextAttemptAt : null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    payload: JSON.parse(d.body) as unknown,
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      trigger: a.trigger,
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      responseExcerpt: a.responseExcerpt,
      error: a.error,
      at: a.at,
    })),
  }
}

async function withAttempts(c: Context<StaffEnv>, deliveries: Delivery[]) {
  const ids = deliveries.map((d) => d.id)
  const attempts = ids.length
    ? await c
        .get('db')
        .select()
        .from(webhookAttempts)
        .where(inArray(webhookAttempts.deliveryId, ids))
        .orderBy(webhookAttempts.deliveryId, webhookAttempts.attempt, webhookAttempts.id)
    : []
  return deliveries.map((d) =>
    deliveryView(
      d,
      attempts.filter((a) => a.deliveryId === d.id),
    ),
  )
}

webhookDeliveryRoutes.get(
  '/:endpointId/deliveries',
  describeRoute({
    tags: [tag],
    summary:
      'Deliveries to an endpoint, newest first, each with every attempt (status, latency, response excerpt)',
    description:
      'Filter with `state` and `eventType`. Each attempt has `statusCode`, `latencyMs`, `responseExcerpt` (at most 1 kB), ' +
      '`error` and `trigger` (`automatic` or `replay`); `payload` is the exact body sent. A delivery retried to the end is ' +
      '`dead` and can be replayed.',
    responses: {
      200: { description: 'A page of deliveries', content: json(webhookDeliveryPage) },
      404: { description: 'Not found' },
    },
  }),
  validate('param', endpointParams),
  validate(
    'query',
    v.object({
      ...pageQuery,
      state: v.optional(v.picklist(webhookDeliveryStates)),
      eventType: v.optional(v.picklist(webhookEventTypes)),
    }),
  ),
  async (c) => {
    const { organizerId, endpointId } = c.req.valid('param')
    const q = c.req.valid('query')
    await ownedEndpoint(c, organizerId, endpointId)
    const rows = await c
      .get('db')
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.endpointId, endpointId),
          q.cursor ? lt(webhookDeliveries.id, q.cursor) : undefined,
          q.state ? eq(webhookDeliveries.state, q.state) : undefined,
          q.eventType ? eq(webhookDeliveries.eventType, q.eventType) : undefined,
        ),
      )
      .orderBy(desc(webhookDeliveries.id))
      .limit(q.limit + 1)
    const result = page(rows, q.limit)
    return c.json({ ...result, items: await withAttempts(c, result.items) })
  },
)

async function ownedDelivery(
  c: Context<StaffEnv>,
  organizerId: string,
  endpointId: string,
  deliveryId: string,
) {
  const [row] = await c
    .get('db')
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.organizerId, organizerId),
      ),
    )
  if (!row) throw notFound(`webhook delivery ${deliveryId}`)
  return row
}

webhookDeliveryRoutes.get(
  '/:endpointId/deliveries/:deliveryId',
  describeRoute({
    tags: [tag],
    summary: 'One delivery with every attempt',
    responses: {
      200: { description: 'The delivery', content: json(webhookDelivery) },
      404: { description: 'Not found' },
    },
  }),
  validate('param', deliveryParams),
  async (c) => {
    const { organizerId, endpointId, deliveryId } = c.req.valid('param')
    const [view] = await withAttempts(c, [await ownedDelivery(c, organizerId, endpointId, deliveryId)])
    return c.json(view)
  },
)

webhookDeliveryRoutes.post(
  '/:endpointId/deliveries/:deliveryId/replay',
  describeRoute({
    tags: [tag],
    summary: 'Send a delivery again now (same body and webhook-id, freshly signed); the attempt is logged',
    description:
      'Works in any state (succeeded, dead, cancelled, retrying). A replay that fails follows the retry ' +
      'schedule from the attempt count it reached.',
    responses: {
      202: { description: 'Queued', content: json(webhookReplayQueued) },
      404: { description: 'Not found' },
      409: { description: 'The endpoint is disabled, or the delivery is being sent right now' },
    },
  }),
  validate('param', deliveryParams),
  async (c) => {
    const { organizerId, endpointId, deliveryId } = c.req.valid('param')
    const endpoint = await ownedEndpoint(c, organizerId, endpointId)
    const delivery = await ownedDelivery(c, organizerId, endpointId, deliveryId)
    if (!endpoint.enabled) throw conflict('The endpoint is disabled; enable it before replaying')
    const now = new Date().toISOString()
    const [queued] = await c
      .get('db')
      .update(webhookDeliveries)
      .set({ state: 'pending', nextAttemptAt: now, scheduledVia: 'queue', updatedAt: now })
      .where(
        and(
          eq(webhookDeliveries.id, delivery.id),
          eq(webhookDeliveries.attempts, delivery.attempts),
          inArray(webhookDeliveries.state, ['pending', 'retrying', 'succeeded', 'dead', 'cancelled']),
        ),
      )
      .returning()
    if (!queued) throw conflict('The delivery is being sent right now; try again in a moment')
    await c.env.WEBHOOK_QUEUE.send(
      { deliveryId, attempt: queued.attempts, replay: true },
      { contentType: 'json' },
    )
    return c.json({ id: deliveryId, state: 'pending', attemptCount: queued.attempts }, 202)
  },
)
