// Coupons and promo codes (issue 21), written only by worker/services/coupons/. A coupon holds the organizer's rules
// (worker/domain/coupons.ts); its codes are one public code, batches of single-use codes, or codes granted to one
// customer (refund as coupon, invite a friend). A use is a row per order; whether it still counts against the caps
// is derived from its order's state (useIsLive), so a use comes back with no write of its own when the order expires
// or is cancelled, and the caps are checked by guards in the very batch that creates the order.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import type { CouponKind, CouponScope } from '../../domain/coupons.ts'
import { couponKinds } from '../../domain/coupons.ts'
import { createdAt, updatedAt } from './columns.ts'
import { customers, orders } from './orders.ts'
import { organizers } from './staff.ts'

export const coupons = sqliteTable(
  'coupons',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    /** Buyer-facing title in the organizer's main language; `titleEn` for English pages. */
    title: text().notNull(),
    titleEn: text(),
    kind: text({ enum: couponKinds }).notNull().$type<CouponKind>(),
    amountOff: integer(),
    minSpend: integer().notNull().default(0),
    percentOff: integer(),
    maxOff: integer(),
    ticketPrice: integer(),
    scope: text({ mode: 'json' }).$type<CouponScope>().notNull(),
    startsAt: text(),
    endsAt: text(),
    totalCap: integer(),
    perCustomerCap: integer(),
    stacksWithMember: integer({ mode: 'boolean' }).notNull().default(false),
    returnOnRefund: integer({ mode: 'boolean' }).notNull().default(false),
    /** Withdrawn by the organizer: no new uses; orders that used it keep their discount. */
    disabledAt: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('coupons_organizer').on(t.organizerId, t.createdAt)],
)

export const couponCodes = sqliteTable(
  'coupon_codes',
  {
    id: text().primaryKey(),
    couponId: text()
      .notNull()
      .references(() => coupons.id),
    organizerId: text().notNull(),
    /** Normalized (upper case, no spaces or dashes); unique per organizer. */
    code: text().notNull(),
    /**
     * `public`: any number of uses (the coupon's caps apply); `single`: one live use; `grant`: one customer's, once;
     * `retired`: a public code replaced by another (kept for the uses made with it, matches nothing).
     */
    kind: text({ enum: ['public', 'single', 'grant', 'retired'] }).notNull(),
    /** Batch of single-use codes it was made in. */
    batchId: text(),
    /** A granted code: only this customer may use it ("my coupons"). */
    customerId: text().references(() => customers.id),
    /** Why it was granted (`refund`, `referral`, `admin`) and an idempotency key from the caller. */
    grantSource: text(),
    grantKey: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('coupon_codes_code').on(t.organizerId, t.code),
    uniqueIndex('coupon_codes_grant_key').on(t.grantKey),
    index('coupon_codes_coupon').on(t.couponId, t.kind),
    index('coupon_codes_customer').on(t.customerId),
  ],
)

/** One use of a coupon by one order, reserved in the batch that creates the order. */
export const couponRedemptions = sqliteTable(
  'coupon_redemptions',
  {
    id: text().primaryKey(),
    couponId: text()
      .notNull()
      .references(() => coupons.id),
    codeId: text()
      .notNull()
      .references(() => couponCodes.id),
    orderId: text()
      .notNull()
      .unique()
      .references(() => orders.id),
    customerId: text(),
    amount: integer().notNull(),
    /** The coupon's `returnOnRefund` when the use was made: editing the coupon later changes no past use. */
    returnOnRefund: integer({ mode: 'boolean' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('coupon_redemptions_coupon').on(t.couponId, t.customerId),
    index('coupon_redemptions_code').on(t.codeId),
  ],
)

/**
 * Refund as coupon (优惠券补偿): an organizer's setting per event (its shows) or per scenic site. `instead_of_fee`:
 * offered when a refund deducts a fee, the coupon stands in for the fee; `on_top`: offered with every refund. The
 * cash refund never depends on it; the buyer chooses on the refund quote.
 */
export const refundCompensations = sqliteTable('refund_compensations', {
  /** The event or scenic site id. */
  targetId: text().primaryKey(),
  targetKind: text({ enum: ['event', 'site'] }).notNull(),
  organizerId: text()
    .notNull()
    .references(() => organizers.id),
  couponId: text()
    .notNull()
    .references(() => coupons.id),
  mode: text({ enum: ['instead_of_fee', 'on_top'] }).notNull(),
  updatedAt: updatedAt(),
})
