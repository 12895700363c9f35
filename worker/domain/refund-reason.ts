// Why a refund was made, as a stable code with params the apps word in their language. The server stores the
// refund's reason as text (partners and webhooks read it in English, and staff type their own words); the
// texts the server itself writes are built here, so each reads back as its code.

export const refundReasonCodes = [
  /** The buyer asked for it in the shop. */
  'buyer_request',
  /** The organizer cancelled the show; `note` is what they gave as the reason. */
  'show_cancelled',
  /** A partner cancelled its order; `note` is the partner's reason. */
  'partner_cancelled',
  /** Follows the refund of a parent order (a child ticket such as a cable car); `order` is its number. */
  'cascaded',
  /** The price difference when tickets were rebooked to a cheaper order (改签); `order` is its number. */
  'rebook_difference',
  /** 定金: the balance arrived after the order was forfeited or refunded. */
  'balance_after_close',
  /** Why the order itself ended (its status reason code says it, e.g. paid after the hold expired). */
  'order_status',
  /** Staff's own words, shown as typed (`note`). */
  'note',
] as const
export type RefundReasonCode = (typeof refundReasonCodes)[number]

export interface RefundReason {
  code: RefundReasonCode
  params: Record<string, string>
}

/** The English texts the server stores as a refund's reason. */
export const refundReasonText = {
  buyerRequest: 'Requested by the buyer',
  showCancelled: (note: string) => `Show cancelled: ${note}`,
  partnerCancelled: (note: string) => `Cancelled: ${note}`,
  cascaded: (orderNumber: string) => `Cascaded from the refund of order ${orderNumber}`,
  rebookDifference: (orderNumber: string) => `Price difference after rebooking to order ${orderNumber}`,
  balanceAfterClose: 'The balance arrived after the order was forfeited or refunded; it was refunded in full',
} as const

const reason = (code: RefundReasonCode, params: Record<string, string> = {}): RefundReason => ({
  code,
  params,
})

const prefixed: [RefundReasonCode, RegExp, string][] = [
  ['show_cancelled', /^Show cancelled: ([\s\S]*)$/, 'note'],
  ['partner_cancelled', /^Cancelled: ([\s\S]*)$/, 'note'],
  ['cascaded', /^Cascaded from the refund of order (\S+)$/, 'order'],
  ['rebook_difference', /^Price difference after rebooking to order (\S+)$/, 'order'],
]

/**
 * A stored refund reason read back as its code: one of the server's own texts, the order's English status reason
 * (`orderStatusReason`, for refunds of orders that could not be fulfilled), else staff's words as a `note`.
 */
export function refundReasonOf(text: string, orderStatusReason: string | null | undefined): RefundReason {
  if (text === refundReasonText.buyerRequest) return reason('buyer_request')
  if (text === refundReasonText.balanceAfterClose) return reason('balance_after_close')
  if (orderStatusReason && text === orderStatusReason) return reason('order_status')
  for (const [code, pattern, param] of prefixed) {
    const match = pattern.exec(text)
    if (match) return reason(code, { [param]: match[1]! })
  }
  return reason('note', { note: text })
}
