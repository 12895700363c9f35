import * as v from 'valibot'
import { webhookDeliveryStates, webhookEventTypes } from '../../../db/schema.ts'
import { pageOf } from '../common.ts'

/** What the console sees of an endpoint: never its secret. */
export const webhookEndpoint = v.object({
  id: v.string(),
  url: v.string(),
  description: v.nullable(v.string()),
  eventTypes: v.array(v.picklist(webhookEventTypes)),
  /** Only events of orders sold through this sales channel (plus events about no order); null: every event. */
  channel: v.nullable(v.string()),
  enabled: v.boolean(),
  disabledReason: v.nullable(v.string()),
  createdAt: v.string(),
  updatedAt: v.string(),
})
export const webhookEndpointPage = pageOf(webhookEndpoint)

export const webhookEndpointWithSecret = v.object({
  ...webhookEndpoint.entries,
  secret: v.pipe(v.string(), v.description('The signing secret (`whsec_…`), shown only in this response.')),
})

export const webhookAttempt = v.object({
  attempt: v.number(),
  trigger: v.picklist(['automatic', 'replay']),
  statusCode: v.nullable(v.number()),
  latencyMs: v.number(),
  /** At most 1 kB of the receiver's answer. */
  responseExcerpt: v.nullable(v.string()),
  error: v.nullable(v.string()),
  at: v.string(),
})

/** The body every attempt sends (Standard Webhooks): the event type, its time and its data. */
export const webhookPayload = v.object({
  type: v.picklist(webhookEventTypes),
  timestamp: v.string(),
  /** The event's fields; always `eventId`, the outbox event (the same for every endpoint). */
  data: v.objectWithRest({ eventId: v.string() }, v.unknown()),
})

export const webhookDelivery = v.object({
  /** Also the `webhook-id` header: the same on every retry and replay. */
  id: v.string(),
  eventId: v.string(),
  eventType: v.picklist(webhookEventTypes),
  state: v.picklist(webhookDeliveryStates),
  attemptCount: v.number(),
  nextAttemptAt: v.nullable(v.string()),
  lastStatusCode: v.nullable(v.number()),
  lastError: v.nullable(v.string()),
  createdAt: v.string(),
  updatedAt: v.string(),
  payload: webhookPayload,
  attempts: v.array(webhookAttempt),
})
export const webhookDeliveryPage = pageOf(webhookDelivery)

export const webhookReplayQueued = v.object({
  id: v.string(),
  state: v.literal('pending'),
  attemptCount: v.number(),
})

export type WebhookEndpoint = v.InferOutput<typeof webhookEndpoint>
export type WebhookEndpointWithSecret = v.InferOutput<typeof webhookEndpointWithSecret>
export type WebhookDelivery = v.InferOutput<typeof webhookDelivery>
