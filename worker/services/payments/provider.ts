/** What the order service needs from any payment provider (sandbox, Stripe, …). */
export interface PaymentProvider {
  readonly name: string
  /** Where the buyer goes to pay. */
  checkoutUrl(payment: CheckoutPayment, origin: string): Promise<string>
  /**
   * Verifies a provider notification. `valid: false` for a missing, wrong or stale signature; a valid
   * notification of a kind the order service does not act on has `event: null`.
   */
  verifyNotification(
    body: string,
    headers: Headers,
  ): Promise<{ valid: false } | { valid: true; event: PaymentEvent | null }>
  /** Sends money back; returns the provider's refund reference. Must be idempotent per `refundId`. */
  refund(
    payment: { id: string; providerRef: string | null; amount: number },
    refundId: string,
    amount: number,
  ): Promise<string>
  /**
   * 付款码: charges the payment code a buyer shows on their phone (scanned at a window or a kiosk) at once.
   * Idempotent per payment id. Providers without this answer `unsupported`; `declined` means no money moved.
   */
  chargePaymentCode?(payment: CheckoutPayment, code: string): Promise<PaymentCodeCharge>
}

export type PaymentCodeCharge =
  | { status: 'succeeded'; event: PaymentEvent }
  | { status: 'declined'; reason: string }
  | { status: 'unsupported'; reason: string }

export interface CheckoutPayment {
  id: string
  orderId: string
  amount: number
  currency: string
  description?: string
}

export interface PaymentEvent {
  /** Provider's unique event id, used to drop duplicates. */
  id: string
  type: 'payment.succeeded' | 'payment.failed'
  paymentId: string
  amount: number
  /** The provider's own reference for the charge (e.g. a Stripe PaymentIntent), needed for refunds. */
  providerRef?: string
}
