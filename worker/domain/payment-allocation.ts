// Which payments a refund (or a rebooking's credit) draws on. An order can be paid by more than one payment:
// a rebooking (改签) is paid by credit carried over from the replaced order plus a card payment for the
// difference. Each payment gives back at most what it still holds, so no refund ever exceeds what was paid.

export interface FundingPayment {
  id: string
  /** `credit` payments are drawn on last: their money sits in an older order's payment. */
  provider: string
  amount: number
  refundedAmount: number
  createdAt: string
}

export interface Allocation {
  paymentId: string
  amount: number
}

/** What a payment still holds. */
export const remainingOf = (p: FundingPayment) => Math.max(0, p.amount - p.refundedAmount)

/**
 * Splits `amount` (minor units) across `payments`: money paid directly first, oldest first, then credit. Null when
 * the payments together hold less than `amount`. The parts are positive integers that sum to `amount` exactly.
 */
export function allocate(payments: readonly FundingPayment[], amount: number): Allocation[] | null {
  if (!Number.isInteger(amount) || amount < 0)
    throw new RangeError(`amount must be a whole number ≥ 0: ${amount}`)
  const ordered = [...payments].sort(
    (a, b) =>
      Number(a.provider === 'credit') - Number(b.provider === 'credit') ||
      a.createdAt.localeCompare(b.createdAt) ||
      a.id.localeCompare(b.id),
  )
  const parts: Allocation[] = []
  let left = amount
  for (const payment of ordered) {
    if (left === 0) break
    const take = Math.min(left, remainingOf(payment))
    if (take > 0) {
      parts.push({ paymentId: payment.id, amount: take })
      left -= take
    }
  }
  return left === 0 ? parts : null
}

/** The payments after `parts` were taken out of them (for a second allocation from the same payments). */
export function afterTaking(
  payments: readonly FundingPayment[],
  parts: readonly Allocation[],
): FundingPayment[] {
  return payments.map((p) => {
    const taken = parts.filter((a) => a.paymentId === p.id).reduce((sum, a) => sum + a.amount, 0)
    return taken ? { ...p, refundedAmount: p.refundedAmount + taken } : p
  })
}
