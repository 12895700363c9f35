export const orderStatuses = [
  'pending',
  'paid',
  'partially_refunded',
  'refunded',
  'cancelled',
  'expired',
  // 定金: the deposit is paid, the seat is locked, the balance (and so the ticket) is still to come.
  'deposit_paid',
  // 定金: the balance was not paid by its due time; the seat went back on sale.
  'forfeited',
] as const
export type OrderStatus = (typeof orderStatuses)[number]

// Explicit order state machine: anything not listed is an illegal transition (409).
const allowed: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['paid', 'deposit_paid', 'expired', 'cancelled'],
  // A payment that arrives after expiry may still re-acquire the inventory.
  expired: ['paid', 'deposit_paid'],
  // The balance completes it, the due time forfeits it, or the buyer refunds what was paid (the deposit).
  deposit_paid: ['paid', 'forfeited', 'refunded'],
  forfeited: [],
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
