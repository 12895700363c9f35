import { env } from 'cloudflare:workers'
import { Webhook } from 'standardwebhooks'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runScheduledJobs } from '../../../../worker/scheduled.ts'
import { ApiClient, problemOf } from '../../../support/api.ts'
import { gridChart, ok, type ShowFixture, scenicSiteOnSale, showOnSale } from '../../../support/catalogue.ts'
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

const create = (show: ShowFixture, path: string, extra: Record<string, unknown> = {}) =>
  ok(
    show.owner.post(`${show.base}/webhook-endpoints`, {
      url: `https://hooks.test${path}`,
      eventTypes: ['order.confirmed'],
      ...extra,
    }),
    201,
  )

const orderIdsAt = (path: string) =>
  receiver.to(path).map((r) => (JSON.parse(r.body) as { data: { orderId: string } }).data.orderId)

describe('webhook endpoints: publishing right after the write', () => {
  it('a payment’s confirmation reaches the receiver without waiting for the cron', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const endpoint = await create(show, '/kick')
    const orderId = await paidOrder(show, 0)
    await settled(show, endpoint.id, 1)
    expect(orderIdsAt('/kick')).toEqual([orderId])
  })
})

describe('webhook endpoints: routing and lifecycle', () => {
  it('routes by channel: a ctrip endpoint gets only ctrip orders, an endpoint without channel gets all', async () => {
    const show = await showOnSale(gridChart(1, 10))
    await withChannels(show)
    const ctrip = await create(show, '/route-ctrip', { channel: 'ctrip' })
    const meituan = await create(show, '/route-meituan', { channel: 'meituan' })
    const all = await create(show, '/route-all')
    const webOrder = await paidOrder(show, 0)
    const ctripOrder = await paidOrder(show, 1, 'ctrip')
    await runScheduledJobs(env)
    await settled(show, all.id, 2)
    await settled(show, ctrip.id, 1)
    expect(orderIdsAt('/route-ctrip')).toEqual([ctripOrder])
    expect(orderIdsAt('/route-all').sort()).toEqual([webOrder, ctripOrder].sort())
    expect(await deliveriesOf(show, meituan.id)).toEqual([])
    expect(orderIdsAt('/route-meituan')).toEqual([])
  })

  it('lists, reads, updates, disables, enables and deletes an endpoint', async () => {
    const show = await showOnSale(gridChart(1, 4))
    await withChannels(show)
    const created = await create(show, '/life', { description: 'Ops' })
    expect(created).toMatchObject({
      url: 'https://hooks.test/life',
      eventTypes: ['order.confirmed'],
      channel: null,
      enabled: true,
    })
    const path = `${show.base}/webhook-endpoints/${created.id}`
    expect(
      (await ok(show.owner.get(`${show.base}/webhook-endpoints`))).items.map((e: { id: string }) => e.id),
    ).toEqual([created.id])
    const updated = await ok(
      show.owner.patch(path, {
        url: 'https://hooks.test/life2',
        eventTypes: ['order.refunded', 'order.refunded'],
        channel: 'ctrip',
      }),
    )
    expect(updated).toMatchObject({
      url: 'https://hooks.test/life2',
      eventTypes: ['order.refunded'],
      channel: 'ctrip',
      description: 'Ops',
    })
    expect(await ok(show.owner.post(`${path}/disable`, {}))).toMatchObject({ enabled: false })
    expect(await ok(show.owner.get(path))).toMatchObject({
      enabled: false,
      disabledReason: expect.stringContaining('disabled by'),
    })
    expect(await ok(show.owner.post(`${path}/enable`, {}))).toMatchObject({
      enabled: true,
      disabledReason: null,
    })
    expect((await show.owner.delete(path)).status).toBe(204)
    expect((await problemOf(await show.owner.get(path))).code).toBe('not_found')
  })

  it('shows the secret once: on create and on rotation; the old secret signs beside the new one for a day', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const created = await create(show, '/rotate')
    const path = `${show.base}/webhook-endpoints/${created.id}`
    const rotated = await ok(show.owner.post(`${path}/rotate-secret`, {}))
    expect(rotated.secret).toMatch(/^whsec_/)
    expect(rotated.secret).not.toBe(created.secret)
    const texts = [
      await (await show.owner.get(path)).text(),
      await (await show.owner.get(`${show.base}/webhook-endpoints`)).text(),
      await (await show.owner.post(`${path}/disable`, {})).text(),
      await (await show.owner.post(`${path}/enable`, {})).text(),
      await (await show.owner.patch(path, { description: 'x' })).text(),
    ]
    for (const text of texts) {
      expect(text).not.toContain('whsec_')
      expect(text).not.toContain('secret')
    }
    await paidOrder(show, 0)
    await runScheduledJobs(env)
    await settled(show, created.id, 1)
    const [received] = receiver.to('/rotate')
    expect(new Webhook(rotated.secret).verify(received!.body, received!.headers)).toBeTruthy()
    expect(new Webhook(created.secret).verify(received!.body, received!.headers)).toBeTruthy()
    expect(JSON.stringify(await deliveriesOf(show, created.id))).not.toContain('whsec_')
  })

  it('replays a delivery: same webhook-id, freshly signed, logged as a new attempt', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const endpoint = await create(show, '/replay')
    await paidOrder(show, 0)
    await runScheduledJobs(env)
    const [delivery] = await settled(show, endpoint.id, 1)
    const replay = await ok(
      show.owner.post(`${show.base}/webhook-endpoints/${endpoint.id}/deliveries/${delivery!.id}/replay`, {}),
      202,
    )
    expect(replay).toMatchObject({ id: delivery!.id, state: 'pending' })
    const after = await vi.waitFor(
      async () => {
        const one = await ok(
          show.owner.get(`${show.base}/webhook-endpoints/${endpoint.id}/deliveries/${delivery!.id}`),
        )
        if (one.attempts.length < 2 || one.state !== 'succeeded') throw new Error('not replayed yet')
        return one
      },
      { timeout: 15_000, interval: 100 },
    )
    expect(after.attempts.map((a: { trigger: string }) => a.trigger)).toEqual(['automatic', 'replay'])
    expect(after.attemptCount).toBe(2)
    const received = receiver.to('/replay')
    expect(received).toHaveLength(2)
    expect(received.map((r) => r.headers['webhook-id'])).toEqual([delivery!.id, delivery!.id])
    for (const r of received) expect(new Webhook(endpoint.secret).verify(r.body, r.headers)).toBeTruthy()
  })

  it('emits price.changed when a show’s prices change, also to channel endpoints; other edits emit nothing', async () => {
    const show = await showOnSale(gridChart(1, 4))
    await withChannels(show)
    const ctrip = await create(show, '/price-ctrip', { channel: 'ctrip', eventTypes: ['price.changed'] })
    const showPath = `${show.base}/shows/${show.showId}`
    const before = await ok(show.owner.get(showPath))
    await ok(show.owner.patch(showPath, { prices: { A: before.prices.A + 500 } }))
    await ok(show.owner.patch(showPath, { prices: { A: before.prices.A + 500 } })) // unchanged: no event
    await runScheduledJobs(env)
    const [delivery] = await settled(show, ctrip.id, 1)
    expect(delivery!.payload).toMatchObject({
      type: 'price.changed',
      data: {
        showId: show.showId,
        prices: { A: before.prices.A + 500 },
        previousPrices: { A: before.prices.A },
      },
    })
    expect(await deliveriesOf(show, ctrip.id)).toHaveLength(1)
  })
})

