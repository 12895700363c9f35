import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { Database } from '../db/client.ts'
import type { AppEnv, Bindings } from '../env.ts'
import { deliverDueMessages } from '../services/messages/outbox.ts'
import { KickedLoop } from './kicked-loop.ts'
import type { Logger } from './logger.ts'

/** Writes that queue a message themselves: sign-in codes, staff invitations (and a new organizer's owner), retries. */
const writesMessages =
  /^\/api\/(customer\/auth\/code|admin\/organizers|admin\/organizers\/[^/]+\/(staff(\/.*)?|messages\/[^/]+\/retry)|admin\/messages\/[^/]+\/retry)$/

/** One delivery loop per isolate (kicked-loop.ts): a kick while it runs asks for one more run, with that kick's settings. */
const deliveryLoop = new KickedLoop()

export function kickDeliveryOnce(run: () => Promise<unknown>): Promise<void> | null {
  return deliveryLoop.kick(run)
}

/**
 * Delivers what is due now (one page of 25 unless told); failures are logged, and the minute cron (worker/scheduled.ts)
 * tries again. Answers how many it delivered or gave up on (null when it failed).
 */
export function deliverMessages(
  env: Bindings,
  db: Database,
  logger: Logger,
  pages: { batches: number; limit: number } = { batches: 1, limit: 25 },
) {
  return deliverDueMessages({ db, logger, settings: env, ...pages })
    .then((tally) => tally.sent + tally.retrying + tally.dead)
    .catch((e) => {
      logger.warn('message delivery after write failed; the cron will retry', { error: String(e) })
      return null
    })
}

/** Starts a delivery run that outlives the request (its `waitUntil`). */
export function deliverMessagesSoon(c: Context<AppEnv>) {
  const running = kickDeliveryOnce(() => deliverMessages(c.env, c.get('db'), c.get('logger')))
  if (running) c.executionCtx.waitUntil(running)
}

/** After a successful write that queued a message, deliver it in the background instead of at the next cron. */
export const deliverMessagesAfterWrites = createMiddleware<AppEnv>(async (c, next) => {
  await next()
  if (c.req.method === 'GET' || c.res.status >= 400 || !writesMessages.test(c.req.path)) return
  deliverMessagesSoon(c)
})
