import { env } from 'cloudflare:workers'
import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { stripeProvider } from '../../../../worker/services/payments/stripe.ts'
import { ApiClient, problemOf } from '../../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../../support/catalogue.ts'

const secret = 'whsec_test_secret'
const crypto = Stripe.createSubtleCryptoProvider()
const stripeLib = new Stripe('sk_test_not_a_real_key', { httpClient: Stripe.createFetchHttpClient() })

/** A Stripe-signed webhook delivery, signed with Stripe's own test helper (not our code). */
async function signed(event: Record<string, unknown>, signingSecret = secret) {
  const payload = JSON.stringify(event)
  const header = await stripeLib.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: signingSecret,
    cryptoProvider: crypto,
  })
  return { payload, headers: new Headers({ 'stripe-signature': header }) }
}

const sessionEvent = (type: string, paymentId: string, extra: Record<string, unknown> = {}) => ({
  id: `evt_${Math.random().toString(36).slice(2)}`,
  object: 'event',
  type,
  data: {
    object: {
      id: 'cs_test_1',
      object: 'checkout.session',
      amount_total: 10000,
      payment_status: 'paid',
      payment_intent: 'pi_test_1',
      client_reference_id: paymentId,
      metadata: { paymentId },
      ...extra,
    },
  },
})

describe('Stripe adapter', () => {
  const provider = stripeProvider({ secretKey: 'sk_test_not_a_real_key', webhookSecret: secret })

  it('accepts notifications signed by Stripe’s scheme and maps Checkout events', async () => {
    const paid = await signed(sessionEvent('checkout.session.completed', 'pay_1'))
    expect(await provider.verifyNotification(paid.payload, paid.headers)).toMatchObject({
      valid: true,
      event: { type: 'payment.succeeded', paymentId: 'pay_1', amount: 10000, providerRef: 'pi_test_1' },
    })
    const pendingAlipay = await signed(
      sessionEvent('checkout.session.completed', 'pay_2', { payment_status: 'unpaid' }),
    )
    expect(await provider.verifyNotification(pendingAlipay.payload, pendingAlipay.headers)).toEqual({
      valid: true,
      event: null,
    })
    const asyncOk = await signed(sessionEvent('checkout.session.async_payment_succeeded', 'pay_2'))
    expect(
      (await provider.verifyNotification(asyncOk.payload, asyncOk.headers)) as { event: { type: string } },
    ).toMatchObject({
      event: { type: 'payment.succeeded' },
    })
    const expired = await signed(sessionEvent('checkout.session.expired', 'pay_3'))
    expect(await provider.verifyNotification(expired.payload, expired.headers)).toMatchObject({
      event: { type: 'payment.failed' },
    })
  })

  it('rejects a wrong secret, a tampered body and a missing header', async () => {
    const forged = await signed(sessionEvent('checkout.session.completed', 'pay_1'), 'whsec_other')
    expect(await provider.verifyNotification(forged.payload, forged.headers)).toEqual({ valid: false })
    const good = await signed(sessionEvent('checkout.session.completed', 'pay_1'))
    expect(await provider.verifyNotification(good.payload.replace('10000', '1'), good.headers)).toEqual({
      valid: false,
    })
    expect(await provider.verifyNotification(good.payload, new Headers())).toEqual({ valid: false })
  })

  it('creates one Checkout Session per payment with card, Alipay and WeChat Pay, and refunds idempotently', async () => {
    const calls: { url: string; body: string; idempotencyKey: string | null }[] = []
    const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input)
      calls.push({
        url,
        body: String(init?.body ?? ''),
        idempotencyKey: new Headers(init?.headers).get('idempotency-key'),
      })
      const body = url.includes('/refunds')
        ? { id: 're_1', object: 'refund' }
        : { id: 'cs_test_9', object: 'checkout.session', url: 'https://checkout.stripe.com/c/pay/cs_test_9' }
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json', 'request-id': 'req_1' },
      })
    }) as typeof fetch
    const withFake = stripeProvider({ secretKey: 'sk_test_x', webhookSecret: secret, fetch: fakeFetch })
    const url = await withFake.checkoutUrl(
      { id: 'pay_9', orderId: 'ord_9', amount: 12345, currency: 'CNY' },
      'https://tickets.test',
    )
    expect(url).toBe('https://checkout.stripe.com/c/pay/cs_test_9')
    const create = calls[0]!
    expect(create.url).toBe('https://api.stripe.com/v1/checkout/sessions')
    expect(create.idempotencyKey).toBe('checkout-pay_9')
    const form = new URLSearchParams(create.body)
    expect(
      form.getAll('allowed_payment_method_types[]').length +
        form.getAll('allowed_payment_method_types[0]').length,
    ).toBeGreaterThan(0)
    expect(create.body).toContain('wechat_pay')
    expect(create.body).toContain('alipay')
    expect(form.get('line_items[0][price_data][unit_amount]')).toBe('12345')
    expect(form.get('line_items[0][price_data][currency]')).toBe('cny')
    expect(form.get('metadata[paymentId]')).toBe('pay_9')
    expect(await withFake.refund({ id: 'pay_9', providerRef: 'pi_9', amount: 12345 }, 'rf_1', 5000)).toBe(
      're_1',
    )
    expect(calls[1]).toMatchObject({
      url: 'https://api.stripe.com/v1/refunds',
      idempotencyKey: 'refund-rf_1',
    })
    expect(new URLSearchParams(calls[1]!.body).get('amount')).toBe('5000')
  })
})

describe('Stripe webhook route', () => {
  it('marks an order paid from a signed checkout.session.completed and ignores duplicates', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    const hold = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 1) }),
      201,
    )
    const created = await ok(
      buyer.fetch('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `stripe-${Date.now()}` },
        body: JSON.stringify({ kind: 'show', showId: show.showId, holdId: hold.id, email: 's@example.com' }),
      }),
      201,
    )
    // The order was created with the test pool's sandbox provider; as if Stripe had been configured then:
    await env.DB.prepare("UPDATE payments SET provider = 'stripe' WHERE id = ?").bind(created.paymentId).run()
    const event = sessionEvent('checkout.session.completed', created.paymentId)
    const { payload, headers } = await signed(event)
    const deliver = () =>
      new ApiClient().fetch('/api/payments/stripe/webhook', { method: 'POST', headers, body: payload })
    expect(await ok(deliver())).toEqual({ received: true, duplicate: false })
    expect(await ok(deliver())).toEqual({ received: true, duplicate: true })
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
    expect(order.status).toBe('paid')
    const ref = await env.DB.prepare('SELECT provider_ref FROM payments WHERE id = ?')
      .bind(created.paymentId)
      .first<string>('provider_ref')
    expect(ref).toBe('pi_test_1')
    const bad = await new ApiClient().fetch('/api/payments/stripe/webhook', {
      method: 'POST',
      headers: { 'stripe-signature': 't=1,v1=00' },
      body: payload,
    })
    expect((await problemOf(bad)).code).toBe('bad_signature')
  })
})
