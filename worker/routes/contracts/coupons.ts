import * as v from 'valibot'
import { couponKinds } from '../../domain/coupons.ts'
import { amount } from './common.ts'

// The shop's coupon routes: the live quote of a hold with a code, and the signed-in customer's coupons.

export const discountQuoteSchema = v.object({
  currency: v.string(),
  /** Per held seat or ticket, in hold order: its price, the discounts taken off it, what the buyer would pay. */
  lines: v.array(v.object({ ref: v.string(), price: amount, discount: amount, pays: amount })),
  subtotal: amount,
  discount: amount,
  total: amount,
  discounts: v.array(
    v.object({
      source: v.picklist(['member', 'coupon', 'points', 'referral']),
      ref: v.string(),
      label: v.string(),
      amount,
    }),
  ),
})

export const myCouponSchema = v.object({
  /** The code to send as `couponCode` (in groups of four; dashes are ignored). */
  code: v.string(),
  couponId: v.string(),
  organizerId: v.string(),
  title: v.string(),
  titleEn: v.nullable(v.string()),
  kind: v.picklist(couponKinds),
  amountOff: v.nullable(amount),
  minSpend: amount,
  percentOff: v.nullable(v.number()),
  maxOff: v.nullable(amount),
  ticketPrice: v.nullable(amount),
  startsAt: v.nullable(v.string()),
  endsAt: v.nullable(v.string()),
  state: v.picklist(['available', 'used', 'expired']),
  grantedAt: v.string(),
})

export const myCouponsSchema = v.object({ items: v.array(myCouponSchema) })

export type DiscountQuoteView = v.InferOutput<typeof discountQuoteSchema>
export type MyCouponView = v.InferOutput<typeof myCouponSchema>
