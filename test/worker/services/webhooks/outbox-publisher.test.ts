import { env } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { outboxEvents } from '../../../../worker/db/schema.ts'
import { newId } from '../../../../worker/ids.ts'
import { publishOutbox } from '../../../../worker/services/webhooks/outbox-publisher.ts'
import type { WebhookQueue } from '../../../../worker/services/webhooks/queue.ts'
import { type OrganizerFixture, organizerWithStaff } from '../../../support/api.ts'
import { ok } from '../../../support/catalogue.ts'
import { WebhookReceiver } from '../../../support/webhook-receiver.ts'

const db = openDatabase(env.DB)
let receiver: WebhookReceiver
beforeEach(() => {
  receiver = new WebhookReceiver().install()
})
afterEach(() => vi.unstubAllGlobals())

async function endpoint(org: OrganizerFixture, path: string, extra: Record<string, unknown> = {}) {
  return ok(
    org.owner.post(`${org.base}/webhook-endpoints`, {
      url: `https://hooks.test${path}`,
      eventTypes: ['order.confirmed', 'price.changed'],
      ...extra,
    }),
    201,
  )
}

/** What a service writes in its state-change batch. */
async function outboxRow(
  organizerId: string,
  topic = 'price.changed',
  payload: Record<string, unknown> = {},
) {
  const id = newId('evt')
  await db.insert(outboxEvents).values({ id, topic, organizerId, payload: { showId: 'shw_x', ...payload } })
  return id
}

const deliveryRows = (eventId: string) =>
  env.DB.prepare(
    'SELECT endpoint_id, state, attempts FROM webhook_deliveries WHERE event_id = ? ORDER BY endpoint_id',
  )
    .bind(eventId)
    .all<{ endpoint_id: string; state: string; attempts: number }>()
    .then((r) => r.results)

const published = async (eventId: string) =>
  (await env.DB.prepare('SELECT published_at FROM outbox_events WHERE id = ?')
    .bind(eventId)
    .first<{ published_at: string | null }>())!.published_at

/** A queue binding whose worker "dies" at a chosen point: before the send, or after it but before returning. */
function crashingQueue(when: 'before_send' | 'after_send'): WebhookQueue {
  const crash = () => {
    throw new Error('worker died')
  }
  return {
    send: crash,
    sendBatch: async (messages, options) => {
      if (when === 'before_send') crash()
      await env.WEBHOOK_QUEUE.sendBatch(messages, options)
      crash()
    },
  }
}

describe('outbox publisher: happy path', () => {
  it('turns one event into one delivery per subscribed endpoint and marks it published', async () => {
    const org = await organizerWithStaff()
    const a = await endpoint(org, '/pub-a')
    const b = await endpoint(org, '/pub-b')
    await endpoint(org, '/pub-c', { eventTypes: ['order.refunded'] }) // not subscribed
    const eventId = await outboxRow(org.organizerId)
    await publishOutbox(db, env.WEBHOOK_QUEUE)
    expect(await published(eventId)).not.toBeNull()
    expect((await deliveryRows(eventId)).map((d) => d.endpoint_id).sort()).toEqual([a.id, b.id].sort())
    await vi.waitFor(() => expect(receiver.received.length).toBe(2), { timeout: 10_000, interval: 100 })
    expect(receiver.to('/pub-c')).toHaveLength(0)
  })

  it('keeps the webhook event’s own id as data.eventId, whatever the payload carries', async () => {
    const org = await organizerWithStaff()
    await endpoint(org, '/pub-id')
    const eventId = await outboxRow(org.organizerId, 'price.changed', { eventId: 'evt_of_the_show' })
    await publishOutbox(db, env.WEBHOOK_QUEUE)
    const [{ body }] = (
      await env.DB.prepare('SELECT body FROM webhook_deliveries WHERE event_id = ?')
        .bind(eventId)
        .all<{ body: string }>()
    ).results as [{ body: string }]
    expect(JSON.parse(body).data).toMatchObject({ eventId, showId: 'shw_x' })
  })

  it('skips disabled endpoints and other organizers’ endpoints', async () => {
    const [org, other] = [await organizerWithStaff(), await organizerWithStaff()]
    const off = await endpoint(org, '/pub-off')
    await ok(org.owner.post(`${org.base}/webhook-endpoints/${off.id}/disable`, {}))
    await endpoint(other, '/pub-other')
    const eventId = await outboxRow(org.organizerId)
    await publishOutbox(db, env.WEBHOOK_QUEUE)
    expect(await deliveryRows(eventId)).toEqual([])
    expect(await published(eventId)).not.toBeNull()
  })
})

