import { describe, expect, it } from 'vitest'
import type { AnalyticsQueue, CaptureMessage } from '../../../../worker/services/analytics/messages.ts'
import { CaptureSender } from '../../../../worker/services/analytics/sender.ts'

function recordingQueue(fail = 0) {
  const batches: CaptureMessage[][] = []
  let failures = fail
  const queue: AnalyticsQueue = {
    send: async () => {
      throw new Error('capture sends in batches only')
    },
    sendBatch: async (messages) => {
      if (failures-- > 0) throw new Error('queue unavailable')
      batches.push([...messages].map((m) => m.body))
    },
  }
  return { queue, batches }
}

const view = (n: number): CaptureMessage => ({
  id: `show_view:${n}`,
  kind: 'show_view',
  at: new Date().toISOString(),
  showId: 'shw_x',
  device: 'mobile',
})

describe('capture leaves an isolate in batches', () => {
  it('sends the events of concurrent requests in one batch, kept alive by the first request only', async () => {
    const sender = new CaptureSender()
    const { queue, batches } = recordingQueue()
    const errors: unknown[] = []
    const flushes = [1, 2, 3].map((n) =>
      sender.add(
        queue,
        () => view(n),
        (e) => errors.push(e),
      ),
    )
    expect(flushes.map((f) => f !== null)).toEqual([true, false, false])
    await flushes[0]
    expect(batches.map((b) => b.map((m) => m.id))).toEqual([['show_view:1', 'show_view:2', 'show_view:3']])
    // Nothing builds or sends before the flush: an event added after it starts a new one.
    const later = sender.add(
      queue,
      () => view(4),
      (e) => errors.push(e),
    )
    expect(later).not.toBeNull()
    await later
    expect(batches.map((b) => b.length)).toEqual([3, 1])
    expect(errors).toEqual([])
  })

  it('splits more than 100 events into batches of 100, and a failed batch is reported, not retried forever', async () => {
    const sender = new CaptureSender()
    const { queue, batches } = recordingQueue(1)
    const errors: unknown[] = []
    const flushes = Array.from({ length: 250 }, (_, n) =>
      sender.add(
        queue,
        () => view(n),
        (e) => errors.push(e),
      ),
    )
    await flushes[0]
    // The first 100 were refused by the queue (lost, logged); the rest went in two batches.
    expect(errors).toHaveLength(1)
    expect(batches.map((b) => b.length)).toEqual([100, 50])
    expect(batches[0]![0]!.id).toBe('show_view:100')
  })

  it('drops an event whose builder fails without losing the others', async () => {
    const sender = new CaptureSender()
    const { queue, batches } = recordingQueue()
    const errors: unknown[] = []
    const first = sender.add(
      queue,
      () => view(1),
      (e) => errors.push(e),
    )
    sender.add(
      queue,
      () => JSON.parse('{not json'),
      (e) => errors.push(e),
    )
    sender.add(
      queue,
      () => null,
      (e) => errors.push(e),
    )
    await first
    expect(batches).toEqual([[view(1)].map((m) => ({ ...m, at: expect.any(String) }))])
    expect(errors).toHaveLength(1)
  })
})
