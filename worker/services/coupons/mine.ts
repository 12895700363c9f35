import { and, desc, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { couponCodes, couponRedemptions, coupons, orders } from '../../db/schema.ts'
import { type CouponRules, displayCode, useIsLive } from '../../domain/coupons.ts'
import { rulesOf } from './records.ts'

export interface MyCoupon extends CouponRules {
  code: string
  couponId: string
  organizerId: string
  title: string
  titleEn: string | null
  /** `available` to use now, `used` (by an order that still counts), `expired` (window over or withdrawn). */
  state: 'available' | 'used' | 'expired'
  grantedAt: string
}

/** The coupons granted to a customer (refund as coupon, invite a friend, the organizer), newest first. */
export async function myCoupons(db: Database, customerId: string, organizerId?: string): Promise<MyCoupon[]> {
  const rows = await db
    .select({ code: couponCodes, coupon: coupons })
    .from(couponCodes)
    .innerJoin(coupons, eq(coupons.id, couponCodes.couponId))
    .where(
      and(
        eq(couponCodes.customerId, customerId),
        eq(couponCodes.kind, 'grant'),
        organizerId ? eq(couponCodes.organizerId, organizerId) : undefined,
      ),
    )
    .orderBy(desc(couponCodes.createdAt))
    .limit(200)
  const uses = rows.length
    ? await db
        .select({
          codeId: couponRedemptions.codeId,
          status: orders.status,
          back: couponRedemptions.returnOnRefund,
        })
        .from(couponRedemptions)
        .innerJoin(orders, eq(orders.id, couponRedemptions.orderId))
        .where(
          inArray(
            couponRedemptions.codeId,
            rows.map((r) => r.code.id),
          ),
        )
    : []
  const now = Date.now()
  return rows.map(({ code, coupon }) => {
    const used = uses.some((u) => u.codeId === code.id && useIsLive(u.status, u.back))
    const over = coupon.disabledAt !== null || (coupon.endsAt !== null && Date.parse(coupon.endsAt) <= now)
    return {
      code: displayCode(code.code),
      couponId: coupon.id,
      organizerId: coupon.organizerId,
      title: coupon.title,
      titleEn: coupon.titleEn,
      ...rulesOf(coupon),
      state: used ? 'used' : over ? 'expired' : 'available',
      grantedAt: code.createdAt,
    }
  })
}