describe('webhook endpoints: price.changed for scenic products', () => {
  it('emits price.changed with the old and new price when a visit product’s price changes', async () => {
    const site = await scenicSiteOnSale()
    const endpoint = await ok(
      site.owner.post(`${site.base}/webhook-endpoints`, {
        url: 'https://hooks.test/product-price',
        eventTypes: ['price.changed'],
      }),
      201,
    )
    const path = `${site.base}/visit-products/${site.gateProduct}`
    const before = await ok(site.owner.get(path))
    await ok(site.owner.patch(path, { name: 'Gate ticket (renamed)' })) // no price change: no event
    await ok(site.owner.patch(path, { price: before.price + 1000 }))
    await runScheduledJobs(env)
    await vi.waitFor(() => expect(receiver.to('/product-price')).toHaveLength(1), {
      timeout: 15_000,
      interval: 100,
    })
    const [received] = receiver.to('/product-price')
    expect(new Webhook(endpoint.secret).verify(received!.body, received!.headers)).toMatchObject({
      type: 'price.changed',
      data: {
        productId: site.gateProduct,
        siteId: site.siteId,
        price: before.price + 1000,
        previousPrice: before.price,
      },
    })
  })
})

describe('webhook endpoints: errors', () => {
  it('refuses bad input, listing every bad field', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const res = await show.owner.post(`${show.base}/webhook-endpoints`, {
      url: 'ftp://hooks.test/x',
      eventTypes: ['order.confirmed', 'order.exploded'],
      channel: 'NOPE',
    })
    expect(res.status).toBe(400)
    const problem = await problemOf(res)
    expect(problem.errors!.map((e) => e.path).sort()).toEqual(['json.channel', 'json.eventTypes.1'])
    const scheme = await problemOf(
      await show.owner.post(`${show.base}/webhook-endpoints`, {
        url: 'ftp://hooks.test/x',
        eventTypes: ['order.confirmed'],
      }),
    )
    expect(scheme.errors).toEqual([{ path: 'json.url', message: 'must be an https:// or http:// URL' }])
    const empty = await problemOf(
      await show.owner.post(`${show.base}/webhook-endpoints`, { url: 'not a url', eventTypes: [] }),
    )
    expect(empty.errors!.map((e) => e.path).sort()).toEqual(['json.eventTypes', 'json.url'])
    const unknownChannel = await problemOf(
      await show.owner.post(`${show.base}/webhook-endpoints`, {
        url: 'https://hooks.test/x',
        eventTypes: ['order.confirmed'],
        channel: 'fliggy',
      }),
    )
    expect(unknownChannel.errors).toEqual([
      { path: 'json.channel', message: 'no sales channel fliggy in this organizer' },
    ])
  })

  it('disables the endpoint when the receiver answers 410; later events are not delivered and replay is refused', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const endpoint = await create(show, '/gone')
    receiver.answer = () => new Response('gone', { status: 410 })
    await paidOrder(show, 0)
    await runScheduledJobs(env)
    const [delivery] = await settled(show, endpoint.id, 1, 'dead')
    expect(delivery!.attempts).toMatchObject([{ statusCode: 410, responseExcerpt: 'gone' }])
    expect(await ok(show.owner.get(`${show.base}/webhook-endpoints/${endpoint.id}`))).toMatchObject({
      enabled: false,
      disabledReason: 'the receiver answered 410 Gone',
    })
    await paidOrder(show, 1)
    await runScheduledJobs(env)
    expect(await deliveriesOf(show, endpoint.id)).toHaveLength(1)
    const replay = await show.owner.post(
      `${show.base}/webhook-endpoints/${endpoint.id}/deliveries/${delivery!.id}/replay`,
      {},
    )
    expect(replay.status).toBe(409)
    expect((await problemOf(replay)).code).toBe('conflict')
  })

  it('logs a failed attempt with status, latency and a 1 kB excerpt, and schedules the retry about 5 s later', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const endpoint = await create(show, '/fail')
    receiver.answer = () => new Response('é'.repeat(3000), { status: 500 })
    await paidOrder(show, 0)
    await runScheduledJobs(env)
    const [delivery] = await settled(show, endpoint.id, 1, 'retrying')
    const [attempt] = delivery!.attempts
    expect(attempt).toMatchObject({ attempt: 1, statusCode: 500, error: 'receiver answered HTTP 500' })
    expect(new TextEncoder().encode(attempt.responseExcerpt).byteLength).toBeLessThanOrEqual(1024)
    expect(attempt.responseExcerpt).toMatch(/^é{500,}$/)
    const wait = Date.parse(delivery!.nextAttemptAt) - Date.parse(attempt.at)
    expect(wait).toBe(5_000)
    // Stop the retry from reaching later tests.
    await ok(show.owner.post(`${show.base}/webhook-endpoints/${endpoint.id}/disable`, {}))
  })

  it('answers 404 for unknown endpoints and deliveries', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const endpoint = await create(show, '/nf')
    expect((await show.owner.get(`${show.base}/webhook-endpoints/whe_missing`)).status).toBe(404)
    expect(
      (await show.owner.get(`${show.base}/webhook-endpoints/${endpoint.id}/deliveries/msg_missing`)).status,
    ).toBe(404)
    expect(
      (
        await show.owner.post(
          `${show.base}/webhook-endpoints/${endpoint.id}/deliveries/msg_missing/replay`,
          {},
        )
      ).status,
    ).toBe(404)
  })
})

