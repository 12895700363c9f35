import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { outboxEvents } from '../../../../worker/db/schema.ts'
import { newId } from '../../../../worker/ids.ts'
import worker from '../../../../worker/index.ts'
import { publishOutbox } from '../../../../worker/services/webhooks/outbox-publisher.ts'
import type { WebhookDeliveryMessage } from '../../../../worker/services/webhooks/queue.ts'
import { ApiClient, type OrganizerFixture, organizerWithStaff, problemOf } from '../../../support/api.ts'
import { ok } from '../../../support/catalogue.ts'
import { DnsOverHttpsDouble } from '../../../support/dns-double.ts'
import { WebhookReceiver } from '../../../support/webhook-receiver.ts'

const db = openDatabase(env.DB)
afterEach(() => vi.unstubAllGlobals())

/** The worker as deployed: production rules, names resolved by the test's DNS-over-HTTPS double. */
const production = {
  ENVIRONMENT: 'production',
  PAYMENT_PROVIDER: 'stripe',
  WEBHOOK_DNS_URL: DnsOverHttpsDouble.url,
}

const endpointsOf = (org: OrganizerFixture) => `${org.base}/webhook-endpoints`
const asOwnerIn = (org: OrganizerFixture, bindings: Record<string, unknown>) =>
  new ApiClient(org.owner.cookie, bindings)
const subscribe = (client: ApiClient, org: OrganizerFixture, url: string) =>
  client.post(endpointsOf(org), { url, eventTypes: ['order.refunded'] })

async function expectUrlRefused(res: Response, url: string) {
  expect(res.status, url).toBe(400)
  const problem = await problemOf(res)
  expect(problem.code).toBe('validation')
  expect(problem.errors?.map((e) => e.path)).toEqual(['json.url'])
}

/** One event for the organizer, published, and its delivery made by the real queue consumer under `bindings`. */
async function deliverOneEvent(org: OrganizerFixture, bindings: Record<string, unknown>) {
  const eventId = newId('evt')
  await db.insert(outboxEvents).values({
    id: eventId,
    topic: 'order.refunded',
    organizerId: org.organizerId,
    payload: { orderId: 'ord_x', amount: 100 },
  })
  const sent: WebhookDeliveryMessage[] = []
  await publishOutbox(db, {
    send: async (body) => void sent.push(body),
    sendBatch: async (messages) => {
      for (const m of messages) sent.push(m.body)
    },
  })
  const delivery = await env.DB.prepare('SELECT id FROM webhook_deliveries WHERE event_id = ?')
    .bind(eventId)
    .first<{ id: string }>()
  const message = sent.find((m) => m.deliveryId === delivery!.id)!
  const batch = createMessageBatch<WebhookDeliveryMessage>('webhook-deliveries', [
    { id: `m-${eventId}`, timestamp: new Date(), attempts: 1, body: message },
  ])
  const ctx = createExecutionContext()
  await worker.queue(batch, { ...env, ...bindings } as never, ctx)
  expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([`m-${eventId}`])
  return delivery!.id
}

