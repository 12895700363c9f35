// The gate tickets this buyer already bought for a scenic day (paid orders of that site and date): what a cable
// car bought later can go with, picked rather than typed again.
import { api } from '../../lib/api.ts'
import { useResource } from '../../lib/ui.tsx'
import type { OrderRecord, OrderView, Page } from '../types.ts'

/** A ticket this buyer already bought for the chosen day. */
export interface OwnedTicket {
  /** The ticket's line in the day's inventory (what a child line names as its parent). */
  inventoryRef: string
  productId: string
  name: string | null
  idMasked: string | null
}

export function useOwnedTickets(siteId: string, date: string | null) {
  return useResource(
    async (signal): Promise<OwnedTicket[]> => {
      if (!date) return []
      const orders = await api<Page<OrderRecord>>('/api/orders', { signal, query: { limit: 100 } })
      const mine = orders.items.filter(
        (order) =>
          order.kind === 'scenic' &&
          order.siteId === siteId &&
          order.visitDate === date &&
          order.status.includes('paid'),
      )
      const details = await Promise.all(
        mine.map((order) => api<OrderView>(`/api/orders/${order.id}`, { signal })),
      )
      return details.flatMap((order) =>
        (order.lines ?? [])
          .filter((line) => line.status === 'active' && line.productId)
          .map((line) => ({
            inventoryRef: line.inventoryRef,
            productId: line.productId!,
            name: line.visitorName,
            idMasked: line.visitorIdMasked,
          })),
      )
    },
    [siteId, date],
  )
}
