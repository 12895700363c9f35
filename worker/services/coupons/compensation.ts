import { and, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { coupons, events, orders, refundCompensations, refunds, scenicSites, shows } from '../../db/schema.ts'
import type { RefundQuote } from '../../domain/refund-policy.ts'
import { notFound, Problem, validationProblem } from '../../problem.ts'
import type { OrderEventSubscriber } from '../order-events/subscriber.ts'
import { grantCoupon } from './codes.ts'
import { couponRow } from './records.ts'

// Refund as coupon (优惠券补偿). The organizer sets, per event or scenic site, a coupon offered with refunds:
// `instead_of_fee` when the refund deducts a fee (the coupon compensates it), `on_top` with every refund. The cash
// refund is computed by the orders module exactly as without it; the buyer's choice is stored on the refund in the
// very batch that books it, and the coupon is granted by the `order.refunded` subscriber below, keyed on the refund
// id: no refund succeeded, no event, no coupon; the event handled twice, the same grant key, one coupon.

export type CompensationMode = 'instead_of_fee' | 'on_top'
export type CompensationTarget = { kind: 'event' | 'site'; id: string }

export interface CompensationSetting {
  couponId: string
  mode: CompensationMode
}

/** What the refund quote offers the buyer: the coupon (title and value) and how it relates to the fee. */
export interface CompensationOffer extends CompensationSetting {
  title: string
  titleEn: string | null
  kind: (typeof coupons.$inferSelect)['kind']
  amountOff: number | null
  minSpend: number
  percentOff: number | null
  maxOff: number | null
  ticketPrice: number | null
}

async function assertTarget(db: Database, organizerId: string, target: CompensationTarget) {
  const table = target.kind === 'event' ? events : scenicSites
  const [row] = await db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.id, target.id), eq(table.organizerId, organizerId)))
  if (!row) throw notFound(`${target.kind} ${target.id}`)
}

export async function readCompensation(
  db: Database,
  organizerId: string,
  target: CompensationTarget,
): Promise<CompensationSetting | null> {
  await assertTarget(db, organizerId, target)
  const [row] = await db
    .select({ couponId: refundCompensations.couponId, mode: refundCompensations.mode })
    .from(refundCompensations)
    .where(and(eq(refundCompensations.targetId, target.id), eq(refundCompensations.organizerId, organizerId)))
  return row ?? null
}

/** Sets (or with `null` turns off) the compensation of an event or scenic site; the coupon must be the organizer's. */
export async function setCompensation(
  db: Database,
  organizerId: string,
  target: CompensationTarget,
  setting: CompensationSetting | null,
): Promise<CompensationSetting | null> {
  await assertTarget(db, organizerId, target)
  if (!setting) {
    await db.delete(refundCompensations).where(eq(refundCompensations.targetId, target.id))
    return null
  }
  try {
    await couponRow(db, organizerId, setting.couponId)
  } catch {
    throw validationProblem([{ path: 'json.couponId', message: 'not one of this organizer’s coupons' }])
  }
  const values = { couponId: setting.couponId, mode: setting.mode, updatedAt: new Date().toISOString() }
  await db
    .insert(refundCompensations)
    .values({ targetId: target.id, targetKind: target.kind, organizerId, ...values })
    .onConflictDoUpdate({ target: refundCompensations.targetId, set: values })
  return { couponId: setting.couponId, mode: setting.mode }
}

type OrderRow = typeof orders.$inferSelect

/**
 * The coupon offered with this refund, or null: only to a signed-in buyer (a guest has no "my coupons"), only on an
 * allowed refund, `instead_of_fee` only when a fee is deducted, and only while the coupon is usable (not withdrawn,
 * its window not over).
 */
export async function compensationOffer(
  db: Database,
  order: OrderRow,
  quote: RefundQuote,
  now = new Date(),
): Promise<CompensationOffer | null> {
  if (!order.customerId || !quote.allowed) return null
  let targetId = order.siteId
  if (order.kind === 'show') {
    const [show] = await db.select({ eventId: shows.eventId }).from(shows).where(eq(shows.id, order.showId!))
    targetId = show?.eventId ?? null
  }
  if (!targetId) return null
  const [row] = await db
    .select({ setting: refundCompensations, coupon: coupons })
    .from(refundCompensations)
    .innerJoin(coupons, eq(coupons.id, refundCompensations.couponId))
    .where(
      and(eq(refundCompensations.targetId, targetId), eq(refundCompensations.organizerId, order.organizerId)),
    )
  if (!row) return null
  const { setting, coupon } = row
  if (setting.mode === 'instead_of_fee' && quote.fee === 0) return null
  if (coupon.disabledAt !== null || (coupon.endsAt !== null && Date.parse(coupon.endsAt) <= now.getTime()))
    return null
  return {
    couponId: coupon.id,
    mode: setting.mode,
    title: coupon.title,
    titleEn: coupon.titleEn,
    kind: coupon.kind,
    amountOff: coupon.amountOff,
    minSpend: coupon.minSpend,
    percentOff: coupon.percentOff,
    maxOff: coupon.maxOff,
    ticketPrice: coupon.ticketPrice,
  }
}

/** A choice of `coupon` the quote does not offer: refused before anything is refunded. */
export const compensationNotOffered = () =>
  new Problem({
    code: 'compensation_not_offered',
    status: 409,
    title: 'No coupon offered',
    detail: 'This refund offers no coupon; refund without one',
  })

/** Grants the coupon the buyer chose once the refund has succeeded (the event is written in that very batch). */
export const refundCompensationSubscriber: OrderEventSubscriber = {
  name: 'refund-compensation',
  topics: ['order.refunded'],
  async handle(db, event) {
    const { refundId } = event.payload as { refundId?: string }
    if (!refundId) return
    const [row] = await db
      .select({ refund: refunds, order: orders })
      .from(refunds)
      .innerJoin(orders, eq(orders.id, refunds.orderId))
      .where(eq(refunds.id, refundId))
    if (
      !row ||
      row.refund.status !== 'succeeded' ||
      !row.refund.compensationCouponId ||
      !row.order.customerId
    )
      return
    await grantCoupon(db, {
      organizerId: row.order.organizerId,
      couponId: row.refund.compensationCouponId,
      customerId: row.order.customerId,
      source: 'refund',
      key: `refund:${refundId}`,
    })
  },
}
