import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../worker/db/client.ts'
import { countedD1 } from '../../../worker/db/counted-d1.ts'
import { jsonLogger } from '../../../worker/middleware/logger.ts'
import { deliverMessages } from '../../../worker/middleware/message-delivery.ts'
import {
  defaultGatherMs,
  deliverIfWritten,
  gatherMsOf,
  kickOutboxOnce,
  maxLoopMs,
} from '../../../worker/middleware/outbox-kick.ts'
import { recordMessage } from '../../../worker/services/messages/outbox.ts'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A stand-in outbox: writes append events, a run publishes what is unpublished when it reads (as `publishOutbox`
 * reads once at its start) and can be held mid-run, so a test can write during a window or a run.
 */
function outbox() {
  const events: { id: number; published: boolean }[] = []
  const runs: number[][] = []
  let running = 0
  let most = 0
  let hold: Promise<void> | null = null
  let release = () => {}
  return {
    runs,
    get most() {
      return most
    },
    write() {
      events.push({ id: events.length, published: false })
    },
    unpublished: () => events.filter((e) => !e.published).map((e) => e.id),
    /** The next run waits after its read until `release()`. */
    holdNextRun() {
      hold = new Promise((resolve) => {
        release = resolve
      })
    },
    release: () => release(),
    run: async () => {
      running++
      most = Math.max(most, running)
      const read = events.filter((e) => !e.published)
      runs.push(read.map((e) => e.id))
      const held = hold
      hold = null
      if (held) await held
      for (const e of read) e.published = true
      running--
    },
  }
}

/** A write as the middleware sees it: the event is in before its request answers, then the request kicks. */
const writeAndKick = (box: ReturnType<typeof outbox>, gatherMs?: number) => {
  box.write()
  return gatherMs === undefined ? kickOutboxOnce(box.run) : kickOutboxOnce(box.run, gatherMs)
}

describe('outbox kick after writes', () => {
  it('the production default gathers 200–500 ms, and OUTBOX_GATHER_MS overrides it (0 runs at once)', () => {
    expect(defaultGatherMs).toBeGreaterThanOrEqual(200)
    expect(defaultGatherMs).toBeLessThanOrEqual(500)
    expect(gatherMsOf(undefined)).toBe(defaultGatherMs)
    expect(gatherMsOf('')).toBe(defaultGatherMs)
    expect(gatherMsOf('nonsense')).toBe(defaultGatherMs)
    expect(gatherMsOf('-5')).toBe(defaultGatherMs)
    expect(gatherMsOf('0')).toBe(0)
    expect(gatherMsOf('400')).toBe(400)
  })

  it('with the default window, writes kicking while it gathers share one run that publishes all of them', async () => {
    const box = outbox()
    const first = writeAndKick(box)
    expect(first).not.toBeNull()
    // Twenty writes spread over most of the window join it: none starts a run, and no run has started yet.
    for (let i = 0; i < 20; i++) {
      await pause(defaultGatherMs / 40)
      expect(writeAndKick(box)).toBeNull()
    }
    expect(box.runs).toHaveLength(0)
    await first
    expect(box.runs).toEqual([Array.from({ length: 21 }, (_, i) => i)])
    expect(box.unpublished()).toEqual([])
  })

  it('publishes an event written during a run in one more run (after its own window), one run at a time', async () => {
    const box = outbox()
    box.holdNextRun()
    const first = writeAndKick(box, 30)
    await pause(60) // the window passed: the run read event 0 and is held
    expect(box.runs).toEqual([[0]])
    // Forty writes finish while that run is in flight: none starts its own, and its read did not see them.
    const during = Array.from({ length: 40 }, () => writeAndKick(box, 30))
    expect(during.every((kick) => kick === null)).toBe(true)
    box.release()
    await first
    // Exactly one more run, and it published every one of them: none is left for the cron.
    expect(box.runs).toHaveLength(2)
    expect(box.runs[1]).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    expect(box.unpublished()).toEqual([])
    expect(box.most).toBe(1)
    // Idle again: the next write starts a run of its own.
    const next = writeAndKick(box, 0)
    expect(next).not.toBeNull()
    await next
    expect(box.runs).toHaveLength(3)
    expect(box.unpublished()).toEqual([])
  })

  it('a write between a run’s read and its end, and one in the next window, are both published', async () => {
    const box = outbox()
    box.holdNextRun()
    const first = writeAndKick(box, 40)
    await pause(80)
    expect(writeAndKick(box, 40)).toBeNull() // during the held run
    box.release()
    await pause(10) // the run ended; the next window is gathering
    expect(writeAndKick(box, 40)).toBeNull()
    await first
    expect(box.runs).toEqual([[0], [1, 2]])
    expect(box.unpublished()).toEqual([])
  })

  it('a loop kept going by steady writes stops past its time (its request’s waitUntil ends), and the next write starts a fresh one', async () => {
    expect(maxLoopMs).toBeLessThanOrEqual(20_000)
    const box = outbox()
    box.holdNextRun()
    box.write()
    const first = kickOutboxOnce(box.run, 0, 20)
    await pause(40) // the loop's time is up while its run is held
    box.write()
    expect(kickOutboxOnce(box.run, 0, 20)).toBeNull() // asks for one more run…
    box.release()
    await first
    // …which the spent loop does not make: event 1 waits, and the loop is over.
    expect(box.runs).toEqual([[0]])
    expect(box.unpublished()).toEqual([1])
    // The next write's kick is a loop of its own and publishes both.
    box.write()
    const next = kickOutboxOnce(box.run, 0, 20)
    expect(next).not.toBeNull()
    await next
    expect(box.runs).toEqual([[0], [1, 2]])
    expect(box.unpublished()).toEqual([])
  })

  it('a run that fails still lets the next kick run', async () => {
    let runs = 0
    const failing = kickOutboxOnce(async () => {
      runs++
      throw new Error('D1 overloaded')
    }, 0)
    await expect(failing).rejects.toThrow('D1 overloaded')
    const next = kickOutboxOnce(async () => {
      runs++
    }, 0)
    expect(next).not.toBeNull()
    await next
    expect(runs).toBe(2)
  })
})

