/** What the order service needs from any payment provider (sandbox, Stripe, …). */
export interface PaymentProvider {
  readonly name: string
  /** Where the buyer goes to pay. */
  checkoutUrl(
    payment: { id: string; orderId: string; amount: number; currency: string },
    origin: string,
  ): Promise<string>
  /** Verifies a provider notification; returns the parsed event or null when the signature is wrong or stale. */
  verifyNotification(body: string, headers: Headers): Promise<PaymentEvent | null>
  /** Sends money back; returns the provider's refund reference. Must be idempotent per `refundId`. */
  refund(
    payment: { id: string; providerRef: string | null; amount: number },
    refundId: string,
    amount: number,
  ): Promise<string>
}

export interface PaymentEvent {
  /** Provider's unique event id, used to drop duplicates. */
  id: string
  type: 'payment.succeeded' | 'payment.failed'
  paymentId: string
  amount: number
}
