import type { PaymentProvider } from './provider.ts'

// Money taken at a box-office window: cash into the till, or a card on the window's own terminal. Nothing calls
// back; the clerk's sale is the confirmation (worker/services/box-office/). A refund is money handed back at the
// window or on the terminal, so its reference is derived from our refund id (retries agree).

export const COUNTER_CASH = 'box_office_cash'
export const COUNTER_CARD = 'box_office_card'

export function counterProvider(name: typeof COUNTER_CASH | typeof COUNTER_CARD): PaymentProvider {
  return {
    name,
    async checkoutUrl(_payment, origin) {
      // No hosted checkout: the money is taken at the window, so the order's "pay here" is the box office itself.
      return `${origin}/box`
    },
    async verifyNotification() {
      // Nobody outside may settle a counter payment.
      return { valid: false }
    },
    async refund(_payment, refundId) {
      return `${name}_rf_${refundId}`
    },
  }
}
