import * as v from 'valibot'
import { ticketTypes } from '../../../db/schema.ts'
import { englishName, money, nonEmpty } from '../../query.ts'
import { recordOf } from '../common.ts'

const age = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(150))
const height = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(300))

export const eligibilitySchema = v.object({
  minAge: v.optional(age),
  maxAge: v.optional(age),
  minHeightCm: v.optional(height),
  maxHeightCm: v.optional(height),
  proof: v.optional(v.pipe(v.string(), v.maxLength(64))),
  note: v.optional(v.pipe(v.string(), v.maxLength(500))),
})

export const productKinds = ['entry', 'attraction', 'show'] as const
export const productStatuses = ['active', 'inactive'] as const

export const visitProductInput = v.object({
  siteId: v.string(),
  name: nonEmpty(),
  /** Optional English name; the shop's English pages show it, falling back to `name`. */
  nameEn: englishName(),
  kind: v.picklist(productKinds),
  ticketType: v.picklist(ticketTypes),
  eligibility: v.optional(eligibilitySchema, {}),
  price: money,
  validityDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(366)), 1),
  timed: v.optional(v.boolean(), false),
  dailyCapacity: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0)))),
  realNameRequired: v.optional(v.boolean(), true),
  maxPerIdPerDay: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)), 1),
  refundable: v.optional(v.boolean(), true),
  status: v.optional(v.picklist(productStatuses), 'active'),
})

export const visitProductRecord = recordOf({
  ...visitProductInput.entries,
  nameEn: v.nullable(v.string()),
  dailyCapacity: v.nullable(v.number()),
})

export type Eligibility = v.InferOutput<typeof eligibilitySchema>
export type VisitProductRecord = v.InferOutput<typeof visitProductRecord>
