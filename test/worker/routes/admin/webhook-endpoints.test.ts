import { env } from 'cloudflare:workers'
import { Webhook } from 'standardwebhooks'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runScheduledJobs } from '../../../../worker/scheduled.ts'
import { ApiClient, problemOf } from '../../../support/api.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from '../../../support/catalogue.ts'
import { WebhookReceiver } from '../../../support/webhook-receiver.ts'

let receiver: WebhookReceiver
beforeEach(() => {
  receiver = new WebhookReceiver().install()
})
afterEach(() => vi.unstubAllGlobals())

let keys = 0
/** A paid order for one seat, sold through `channel` (set as the partner API will when it sells). */
async function paidOrder(show: ShowFixture, seat: number, channel = 'web') {
  const buyer = new ApiClient()
  const hold = await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[seat]] }), 201)
  const created = await ok(
    buyer.fetch('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `wh-${Date.now()}-${keys++}` },
      body: JSON.stringify({
        kind: 'show',
        showId: show.showId,
        holdId: hold.id,
        email: 'buyer@example.com',
      }),
    }),
    201,
  )
  if (channel !== 'web')
    await env.DB.prepare('UPDATE orders SET channel = ? WHERE id = ?').bind(channel, created.orderId).run()
  await ok(buyer.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }))
  return created.orderId as string
}

async function withChannels(show: ShowFixture) {
  for (const code of ['ctrip', 'meituan'])
    await ok(show.owner.post(`${show.base}/sales-channels`, { name: code, code, kind: 'ota' }), 201)
}

const deliveriesOf = async (show: ShowFixture, endpointId: string) =>
  (await ok(show.owner.get(`${show.base}/webhook-endpoints/${endpointId}/deliveries`))).items as Array<
    Record<string, any>
  >

/** Waits for the real queue consumer to settle `count` deliveries of an endpoint. */
async function settled(show: ShowFixture, endpointId: string, count: number, state = 'succeeded') {
  return vi.waitFor(
    async () => {
      const items = await deliveriesOf(show, endpointId)
      const done = items.filter((d) => d.state === state)
      if (done.length < count) throw new Error(`${done.length}/${count} ${state}`)
      return items
    },
    { timeout: 15_000, interval: 100 },
  )
}

describe('webhook endpoints: happy path', () => {
  it('delivers a confirmed order through the queue, signed so standardwebhooks verifies it', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const endpoint = await ok(
      show.owner.post(`${show.base}/webhook-endpoints`, {
        url: 'https://hooks.test/all',
        eventTypes: ['order.confirmed', 'order.refunded'],
      }),
      201,
    )
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/)
    const orderId = await paidOrder(show, 0)
    await runScheduledJobs(env)
    const [delivery] = await settled(show, endpoint.id, 1)

    const [received] = receiver.to('/all')
    expect(receiver.to('/all')).toHaveLength(1)
    const verified = new Webhook(endpoint.secret).verify(received!.body, received!.headers) as Record<
      string,
      any
    >
    expect(verified).toMatchObject({ type: 'order.confirmed', data: { orderId } })
    expect(Date.parse(verified.timestamp)).not.toBeNaN()
    expect(received!.headers['webhook-id']).toBe(delivery!.id)
    expect(delivery).toMatchObject({
      eventType: 'order.confirmed',
      attemptCount: 1,
      attempts: [{ attempt: 1, trigger: 'automatic', statusCode: 200, responseExcerpt: 'ok', error: null }],
    })
    expect(delivery!.attempts[0].latencyMs).toBeGreaterThanOrEqual(0)
  })
})
