import { env } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runScheduledJobs } from '../../../../worker/scheduled.ts'
import { ApiClient } from '../../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../../support/catalogue.ts'
import { WebhookReceiver } from '../../../support/webhook-receiver.ts'

let receiver: WebhookReceiver
beforeEach(() => {
  receiver = new WebhookReceiver().install()
})
afterEach(() => vi.unstubAllGlobals())

const events = (showId: string) =>
  env.DB.prepare(
    "SELECT payload FROM outbox_events WHERE topic = 'availability.changed' AND json_extract(payload, '$.showId') = ? ORDER BY created_at",
  )
    .bind(showId)
    .all<{ payload: string }>()
    .then((r) => r.results.map((row) => JSON.parse(row.payload)))

describe('availability.changed: happy path', () => {
  it('fires when a category sells out and when a refund makes it available again, once per transition', async () => {
    await runScheduledJobs(env) // the watcher starts reading order changes from here
    const show = await showOnSale(gridChart(1, 2))
    const endpoint = await ok(
      show.owner.post(`${show.base}/webhook-endpoints`, {
        url: 'https://hooks.test/availability',
        eventTypes: ['availability.changed'],
      }),
      201,
    )
    const buyer = new ApiClient()
    const hold = await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds }), 201)
    const created = await ok(
      buyer.fetch('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `avail-${Date.now()}` },
        body: JSON.stringify({ kind: 'show', showId: show.showId, holdId: hold.id, email: 'b@example.com' }),
      }),
      201,
    )
    await ok(buyer.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }))

    expect((await runScheduledJobs(env)).availabilityChanges).toBe(1)
    expect(await events(show.showId)).toEqual([
      { showId: show.showId, category: 'A', soldOut: true, available: 0, total: 2 },
    ])
    expect((await runScheduledJobs(env)).availabilityChanges).toBe(0)

    await ok(
      show.owner.post(`${show.base}/orders/${created.orderId}/refunds`, { reason: 'venue request' }),
      201,
    )
    expect((await runScheduledJobs(env)).availabilityChanges).toBe(1)
    expect((await events(show.showId)).map((e) => [e.soldOut, e.available])).toEqual([
      [true, 0],
      [false, 2],
    ])

    await vi.waitFor(() => expect(receiver.to('/availability')).toHaveLength(2), {
      timeout: 10_000,
      interval: 100,
    })
    const bodies = receiver.to('/availability').map((r) => JSON.parse(r.body))
    expect(bodies.map((b) => [b.type, b.data.soldOut]).sort()).toEqual([
      ['availability.changed', false],
      ['availability.changed', true],
    ])
    expect(endpoint.id).toMatch(/^whe_/)
  })
})
