// Packed capture messages (sender.ts sends a gather window's events as one `{ events }` message): the consumer
// stores a pack's events exactly as it stores the same events sent one per message (the bodies of before packing,
// still in flight during a deploy), and a bad body or event costs only itself.
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../../../../worker/index.ts'
import { capturedEventsOf } from '../../../../worker/services/analytics/consumer.ts'
import type { CaptureMessage } from '../../../../worker/services/analytics/messages.ts'
import { packed } from '../../../../worker/services/analytics/sender.ts'
import { type RollupRow, rollups } from '../../../support/analytics.ts'
import { gridChart, showOnSale } from '../../../support/catalogue.ts'

async function deliver(bodies: unknown[]) {
  const batch = createMessageBatch<unknown>(
    'analytics-events',
    bodies.map((body, i) => ({ id: `p${i}`, timestamp: new Date(), attempts: 1, body })),
  )
  const ctx = createExecutionContext()
  await worker.queue(batch as never, env, ctx)
  expect((await getQueueResult(batch, ctx)).ackAll).toBe(true)
}

/** A browsing-and-holding crowd on one show: views, seat-map opens and holds from several sources and devices. */
function crowd(showId: string, n: number): CaptureMessage[] {
  const at = new Date().toISOString()
  const devices = ['mobile', 'desktop', 'tablet'] as const
  const sources = [undefined, { utmSource: 'weibo', utmCampaign: '国庆' }, { ref: 'SHARE7' }]
  return Array.from({ length: n }, (_, i) => {
    const source = sources[i % 3]
    const base = { at, showId, device: devices[i % 3]!, ...(source ? { source } : {}) }
    if (i % 4 === 3)
      return {
        ...base,
        id: `hold:${crypto.randomUUID()}`,
        kind: 'hold' as const,
        holdId: `hld_${crypto.randomUUID()}`,
        channel: 'web',
        tickets: 1 + (i % 3),
        amount: 10000 * (1 + (i % 3)),
        visitors: [{ position: 0, origin: { province: '31', city: '3101', ageBand: '25-34' as const } }],
      }
    return {
      ...base,
      id: `v:${crypto.randomUUID()}`,
      kind: i % 2 ? ('seat_map_open' as const) : ('show_view' as const),
    }
  })
}

/** What an organizer's captured events left: rollup rows without the ids that differ between two shows. */
async function stored(organizerId: string) {
  // The rows as stored (`SELECT *`) also carry the organizer.
  const rows = (await rollups(organizerId)) as (RollupRow & { organizer_id: string })[]
  const daily = rows.map(({ organizer_id, event_id, show_id, ...row }) => row)
  const traffic = await env.DB.prepare(
    'SELECT * FROM analytics_traffic_daily WHERE organizer_id = ? ORDER BY kind, source, device',
  )
    .bind(organizerId)
    .all<Record<string, unknown>>()
  const raw = await env.DB.prepare('SELECT count(*) AS n FROM analytics_events WHERE organizer_id = ?')
    .bind(organizerId)
    .first<number>('n')
  const staged = await env.DB.prepare(
    `SELECT count(*) AS n FROM analytics_pending_visitors
     WHERE hold_id IN (SELECT hold_id FROM analytics_events WHERE organizer_id = ?)`,
  )
    .bind(organizerId)
    .first<number>('n')
  return {
    daily,
    traffic: traffic.results.map(({ organizer_id, ...row }) => row),
    raw,
    staged,
  }
}

describe('packed capture messages', () => {
  it('a pack of N events stores N events and the same rollups as N single messages, once when redelivered', async () => {
    const singles = await showOnSale(gridChart(1, 10))
    const packs = await showOnSale(gridChart(1, 10))
    const n = 24
    await deliver(crowd(singles.showId, n))
    const pack = { events: crowd(packs.showId, n) }
    await deliver([pack])
    const one = await stored(singles.organizerId)
    const other = await stored(packs.organizerId)
    expect(one.raw).toBe(n)
    expect(one.staged).toBe(6)
    expect(one.daily.reduce((s, r) => s + r.events, 0)).toBe(n)
    expect(one.traffic.length).toBeGreaterThan(0)
    expect(other).toEqual(one)
    // A pack delivered again (the queue's at-least-once) adds nothing.
    await deliver([pack])
    expect(await stored(packs.organizerId)).toEqual(one)
  })

  it('a window split into several packs stores every event once', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const events = crowd(show.showId, 60)
    const packs = packed(events, 3000)
    expect(packs.length).toBeGreaterThan(2)
    await deliver(packs)
    const got = await stored(show.organizerId)
    expect(got.raw).toBe(60)
    expect(got.daily.reduce((s, r) => s + r.events, 0)).toBe(60)
  })

  it('a bad body or a bad event in a pack is dropped and counted; the rest of the batch is stored', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const [a, b, c, d] = crowd(show.showId, 4)
    const bodies = [
      a,
      { events: [b, { ...c, kind: 'purchase' }, { ...c, amount: '9' }, c] },
      'not a message',
      { events: 'nope' },
      { ...d, device: undefined },
      d,
    ]
    const { events, invalid } = capturedEventsOf(bodies)
    expect(events.map((e) => e.id)).toEqual([a!.id, b!.id, c!.id, d!.id])
    expect(invalid).toBe(5)
    await deliver(bodies)
    const got = await stored(show.organizerId)
    expect(got.raw).toBe(4)
  })
})
