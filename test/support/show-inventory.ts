import type { LoadOnce } from '../../durable-objects/shared/catalogue-config.ts'
import type { ShowInventory } from '../../durable-objects/show-inventory/index.ts'
import type { ShowSales } from '../../durable-objects/show-inventory/rules.ts'

/**
 * The show actor's in-memory state, for tests that look inside it (`current`) or drop it as a restart would
 * (`drop`: the next call reloads from storage). Only inside runInDurableObject.
 */
export const salesOf = (instance: ShowInventory) =>
  (instance as unknown as { sales: LoadOnce<ShowSales> }).sales
