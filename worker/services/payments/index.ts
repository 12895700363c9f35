import type { Bindings } from '../../env.ts'
import type { PaymentProvider } from './provider.ts'
import { sandboxProvider } from './sandbox.ts'
import { stripeProvider } from './stripe.ts'

/** Stripe when configured (`STRIPE_SECRET_KEY` + `STRIPE_WEBHOOK_SECRET`), else null. */
export function stripeFrom(env: Bindings): PaymentProvider | null {
  if (!env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET) return null
  return stripeProvider({ secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET })
}

/** The provider new orders use: `PAYMENT_PROVIDER=stripe` selects Stripe, anything else the offline sandbox. */
export function paymentProvider(env: Bindings): PaymentProvider {
  if (env.PAYMENT_PROVIDER === 'stripe') {
    const stripe = stripeFrom(env)
    if (!stripe) throw new Error('PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET')
    return stripe
  }
  return sandboxProvider(env.SANDBOX_PAYMENT_SECRET)
}
