export interface RefundTier {
  /** Applies when at least this many hours remain before the start. */
  minHoursBefore: number
  /** Share of the price kept as a fee, in percent (0 = full refund, 100 = nothing back). */
  feePercent: number
}

export interface RefundQuoteInput {
  /** When the show starts or the visit day opens. */
  startsAt: string
  now: Date
  tiers: RefundTier[]
  /** False when any product in the request is non-refundable. */
  refundable: boolean
  linePrices: number[]
  /** Organizer refunds (event cancelled, goodwill) return everything regardless of policy. */
  waiveFee?: boolean
}

export type RefundQuote =
  | { allowed: true; amount: number; fee: number; feePercent: number; hoursBefore: number }
  | { allowed: false; reason: string; hoursBefore: number }

/**
 * Tiers by time before the start: the tier with the largest `minHoursBefore` that the remaining time
 * reaches applies (e.g. ≥72 h free, 24–72 h 20% fee). Less time than every tier means no refund.
 */
export function quoteRefund(input: RefundQuoteInput): RefundQuote {
  const hoursBefore = (Date.parse(input.startsAt) - input.now.getTime()) / 3_600_000
  const gross = input.linePrices.reduce((a, b) => a + b, 0)
  if (input.waiveFee) return { allowed: true, amount: gross, fee: 0, feePercent: 0, hoursBefore }
  if (!input.refundable) return { allowed: false, reason: 'These tickets are not refundable', hoursBefore }
  const tier = [...input.tiers]
    .sort((a, b) => b.minHoursBefore - a.minHoursBefore)
    .find((t) => hoursBefore >= t.minHoursBefore)
  if (!tier) {
    const last = Math.min(...input.tiers.map((t) => t.minHoursBefore))
    return {
      allowed: false,
      reason: Number.isFinite(last)
        ? `Refunds close ${last} hours before the start`
        : 'No refunds for this show',
      hoursBefore,
    }
  }
  // Fees round down per line, so a partial refund never costs more than refunding lines one by one.
  const fee = input.linePrices.reduce((sum, price) => sum + Math.floor((price * tier.feePercent) / 100), 0)
  return { allowed: true, amount: gross - fee, fee, feePercent: tier.feePercent, hoursBefore }
}
