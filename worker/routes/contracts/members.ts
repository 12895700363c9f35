import * as v from 'valibot'
import { orderStatuses } from '../../db/schema.ts'
import { pointsEntryKinds } from '../../domain/points-ledger.ts'
import { amount, pageOf, timestamp } from './common.ts'

// Members, tiers and points (积分) as the shop and the console see them.

export const memberTierSchema = v.object({
  id: v.string(),
  /** The key sale phases name in `memberTiers`. */
  code: v.string(),
  name: v.string(),
  nameEn: v.nullable(v.string()),
  /** Paid spend over the last 12 months that qualifies (minor units); null: spend does not count. */
  minSpend: v.nullable(amount),
  /** Points earned over the last 12 months that qualify; null: points do not count. */
  minPoints: v.nullable(v.pipe(v.number(), v.integer())),
  discountPercent: v.pipe(v.number(), v.integer()),
  presaleAccess: v.boolean(),
  /** Tickets per buyer per show a member may take when more than the event allows; null: the event's limit. */
  maxTicketsPerBuyer: v.nullable(v.pipe(v.number(), v.integer())),
})

export const pointsRulesSchema = v.object({
  /** Points per ¥1 paid (rounded down to whole points). */
  earnPerYuan: v.pipe(v.number(), v.integer()),
  /** Points that buy ¥1 off. */
  pointsPerYuan: v.pipe(v.number(), v.integer()),
  /** Largest share of an order's remaining total paid in points, percent. */
  maxRedeemPercent: v.pipe(v.number(), v.integer()),
  /** Points expire at the end of the Nth calendar year after they came in (Beijing time); 0 never. */
  expiryYears: v.pipe(v.number(), v.integer()),
})

export const memberPageSchema = v.object({
  organizerId: v.string(),
  organizerName: v.string(),
  memberId: v.string(),
  since: timestamp,
  tier: v.nullable(memberTierSchema),
  nextTier: v.nullable(
    v.object({
      tier: memberTierSchema,
      spendToGo: v.nullable(amount),
      pointsToGo: v.nullable(v.pipe(v.number(), v.integer())),
    }),
  ),
  last12Months: v.object({ spend: amount, points: v.pipe(v.number(), v.integer()) }),
  tiers: v.array(memberTierSchema),
  /** Null: this organizer gives no points. */
  rules: v.nullable(pointsRulesSchema),
  points: v.object({
    balance: v.pipe(v.number(), v.integer()),
    /** Points owed after a refund reversed points already spent; paid off from future points first. */
    debt: v.pipe(v.number(), v.integer()),
    /** Points expiring in the next 90 days, and the first date. */
    expiring: v.object({ points: v.pipe(v.number(), v.integer()), at: v.nullable(timestamp) }),
    history: v.array(
      v.object({
        id: v.string(),
        kind: v.picklist(pointsEntryKinds),
        points: v.pipe(v.number(), v.integer()),
        debt: v.pipe(v.number(), v.integer()),
        orderId: v.nullable(v.string()),
        expiresAt: v.nullable(timestamp),
        at: timestamp,
      }),
    ),
  }),
  purchases: v.array(
    v.object({
      id: v.string(),
      number: v.string(),
      status: v.picklist(orderStatuses),
      total: amount,
      currency: v.string(),
      createdAt: timestamp,
      eventName: v.nullable(v.string()),
      eventNameEn: v.nullable(v.string()),
      siteName: v.nullable(v.string()),
      siteNameEn: v.nullable(v.string()),
    }),
  ),
  preferences: v.object({ favouriteVenueIds: v.array(v.string()), favouriteCategories: v.array(v.string()) }),
})

export const preferencesInput = v.object({
  favouriteVenueIds: v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(20)),
  favouriteCategories: v.pipe(
    v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(32))),
    v.maxLength(20),
  ),
})

const percent = v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(0), v.maxValue(100))
const threshold = v.nullable(v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(0)))

export const tiersInput = v.object({
  tiers: v.pipe(
    v.array(
      v.object({
        code: v.pipe(
          v.string(),
          v.trim(),
          v.regex(/^[a-z0-9_-]{1,32}$/, 'lower-case letters, digits, - or _'),
        ),
        name: v.pipe(v.string(), v.trim(), v.minLength(1, 'name the tier'), v.maxLength(20)),
        nameEn: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(40)))),
        minSpend: threshold,
        minPoints: threshold,
        discountPercent: percent,
        presaleAccess: v.boolean(),
        maxTicketsPerBuyer: v.optional(
          v.nullable(v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(1), v.maxValue(50))),
        ),
      }),
    ),
    v.maxLength(10),
  ),
})

export const tiersRecord = v.object({ tiers: v.array(memberTierSchema) })

export const pointsRulesInput = v.object({
  earnPerYuan: v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(0), v.maxValue(1000)),
  pointsPerYuan: v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(1), v.maxValue(100_000)),
  maxRedeemPercent: percent,
  expiryYears: v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(0), v.maxValue(10)),
})

export const pointsRulesRecord = v.object({ rules: v.nullable(pointsRulesSchema) })

export const memberListSchema = pageOf(
  v.object({
    id: v.string(),
    since: timestamp,
    contact: v.string(),
    name: v.nullable(v.string()),
    tier: v.nullable(memberTierSchema),
    spend12Months: amount,
    balance: v.pipe(v.number(), v.integer()),
    debt: v.pipe(v.number(), v.integer()),
  }),
)

export type MemberPage = v.InferOutput<typeof memberPageSchema>
export type MemberTier = v.InferOutput<typeof memberTierSchema>
export type PointsRulesView = v.InferOutput<typeof pointsRulesSchema>
export type MemberList = v.InferOutput<typeof memberListSchema>
