import { openDatabase } from './db/client.ts'
import type { Bindings } from './env.ts'
import { jsonLogger } from './middleware/logger.ts'
import { sendMessage } from './services/messages.ts'
import { expireUnpaidOrders, reconcilePaidOrders, remindUnpaidOrders } from './services/orders.ts'
import { paymentProvider } from './services/payments/index.ts'
import { reconcilePendingRefunds } from './services/refunds.ts'
import { watchAvailability } from './services/webhooks/availability-watch.ts'
import { enqueueDueRetries, publishOutbox } from './services/webhooks/outbox-publisher.ts'

/**
 * Cron (every minute): remind, expire unpaid orders, finish any paid order or refund a crash left half done,
 * note sell-outs (`availability.changed`), publish the outbox to the webhook queue and queue webhook retries
 * too long for a queue delay.
 */
export async function runScheduledJobs(env: Bindings, now = new Date()) {
  const logger = jsonLogger({ job: 'scheduled' })
  const db = openDatabase(env.DB)
  const services = { env, db, logger, payments: paymentProvider(env) }
  const send = (to: string, subject: string, body: string) => sendMessage(db, logger, { to, subject, body })
  const reminded = await remindUnpaidOrders(services, send, now)
  const expired = await expireUnpaidOrders(services, now)
  const reconciled = await reconcilePaidOrders(services)
  const refundsFinished = await reconcilePendingRefunds(services)
  // Last, so events the steps above wrote go out in this run.
  const availabilityChanges = await watchAvailability(env, db, now)
  const webhooks = await publishOutbox(db, env.WEBHOOK_QUEUE, now)
  const webhookRetries = await enqueueDueRetries(db, env.WEBHOOK_QUEUE, now)
  logger.info('scheduled jobs done', {
    reminded,
    expired,
    reconciled,
    refundsFinished,
    availabilityChanges,
    webhooks,
    webhookRetries,
  })
  return { reminded, expired, reconciled, refundsFinished, availabilityChanges, webhooks, webhookRetries }
}
