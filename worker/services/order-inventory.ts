import type { Bindings } from '../env.ts'
import { scenicDay } from './scenic-day.ts'
import { showInventoryStub } from './show-inventory-client.ts'

/** The inventory actor behind an order, whatever kind of sale it is. */
export interface OrderInventory {
  /** Sold for this order (idempotent per order; re-acquires an expired hold when it can). */
  confirm(orderId: string): Promise<{ ok: true; reacquired: boolean } | { ok: false; detail: string }>
  release(): Promise<void>
  /** Gives refunded lines back; `refs` are seat ids or scenic line ids. */
  returnLines(
    orderId: string,
    refs: string[],
  ): Promise<{ ok: true; returned: string[] } | { ok: false; code: string; detail: string }>
}

export interface OrderInventoryRef {
  kind: 'show' | 'scenic'
  showId: string | null
  siteId: string | null
  visitDate: string | null
  holdId: string
}

export function orderInventory(env: Bindings, order: OrderInventoryRef): OrderInventory {
  if (order.kind === 'show') {
    const showId = order.showId!
    const stub = showInventoryStub(env.SHOW_INVENTORY, showId)
    return {
      async confirm(orderId) {
        const result = await stub.confirm(showId, order.holdId, orderId)
        return result.ok ? { ok: true, reacquired: result.reacquired } : { ok: false, detail: result.detail }
      },
      async release() {
        await stub.release(showId, order.holdId)
      },
      async returnLines(orderId, refs) {
        return { ok: true, returned: (await stub.returnSeats(showId, orderId, refs)).returned }
      },
    }
  }
  const siteId = order.siteId!
  const date = order.visitDate!
  const stub = scenicDay(env.SCENIC_DAY_INVENTORY, siteId, date)
  return {
    async confirm(orderId) {
      const result = await stub.confirm(siteId, date, order.holdId, orderId)
      return result.ok ? { ok: true, reacquired: result.reacquired } : { ok: false, detail: result.detail }
    },
    async release() {
      await stub.release(siteId, date, order.holdId)
    },
    async returnLines(orderId, refs) {
      const result = await stub.returnLines(siteId, date, orderId, refs)
      return result.ok ? { ok: true, returned: [...result.returned, ...result.cascaded] } : result
    },
  }
}
