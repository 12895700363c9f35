export { GroupBuy } from '../durable-objects/group-buy/index.ts'
export { HoldGateway } from '../durable-objects/hold-gateway.ts'
export { ScenicDayInventory } from '../durable-objects/scenic-day/inventory.ts'
export { ShowInventory } from '../durable-objects/show-inventory/index.ts'
export { WaitingRoom } from '../durable-objects/waiting-room/index.ts'
export { GroupSettlementEntrypoint } from './entrypoints/group-settlement.ts'

import { openDatabase } from './db/client.ts'
import type { Bindings } from './env.ts'
import { jsonLogger } from './middleware/logger.ts'
import { app } from './routes/index.ts'
import { runScheduledJobs } from './scheduled.ts'
import { consumeAnalyticsBatch } from './services/analytics/consumer.ts'
import type { AnalyticsQueueBody } from './services/analytics/messages.ts'
import { consumeWebhookBatch, consumeWebhookDeadLetters, fetchSender } from './services/webhooks/delivery.ts'
import type { WebhookDeliveryMessage } from './services/webhooks/queue.ts'
import { webhookTargetGuardFor } from './services/webhooks/target-guard.ts'

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(runScheduledJobs(env))
  },
  /** Webhook deliveries (one HTTP attempt per message) and their dead-letter queue; captured analytics events. */
  async queue(batch, env, _ctx) {
    const db = openDatabase(env.DB)
    if (batch.queue === 'analytics-events')
      return consumeAnalyticsBatch(db, batch as MessageBatch<unknown>, (invalid) =>
        jsonLogger({ job: 'analytics' }).warn('captured events dropped: not a capture message', { invalid }),
      )
    const logger = jsonLogger({ job: 'webhooks', queue: batch.queue })
    if (batch.queue.endsWith('-dlq'))
      return consumeWebhookDeadLetters({ db, logger }, batch as MessageBatch<WebhookDeliveryMessage>)
    await consumeWebhookBatch(
      { db, logger, queue: env.WEBHOOK_QUEUE, sender: fetchSender, targets: webhookTargetGuardFor(env) },
      batch as MessageBatch<WebhookDeliveryMessage>,
    )
  },
} satisfies ExportedHandler<Bindings, WebhookDeliveryMessage | AnalyticsQueueBody>
