import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../db/schema.ts'
import { nextAttemptAfterFailure } from '../../domain/webhook-retry.ts'
import { newId } from '../../ids.ts'
import type { Logger } from '../../middleware/logger.ts'
import type { WebhookDeliveryMessage, WebhookQueue } from './queue.ts'
import { webhookHeaders } from './signature.ts'
import type { WebhookTargetGuard } from './target-guard.ts'

/** How a webhook leaves the worker; tests point it at a receiver of their own. */
export type WebhookSender = (request: Request) => Promise<Response>

export const fetchSender: WebhookSender = (request) => fetch(request)

export interface DeliveryServices {
  db: Database
  queue: WebhookQueue
  logger: Logger
  sender: WebhookSender
  /** Checked before every attempt: a name can start pointing somewhere private after the endpoint was saved. */
  targets: WebhookTargetGuard
  now?: () => Date
}

const requestTimeoutMs = 15_000
const excerptBytes = 1024

/** At most the first kilobyte of a response, without reading the rest of a large body. */
async function responseExcerpt(response: Response): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  while (size < excerptBytes) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
  }
  await reader.cancel().catch(() => {})
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const c of chunks) {
    bytes.set(c, offset)
    offset += c.byteLength
  }
  // Cut on bytes, then drop a trailing partial character, so the excerpt stays ≤ 1 kB of valid text.
  return new TextDecoder().decode(bytes.subarray(0, excerptBytes)).replace(/\uFFFD$/, '')
}

export type AttemptOutcome = 'skipped' | 'succeeded' | 'retrying' | 'dead' | 'endpoint_gone' | 'cancelled'

/**
 * Makes one attempt of a delivery. The delivery is claimed with a conditional update on its attempt count, so
 * of two messages for the same attempt (a publisher that ran twice, a replay racing a retry) only one posts.
 */
