import { openDatabase } from './db/client.ts'
import type { Bindings } from './env.ts'
import { jsonLogger } from './middleware/logger.ts'
import { sendMessage } from './services/messages.ts'
import { expireUnpaidOrders, reconcilePaidOrders, remindUnpaidOrders } from './services/orders.ts'
import { paymentProvider } from './services/payments/index.ts'
import { reconcilePendingRefunds } from './services/refunds.ts'

/** Cron (every minute): remind, expire unpaid orders, and finish any paid order or refund a crash left half done. */
export async function runScheduledJobs(env: Bindings, now = new Date()) {
  const logger = jsonLogger({ job: 'scheduled' })
  const db = openDatabase(env.DB)
  const services = { env, db, logger, payments: paymentProvider(env) }
  const send = (to: string, subject: string, body: string) => sendMessage(db, logger, { to, subject, body })
  const reminded = await remindUnpaidOrders(services, send, now)
  const expired = await expireUnpaidOrders(services, now)
  const reconciled = await reconcilePaidOrders(services)
  const refundsFinished = await reconcilePendingRefunds(services)
  logger.info('scheduled jobs done', { reminded, expired, reconciled, refundsFinished })
  return { reminded, expired, reconciled, refundsFinished }
}
