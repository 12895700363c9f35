import { env } from 'cloudflare:workers'
import { Webhook } from 'standardwebhooks'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runScheduledJobs } from '../../../../worker/scheduled.ts'
import { ok } from '../../../support/catalogue.ts'
import { campaignOnSale, newBuyer, startGroup } from '../../../support/group-buy.ts'
import { WebhookReceiver } from '../../../support/webhook-receiver.ts'

let receiver: WebhookReceiver
beforeEach(() => {
  receiver = new WebhookReceiver().install()
})
afterEach(() => vi.unstubAllGlobals())

describe('group-buy webhooks', () => {
  it('delivers group.started to an endpoint subscribed to it, and not to one that is not', async () => {
    const fixture = await campaignOnSale()
    const subscribed = await ok(
      fixture.owner.post(`${fixture.base}/webhook-endpoints`, {
        url: 'https://hooks.test/groups',
        eventTypes: ['group.started', 'group.joined'],
      }),
      201,
    )
    await ok(
      fixture.owner.post(`${fixture.base}/webhook-endpoints`, {
        url: 'https://hooks.test/orders-only',
        eventTypes: ['order.confirmed'],
      }),
      201,
    )
    const group = await ok(startGroup(newBuyer(), fixture), 201)
    const groupId = group.group.groupId as string
    expect(groupId).toBeTruthy()

    await runScheduledJobs(env)
    const received = await vi.waitFor(
      () => {
        const got = receiver.to('/groups')
        if (got.length < 1) throw new Error('no group webhook yet')
        return got
      },
      { timeout: 15_000, interval: 100 },
    )
    const events = received.map(
      (r) =>
        new Webhook(subscribed.secret).verify(r.body, r.headers) as {
          type: string
          data: Record<string, unknown>
        },
    )
    const started = events.find((e) => e.type === 'group.started')
    expect(started?.data.groupId).toBe(groupId)
    expect(receiver.to('/orders-only')).toHaveLength(0)
  })

  it('accepts group topics when subscribing and rejects unknown ones', async () => {
    const fixture = await campaignOnSale()
    const res = await fixture.owner.post(`${fixture.base}/webhook-endpoints`, {
      url: 'https://hooks.test/x',
      eventTypes: ['group.maybe'],
    })
    expect(res.status).toBe(400)
    for (const type of ['group.succeeded', 'group.failed', 'group.left'])
      await ok(
        fixture.owner.post(`${fixture.base}/webhook-endpoints`, {
          url: 'https://hooks.test/y',
          eventTypes: [type],
        }),
        201,
      )
  })
})
