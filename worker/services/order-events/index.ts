import { analyticsOrderSubscribers } from '../analytics/order-subscribers.ts'
import { scenicRollupSubscribers } from '../analytics/scenic-rollups.ts'
import { refundCompensationSubscriber } from '../coupons/compensation.ts'
import { grantCoupon } from '../coupons/index.ts'
import {
  commissionSubscriber,
  inviteCouponOf,
  type RewardGranter,
  referralSubscriber,
} from '../distribution/index.ts'
import { memberOrderSubscribers } from '../members/order-subscribers.ts'
import { ticketsIssuedSubscriber } from '../orders/order-notices.ts'
import type { OrderEventSubscriber } from './subscriber.ts'

export type { OrderEvent, OrderEventSubscriber, OrderRow, PublishReads } from './subscriber.ts'

/**
 * Invite a friend: each side's reward is the organizer's invite coupon, granted to that customer once (the grant is
 * keyed on the reward, so a retried event grants nothing more). Without an invite coupon the reward stays pending.
 */
export const inviteCouponGranter: RewardGranter = {
  async grant(db, reward) {
    const couponId = await inviteCouponOf(db, reward.organizerId)
    if (!couponId) return null
    const granted = await grantCoupon(db, {
      organizerId: reward.organizerId,
      couponId,
      customerId: reward.customerId,
      source: 'referral',
      key: `referral:${reward.rewardId}`,
    })
    return granted.codeId
  },
}

/**
 * Everything that happens because an order was paid, refunded, expired or cancelled, outside the orders module.
 * Add a subscriber here; the outbox publisher runs each for the topics it names.
 */
export const orderEventSubscribers: readonly OrderEventSubscriber[] = [
  ...memberOrderSubscribers,
  commissionSubscriber,
  referralSubscriber(inviteCouponGranter),
  refundCompensationSubscriber,
  // Paid, refund and redemption events for the organizers' reports (worker/services/analytics/README.md).
  ...analyticsOrderSubscribers,
  ticketsIssuedSubscriber,
  // 二消, co-purchase and check-in rollups (worker/services/analytics/scenic-rollups.ts).
  ...scenicRollupSubscribers,
]
