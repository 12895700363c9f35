// Why an order is in its state, as a stable code with params: stored on the order, returned by the order APIs and
// localized by the apps from their message catalogues. The English sentence is kept beside it only for partners and
// webhooks (their contract has `statusReason` as text); no app shows it.

export type OrderStatusReason =
  /** Not paid before the hold ran out. */
  | { code: 'hold_expired' }
  /** Paid after the hold ran out, and the same tickets were still free: the order is paid. */
  | { code: 'paid_late_tickets_kept' }
  /** Paid after the hold ran out, and the tickets were gone: refunded in full. */
  | { code: 'paid_late_refunded' }
  /** Paid after the hold ran out, and the coupon it used had been used up meanwhile: refunded in full. */
  | { code: 'paid_late_offer_gone' }
  /** Paid after the order was cancelled: refunded in full. */
  | { code: 'paid_after_cancel_refunded' }
  /** A rebooking paid after the tickets it replaces were refunded or moved: refunded in full. */
  | { code: 'rebook_replaced_gone_refunded' }
  /** A rebooking still waiting for payment, whose tickets the organizer refunded. */
  | { code: 'rebook_lines_refunded' }
  /** Every ticket of this order moved to a new order (改签). */
  | { code: 'rebooked_to'; order: string }
  /** A member's departure from a group buy, and whether their payment went back. */
  | (GroupDeparture & { refunded: boolean })
  /** Group buy: the membership could not be recorded while joining. */
  | { code: 'group_join_failed' }
  /** Group buy: the group closed while the member was joining. */
  | { code: 'group_closed_while_joining' }
  /** 定金: the deposit arrived after the hold expired and the seats were gone: refunded in full. */
  | { code: 'deposit_late_refunded' }
  /** 定金: the balance was not paid by its due time; the seats went back on sale, the deposit kept or refunded. */
  | { code: 'balance_unpaid_forfeited'; refunded: boolean }

/** Why a member leaves a group buy without tickets (the group-buy actor decides it). */
export type GroupDeparture =
  /** The member left before the group succeeded. */
  | { code: 'group_left' }
  /** The member did not pay before their place ran out. */
  | { code: 'group_lapsed' }
  /** The group did not reach `minSize` paid members by `deadline` (ISO instant). */
  | { code: 'group_failed'; minSize: number; deadline: string }
  /** Paid after leaving the group or after it closed. */
  | { code: 'group_paid_late' }

export type OrderStatusReasonCode = OrderStatusReason['code']
export type OrderStatusReasonParams = Record<string, string | number | boolean>

export const orderStatusReasonCodes = [
  'hold_expired',
  'paid_late_tickets_kept',
  'paid_late_refunded',
  'paid_late_offer_gone',
  'paid_after_cancel_refunded',
  'rebook_replaced_gone_refunded',
  'rebook_lines_refunded',
  'rebooked_to',
  'group_left',
  'group_lapsed',
  'group_failed',
  'group_paid_late',
  'group_join_failed',
  'group_closed_while_joining',
  'deposit_late_refunded',
  'balance_unpaid_forfeited',
] as const satisfies readonly OrderStatusReasonCode[]

/** The English sentence partners and webhooks read as `statusReason`. */
export function englishStatusReason(reason: OrderStatusReason): string {
  const refunded = (r: { refunded: boolean }) => (r.refunded ? '; your payment was refunded in full' : '')
  switch (reason.code) {
    case 'hold_expired':
      return 'Not paid before the hold expired'
    case 'paid_late_tickets_kept':
      return 'Paid after the hold expired; the same tickets were still free and are yours'
    case 'paid_late_refunded':
      return 'The payment arrived after the hold expired and the tickets were no longer available; it was refunded in full'
    case 'paid_late_offer_gone':
      return 'The payment arrived after the hold expired and the coupon it used had been used up meanwhile; it was refunded in full'
    case 'paid_after_cancel_refunded':
      return 'The order was cancelled before the payment arrived; it was refunded in full'
    case 'rebook_replaced_gone_refunded':
      return 'The tickets this rebooking replaces were refunded or moved before the payment arrived; it was refunded in full'
    case 'rebook_lines_refunded':
      return 'The tickets to be rebooked were refunded by the organizer'
    case 'rebooked_to':
      return `Rebooked to order ${reason.order}`
    case 'group_left':
      return `You left the group buy before it succeeded${refunded(reason)}`
    case 'group_lapsed':
      return `Not paid before your place in the group ran out${refunded(reason)}`
    case 'group_failed':
      return `The group did not reach ${reason.minSize} paid members by ${reason.deadline}${refunded(reason)}`
    case 'group_paid_late':
      return `Paid after leaving the group buy or after it closed${refunded(reason)}`
    case 'group_join_failed':
      return 'The group buy could not record your membership'
    case 'group_closed_while_joining':
      return 'The group closed while you were joining'
    case 'deposit_late_refunded':
      return 'The deposit arrived after the hold expired and the seats were no longer available; it was refunded in full'
    case 'balance_unpaid_forfeited':
      return `The balance was not paid by its due time; the seats went back on sale and the deposit was ${reason.refunded ? 'refunded' : 'kept'}`
  }
}

/** The columns an order stores for a reason: the English text, the code and its params. */
export function statusReasonColumns(reason: OrderStatusReason | null) {
  if (!reason) return { statusReason: null, statusReasonCode: null, statusReasonParams: null }
  const { code, ...params } = reason
  return {
    statusReason: englishStatusReason(reason),
    statusReasonCode: code,
    statusReasonParams: Object.keys(params).length ? (params as OrderStatusReasonParams) : null,
  }
}
