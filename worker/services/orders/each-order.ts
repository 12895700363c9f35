import type { OrderServices } from './services.ts'

/**
 * Runs one cron step for each order on its own: one that fails (a provider refusing a refund, an actor timing out)
 * is logged and tried again next minute without stopping the others. Answers how many went through.
 */
export async function eachOrder<T extends { id: string }>(
  services: OrderServices,
  step: string,
  items: T[],
  handle: (item: T) => Promise<void>,
): Promise<number> {
  let done = 0
  for (const item of items) {
    try {
      await handle(item)
      done++
    } catch (error) {
      services.logger.error(`${step} failed for an order`, {
        orderId: item.id,
        error: error instanceof Error ? error.message : String(error),
      })
    }
  }
  return done
}
