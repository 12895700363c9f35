import { createMiddleware } from 'hono/factory'
import { openDatabase } from '../db/client.ts'
import { countedD1, type D1CallCount } from '../db/counted-d1.ts'
import type { AppEnv } from '../env.ts'
import { messagesWritten } from '../services/messages/outbox.ts'
import { publishOutbox } from '../services/webhooks/outbox-publisher.ts'
import { KickedLoop, maxLoopMs } from './kicked-loop.ts'
import { deliverMessages } from './message-delivery.ts'

/** Writes that put events in the outbox: payments, buyer orders and refunds, gate redemptions, partners, organizer refunds/cancels. */
const writesEvents =
  /^\/(api\/payments|api\/orders|api\/gate|partner)\/|^\/api\/admin\/organizers\/[^/]+\/(orders\/[^/]+\/refunds|shows\/[^/]+\/cancel)$/

/**
 * How long a kicked run waits before reading the outbox (`OUTBOX_GATHER_MS` overrides it; 0 turns it off). A run
 * costs 12–14 D1 calls whatever it carries (events, the subscribers' reads, writes, deliveries, mark); run back
 * to back under 32 buyers, each carried ~3 orders (~3 calls an order). At 250 ms a run carried 12–14 orders (~1 call
 * an order); 500 ms saved only 0.2 more for twice the wait (test/bench/README.md, "Publisher runs that carry more
 * orders"). Webhooks and buyer messages leave up to a window later; the minute cron stays the guarantee.
 */
export const defaultGatherMs = 250

export function gatherMsOf(setting: string | undefined): number {
  const ms = Number(setting)
  return setting !== undefined && setting !== '' && Number.isFinite(ms) && ms >= 0 ? ms : defaultGatherMs
}

/** What kicked runs did in this isolate (development counters, `GET /api/dev/outbox-kicks`). */
export const outboxKickCounts = {
  kicks: 0,
  runs: 0,
  /** Runs that found no unpublished event. */
  emptyRuns: 0,
  events: 0,
  /** Delivery runs after a publisher run, and those skipped because no message had been written since the last. */
  deliveries: 0,
  deliveriesSkipped: 0,
  /** D1 calls of the runs and their deliveries (counted in development only). */
  d1Calls: 0,
}
const runCalls: D1CallCount = { calls: 0 }

/**
 * One publisher run at a time per isolate, after a short gathering window. Every write kicked its own run once: on
 * an on-sale, dozens of runs at once each read the same unpublished events and ran their subscribers again. Then
 * one run at a time, back to back, each carrying the few orders written since the last. Now a kick while idle opens
 * a window of `gatherMs`; kicks during it join it (the run reads after the window, so their events are in); a kick
 * during a run asks for one more window and run, so an event written meanwhile is still published right after.
 */
const publisherLoop = new KickedLoop()

export { maxLoopMs }

export function kickOutboxOnce(
  run: () => Promise<unknown>,
  gatherMs = defaultGatherMs,
  loopMs = maxLoopMs,
): Promise<void> | null {
  outboxKickCounts.kicks++
  return publisherLoop.kick(run, gatherMs, loopMs)
}

const deliveryPages = { batches: 4, limit: 25 }

/** Messages written when the last delivery after a run began: a run after which none were written skips delivery. */
let deliveredUpTo = -1

/**
 * The delivery after a publisher run, for the messages its subscribers and the requests before it wrote (a
 * confirmation, a refund notice). Every message is counted once written and before its request answers (so before
 * its kick): when the count has not moved since the last delivery began, that delivery's read already saw every
 * message, and a run that wrote none (an order's creation, a gate scan) spends no D1 call on it. `deliver` answers
 * how many messages it handled, or null when it failed; a failed or full delivery leaves the next run to deliver.
 */
export async function deliverIfWritten(
  deliver: (pages: typeof deliveryPages) => Promise<number | null>,
): Promise<boolean> {
  const now = messagesWritten()
  if (now === deliveredUpTo) return false
  deliveredUpTo = now
  // A gathered run may carry more than one page of messages: up to four pages.
  const handled = await deliver(deliveryPages)
  if (handled === null || handled >= deliveryPages.batches * deliveryPages.limit) deliveredUpTo = -1
  return true
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
  const counted = c.env.ENVIRONMENT === 'development'
  // countedD1 keeps one wrapper per binding and count, so openDatabase's per-binding handle is reused.
  const db = counted ? openDatabase(countedD1(c.env.DB, runCalls)) : c.get('db')
  const running = kickOutboxOnce(async () => {
    const before = runCalls.calls
    outboxKickCounts.runs++
    const published = await publishOutbox(db, queue).catch((e) => {
      logger.warn('outbox publish after write failed; the cron will retry', { error: String(e) })
      return null
    })
    if (published?.events === 0) outboxKickCounts.emptyRuns++
    outboxKickCounts.events += published?.events ?? 0
    if (await deliverIfWritten((pages) => deliverMessages(c.env, db, logger, pages)))
      outboxKickCounts.deliveries++
    else outboxKickCounts.deliveriesSkipped++
    if (counted) outboxKickCounts.d1Calls += runCalls.calls - before
  }, gatherMsOf(c.env.OUTBOX_GATHER_MS))
  if (running) c.executionCtx.waitUntil(running)
})
