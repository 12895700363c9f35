import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { outboxEvents } from '../../../../worker/db/schema.ts'
import { newId } from '../../../../worker/ids.ts'
import { publishOutbox } from '../../../../worker/services/webhooks/outbox-publisher.ts'

const db = openDatabase(env.DB)
const noQueue = { send: async () => undefined, sendBatch: async () => undefined }

describe('outbox publisher: a backlog', () => {
  it('publishes a backlog of 250 events (an on-sale’s confirmations) without exceeding D1’s 100 bound parameters', async () => {
    // Older than anything else in the outbox, so these are the runs' first picks.
    const ids = Array.from({ length: 250 }, (_, i) => newId('evt', Date.parse('2001-01-01T00:00:00Z') + i))
    for (let i = 0; i < ids.length; i += 10)
      await db.insert(outboxEvents).values(
        ids.slice(i, i + 10).map((id, j) => ({
          id,
          topic: 'order.confirmed',
          organizerId: null,
          payload: { orderId: `ord_backlog_${i + j}` },
          createdAt: new Date(Date.parse('2001-01-01T00:00:00Z') + i + j).toISOString(),
        })),
      )
    for (let run = 0; run < 5; run++) await publishOutbox(db, noQueue)
    const left = await env.DB.prepare(
      "SELECT count(*) AS n FROM outbox_events WHERE id LIKE 'evt_%' AND published_at IS NULL AND created_at < '2002'",
    ).first<number>('n')
    expect(left).toBe(0)
  })
})
