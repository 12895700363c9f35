import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { outboxEvents } from '../../../../worker/db/schema.ts'
import { webhookRetryDelaysSeconds } from '../../../../worker/domain/webhook-retry.ts'
import { newId } from '../../../../worker/ids.ts'
import worker from '../../../../worker/index.ts'
import { jsonLogger } from '../../../../worker/middleware/logger.ts'
import { attemptDelivery, type WebhookSender } from '../../../../worker/services/webhooks/delivery.ts'
import { enqueueDueRetries, publishOutbox } from '../../../../worker/services/webhooks/outbox-publisher.ts'
import type { WebhookDeliveryMessage, WebhookQueue } from '../../../../worker/services/webhooks/queue.ts'
import { webhookTargetGuardFor } from '../../../../worker/services/webhooks/target-guard.ts'
import { organizerWithStaff } from '../../../support/api.ts'
import { ok } from '../../../support/catalogue.ts'
import { headersOf, WebhookReceiver } from '../../../support/webhook-receiver.ts'

const db = openDatabase(env.DB)
const logger = jsonLogger({ test: 'webhooks' })
/** The test environment's rules: hooks.test is taken as it is, nothing is resolved. */
const targets = webhookTargetGuardFor(env)
afterEach(() => vi.unstubAllGlobals())

/** A queue that records what would be sent (with its delay) instead of delivering it. */
function recordingQueue() {
  const sent: { body: WebhookDeliveryMessage; delaySeconds?: number }[] = []
  const queue: WebhookQueue = {
    send: async (body, options) => {
      sent.push({ body, delaySeconds: options?.delaySeconds })
    },
    sendBatch: async (messages) => {
      for (const m of messages) sent.push({ body: m.body })
    },
  }
  return { queue, sent }
}

/** An endpoint with one delivery waiting for its first attempt (published into a recording queue). */
async function pendingDelivery(path = '/d') {
  const org = await organizerWithStaff()
  const endpoint = await ok(
    org.owner.post(`${org.base}/webhook-endpoints`, {
      url: `https://hooks.test${path}`,
      eventTypes: ['order.refunded'],
    }),
    201,
  )
  const eventId = newId('evt')
  await db.insert(outboxEvents).values({
    id: eventId,
    topic: 'order.refunded',
    organizerId: org.organizerId,
    payload: { orderId: 'ord_x', amount: 100 },
  })
  const { queue, sent } = recordingQueue()
  await publishOutbox(db, queue)
  const message = sent.find((m) => m.body.deliveryId.startsWith('msg_'))!.body
  const delivery = await env.DB.prepare('SELECT id FROM webhook_deliveries WHERE event_id = ?')
    .bind(eventId)
    .first<{ id: string }>()
  expect(message.deliveryId).toBe(delivery!.id)
  return { org, endpoint, deliveryId: delivery!.id, message }
}

const deliveryRow = (id: string) =>
  env.DB.prepare('SELECT * FROM webhook_deliveries WHERE id = ?').bind(id).first<Record<string, any>>()
const attemptRows = (id: string) =>
  env.DB.prepare('SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt')
    .bind(id)
    .all<Record<string, any>>()
    .then((r) => r.results)

const answering =
  (status: number, body = ''): WebhookSender =>
  async () =>
    new Response(body, { status })