export async function attemptDelivery(
  services: DeliveryServices,
  message: WebhookDeliveryMessage,
): Promise<AttemptOutcome> {
  const { db, logger } = services
  const now = services.now ?? (() => new Date())
  const claimedAt = now()
  const [delivery] = await db
    .update(webhookDeliveries)
    .set({
      state: 'sending',
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      updatedAt: claimedAt.toISOString(),
    })
    .where(
      and(
        eq(webhookDeliveries.id, message.deliveryId),
        eq(webhookDeliveries.attempts, message.attempt),
        inArray(webhookDeliveries.state, ['pending', 'retrying']),
      ),
    )
    .returning()
  if (!delivery) return 'skipped'

  const [endpoint] = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, delivery.endpointId))
  if (!endpoint?.enabled) {
    // Not an attempt: nothing was sent. A replay after the endpoint is enabled again starts from here.
    await db
      .update(webhookDeliveries)
      .set({
        state: 'cancelled',
        attempts: message.attempt,
        lastError: endpoint ? 'endpoint disabled' : 'endpoint deleted',
        updatedAt: claimedAt.toISOString(),
      })
      .where(eq(webhookDeliveries.id, delivery.id))
    return 'cancelled'
  }

  const timestamp = Math.floor(claimedAt.getTime() / 1000)
  const secrets = [endpoint.secret]
  if (
    endpoint.previousSecret &&
    endpoint.previousSecretExpiresAt &&
    endpoint.previousSecretExpiresAt > claimedAt.toISOString()
  )
    secrets.push(endpoint.previousSecret)
  const headers = await webhookHeaders(secrets, delivery.id, timestamp, delivery.body)

  let statusCode: number | null = null
  let excerpt: string | null = null
  let error: string | null = null
  // Latency covers the whole attempt, the target's DNS check included.
  const started = Date.now()
  const target = await services.targets.check(endpoint.url)
  if (!target.ok) {
    // Nothing is sent, so nothing comes back to show; the attempt fails and is retried like a network error.
    error = `target refused: ${target.reason}`
  } else {
    // Redirects are not followed: a 3xx is the receiver's answer, and a failure, never a second destination.
    const request = new Request(endpoint.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'edge-ticketing-webhooks/1' },
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(requestTimeoutMs),
    })
    try {
      const response = await services.sender(request)
      statusCode = response.status
      excerpt = await responseExcerpt(response).catch(() => null)
      if (response.status < 200 || response.status > 299) error = `receiver answered HTTP ${response.status}`
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
    }
  }
  const latencyMs = Date.now() - started
  const doneAt = now()
  const at = doneAt.toISOString()

  const attemptRow = db.insert(webhookAttempts).values({
    id: newId('wha', doneAt.getTime()),
    deliveryId: delivery.id,
    attempt: delivery.attempts,
    trigger: message.replay ? 'replay' : 'automatic',
    statusCode,
    latencyMs,
    responseExcerpt: excerpt,
    error,
    at,
  })
  const common = { lastStatusCode: statusCode, lastError: error, updatedAt: at }

  if (!error) {
    await db.batch([
      attemptRow,
      db
        .update(webhookDeliveries)
        .set({ ...common, state: 'succeeded', nextAttemptAt: null })
        .where(eq(webhookDeliveries.id, delivery.id)),
    ])
    return 'succeeded'
  }

  if (statusCode === 410) {
    // 410 Gone: the receiver asks us to stop. The endpoint is disabled; its owner can enable it again.
    await db.batch([
      attemptRow,
      db
        .update(webhookDeliveries)
        .set({ ...common, state: 'dead', nextAttemptAt: null })
        .where(eq(webhookDeliveries.id, delivery.id)),
      db
        .update(webhookEndpoints)
        .set({ enabled: false, disabledReason: 'the receiver answered 410 Gone', updatedAt: at })
        .where(eq(webhookEndpoints.id, endpoint.id)),
    ])
    logger.warn('webhook endpoint disabled by 410', { endpointId: endpoint.id, deliveryId: delivery.id })
    return 'endpoint_gone'
  }

  const next = nextAttemptAfterFailure(delivery.attempts, doneAt)
  if (next.kind === 'dead') {
    await db.batch([
      attemptRow,
      db
        .update(webhookDeliveries)
        .set({ ...common, state: 'dead', nextAttemptAt: null })
        .where(eq(webhookDeliveries.id, delivery.id)),
    ])
    logger.warn('webhook delivery dead-lettered', { deliveryId: delivery.id, attempts: delivery.attempts })
    return 'dead'
  }
  await db.batch([
    attemptRow,
    db
      .update(webhookDeliveries)
      .set({ ...common, state: 'retrying', nextAttemptAt: next.at.toISOString(), scheduledVia: next.via })
      .where(eq(webhookDeliveries.id, delivery.id)),
  ])
  // Within the queue's 12 h delay limit the retry rides a delayed message; longer waits are the cron's.
  // If this send fails, the cron's safety net re-queues the delivery once it is overdue.
  if (next.via === 'queue') {
    await services.queue
      .send(
        { deliveryId: delivery.id, attempt: delivery.attempts },
        { delaySeconds: next.delaySeconds, contentType: 'json' },
      )
      .catch((e) => logger.error('webhook retry not queued', { deliveryId: delivery.id, error: String(e) }))
  }
  return 'retrying'
}

/** Queue consumer for the webhook queue: one attempt per message; a message that throws is retried by the queue. */
export async function consumeWebhookBatch(
  services: DeliveryServices,
  batch: MessageBatch<WebhookDeliveryMessage>,
) {
  for (const message of batch.messages) {
    try {
      await attemptDelivery(services, message.body)
      message.ack()
    } catch (e) {
      services.logger.error('webhook message failed', {
        deliveryId: message.body.deliveryId,
        error: String(e),
      })
      message.retry({ delaySeconds: 30 })
    }
  }
}

/**
 * Consumer of the dead-letter queue: messages the webhook consumer could not process at all (it threw on every
 * try). Their deliveries are marked dead so the console shows them and the owner can replay them.
 */
export async function consumeWebhookDeadLetters(
  services: Pick<DeliveryServices, 'db' | 'logger'>,
  batch: MessageBatch<WebhookDeliveryMessage>,
) {
  const ids = batch.messages.map((m) => m.body.deliveryId)
  if (ids.length) {
    await services.db
      .update(webhookDeliveries)
      .set({
        state: 'dead',
        nextAttemptAt: null,
        lastError: 'the webhook consumer failed on this message repeatedly (dead-letter queue)',
        updatedAt: new Date().toISOString(),
      })
      .where(
        and(inArray(webhookDeliveries.id, ids), inArray(webhookDeliveries.state, ['pending', 'retrying'])),
      )
    services.logger.error('webhook messages dead-lettered by the queue', { deliveryIds: ids })
  }
  batch.ackAll()
}
