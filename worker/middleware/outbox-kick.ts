import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.ts'
import { publishOutbox } from '../services/webhooks/outbox-publisher.ts'
import { deliverMessages } from './message-delivery.ts'

/** Writes that put events in the outbox: payments, buyer orders and refunds, gate redemptions, partners, organizer refunds/cancels. */
const writesEvents =
  /^\/(api\/payments|api\/orders|api\/gate|partner)\/|^\/api\/admin\/organizers\/[^/]+\/(orders\/[^/]+\/refunds|shows\/[^/]+\/cancel)$/

/**
 * One publisher run at a time per isolate. Every write kicked its own run before: on an on-sale, dozens of runs at
 * once each read the same unpublished events and ran their subscribers again (harmless, but it took D1 from the
 * orders: 3.4 vs 8.5 orders/s in `orders-http`). A kick while a run is in flight asks that run to go once more, so
 * an event written meanwhile is still published right after its write.
 */
let inFlight: Promise<void> | null = null
let again = false

export function kickOutboxOnce(run: () => Promise<unknown>): Promise<void> | null {
  if (inFlight) {
    again = true
    return null
  }
  inFlight = (async () => {
    try {
      do {
        again = false
        await run()
      } while (again)
    } finally {
      inFlight = null
    }
  })()
  return inFlight
}

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
  const db = c.get('db')
  // Then the messages its subscribers and the request wrote (a confirmation, a refund notice) leave too.
  const running = kickOutboxOnce(() =>
    publishOutbox(db, queue)
      .catch((e) =>
        logger.warn('outbox publish after write failed; the cron will retry', { error: String(e) }),
      )
      .then(() => deliverMessages(c.env, db, logger)),
  )
  if (running) c.executionCtx.waitUntil(running)
})
