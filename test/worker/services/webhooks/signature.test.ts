import { Webhook, WebhookVerificationError } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { newWebhookSecret, webhookHeaders } from '../../../../worker/services/webhooks/signature.ts'

const body = JSON.stringify({
  type: 'order.confirmed',
  timestamp: '2026-11-23T10:00:00.000Z',
  data: { orderId: 'ord_1' },
})
const nowSeconds = () => Math.floor(Date.now() / 1000)

describe('webhook signatures: happy path (verified by the standardwebhooks library)', () => {
  it('signs id.timestamp.body so a receiver using standardwebhooks accepts it', async () => {
    const secret = newWebhookSecret()
    const headers = await webhookHeaders([secret], 'msg_1', nowSeconds(), body)
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/)
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body))
  })

  it('carries one signature per secret during a rotation; either secret verifies', async () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()]
    const headers = await webhookHeaders([current, previous], 'msg_2', nowSeconds(), body)
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2)
    expect(new Webhook(current).verify(body, headers)).toBeTruthy()
    expect(new Webhook(previous).verify(body, headers)).toBeTruthy()
  })

  it('makes a fresh 32-byte secret each time', () => {
    const a = newWebhookSecret()
    expect(atob(a.slice('whsec_'.length))).toHaveLength(32)
    expect(newWebhookSecret()).not.toBe(a)
  })
})

describe('webhook signatures: rejected by the receiver', () => {
  it('rejects a tampered body', async () => {
    const secret = newWebhookSecret()
    const headers = await webhookHeaders([secret], 'msg_3', nowSeconds(), body)
    expect(() => new Webhook(secret).verify(body.replace('ord_1', 'ord_2'), headers)).toThrow(
      WebhookVerificationError,
    )
  })

  it('rejects a signature made with another secret', async () => {
    const headers = await webhookHeaders([newWebhookSecret()], 'msg_4', nowSeconds(), body)
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(WebhookVerificationError)
  })

  it('rejects a stale (replayed) message and a changed webhook-id', async () => {
    const secret = newWebhookSecret()
    const stale = await webhookHeaders([secret], 'msg_5', nowSeconds() - 10 * 60, body)
    expect(() => new Webhook(secret).verify(body, stale)).toThrow(WebhookVerificationError)
    const fresh = await webhookHeaders([secret], 'msg_5', nowSeconds(), body)
    expect(() => new Webhook(secret).verify(body, { ...fresh, 'webhook-id': 'msg_6' })).toThrow(
      WebhookVerificationError,
    )
  })
})
