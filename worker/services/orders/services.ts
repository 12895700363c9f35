import type { Database } from '../../db/client.ts'
import type { orders } from '../../db/schema.ts'
import type { Bindings } from '../../env.ts'
import type { Logger } from '../../middleware/logger.ts'
import type { PaymentProvider } from '../payments/provider.ts'

/** What the orders module needs: bindings for the inventory actors, the database, a logger and the card provider. */
export interface OrderServices {
  env: Bindings
  db: Database
  logger: Logger
  payments: PaymentProvider
}

export type Order = typeof orders.$inferSelect
