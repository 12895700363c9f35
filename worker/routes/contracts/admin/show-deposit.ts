import * as v from 'valibot'
import { amount } from '../common.ts'

// A show's deposit presale (定金) as the admin API takes and answers it. Numbers and dates are taken loosely here
// on purpose: worker/domain/deposit-terms.ts judges them together, so one `validation` problem lists every bad field.

const when = v.pipe(v.string(), v.maxLength(40), v.description('ISO-8601 timestamp with offset'))

export const depositTermsInput = v.object({
  /** Deposit per ticket, minor units: above 0 and below the lowest price a seat it applies to can be quoted at. */
  amount: v.number(),
  /** Price categories sold with a deposit; empty or absent: every category. */
  categories: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(32))), v.maxLength(20)), []),
  /** The balance is payable from here … */
  balanceOpensAt: when,
  /** … until here (exclusive); unpaid then, the seat goes back on sale. Before the show starts. */
  balanceDueAt: when,
  /** The balance reminder goes out this long before the due time (default 24 h). */
  reminderLeadMinutes: v.optional(v.number(), 24 * 60),
  /** An unpaid balance's deposit: `keep` (the organizer keeps it) or `refund` (back to the buyer). */
  forfeit: v.picklist(['keep', 'refund']),
})

/** Turn the deposit option on (terms) or off (null). */
export const showDepositInput = v.object({ deposit: v.nullable(depositTermsInput) })

export const depositTermsSchema = v.object({
  amount,
  categories: v.array(v.string()),
  balanceOpensAt: v.string(),
  balanceDueAt: v.string(),
  reminderLeadMinutes: v.number(),
  forfeit: v.picklist(['keep', 'refund']),
})

export const showDepositRecord = v.object({
  showId: v.string(),
  deposit: v.nullable(depositTermsSchema),
  updatedAt: v.nullable(v.string()),
})

export type ShowDepositRecord = v.InferOutput<typeof showDepositRecord>
