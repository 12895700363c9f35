import { describe, expect, it } from 'vitest'
import type {
  AnalyticsQueue,
  CaptureMessage,
  CapturePack,
} from '../../../../worker/services/analytics/messages.ts'
import { CaptureSender, packed } from '../../../../worker/services/analytics/sender.ts'

function recordingQueue(fail = 0) {
  const messages: CapturePack[] = []
  let failures = fail
  const queue: AnalyticsQueue = {
    send: async (body) => {
      if (failures-- > 0) throw new Error('queue unavailable')
      if (!('events' in body)) throw new Error('capture sends packs only')
      messages.push(body)
    },
    sendBatch: async () => {
      throw new Error('capture sends one pack per message')
    },
  }
  return { queue, messages }
}

const view = (n: number, campaign?: string): CaptureMessage => ({
  id: `show_view:${n}`,
  kind: 'show_view',
  at: new Date().toISOString(),
  showId: 'shw_x',
  device: 'mobile',
  ...(campaign ? { source: { utmCampaign: campaign } } : {}),
})
const ids = (packs: CapturePack[]) => packs.map((p) => p.events.map((e) => e.id))
const jsonBytes = (pack: CapturePack) => new TextEncoder().encode(JSON.stringify(pack)).byteLength

describe('capture leaves an isolate packed', () => {
  it('sends the events of concurrent requests as one message, kept alive by the first request only', async () => {
    const sender = new CaptureSender(5)
    const { queue, messages } = recordingQueue()
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
    expect(ids(messages)).toEqual([['show_view:1', 'show_view:2', 'show_view:3']])
    // Nothing builds or sends before the flush: an event added after it starts a new one.
    const later = sender.add(
      queue,
      () => view(4),
      (e) => errors.push(e),
    )
    expect(later).not.toBeNull()
    await later
    expect(ids(messages)).toEqual([['show_view:1', 'show_view:2', 'show_view:3'], ['show_view:4']])
    expect(errors).toEqual([])
  })

  it('an event added while the last window is being sent starts the next window (nothing waits unsent)', async () => {
    let release: () => void = () => {}
    const sent: CapturePack[] = []
    const queue: AnalyticsQueue = {
      send: async (body) => {
        sent.push(body as CapturePack)
        if (sent.length === 1) await new Promise<void>((resolve) => (release = resolve))
      },
      sendBatch: async () => {},
    }
    const sender = new CaptureSender(5)
    const first = sender.add(
      queue,
      () => view(1),
      () => {},
    )
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(sent).toHaveLength(1)
    const second = sender.add(
      queue,
      () => view(2),
      () => {},
    )
    expect(second).not.toBeNull()
    await second
    release()
    await first
    expect(ids(sent)).toEqual([['show_view:1'], ['show_view:2']])
  })

  it('splits a window bigger than a message into packs under the limit, in order, none lost', async () => {
    // 40 events with Chinese campaign names (3 UTF-8 bytes a character) under a 2,000-byte limit.
    const events = Array.from({ length: 40 }, (_, n) => view(n, '国庆黄金周'.repeat(1 + (n % 3))))
    const packs = packed(events, 2000)
    expect(packs.length).toBeGreaterThan(1)
    for (const pack of packs) expect(jsonBytes(pack)).toBeLessThanOrEqual(2000)
    expect(packs.flatMap((p) => p.events)).toEqual(events)
    // Full packs: the next event would not have fitted.
    for (let i = 0; i + 1 < packs.length; i++) {
      const grown = { events: [...packs[i]!.events, packs[i + 1]!.events[0]!] }
      expect(jsonBytes(grown)).toBeGreaterThan(2000)
    }
    // The default limit keeps a message under Queues' 128 KB.
    const burst = Array.from({ length: 1000 }, (_, n) => view(n, '春节'))
    const defaults = packed(burst)
    expect(defaults.length).toBeGreaterThan(1)
    for (const pack of defaults) expect(jsonBytes(pack)).toBeLessThanOrEqual(128 * 1024)
  })

  it('a refused message is reported and loses only its own events', async () => {
    const sender = new CaptureSender(5, 2000)
    const { queue, messages } = recordingQueue(1)
    const errors: unknown[] = []
    const flushes = Array.from({ length: 40 }, (_, n) =>
      sender.add(
        queue,
        () => view(n),
        (e) => errors.push(e),
      ),
    )
    await flushes[0]
    const all = packed(
      Array.from({ length: 40 }, (_, n) => view(n)),
      2000,
    )
    expect(errors).toHaveLength(1)
    expect(ids(messages)).toEqual(ids(all).slice(1))
  })

  it('drops an event whose builder fails without losing the others', async () => {
    const sender = new CaptureSender(5)
    const { queue, messages } = recordingQueue()
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
    expect(messages).toEqual([{ events: [{ ...view(1), at: expect.any(String) }] }])
    expect(errors).toHaveLength(1)
  })
})