describe('outbox publisher: crashes and duplicates', () => {
  it('survives a crash before and after the queue send: the next run delivers exactly once per endpoint', async () => {
    const org = await organizerWithStaff()
    const a = await endpoint(org, '/crash-a')
    const b = await endpoint(org, '/crash-b')
    const eventId = await outboxRow(org.organizerId)

    // Dies after writing deliveries, before the queue heard of them.
    await expect(publishOutbox(db, crashingQueue('before_send'))).rejects.toThrow('worker died')
    expect(await published(eventId)).toBeNull()
    expect(await deliveryRows(eventId)).toHaveLength(2)

    // Dies after the messages were sent, before the event was marked published.
    await expect(publishOutbox(db, crashingQueue('after_send'))).rejects.toThrow('worker died')
    expect(await published(eventId)).toBeNull()

    // The next cron run finds the event still unpublished and does it all again.
    await publishOutbox(db, env.WEBHOOK_QUEUE)
    expect(await published(eventId)).not.toBeNull()
    await vi.waitFor(
      async () => {
        const rows = await deliveryRows(eventId)
        expect(rows.map((d) => d.state)).toEqual(['succeeded', 'succeeded'])
      },
      { timeout: 10_000, interval: 100 },
    )
    // Two messages per delivery went to the queue; the second of each found its attempt taken and did nothing.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(receiver.to('/crash-a')).toHaveLength(1)
    expect(receiver.to('/crash-b')).toHaveLength(1)
    expect((await deliveryRows(eventId)).map((d) => [d.endpoint_id, d.attempts])).toEqual(
      [
        [a.id, 1],
        [b.id, 1],
      ].sort(),
    )
  })

  it('never double-delivers when several publishers run at once', async () => {
    const org = await organizerWithStaff()
    await endpoint(org, '/race-a')
    await endpoint(org, '/race-b')
    const events = [await outboxRow(org.organizerId), await outboxRow(org.organizerId)]
    await Promise.all(Array.from({ length: 6 }, () => publishOutbox(db, env.WEBHOOK_QUEUE)))
    for (const eventId of events) expect(await deliveryRows(eventId)).toHaveLength(2)
    await vi.waitFor(() => expect(receiver.received.length).toBe(4), { timeout: 10_000, interval: 100 })
    await new Promise((resolve) => setTimeout(resolve, 1500))
    for (const path of ['/race-a', '/race-b']) {
      const ids = receiver.to(path).map((r) => r.headers['webhook-id'])
      expect(ids).toHaveLength(2)
      expect(new Set(ids).size).toBe(2)
    }
  })
})

describe('outbox publisher: channel routing', () => {
  it('routes by the event’s own channel column; events with no channel reach channel endpoints too', async () => {
    const org = await organizerWithStaff()
    for (const code of ['ctrip', 'meituan'])
      await ok(org.owner.post(`${org.base}/sales-channels`, { name: code, code, kind: 'ota' }), 201)
    const ctrip = await endpoint(org, '/chan-ctrip', {
      channel: 'ctrip',
      eventTypes: ['ticket.redeemed', 'price.changed'],
    })
    const meituan = await endpoint(org, '/chan-meituan', {
      channel: 'meituan',
      eventTypes: ['ticket.redeemed', 'price.changed'],
    })
    const redeemed = newId('evt')
    await db.insert(outboxEvents).values({
      id: redeemed,
      topic: 'ticket.redeemed',
      organizerId: org.organizerId,
      channel: 'ctrip',
      payload: { ticketId: 'tkt_unknown' },
    })
    const price = await outboxRow(org.organizerId)
    await publishOutbox(db, env.WEBHOOK_QUEUE)
    expect((await deliveryRows(redeemed)).map((d) => d.endpoint_id)).toEqual([ctrip.id])
    expect((await deliveryRows(price)).map((d) => d.endpoint_id).sort()).toEqual(
      [ctrip.id, meituan.id].sort(),
    )
  })
})
