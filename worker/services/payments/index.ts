import { isLocalEnvironment } from '../../deployment.ts'
import type { Bindings } from '../../env.ts'
import { COUNTER_CARD, COUNTER_CASH, counterProvider } from './counter.ts'
import type { PaymentProvider } from './provider.ts'
import { sandboxProvider } from './sandbox.ts'
import { SETTLEMENT_PROVIDER, settlementLedger } from './settlement.ts'
import { stripeProvider } from './stripe.ts'

/** Stripe when configured (`STRIPE_SECRET_KEY` + `STRIPE_WEBHOOK_SECRET`), else null. */
export function stripeFrom(env: Bindings): PaymentProvider | null {
  if (!env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET) return null
  return stripeProvider({ secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET })
}

/** The offline sandbox exists only in development and tests; anywhere else it would hand out free tickets. */
export function sandboxFrom(env: Bindings): PaymentProvider | null {
  return isLocalEnvironment(env.ENVIRONMENT) ? sandboxProvider(env.SANDBOX_PAYMENT_SECRET) : null
}

/**
 * The provider new orders use: `PAYMENT_PROVIDER` names it; in development and tests it defaults to the sandbox.
 * Production must name a real one (see worker/deployment.ts, which refuses to serve otherwise).
 */
export function paymentProvider(env: Bindings): PaymentProvider {
  const name = env.PAYMENT_PROVIDER ?? (isLocalEnvironment(env.ENVIRONMENT) ? 'sandbox' : undefined)
  const provider = name === 'stripe' ? stripeFrom(env) : name === 'sandbox' ? sandboxFrom(env) : null
  if (!provider)
    throw new Error(`payment provider ${name ?? '(none)'} is not available in ${env.ENVIRONMENT}`)
  return provider
}

/**
 * The provider that moves an existing payment's money: the one it was made with, never simply the one configured
 * for new orders (a refund of a sandbox payment must not reach Stripe, nor the reverse). Settlement payments are
 * credits on a partner's statement.
 */
export function providerOfPayment(
  env: Bindings,
  current: PaymentProvider,
  payment: { id: string; provider: string },
): PaymentProvider {
  if (payment.provider === SETTLEMENT_PROVIDER) return settlementLedger
  if (payment.provider === current.name) return current
  if (payment.provider === COUNTER_CASH || payment.provider === COUNTER_CARD)
    return counterProvider(payment.provider)
  const own =
    payment.provider === 'stripe' ? stripeFrom(env) : payment.provider === 'sandbox' ? sandboxFrom(env) : null
  if (!own)
    throw new Error(`payment ${payment.id} was made with ${payment.provider}, which is not configured here`)
  return own
}
