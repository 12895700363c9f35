import type { Database } from '../../db/client.ts'
import type { orders } from '../../db/schema.ts'
import type { Bindings } from '../../env.ts'
import type { Logger } from '../../middleware/logger.ts'
import type { PaymentProvider } from '../payments/provider.ts'
import type { CheckoutDiscountProvider } from './checkout-discounts.ts'
import type { CommitBatching } from './group-commits.ts'

/** What the orders module needs: bindings for the inventory actors, the database, a logger and the card provider. */
export interface OrderServices {
  env: Bindings
  db: Database
  logger: Logger
  payments: PaymentProvider
  /** Member discount, coupons, points, in the order they apply at checkout; none where the caller sells without. */
  discounts?: readonly CheckoutDiscountProvider[]
  /** Confirmations committed with the isolate's concurrent ones (group-commits.ts); alone where not given. */
  commits?: CommitBatching
}

export type Order = typeof orders.$inferSelect
