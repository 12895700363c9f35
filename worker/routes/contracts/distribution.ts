import * as v from 'valibot'
import {
  commissionKinds,
  commissionStates,
  distributionTargetKinds,
  distributorKinds,
  distributorStatuses,
} from '../../db/schema/distribution.ts'
import { refPattern } from '../../domain/distribution.ts'
import { nonEmpty } from '../query.ts'
import { amount, listOf, timestamp } from './common.ts'

// Distribution (分销): the console's distributors, links, commission rules and statements, the shop's click and
// the distributor's own page.

const commissionValue = v.pipe(
  v.number(),
  v.integer('must be a whole number'),
  v.minValue(0, 'must not be negative'),
  v.maxValue(100_000_000),
)

/** percent: basis points, at most 10000 (100%); fixed: minor units per ticket. */
const commissionFields = {
  commissionKind: v.picklist(commissionKinds),
  commissionValue,
}

const percentMessage = 'a percentage is at most 10000 basis points (100%)'
export const distributorInput = v.pipe(
  v.object({
    name: nonEmpty(100),
    kind: v.optional(v.picklist(distributorKinds), 'kol'),
    /** The email or phone the distributor signs in to the shop with (one-time codes). */
    contact: v.pipe(
      v.string(),
      v.trim(),
      v.minLength(3, 'must be an email or phone number'),
      v.maxLength(200),
    ),
    status: v.optional(v.picklist(distributorStatuses), 'active'),
    ...commissionFields,
  }),
  v.forward(
    v.check((i) => i.commissionKind !== 'percent' || (i.commissionValue ?? 0) <= 10_000, percentMessage),
    ['commissionValue'],
  ),
)

export const distributorPatch = v.pipe(
  v.partial(v.object({ ...distributorInput.entries })),
  v.forward(
    v.check((i) => i.commissionKind !== 'percent' || (i.commissionValue ?? 0) <= 10_000, percentMessage),
    ['commissionValue'],
  ),
)

export const distributorRecord = v.object({
  id: v.string(),
  organizerId: v.string(),
  name: v.string(),
  kind: v.picklist(distributorKinds),
  contact: v.string(),
  status: v.picklist(distributorStatuses),
  ...commissionFields,
  createdAt: timestamp,
  updatedAt: timestamp,
})

export const linkInput = v.object({
  targetKind: v.picklist(distributionTargetKinds),
  targetId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
})

export const linkPatch = v.object({ active: v.boolean() })

export const linkRecord = v.object({
  id: v.string(),
  distributorId: v.string(),
  ref: v.string(),
  targetKind: v.picklist(distributionTargetKinds),
  targetId: v.string(),
  /** A product link's scenic site (the shop page it opens). */
  siteId: v.nullable(v.string()),
  targetName: v.string(),
  targetNameEn: v.nullable(v.string()),
  targetStartsAt: v.nullable(v.string()),
  active: v.boolean(),
  clicks: v.pipe(v.number(), v.integer()),
  createdAt: timestamp,
})

export const commissionRuleInput = v.pipe(
  v.object({
    /** null: every distributor without a rule of their own here. */
    distributorId: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(64))), null),
    scopeKind: v.picklist(['event', 'product']),
    scopeId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    kind: v.picklist(commissionKinds),
    value: commissionValue,
  }),
  v.forward(
    v.check((i) => i.kind !== 'percent' || i.value <= 10_000, percentMessage),
    ['value'],
  ),
)

export const commissionRuleRecord = v.object({
  id: v.string(),
  distributorId: v.nullable(v.string()),
  scopeKind: v.picklist(['event', 'product']),
  scopeId: v.string(),
  kind: v.picklist(commissionKinds),
  value: v.number(),
  createdAt: timestamp,
  updatedAt: timestamp,
})

export const distributionSettingsRecord = v.object({
  attributionDays: v.pipe(v.number(), v.integer(), v.minValue(1, 'at least 1 day'), v.maxValue(365)),
  /** Invite a friend: one of the organizer's coupons, granted to both sides on the friend's first paid order. */
  inviteCouponId: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(64))), null),
})

const totals = {
  pending: amount,
  payable: amount,
  paid: amount,
  reversed: amount,
}

export const statementRecord = v.object({
  month: v.pipe(v.string(), v.description('YYYY-MM, Beijing time')),
  ...totals,
  earned: amount,
  orders: v.array(
    v.object({
      orderId: v.string(),
      number: v.string(),
      paidAt: v.nullable(timestamp),
      sales: amount,
      commission: amount,
      reversed: amount,
      state: v.picklist([...commissionStates, 'mixed']),
    }),
  ),
  payouts: v.array(v.object({ id: v.string(), amount, paidAt: timestamp })),
})

export const statementList = listOf(statementRecord)

export const payoutRecord = v.object({
  id: v.string(),
  distributorId: v.string(),
  month: v.string(),
  amount,
  paidAt: timestamp,
})

export const monthParam = v.pipe(v.string(), v.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM'))

export const clickInput = v.object({
  ref: v.pipe(v.string(), v.toUpperCase(), v.regex(refPattern, 'not a share code')),
})

export const clickRecord = v.object({
  ref: v.string(),
  organizerId: v.string(),
  targetKind: v.picklist(distributionTargetKinds),
  targetId: v.string(),
  siteId: v.nullable(v.string()),
  /** How many days this click credits the distributor with the buyer's orders (the last click wins). */
  attributionDays: v.number(),
})

export const distributorPage = v.object({
  distributor: v.object({
    id: v.string(),
    organizerId: v.string(),
    name: v.string(),
    status: v.picklist(distributorStatuses),
  }),
  links: v.array(linkRecord),
  orders: v.number(),
  totals: v.object(totals),
  statements: v.array(statementRecord),
})

export const distributorPages = listOf(distributorPage)

export type DistributorRecord = v.InferOutput<typeof distributorRecord>
export type LinkRecord = v.InferOutput<typeof linkRecord>
export type CommissionRuleRecord = v.InferOutput<typeof commissionRuleRecord>
export type StatementRecord = v.InferOutput<typeof statementRecord>
export type DistributorPage = v.InferOutput<typeof distributorPage>
export type ClickRecord = v.InferOutput<typeof clickRecord>

export const inviteQuery = v.object({ organizerId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) })
export const inviteRecord = v.object({
  organizerId: v.string(),
  /** Share `/?invite=CODE`: a friend's first paid order with the organizer rewards both sides. */
  code: v.string(),
  /** What both sides get on the friend's first paid order: the organizer's invite coupon, when one is set and live. */
  reward: v.nullable(v.object({ title: v.string(), titleEn: v.nullable(v.string()) })),
})
export type InviteRecord = v.InferOutput<typeof inviteRecord>
export const inviteVisitInput = v.object({
  code: v.pipe(v.string(), v.toUpperCase(), v.regex(refPattern, 'not an invite code')),
})
export const inviteVisitRecord = v.object({ organizerId: v.string() })
