// The analytics capture queue's consumer, timed by itself (issue 23: capture adds ≤ 5% to the hold path, and the
// consumer shares the one workerd thread with the holds). Inside the bench worker, on its local D1: batches of 100
// captured holds — as the shop's hold route queues them — stored by the real consumer (`consumeAnalyticsBatch`:
// one read resolving shows and time zones, the raw events in one json_each statement, the daily rollup and only
// the per-report rollups holds reach), beside a same-run baseline storing the same batches the way the consumer
// did before (session 9): drizzle reads, one INSERT per event, the daily rollup and all six per-report inserts.
// The two alternate batch by batch (ABBA), each on its own show, so the machine's drift falls on both alike.
import { inArray } from 'drizzle-orm'
import { type Database, openDatabase } from '../../worker/db/client.ts'
import { organizers, shows } from '../../worker/db/schema.ts'
import { localDayOf, sourceKeyOf } from '../../worker/domain/analytics-events.ts'
import { consumeAnalyticsBatch } from '../../worker/services/analytics/consumer.ts'
import type { CaptureMessage } from '../../worker/services/analytics/messages.ts'
import { rollupStatements } from '../../worker/services/analytics/store.ts'
import { percentile } from './percentile.ts'

const BATCH = 100
const sources = [undefined, { utmSource: 'wechat' }, { ref: 'D1' }, { referrerHost: 'weibo.com' }]

function holdBatch(showId: string, round: number): CaptureMessage[] {
  const at = new Date().toISOString()
  return Array.from({ length: BATCH }, (_, i) => {
    const source = sources[i % sources.length]
    return {
      id: `hold:${crypto.randomUUID()}`,
      kind: 'hold' as const,
      at,
      showId,
      holdId: `hld_${round}_${i}_${crypto.randomUUID().slice(0, 8)}`,
      channel: 'web',
      tickets: 1 + (i % 2),
      amount: 50_000 * (1 + (i % 2)),
      device: i % 3 === 0 ? ('desktop' as const) : ('mobile' as const),
      ...(source ? { source } : {}),
    }
  })
}

const asBatch = (messages: CaptureMessage[]) =>
  ({
    queue: 'analytics-events',
    messages: messages.map((body, i) => ({
      id: String(i),
      timestamp: new Date(),
      attempts: 1,
      body,
      ack() {},
      retry() {},
    })),
    ackAll() {},
    retryAll() {},
  }) as unknown as MessageBatch<CaptureMessage>

// The baseline's raw insert: one statement per event, 24 bound values (the store before this session).
const rawColumns =
  'id, organizer_id, kind, occurred_at, day, event_id, show_id, site_id, product_id, category, channel, source, ' +
  'referrer_host, utm_source, utm_medium, utm_campaign, ref, device, order_id, hold_id, buyer_key, orders, tickets, amount'
const perEventInsert = `INSERT INTO analytics_events (${rawColumns}) VALUES (${rawColumns
  .split(', ')
  .map(() => '?')
  .join(', ')}) ON CONFLICT (id) DO NOTHING`

async function perEventStore(d1: D1Database, db: Database, messages: CaptureMessage[]) {
  // Its reads were built with drizzle: the shows, then their organizers' time zones.
  const showIds = [...new Set(messages.map((m) => m.showId!))]
  const showRows = await db
    .select({ id: shows.id, organizerId: shows.organizerId, eventId: shows.eventId })
    .from(shows)
    .where(inArray(shows.id, showIds))
  const zones = await db
    .select({ id: organizers.id, timezone: organizers.timezone })
    .from(organizers)
    .where(inArray(organizers.id, [...new Set(showRows.map((r) => r.organizerId))]))
  const showOf = new Map(showRows.map((r) => [r.id, r]))
  const zoneOf = new Map(zones.map((r) => [r.id, r.timezone]))
  const statements = messages.flatMap((m) => {
    const show = showOf.get(m.showId!)
    if (!show) return []
    const at = new Date(m.at)
    return [
      d1
        .prepare(perEventInsert)
        .bind(
          m.id,
          show.organizerId,
          m.kind,
          at.toISOString(),
          localDayOf(at, zoneOf.get(show.organizerId) ?? 'Asia/Shanghai'),
          show.eventId,
          m.showId,
          '',
          '',
          '',
          m.channel ?? 'web',
          sourceKeyOf(m.source),
          m.source?.referrerHost ?? null,
          m.source?.utmSource ?? null,
          m.source?.utmMedium ?? null,
          m.source?.utmCampaign ?? null,
          m.source?.ref ?? null,
          m.device,
          null,
          m.holdId ?? null,
          null,
          0,
          m.tickets ?? 0,
          m.amount ?? 0,
        ),
    ]
  })
  for (const sql of rollupStatements) statements.push(d1.prepare(sql))
  await d1.batch(statements)
}

/** `batches` batches each way, alternating; ms per batch of 100 holds stored. */
export async function captureConsumer(d1: D1Database, showIds: [string, string], batches: number) {
  const db = openDatabase(d1)
  const times = { consumer: [] as number[], perEvent: [] as number[] }
  const run = async (side: 'consumer' | 'perEvent', round: number) => {
    const messages = holdBatch(side === 'consumer' ? showIds[0] : showIds[1], round)
    const t0 = performance.now()
    if (side === 'consumer') await consumeAnalyticsBatch(db, asBatch(messages))
    else await perEventStore(d1, db, messages)
    times[side].push(performance.now() - t0)
  }
  // Warm both (statements prepared, pages cached), untimed.
  await consumeAnalyticsBatch(db, asBatch(holdBatch(showIds[0], -1)))
  await perEventStore(d1, db, holdBatch(showIds[1], -1))
  for (let i = 0; i < batches; i++) {
    const order: ('consumer' | 'perEvent')[] =
      i % 2 === 0 ? ['consumer', 'perEvent'] : ['perEvent', 'consumer']
    for (const side of order) await run(side, i)
  }
  const stored = await d1
    .prepare(
      `SELECT show_id, sum(events) AS n FROM analytics_daily WHERE kind = 'hold' AND show_id IN (?, ?) GROUP BY show_id`,
    )
    .bind(...showIds)
    .all<{ show_id: string; n: number }>()
  const figures = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b)
    const mean = list.reduce((t, x) => t + x, 0) / list.length
    return {
      meanMs: Math.round(mean * 10) / 10,
      p50Ms: Math.round(percentile(sorted, 50) * 10) / 10,
      p99Ms: Math.round(percentile(sorted, 99) * 10) / 10,
    }
  }
  const consumer = figures(times.consumer)
  const perEvent = figures(times.perEvent)
  return {
    name: 'capture-consumer: 100 captured holds stored per batch',
    layer: 'do',
    baseline: false,
    holdsPerSecond: Math.round((BATCH * 1000) / consumer.meanMs),
    ...consumer,
    oversold: 0,
    batches,
    perEventBaseline: perEvent,
    ratioToPerEvent: Math.round((consumer.meanMs / perEvent.meanMs) * 1000) / 1000,
    // Every hold stored and rolled up once on each side (the warm-up batch included).
    storedHolds: Object.fromEntries(stored.results.map((r) => [r.show_id, Number(r.n)])),
  }
}