describe('security: webhook receivers in production', () => {
  it('security: refuses loopback, private, metadata and reserved receivers, by literal or by what a name resolves to', async () => {
    const dns = new DnsOverHttpsDouble().install()
    dns.records.set('hooks.rebound-partner.com', ['93.184.216.34', '10.1.2.3'])
    dns.records.set('v6.rebound-partner.com', ['2606:2800:220:1::1', 'fd00:ec2::254'])
    dns.records.set('receiver.partner-ota.com', ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'])
    const org = await organizerWithStaff()
    const owner = asOwnerIn(org, production)
    for (const url of [
      'http://127.0.0.1:9/',
      'https://10.0.0.1/',
      'https://[::ffff:127.0.0.1]/',
      'https://2130706433/',
      'https://0x7f.0.0.1/',
      'https://0177.0.0.1/',
      'https://169.254.169.254/latest/meta-data/',
      'https://100.100.100.200/',
      'https://[::1]/',
      'https://[fe80::1]/',
      'https://[fd00:ec2::254]/',
      'https://[::ffff:a9fe:a9fe]/',
      'https://0.0.0.0/',
      'https://224.0.0.1/',
      'https://localhost/',
      'https://api.localhost/',
      'https://metadata.google.internal/computeMetadata/v1/',
      'https://metadata/',
      'https://hooks.rebound-partner.com/',
      'https://v6.rebound-partner.com/',
      'https://nowhere.partner-ota.com/',
      'http://receiver.partner-ota.com/',
    ])
      await expectUrlRefused(await subscribe(owner, org, url), url)
    expect(dns.queries).toContainEqual({ name: 'hooks.rebound-partner.com', type: 'A' })

    // A public receiver is accepted; changing it to a private one is refused like creating one.
    const accepted = await ok(subscribe(owner, org, 'https://receiver.partner-ota.com/hooks'), 201)
    await expectUrlRefused(
      await owner.patch(`${endpointsOf(org)}/${accepted.id}`, { url: 'https://10.0.0.1/' }),
      'https://10.0.0.1/',
    )
    expect((await ok(owner.get(`${endpointsOf(org)}/${accepted.id}`))).url).toBe(
      'https://receiver.partner-ota.com/hooks',
    )
  })

  it('security: a receiver whose name starts resolving to a private address gets no delivery, and nothing comes back', async () => {
    const receiver = new WebhookReceiver().install('hooks.partner-ota.com')
    receiver.answer = () => new Response('metadata: instance credentials', { status: 200 })
    const dns = new DnsOverHttpsDouble().install()
    dns.records.set('hooks.partner-ota.com', ['93.184.216.34'])
    const org = await organizerWithStaff()
    const owner = asOwnerIn(org, production)
    const endpoint = await ok(subscribe(owner, org, 'https://hooks.partner-ota.com/in'), 201)

    // While the name points to a public address, deliveries go out and the answer is kept.
    const first = await deliverOneEvent(org, production)
    expect(receiver.received).toHaveLength(1)
    const delivered = await ok(owner.get(`${endpointsOf(org)}/${endpoint.id}/deliveries/${first}`))
    expect(delivered).toMatchObject({ state: 'succeeded', attempts: [{ statusCode: 200 }] })

    // Then the name is pointed inside: the next delivery is refused before anything is sent.
    dns.records.set('hooks.partner-ota.com', ['10.0.0.7'])
    const second = await deliverOneEvent(org, production)
    expect(receiver.received).toHaveLength(1)
    const refused = await ok(owner.get(`${endpointsOf(org)}/${endpoint.id}/deliveries/${second}`))
    expect(refused).toMatchObject({ state: 'retrying', attemptCount: 1 })
    expect(refused.attempts).toEqual([
      expect.objectContaining({
        statusCode: null,
        responseExcerpt: null,
        error: expect.stringMatching(/10\.0\.0\.7/),
      }),
    ])
  })
})

describe('webhook receivers in development and tests', () => {
  it('a loopback receiver over plain http is allowed, other private addresses are not', async () => {
    const org = await organizerWithStaff()
    for (const bindings of [{ ENVIRONMENT: 'development' }, { ENVIRONMENT: 'test' }]) {
      const owner = asOwnerIn(org, bindings)
      for (const url of ['http://127.0.0.1:8799/webhooks', 'http://localhost:8799/', 'http://[::1]:8799/'])
        await ok(subscribe(owner, org, url), 201)
      for (const url of [
        'http://10.0.0.1/',
        'https://169.254.169.254/',
        'http://[fd00::1]/',
        'ftp://127.0.0.1/',
      ])
        await expectUrlRefused(await subscribe(owner, org, url), url)
    }
  })

  it('an unknown deployment environment gets the production rules', async () => {
    const org = await organizerWithStaff()
    const owner = asOwnerIn(org, {
      ENVIRONMENT: 'staging',
      PAYMENT_PROVIDER: 'stripe',
      WEBHOOK_DNS_URL: DnsOverHttpsDouble.url,
    })
    new DnsOverHttpsDouble().install()
    await expectUrlRefused(await subscribe(owner, org, 'http://127.0.0.1:8799/'), 'http://127.0.0.1:8799/')
  })
})
