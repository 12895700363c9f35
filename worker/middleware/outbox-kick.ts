import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.ts'
import { publishOutbox } from '../services/webhooks/outbox-publisher.ts'

/** Writes that put events in the outbox: payments, buyer orders and refunds, gate redemptions, partners, organizer refunds/cancels. */
const writesEvents =
  /^\/(api\/payments|api\/orders|api\/gate|partner)\/|^\/api\/admin\/organizers\/[^/]+\/(orders\/[^/]+\/refunds|shows\/[^/]+\/cancel)$/

/**
 * After a successful write that may have put events in the outbox, publish them in the background instead of
 * waiting up to a minute for the cron. Opportunistic only: the cron remains the guarantee, and a publisher running
 * twice is harmless (deliveries are unique per event and endpoint; duplicate messages are dropped).
 */
export const publishOutboxAfterWrites = createMiddleware<AppEnv>(async (c, next) => {
  await next()
  if (c.req.method === 'GET' || c.res.status >= 400 || !writesEvents.test(c.req.path)) return
  const queue = c.env.WEBHOOK_QUEUE
  if (!queue) return
  const logger = c.get('logger')
  c.executionCtx.waitUntil(
    publishOutbox(c.get('db'), queue).catch((e) =>
      logger.warn('outbox publish after write failed; the cron will retry', { error: String(e) }),
    ),
  )
})