describe('webhook endpoints: security', () => {
  it('another organizer’s owner cannot see or touch an endpoint (404), nor reach this organizer’s list (403)', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const endpoint = await create(show, '/private')
    await paidOrder(show, 0)
    await runScheduledJobs(env)
    const [delivery] = await settled(show, endpoint.id, 1)
    const other = await showOnSale(gridChart(1, 4))
    const foreign = `${other.base}/webhook-endpoints/${endpoint.id}`
    const attempts = [
      other.owner.get(foreign),
      other.owner.patch(foreign, { url: 'https://hooks.test/stolen' }),
      other.owner.post(`${foreign}/rotate-secret`, {}),
      other.owner.post(`${foreign}/disable`, {}),
      other.owner.get(`${foreign}/deliveries`),
      other.owner.get(`${foreign}/deliveries/${delivery!.id}`),
      other.owner.post(`${foreign}/deliveries/${delivery!.id}/replay`, {}),
      other.owner.delete(foreign),
    ]
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404)
    expect((await ok(other.owner.get(`${other.base}/webhook-endpoints`))).items).toEqual([])
    expect((await other.owner.get(`${show.base}/webhook-endpoints`)).status).toBe(403)
    expect((await other.owner.get(`${show.base}/webhook-endpoints/${endpoint.id}`)).status).toBe(403)
    // Untouched.
    expect(await ok(show.owner.get(`${show.base}/webhook-endpoints/${endpoint.id}`))).toMatchObject({
      url: 'https://hooks.test/private',
      enabled: true,
    })
    expect(receiver.to('/private')).toHaveLength(1)
  })

  it('only owners manage webhooks; managers and gate staff are forbidden, strangers unauthorized', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const endpoint = await create(show, '/roles')
    for (const client of [show.manager, show.gate]) {
      expect((await client.get(`${show.base}/webhook-endpoints`)).status).toBe(403)
      expect(
        (await client.post(`${show.base}/webhook-endpoints/${endpoint.id}/rotate-secret`, {})).status,
      ).toBe(403)
      expect(
        (
          await client.post(`${show.base}/webhook-endpoints`, {
            url: 'https://hooks.test/x',
            eventTypes: ['order.confirmed'],
          })
        ).status,
      ).toBe(403)
      // The delivery log and replays (their own module) sit behind the same owner check.
      expect((await client.get(`${show.base}/webhook-endpoints/${endpoint.id}/deliveries`)).status).toBe(403)
      expect(
        (await client.post(`${show.base}/webhook-endpoints/${endpoint.id}/deliveries/msg_x/replay`, {}))
          .status,
      ).toBe(403)
    }
    expect((await new ApiClient().get(`${show.base}/webhook-endpoints`)).status).toBe(401)
    expect(
      (await new ApiClient().get(`${show.base}/webhook-endpoints/${endpoint.id}/deliveries`)).status,
    ).toBe(401)
  })
})
