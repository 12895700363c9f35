import * as v from 'valibot'
import { amount } from '../common.ts'

// A visit product's deposit presale (定金) as the admin API takes and answers it. Numbers are taken loosely here on
// purpose: worker/domain/scenic-deposit-terms.ts judges them together, so one `validation` problem lists every bad field.

export const scenicDepositTermsInput = v.object({
  /** Deposit per ticket, minor units: above 0 and below the lowest price the product can be quoted at. */
  amount: v.number(),
  /** The balance is payable from this many days before the visit day starts (00:00 in the site's zone) … */
  balanceOpensDaysBefore: v.number(),
  /** … until this many days before it starts (exclusive; 0: until the day starts); unpaid then, the place is sold again. */
  balanceDueDaysBefore: v.number(),
  /** The balance reminder goes out this long before the due time (default 24 h). */
  reminderLeadMinutes: v.optional(v.number(), 24 * 60),
  /** An unpaid balance's deposit: `keep` (the organizer keeps it) or `refund` (back to the buyer). */
  forfeit: v.picklist(['keep', 'refund']),
})

/** Turn the deposit option on (terms) or off (null). */
export const visitProductDepositInput = v.object({ deposit: v.nullable(scenicDepositTermsInput) })

export const scenicDepositTermsSchema = v.object({
  amount,
  balanceOpensDaysBefore: v.number(),
  balanceDueDaysBefore: v.number(),
  reminderLeadMinutes: v.number(),
  forfeit: v.picklist(['keep', 'refund']),
})

export const visitProductDepositRecord = v.object({
  productId: v.string(),
  deposit: v.nullable(scenicDepositTermsSchema),
  updatedAt: v.nullable(v.string()),
})