describe('webhook delivery: happy path', () => {
  it('posts the stored body with Standard Webhooks headers and logs the attempt', async () => {
    const { endpoint, deliveryId, message } = await pendingDelivery()
    const seen: { method: string; headers: Record<string, string>; body: string }[] = []
    const sender: WebhookSender = async (req) => {
      seen.push({ method: req.method, headers: headersOf(req.headers), body: await req.text() })
      return new Response('thanks', { status: 202 })
    }
    expect(
      await attemptDelivery({ db, logger, queue: recordingQueue().queue, sender, targets }, message),
    ).toBe('succeeded')
    const { body, headers, method } = seen[0]!
    expect(method).toBe('POST')
    expect(headers['content-type']).toBe('application/json')
    expect(new Webhook(endpoint.secret).verify(body, headers)).toMatchObject({
      type: 'order.refunded',
      data: { orderId: 'ord_x', amount: 100 },
    })
    expect(await deliveryRow(deliveryId)).toMatchObject({
      state: 'succeeded',
      attempts: 1,
      last_status_code: 202,
    })
    expect(await attemptRows(deliveryId)).toMatchObject([
      { attempt: 1, trigger: 'automatic', status_code: 202, response_excerpt: 'thanks', error: null },
    ])
  })

  it('retries through the real queue after about 5 s and succeeds on the second attempt', async () => {
    const receiver = new WebhookReceiver().install()
    let calls = 0
    receiver.answer = () => new Response(calls++ === 0 ? 'busy' : 'ok', { status: calls === 1 ? 503 : 200 })
    const { deliveryId, message } = await pendingDelivery('/retry-real')
    await env.WEBHOOK_QUEUE.send(message)
    await vi.waitFor(async () => expect((await deliveryRow(deliveryId))!.state).toBe('succeeded'), {
      timeout: 20_000,
      interval: 200,
    })
    const attempts = await attemptRows(deliveryId)
    expect(attempts.map((a) => a.status_code)).toEqual([503, 200])
    // The second attempt waited for the delayed message (≥ 5 s after the first).
    expect(Date.parse(attempts[1]!.at) - Date.parse(attempts[0]!.at)).toBeGreaterThanOrEqual(4_500)
  })
})

