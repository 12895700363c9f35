import type { PaymentProvider } from './provider.ts'

// OTA partners do not pay per order: they pay us the settlement price on a periodic statement. Their
// orders carry a `settlement` payment that is succeeded from the start; refunds become credits on the
// next statement, so no money moves through a card provider here.

export const SETTLEMENT_PROVIDER = 'settlement'

export const settlementLedger: PaymentProvider = {
  name: SETTLEMENT_PROVIDER,
  async checkoutUrl() {
    throw new Error('settlement payments have no checkout')
  },
  async verifyNotification() {
    return { valid: false }
  },
  async refund(_payment, refundId) {
    // A credit line on the partner's statement; derived from our refund id so retries agree.
    return `stl_rf_${refundId}`
  },
}
