import { type Context, Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { outgoingMessageStatuses } from '../../db/schema.ts'
import { deliverMessagesSoon } from '../../middleware/message-delivery.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { conflict, forbidden, notFound } from '../../problem.ts'
import {
  isRetryable,
  listMessages,
  messageCursor,
  type OutgoingMessageRow,
  retryMessage,
} from '../../services/messages/outbox.ts'
import { validate } from '../../validation.ts'
import { outgoingMessage, outgoingMessagePage } from '../contracts/admin/messages.ts'
import { json } from '../openapi.ts'
import { page, pageQuery } from '../query.ts'

const tag = 'Messages'

function messageView(m: OutgoingMessageRow): v.InferOutput<typeof outgoingMessage> {
  return {
    id: m.id,
    to: m.to,
    kind: m.kind,
    organizerId: m.organizerId,
    subject: m.subject,
    status: m.status,
    channel: m.channel,
    attempts: m.attempts,
    nextAttemptAt: m.status === 'pending' || m.status === 'retrying' ? m.nextAttemptAt : null,
    lastError: m.lastError,
    retryable: isRetryable(m),
    sentAt: m.sentAt,
    createdAt: m.createdAt,
  }
}

const listQuery = v.object({
  ...pageQuery,
  status: v.optional(v.picklist(outgoingMessageStatuses)),
})

const listDescription =
  'Every message is written first and then delivered (email to an address, SMS to a phone number), retried with ' +
  'backoff (30 s, 2 min, 10 min, 30 min, 2 h) and `dead` after the 6th failed attempt, with `lastError`. A ' +
  "sensitive message's text (a sign-in code, an invitation link) is never listed."

async function retry(c: Context<StaffEnv>, messageId: string, scope: { organizerId: string } | 'platform') {
  const outcome = await retryMessage(c.get('db'), messageId, scope)
  if (!outcome.ok) {
    if (outcome.reason === 'not_found') throw notFound(`message ${messageId}`)
    throw conflict(
      outcome.reason === 'text_gone'
        ? 'This message carried a secret that is not kept once it is dead; the customer asks for a new one'
        : 'Only a dead or retrying message can be sent again',
    )
  }
  deliverMessagesSoon(c as never)
  return c.json(messageView(outcome.message), 202)
}

const retryResponses = {
  202: { description: 'Due now; it leaves with the next delivery run', content: json(outgoingMessage) },
  404: { description: 'No such message here' },
  409: { description: 'Not dead or retrying, or a secret that is no longer kept (code `conflict`)' },
}

/** The organizer's messages (orders, invitations): owners and managers. */
export const organizerMessageRoutes = new Hono<StaffEnv>()
organizerMessageRoutes.use('*', requireOrganizerRole('owner', 'manager'))

organizerMessageRoutes.get(
  '/',
  describeRoute({
    tags: [tag],
    summary: "The organizer's outgoing messages, newest first, with delivery status",
    description: listDescription,
    responses: { 200: { description: 'A page of messages', content: json(outgoingMessagePage) } },
  }),
  validate('query', listQuery),
  async (c) => {
    const organizerId = c.req.param('organizerId')!
    const q = c.req.valid('query')
    const rows = await listMessages(c.get('db'), { organizerId }, q)
    const result = page(rows, q.limit, messageCursor)
    return c.json({ ...result, items: result.items.map(messageView) })
  },
)

organizerMessageRoutes.post(
  '/:messageId/retry',
  describeRoute({
    tags: [tag],
    summary: 'Send a dead or retrying message again now',
    responses: retryResponses,
  }),
  validate('param', v.object({ organizerId: v.string(), messageId: v.pipe(v.string(), v.maxLength(100)) })),
  (c) => {
    const { organizerId, messageId } = c.req.valid('param')
    return retry(c, messageId, { organizerId })
  },
)

/** Every message (sign-in codes belong to no organizer): platform admins only. */
export const platformMessageRoutes = new Hono<StaffEnv>()
platformMessageRoutes.use('*', async (c, next) => {
  if (!c.get('principal').platformAdmin) throw forbidden('Only platform admins see the platform’s messages')
  await next()
})

platformMessageRoutes.get(
  '/',
  describeRoute({
    tags: [tag],
    summary:
      'Every outgoing message (platform admins), newest first; `platformOnly` keeps those of no organizer',
    description: listDescription,
    responses: {
      200: { description: 'A page of messages', content: json(outgoingMessagePage) },
      403: { description: 'Not a platform admin' },
    },
  }),
  validate(
    'query',
    v.object({
      ...listQuery.entries,
      platformOnly: v.optional(
        v.pipe(
          v.picklist(['true', 'false']),
          v.transform((s) => s === 'true'),
        ),
      ),
    }),
  ),
  async (c) => {
    const q = c.req.valid('query')
    const rows = await listMessages(c.get('db'), 'platform', q)
    const result = page(rows, q.limit, messageCursor)
    return c.json({ ...result, items: result.items.map(messageView) })
  },
)

platformMessageRoutes.post(
  '/:messageId/retry',
  describeRoute({
    tags: [tag],
    summary: 'Send any dead or retrying message again now (platform admins)',
    responses: { ...retryResponses, 403: { description: 'Not a platform admin' } },
  }),
  validate('param', v.object({ messageId: v.pipe(v.string(), v.maxLength(100)) })),
  (c) => retry(c, c.req.valid('param').messageId, 'platform'),
)