describe('webhook delivery: failures, retries and dead-lettering', () => {
  it('does not follow a redirect: the 3xx is the receiver’s answer and a failed attempt', async () => {
    const { deliveryId, message } = await pendingDelivery('/moved')
    const modes: string[] = []
    const sender: WebhookSender = async (req) => {
      modes.push(req.redirect)
      return new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/latest/' } })
    }
    expect(
      await attemptDelivery({ db, logger, queue: recordingQueue().queue, sender, targets }, message),
    ).toBe('retrying')
    // `manual` makes fetch hand back the 3xx instead of requesting the Location.
    expect(modes).toEqual(['manual'])
    expect(await attemptRows(deliveryId)).toMatchObject([
      { status_code: 302, error: 'receiver answered HTTP 302', response_excerpt: '' },
    ])
  })

  it('applies the whole schedule: attempt n waits delay n, via queue up to 12 h then via the cron, then dead', async () => {
    const { deliveryId, message } = await pendingDelivery()
    let now = new Date('2026-11-23T10:00:00.000Z')
    const { queue, sent } = recordingQueue()
    const services = { db, logger, queue, sender: answering(500, 'x'.repeat(5000)), targets, now: () => now }
    let next: WebhookDeliveryMessage = message
    for (let n = 1; n <= 10; n++) {
      sent.length = 0
      const outcome = await attemptDelivery(services, next)
      const row = (await deliveryRow(deliveryId))!
      expect(row.attempts).toBe(n)
      if (n === 10) {
        expect(outcome).toBe('dead')
        expect(row).toMatchObject({ state: 'dead', next_attempt_at: null })
        expect(sent).toEqual([])
        break
      }
      const delay = webhookRetryDelaysSeconds[n - 1]!
      expect(outcome).toBe('retrying')
      expect(row.state).toBe('retrying')
      expect(row.next_attempt_at).toBe(new Date(now.getTime() + delay * 1000).toISOString())
      if (delay <= 12 * 3600) {
        expect(row.scheduled_via).toBe('queue')
        expect(sent).toEqual([{ body: { deliveryId, attempt: n }, delaySeconds: delay }])
        next = sent[0]!.body
      } else {
        // Too long for a queue delay: nothing is sent now; the cron queues it once it is due, not before.
        expect(row.scheduled_via).toBe('cron')
        expect(sent).toEqual([])
        expect(await enqueueDueRetries(db, queue, new Date(now.getTime() + (delay - 60) * 1000))).toBe(0)
        expect(await enqueueDueRetries(db, queue, new Date(now.getTime() + delay * 1000))).toBe(1)
        expect(sent).toEqual([{ body: { deliveryId, attempt: n } }])
        next = sent[0]!.body
      }
      now = new Date(now.getTime() + delay * 1000)
    }
    const attempts = await attemptRows(deliveryId)
    expect(attempts).toHaveLength(10)
    for (const a of attempts) {
      expect(a).toMatchObject({ status_code: 500, error: 'receiver answered HTTP 500' })
      expect(a.response_excerpt).toHaveLength(1024)
    }
  })

  it('logs a network error as an attempt without a status', async () => {
    const { deliveryId, message } = await pendingDelivery()
    const sender: WebhookSender = async () => {
      throw new TypeError('connection refused')
    }
    expect(
      await attemptDelivery({ db, logger, queue: recordingQueue().queue, sender, targets }, message),
    ).toBe('retrying')
    expect(await attemptRows(deliveryId)).toMatchObject([
      { attempt: 1, status_code: null, error: 'TypeError: connection refused' },
    ])
  })

  it('disables the endpoint when the receiver answers 410 Gone, and stops retrying', async () => {
    const { org, endpoint, deliveryId, message } = await pendingDelivery()
    const { queue, sent } = recordingQueue()
    expect(await attemptDelivery({ db, logger, queue, sender: answering(410), targets }, message)).toBe(
      'endpoint_gone',
    )
    expect(sent).toEqual([])
    expect(await deliveryRow(deliveryId)).toMatchObject({ state: 'dead', last_status_code: 410 })
    const view = await ok(org.owner.get(`${org.base}/webhook-endpoints/${endpoint.id}`))
    expect(view).toMatchObject({ enabled: false, disabledReason: 'the receiver answered 410 Gone' })
  })

  it('a duplicate or stale message for an attempt already made posts nothing (consumed by the real handler)', async () => {
    const receiver = new WebhookReceiver().install()
    const { deliveryId, message } = await pendingDelivery('/dup')
    const batch = createMessageBatch<WebhookDeliveryMessage>('webhook-deliveries', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: message },
      { id: 'm2', timestamp: new Date(), attempts: 1, body: message },
      { id: 'm3', timestamp: new Date(), attempts: 1, body: { deliveryId, attempt: 7 } },
    ])
    const ctx = createExecutionContext()
    await worker.queue(batch, env, ctx)
    const result = await getQueueResult(batch, ctx)
    expect(result.explicitAcks.sort()).toEqual(['m1', 'm2', 'm3'])
    expect(result.retryMessages).toEqual([])
    expect(receiver.to('/dup')).toHaveLength(1)
    expect(await attemptRows(deliveryId)).toHaveLength(1)
  })

  it('marks deliveries dead when their messages reach the dead-letter queue', async () => {
    const { deliveryId, message } = await pendingDelivery()
    const batch = createMessageBatch<WebhookDeliveryMessage>('webhook-deliveries-dlq', [
      { id: 'd1', timestamp: new Date(), attempts: 1, body: message },
    ])
    const ctx = createExecutionContext()
    await worker.queue(batch, env, ctx)
    expect((await getQueueResult(batch, ctx)).ackAll).toBe(true)
    expect(await deliveryRow(deliveryId)).toMatchObject({ state: 'dead' })
    expect((await deliveryRow(deliveryId))!.last_error).toMatch(/dead-letter queue/)
  })

  it('the cron re-queues an attempt whose worker died mid-request', async () => {
    const { deliveryId } = await pendingDelivery()
    const stuckSince = new Date(Date.now() - 20 * 60_000).toISOString()
    await env.DB.prepare(
      "UPDATE webhook_deliveries SET state = 'sending', attempts = 1, updated_at = ? WHERE id = ?",
    )
      .bind(stuckSince, deliveryId)
      .run()
    const { queue, sent } = recordingQueue()
    expect(await enqueueDueRetries(db, queue)).toBe(1)
    expect(sent).toEqual([{ body: { deliveryId, attempt: 1 } }])
    expect(await deliveryRow(deliveryId)).toMatchObject({ state: 'retrying', scheduled_via: 'queue' })
  })
})
