import * as v from 'valibot'
import { priceTierInput } from './show-pricing.ts'

// A scenic product's or package's price calendar (date rules) and schedule (tiers) as the admin API takes and
// answers them. Numbers and dates are taken loosely on purpose: worker/domain/scenic-price-check.ts judges them
// all at once, so one `validation` problem lists every bad field.

const day = v.pipe(v.string(), v.maxLength(10), v.description('YYYY-MM-DD, the venue’s calendar date'))
/** Sales channel codes the rule is limited to; none: the organizer's own channels. */
const channels = v.optional(v.nullable(v.pipe(v.array(v.pipe(v.string(), v.maxLength(32))), v.maxLength(20))))

export const datePriceRuleInput = v.object({
  /** Exactly one of: `date`; `from` and `to` (inclusive); `weekdays` (0 Sunday … 6 Saturday) with `holidays`. */
  date: v.optional(v.nullable(day)),
  from: v.optional(v.nullable(day)),
  to: v.optional(v.nullable(day)),
  weekdays: v.optional(v.nullable(v.pipe(v.array(v.number()), v.maxLength(7)))),
  holidays: v.optional(v.nullable(v.pipe(v.array(day), v.maxLength(60)))),
  price: v.number(),
  label: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(40)))),
  channels,
})

export const scenicTierInput = v.object({
  ...priceTierInput.entries,
  /** Only for holds made at least this many days before the visit (the venue’s days). */
  minDaysAhead: v.optional(v.nullable(v.number())),
  channels,
})

export const scenicPricingInput = v.object({
  dates: v.pipe(v.array(datePriceRuleInput), v.maxLength(100)),
  tiers: v.pipe(v.array(scenicTierInput), v.maxLength(10)),
})

export const scenicPricingRecord = v.object({
  ...scenicPricingInput.entries,
  /** The product or package. */
  id: v.string(),
  basePrice: v.number(),
  updatedAt: v.nullable(v.string()),
})

export type ScenicPricingInput = v.InferOutput<typeof scenicPricingInput>
export type ScenicPricingRecord = v.InferOutput<typeof scenicPricingRecord>
