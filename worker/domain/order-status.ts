export const orderStatuses = [
  'pending',
  'paid',
  'partially_refunded',
  'refunded',
  'cancelled',
  'expired',
] as const
export type OrderStatus = (typeof orderStatuses)[number]

// Explicit order state machine: anything not listed is an illegal transition (409).
const allowed: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['paid', 'expired', 'cancelled'],
  // A payment that arrives after expiry may still re-acquire the inventory.
  expired: ['paid'],
  paid: ['partially_refunded', 'refunded', 'cancelled'],
  partially_refunded: ['partially_refunded', 'refunded', 'cancelled'],
  refunded: [],
  cancelled: [],
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return allowed[from].includes(to)
}

/** Statuses in which the order holds sold inventory and valid tickets. */
export const ticketedStatuses: readonly OrderStatus[] = ['paid', 'partially_refunded']
