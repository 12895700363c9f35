import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { couponCodes, couponRedemptions, coupons, shows } from '../../db/schema.ts'
import { couponDiscount, normalizeCouponCode } from '../../domain/coupons.ts'
import { newId } from '../../ids.ts'
import { Problem } from '../../problem.ts'
import type {
  CheckoutDiscountProvider,
  DiscountContext,
  DiscountOffer,
} from '../orders/checkout-discounts.ts'
import { rulesOf } from './records.ts'
import { countLiveUses, liveUses, usesOfCode, usesOfCoupon, usesOfCustomer } from './uses.ts'

// The coupon at checkout: one code per order. It checks the code, the window, the scope, the minimum spend and the
// caps, and claims the discount; the use is reserved in the batch that creates the order, with a guard per cap
// counting the live uses after the insert, so a cap holds under any concurrency (a lost race writes nothing and the
// buyer gets coupon_exhausted). A use counts while its order is not expired or cancelled (and, when the coupon says
// so, not refunded in full): nothing is written to give it back.

const refuse = (code: Problem['code'], title: string, detail: string, status: 401 | 404 | 409 = 409) =>
  new Problem({ code, status, title, detail })

const invalid = () => refuse('coupon_invalid', 'Unknown coupon', 'No such coupon code for these tickets', 404)

async function findCode(db: Database, organizerId: string, typed: string) {
  const code = normalizeCouponCode(typed)
  const [row] = await db
    .select({ code: couponCodes, coupon: coupons })
    .from(couponCodes)
    .innerJoin(coupons, eq(coupons.id, couponCodes.couponId))
    .where(
      and(
        eq(couponCodes.organizerId, organizerId),
        eq(couponCodes.code, code),
        inArray(couponCodes.kind, ['public', 'single', 'grant']),
      ),
    )
  return row ?? null
}

async function eventOfShow(db: Database, showId: string | null) {
  if (!showId) return null
  const [row] = await db.select({ eventId: shows.eventId }).from(shows).where(eq(shows.id, showId))
  return row?.eventId ?? null
}

/** The coupon's discount for an order being created, or a Problem saying why it takes none. */
export async function couponOffer(db: Database, context: DiscountContext): Promise<DiscountOffer | null> {
  const typed = context.request.couponCode
  if (!typed) return null
  const found = await findCode(db, context.organizerId, typed)
  if (!found || found.coupon.disabledAt) throw invalid()
  const { code, coupon } = found
  if (code.kind === 'grant' && code.customerId !== context.customerId) throw invalid()
  const rules = rulesOf(coupon)
  if (rules.perCustomerCap !== null && !context.customerId)
    throw refuse(
      'sign_in_required',
      'Sign in required',
      'Sign in to use this coupon: it is limited per customer',
      401,
    )
  const eventId = await eventOfShow(db, context.showId)
  const decision = couponDiscount(rules, {
    lines: context.lines.map((line) => ({
      price: line.price,
      eventId,
      showId: context.showId,
      category: line.category,
      productId: line.productId,
    })),
    channel: context.channel,
    now: context.now,
    memberDiscount: context.taken.some((t) => t.source === 'member'),
  })
  if (!decision.ok) throw refuse(decision.code, 'Coupon not usable', decision.detail)
  // Checked before the order is written, for a clear answer; the guards below decide races.
  const singleUse = code.kind !== 'public'
  if (singleUse && (await countLiveUses(db, usesOfCode(code.id))) >= 1)
    throw refuse('coupon_exhausted', 'Code already used', 'This code has already been used')
  if (rules.totalCap !== null && (await countLiveUses(db, usesOfCoupon(coupon.id))) >= rules.totalCap)
    throw refuse('coupon_exhausted', 'Offer used up', 'This offer has been used up')
  const customerId = context.customerId
  if (
    rules.perCustomerCap !== null &&
    customerId &&
    (await countLiveUses(db, usesOfCustomer(coupon.id, customerId))) >= rules.perCustomerCap
  )
    throw refuse(
      'coupon_limit_reached',
      'Coupon limit reached',
      `You have used this coupon ${rules.perCustomerCap} time(s), as many as it allows`,
    )
  return {
    claim: {
      source: 'coupon',
      ref: coupon.id,
      label: coupon.title,
      amount: decision.amount,
      eligible: decision.eligible,
    },
    reserve(batch, applied) {
      batch.add(
        db.insert(couponRedemptions).values({
          id: newId('cpu'),
          couponId: coupon.id,
          codeId: code.id,
          orderId: context.orderId,
          customerId,
          amount: applied.amount,
          returnOnRefund: rules.returnOnRefund,
        }),
      )
      if (singleUse) batch.guard(sql`${liveUses(usesOfCode(code.id))} <= 1`)
      if (rules.totalCap !== null) batch.guard(sql`${liveUses(usesOfCoupon(coupon.id))} <= ${rules.totalCap}`)
      if (rules.perCustomerCap !== null && customerId)
        batch.guard(sql`${liveUses(usesOfCustomer(coupon.id, customerId))} <= ${rules.perCustomerCap}`)
      // Disabled meanwhile: no new use.
      batch.guard(
        sql`(SELECT ${coupons.disabledAt} IS NULL FROM ${coupons} WHERE ${coupons.id} = ${coupon.id})`,
      )
    },
  }
}

/**
 * A late payment (the order had expired, so its use stopped counting) takes the use again only within the caps as
 * they stand now: the same guards as at checkout, checked in the batch that confirms the order.
 */
export async function couponLateConfirmGuards(db: Database, orderId: string) {
  const [use] = await db
    .select({
      couponId: couponRedemptions.couponId,
      codeId: couponRedemptions.codeId,
      customerId: couponRedemptions.customerId,
      codeKind: couponCodes.kind,
      totalCap: coupons.totalCap,
      perCustomerCap: coupons.perCustomerCap,
    })
    .from(couponRedemptions)
    .innerJoin(coupons, eq(coupons.id, couponRedemptions.couponId))
    .innerJoin(couponCodes, eq(couponCodes.id, couponRedemptions.codeId))
    .where(eq(couponRedemptions.orderId, orderId))
  if (!use) return []
  const guards = []
  if (use.codeKind !== 'public') guards.push(sql`${liveUses(usesOfCode(use.codeId))} <= 1`)
  if (use.totalCap !== null) guards.push(sql`${liveUses(usesOfCoupon(use.couponId))} <= ${use.totalCap}`)
  if (use.perCustomerCap !== null && use.customerId)
    guards.push(sql`${liveUses(usesOfCustomer(use.couponId, use.customerId))} <= ${use.perCustomerCap}`)
  return guards
}

export const couponProvider: CheckoutDiscountProvider = {
  name: 'coupon',
  offer: couponOffer,
  lateConfirmGuards: couponLateConfirmGuards,
}
