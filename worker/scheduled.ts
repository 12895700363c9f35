import { openDatabase } from './db/client.ts'
import type { Bindings } from './env.ts'
import { jsonLogger } from './middleware/logger.ts'
import { sweepPendingVisitors } from './services/analytics/store.ts'
import { releasePayableCommission } from './services/distribution/index.ts'
import { raiseSilentKiosks } from './services/kiosks/health.ts'
import { deliverDueMessages } from './services/messages/outbox.ts'
import {
  expireUnpaidOrders,
  forfeitUnpaidBalances,
  reconcilePaidOrders,
  reconcilePendingRefunds,
  remindBalances,
  remindUnpaidOrders,
} from './services/orders/index.ts'
import { paymentProvider } from './services/payments/index.ts'
import type { PaymentProvider } from './services/payments/provider.ts'
import { checkoutDiscountProviders } from './services/promotions/providers.ts'
import { forgetStaleSignInGuesses } from './services/sign-in-guesses.ts'
import { watchAvailability } from './services/webhooks/availability-watch.ts'
import { enqueueDueRetries, publishOutbox } from './services/webhooks/outbox-publisher.ts'

/** A provider that could not be built (a misconfigured deployment): only the steps that need it fail. */
function providerOrFailure(env: Bindings): PaymentProvider {
  try {
    return paymentProvider(env)
  } catch (error) {
    const fail = async (): Promise<never> => {
      throw error
    }
    return { name: 'unavailable', checkoutUrl: fail, verifyNotification: fail, refund: fail }
  }
}

/**
 * Cron (every minute): remind, expire unpaid orders, remind and forfeit unpaid 定金 balances, finish any paid order or refund a crash left half done,
 * note sell-outs (`availability.changed`), publish the outbox to the webhook queue and queue webhook retries
 * too long for a queue delay, and deliver due messages. Each step runs whatever the others did: a step that throws is logged and counted
 * as `null`, and the next minute tries again.
 */
export async function runScheduledJobs(env: Bindings, now = new Date()) {
  const logger = jsonLogger({ job: 'scheduled' })
  const db = openDatabase(env.DB)
  const services = { env, db, logger, payments: providerOrFailure(env), discounts: checkoutDiscountProviders }
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T | null> => {
    try {
      return await run()
    } catch (error) {
      logger.error('scheduled step failed', {
        step: name,
        error: error instanceof Error ? error.message : String(error),
      })
      return null
    }
  }
  const reminded = await step('remind', () => remindUnpaidOrders(services, now))
  const expired = await step('expire', () => expireUnpaidOrders(services, now))
  // 定金: the balance reminder, then deposits whose balance is due and unpaid give their seats back.
  const balancesReminded = await step('remind-balance', () => remindBalances(services, now))
  const forfeited = await step('forfeit', () => forfeitUnpaidBalances(services, now))
  const reconciled = await step('reconcile-paid', () => reconcilePaidOrders(services))
  const refundsFinished = await step('reconcile-refunds', () => reconcilePendingRefunds(services))
  // 分销: commission on shows and visit days that are over (or tickets used) becomes payable.
  const commissionPayable = await step('commission-payable', () => releasePayableCommission(db, now))
  // Kiosks with no heartbeat for a while: a `silent` alert and its `kiosk.alert` event, once per episode.
  const kiosksSilent = await step('kiosks-silent', () => raiseSilentKiosks(db, now))
  // Last, so events the steps above wrote go out in this run.
  const availabilityChanges = await step('availability', () => watchAvailability(env, db, now))
  const webhooks = await step('outbox', () => publishOutbox(db, env.WEBHOOK_QUEUE, now))
  const webhookRetries = await step('webhook-retries', () => enqueueDueRetries(db, env.WEBHOOK_QUEUE, now))
  // Messages written by the steps above and retries that are due (worker/services/messages/outbox.ts).
  const messages = await step('messages', () =>
    deliverDueMessages({ db, logger, settings: env, now, batches: 20 }),
  )
  const signInGuessesForgotten = await step('sign-in-guesses', () =>
    forgetStaleSignInGuesses(db, now.getTime()),
  )
  // Visitor origins staged by holds never paid (worker/services/analytics/store.ts).
  await step('analytics-visitors', () => sweepPendingVisitors(db, now))
  const result = {
    reminded,
    expired,
    balancesReminded,
    forfeited,
    reconciled,
    refundsFinished,
    commissionPayable,
    availabilityChanges,
    kiosksSilent,
    webhooks,
    webhookRetries,
    messages,
    signInGuessesForgotten,
  }
  logger.info('scheduled jobs done', result)
  return result
}
