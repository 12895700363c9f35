import * as v from 'valibot'
import { timestamp } from '../common.ts'

// A show's presale phases and its presale codes as the admin API takes and answers them. Dates and numbers are
// taken loosely here on purpose: worker/domain/sale-phases.ts judges them with the rest, so one `validation`
// problem lists every bad field.

export const salePhaseInput = v.object({
  id: v.pipe(v.string(), v.maxLength(40)),
  label: v.pipe(v.string(), v.trim(), v.maxLength(40)),
  startsAt: v.pipe(v.string(), v.maxLength(40), v.description('ISO-8601 timestamp with offset')),
  endsAt: v.pipe(v.string(), v.maxLength(40), v.description('ISO-8601 timestamp with offset')),
  /** Open to holders of the show's presale codes. */
  codes: v.optional(v.boolean(), false),
  /** Open to customers of these member tiers. */
  memberTiers: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(32))), v.maxLength(20)), []),
  /**
   * Whether a code's use comes back when an order paid with it is refunded in full (default no). An unpaid
   * order that expires or is cancelled gives its use back in any case.
   */
  returnUseOnRefund: v.optional(v.boolean()),
})

export const salePhasesInput = v.object({
  phases: v.pipe(v.array(salePhaseInput), v.maxLength(10)),
})

export const salePhasesRecord = v.object({
  showId: v.string(),
  phases: v.array(
    v.object({
      id: v.string(),
      label: v.string(),
      startsAt: v.string(),
      endsAt: v.string(),
      codes: v.boolean(),
      memberTiers: v.array(v.string()),
      returnUseOnRefund: v.optional(v.boolean()),
    }),
  ),
  /** Presale codes the show has. */
  codeCount: v.number(),
  updatedAt: v.nullable(v.string()),
})

export const presaleCodesInput = v.object({
  /** How many codes to make (1-1000; at most 5000 per show). */
  count: v.number(),
  /** Holds (orders) each code admits during a presale. */
  maxUses: v.number(),
})

export const presaleCodeRecord = v.object({
  code: v.string(),
  maxUses: v.number(),
  /** Holds held or sold with it (an expired or released hold gives its use back). */
  uses: v.number(),
  createdAt: timestamp,
})

export const presaleCodesRecord = v.object({
  showId: v.string(),
  codes: v.array(presaleCodeRecord),
})

/** A revoked presale code: it admits no more holds (holds it already made stay). */
export const presaleCodeRevokedRecord = v.object({
  showId: v.string(),
  code: v.string(),
  /** Presale codes the show has left. */
  codeCount: v.number(),
})

export type SalePhasesInput = v.InferOutput<typeof salePhasesInput>
export type SalePhasesRecord = v.InferOutput<typeof salePhasesRecord>
export type PresaleCodesRecord = v.InferOutput<typeof presaleCodesRecord>
