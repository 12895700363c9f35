import Stripe from 'stripe'
import type { PaymentEvent, PaymentProvider } from './provider.ts'

export interface StripeSettings {
  secretKey: string
  webhookSecret: string
  /** Injected in tests; the Worker's global fetch otherwise. */
  fetch?: typeof fetch
}

/**
 * Stripe Checkout Sessions (card, Alipay, WeChat Pay) behind the same interface as the sandbox.
 * Webhooks are verified with Stripe's own library (`constructEventAsync` with WebCrypto).
 */
export function stripeProvider(settings: StripeSettings): PaymentProvider {
  const stripe = new Stripe(settings.secretKey, { httpClient: Stripe.createFetchHttpClient(settings.fetch) })
  const cryptoProvider = Stripe.createSubtleCryptoProvider()
  return {
    name: 'stripe',
    async chargePaymentCode() {
      // Stripe takes WeChat Pay and Alipay only through its hosted flows, not a merchant-scanned code.
      return { status: 'unsupported', reason: 'Stripe does not charge scanned payment codes (付款码)' }
    },
    async checkoutUrl(payment, origin) {
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          allowed_payment_method_types: ['card', 'alipay', 'wechat_pay'],
          payment_method_options: { wechat_pay: { client: 'web' } },
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: payment.currency.toLowerCase(),
                unit_amount: payment.amount,
                product_data: { name: payment.description ?? `Order ${payment.orderId}` },
              },
            },
          ],
          client_reference_id: payment.id,
          metadata: { paymentId: payment.id, orderId: payment.orderId },
          payment_intent_data: { metadata: { paymentId: payment.id, orderId: payment.orderId } },
          success_url: `${origin}/orders/${payment.orderId}?paid=1`,
          cancel_url: `${origin}/orders/${payment.orderId}`,
        },
        // One session per payment, whatever the retries.
        { idempotencyKey: `checkout-${payment.id}` },
      )
      if (!session.url) throw new Error('Stripe returned a session without a URL')
      return session.url
    },
    async verifyNotification(body, headers) {
      const signature = headers.get('stripe-signature')
      if (!signature) return { valid: false }
      let event: Stripe.Event
      try {
        event = await stripe.webhooks.constructEventAsync(
          body,
          signature,
          settings.webhookSecret,
          300,
          cryptoProvider,
        )
      } catch {
        return { valid: false }
      }
      return { valid: true, event: toPaymentEvent(event) }
    },
    async refund(payment, refundId, amount) {
      if (!payment.providerRef) throw new Error(`payment ${payment.id} has no Stripe PaymentIntent to refund`)
      const refund = await stripe.refunds.create(
        { payment_intent: payment.providerRef, amount },
        { idempotencyKey: `refund-${refundId}` },
      )
      return refund.id
    },
  }
}

/** The Checkout events that settle a payment; everything else is acknowledged and ignored. */
function toPaymentEvent(event: Stripe.Event): PaymentEvent | null {
  if (!event.type.startsWith('checkout.session.')) return null
  const session = event.data.object as Stripe.Checkout.Session
  const paymentId = session.metadata?.paymentId ?? session.client_reference_id
  if (!paymentId) return null
  const providerRef =
    typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id
  const base = {
    id: event.id,
    paymentId,
    amount: session.amount_total ?? 0,
    ...(providerRef ? { providerRef } : {}),
  }
  switch (event.type) {
    case 'checkout.session.completed':
      // Alipay/WeChat may complete the session before the money settles; wait for async success then.
      return session.payment_status === 'paid' ? { ...base, type: 'payment.succeeded' } : null
    case 'checkout.session.async_payment_succeeded':
      return { ...base, type: 'payment.succeeded' }
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
      return { ...base, type: 'payment.failed' }
    default:
      return null
  }
}
