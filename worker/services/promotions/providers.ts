import { couponProvider } from '../coupons/checkout.ts'
import { memberDiscountProvider, pointsProvider } from '../members/checkout.ts'
import type { CheckoutDiscountProvider } from '../orders/checkout-discounts.ts'

/**
 * The checkout discounts the shop's orders take, in the order they apply: each sees what the lines cost after the
 * ones before it (worker/services/orders/checkout-discounts.ts). Member discount first, then a coupon, then points,
 * so a percentage never counts money another discount already took.
 */
export const checkoutDiscountProviders: readonly CheckoutDiscountProvider[] = [
  memberDiscountProvider,
  couponProvider,
  pointsProvider,
]