describe('message delivery after a publisher run', () => {
  const db = openDatabase(env.DB)
  const logger = jsonLogger({ test: 'outbox-kick' })
  const settings = { ENVIRONMENT: env.ENVIRONMENT }
  let n = 0
  const message = () => ({
    id: `msg_kick_${Date.now()}_${n++}`,
    to: `kick${n}@example.com`,
    subject: 'Tickets',
    body: 'Yours',
  })
  const statusOf = async (id: string) =>
    await env.DB.prepare('SELECT status FROM outgoing_messages WHERE id = ?').bind(id).first<string>('status')

  it('spends no D1 call when no message was written since the last delivery, and delivers one that was', async () => {
    const calls = { calls: 0 }
    const counted = openDatabase(countedD1(env.DB, calls))
    const deliver = (pages: { batches: number; limit: number }) =>
      deliverMessages(settings as never, counted, logger, pages)
    await deliverIfWritten(deliver) // whatever earlier tests left
    // A run after which nothing was written (an order's creation): skipped, no D1 call.
    const before = calls.calls
    expect(await deliverIfWritten(deliver)).toBe(false)
    expect(calls.calls).toBe(before)
    // A request writes a message, then its kick's run delivers it.
    const written = message()
    await recordMessage(db, logger, written)
    expect(await deliverIfWritten(deliver)).toBe(true)
    expect(calls.calls).toBeGreaterThan(before)
    expect(await statusOf(written.id)).toBe('sent')
    expect(await deliverIfWritten(deliver)).toBe(false)
  })

  it('a delivery that failed or filled its pages leaves the next run to deliver again', async () => {
    let asked = 0
    const answering = (handled: number | null) => async () => {
      asked++
      return handled
    }
    await recordMessage(db, logger, message())
    // It fails (D1 overloaded): the next run delivers though nothing new was written.
    expect(await deliverIfWritten(answering(null))).toBe(true)
    // It handles four full pages: more may be due, so the next run delivers too.
    expect(await deliverIfWritten(answering(100))).toBe(true)
    expect(await deliverIfWritten(answering(3))).toBe(true)
    // That one had room to spare: the next run without new messages skips.
    expect(await deliverIfWritten(answering(0))).toBe(false)
    expect(asked).toBe(3)
  })
})
