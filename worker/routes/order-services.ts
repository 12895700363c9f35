import type { AppEnv } from '../env.ts'
import type { OrderServices } from '../services/orders/index.ts'
import { checkoutDiscountProviders } from '../services/promotions/providers.ts'

/** The order services a handler's context carries (set once per request by `newApp()`). */
export const orderServicesOf = (c: {
  env: AppEnv['Bindings']
  get: <K extends keyof AppEnv['Variables']>(k: K) => AppEnv['Variables'][K]
}): OrderServices => ({
  env: c.env,
  db: c.get('db'),
  logger: c.get('logger'),
  payments: c.get('payments'),
  discounts: checkoutDiscountProviders,
  // Confirmations group-commit where holds batch in the isolate (not in the Vitest plugin: see HOLD_BATCHING).
  commits: {
    together: c.get('holdBatching')?.batchInIsolate ?? false,
    keepAlive: c.get('holdBatching')?.keepAlive,
  },
})
