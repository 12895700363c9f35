import * as v from 'valibot'
import { couponKinds } from '../../../domain/coupons.ts'
import { pageOf, timestamp } from '../common.ts'

// Coupons as the admin API takes and answers them. Numbers are taken loosely on purpose: worker/domain/coupons.ts
// judges them with the rest (negative amounts, a percentage over 100, caps below 1), so one `validation` problem
// lists every bad field.

const ids = v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(200)), [])
const money = v.optional(v.nullable(v.number()), null)

export const couponScopeSchema = v.object({
  eventIds: ids,
  showIds: ids,
  /** Price categories (zone codes) of seated shows. */
  categories: ids,
  /** Scenic visit products. */
  productIds: ids,
  /** Sales channel codes (`web`, …). */
  channels: ids,
})

export const couponInput = v.object({
  title: v.pipe(v.string(), v.maxLength(60)),
  titleEn: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(60))), null),
  kind: v.picklist(couponKinds),
  /** amount_off (满减): minor units off. */
  amountOff: money,
  /** The eligible tickets must cost at least this much (minor units; 0: no minimum). */
  minSpend: v.optional(v.number(), 0),
  /** percent_off: 1-100. */
  percentOff: money,
  /** percent_off: at most this much off (minor units). */
  maxOff: money,
  /** ticket_price: the one ticket's price (minor units). */
  ticketPrice: money,
  scope: v.optional(couponScopeSchema, {}),
  startsAt: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(40))), null),
  endsAt: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(40))), null),
  /** Uses in all (an unpaid order that ends gives its use back); null: no cap. */
  totalCap: money,
  /** Uses per signed-in customer; a coupon with one needs buyers to sign in. */
  perCustomerCap: money,
  /** Whether it may join a member discount (one coupon per order always). */
  stacksWithMember: v.optional(v.boolean(), false),
  /** Whether an order refunded in full gives its use back. */
  returnOnRefund: v.optional(v.boolean(), false),
  /** A public code for the coupon (4-32 letters and digits; any case, spaces and dashes ignored). */
  code: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(40))), null),
  /** Withdrawn: no new uses. */
  disabled: v.optional(v.boolean(), false),
})

export const couponRecordSchema = v.object({
  id: v.string(),
  organizerId: v.string(),
  title: v.string(),
  titleEn: v.nullable(v.string()),
  kind: v.picklist(couponKinds),
  amountOff: v.nullable(v.number()),
  minSpend: v.number(),
  percentOff: v.nullable(v.number()),
  maxOff: v.nullable(v.number()),
  ticketPrice: v.nullable(v.number()),
  scope: v.object({
    eventIds: v.array(v.string()),
    showIds: v.array(v.string()),
    categories: v.array(v.string()),
    productIds: v.array(v.string()),
    channels: v.array(v.string()),
  }),
  startsAt: v.nullable(v.string()),
  endsAt: v.nullable(v.string()),
  totalCap: v.nullable(v.number()),
  perCustomerCap: v.nullable(v.number()),
  stacksWithMember: v.boolean(),
  returnOnRefund: v.boolean(),
  code: v.nullable(v.string()),
  disabled: v.boolean(),
  /** How many single-use codes it has. */
  singleUseCodes: v.number(),
  counters: v.object({
    /** Uses on unpaid orders. */
    reserved: v.number(),
    /** Uses on paid orders (and refunded ones when uses are kept on refund). */
    used: v.number(),
    /** Uses given back (expired or cancelled unpaid orders; refunds when `returnOnRefund`). */
    returned: v.number(),
    /** `totalCap` minus reserved and used; null without a cap. */
    remaining: v.nullable(v.number()),
  }),
  createdAt: timestamp,
  updatedAt: timestamp,
})

export const couponPageSchema = pageOf(couponRecordSchema)

export const couponCodesInput = v.object({
  /** How many single-use codes to make (1-10,000 a request). */
  count: v.number(),
})

export const couponCodesMadeSchema = v.object({
  couponId: v.string(),
  batchId: v.string(),
  count: v.number(),
})

export type CouponRecordView = v.InferOutput<typeof couponRecordSchema>
export type CouponInputBody = v.InferInput<typeof couponInput>

/** Refund as coupon (优惠券补偿) of an event or scenic site: off (`null`), or a coupon offered with refunds. */
export const refundCompensationSettingSchema = v.object({
  couponId: v.pipe(v.string(), v.maxLength(64)),
  /** `instead_of_fee`: offered when a refund deducts a fee, compensating it; `on_top`: offered with every refund. */
  mode: v.picklist(['instead_of_fee', 'on_top']),
})
export const refundCompensationSchema = v.object({
  compensation: v.nullable(refundCompensationSettingSchema),
})
export type RefundCompensationView = v.InferOutput<typeof refundCompensationSchema>
