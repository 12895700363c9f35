// Coupons and promo codes (issue 21): the organizer's coupons and their codes, the checkout provider that claims a
// coupon's discount and reserves its use in the order's batch, the shop's live quote, and grants to one customer
// (refund as coupon, invite a friend) through `grantCoupon`. The only writer of coupons, coupon_codes and
// coupon_redemptions.
export { couponProvider } from './checkout.ts'
export { codesCsv, generateCodes, grantCoupon, MAX_CODES_PER_BATCH } from './codes.ts'
export {
  type CompensationOffer,
  type CompensationSetting,
  type CompensationTarget,
  compensationNotOffered,
  compensationOffer,
  readCompensation,
  refundCompensationSubscriber,
  setCompensation,
} from './compensation.ts'
export { type MyCoupon, myCoupons } from './mine.ts'
export { type DiscountQuote, type QuoteRequest, quoteDiscounts } from './quote.ts'
export {
  type CouponInput,
  type CouponRecord,
  createCoupon,
  listCoupons,
  readCoupon,
  updateCoupon,
} from './records.ts'
