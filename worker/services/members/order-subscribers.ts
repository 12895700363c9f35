// Points follow an order's life: earned when it is paid, reversed (and redeemed points given back) in proportion
// to what a refund returns, redeemed points given back when an unpaid order expires or is cancelled. Each row's id
// is keyed on the order or refund, so a replayed event writes nothing twice.
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { memberPoints, orders } from '../../db/schema.ts'
import { type PointsRules, pointsEarned, pointsExpiry, shareOf } from '../../domain/points-ledger.ts'
import {
  type OrderEvent,
  type OrderEventSubscriber,
  type PublishReads,
  readOrder,
} from '../order-events/subscriber.ts'
import { appendEntry, settleDebt, takeOrOwe } from './ledger.ts'
import { ensureMember, findMember, readRules } from './profiles.ts'

/** What the points rules need of an order. */
export interface OrderFacts {
  id: string
  total: number
  rebookOf: string | null
}

async function orderOf(db: Database, event: OrderEvent, reads?: PublishReads) {
  const orderId = (event.payload as { orderId?: unknown }).orderId
  if (typeof orderId !== 'string') return null
  return reads ? reads.order(orderId) : readOrder(db, orderId)
}

async function orderRows(db: Database, memberId: string, orderId: string) {
  return db
    .select()
    .from(memberPoints)
    .where(and(eq(memberPoints.memberId, memberId), eq(memberPoints.orderId, orderId)))
}

/** Paid: the member profile exists from now on, the spend counts for tiers and the points are earned. */
export const earnOnPaid: OrderEventSubscriber = {
  name: 'members.earn',
  topics: ['order.confirmed'],
  async handle(db, event, reads) {
    const order = await orderOf(db, event, reads)
    if (!order?.customerId) return
    const member = await ensureMember(db, order.organizerId, order.customerId)
    await earnForOrder(db, member.id, order, await readRules(db, order.organizerId), new Date())
  },
}

/** Writes what a paid order earns (once: keyed on the order). */
export async function earnForOrder(
  db: Database,
  memberId: string,
  order: OrderFacts,
  rules: PointsRules | null,
  at: Date,
) {
  const member = { id: memberId }
  // A rebooking (改签) moves tickets already paid for: the points stay with the order they were earned on.
  const points = order.rebookOf ? 0 : pointsEarned(order.total, rules)
  const rows = await orderRows(db, member.id, order.id)
  const redeemed = rows.find((row) => row.id === `red_${order.id}`)
  const returned = rows.find((row) => row.id === `ret_${order.id}`)
  await db.batch([
    appendEntry(db, {
      id: `earn_${order.id}`,
      memberId: member.id,
      kind: 'earn',
      points,
      spend: order.rebookOf ? 0 : order.total,
      orderId: order.id,
      expiresAt: pointsExpiry(at, rules?.expiryYears ?? 0),
      at,
    }),
    // Paid after all, once its redemption was given back (a late payment that got its seats): take it again.
    ...(redeemed && returned
      ? [
          appendEntry(db, {
            id: `rered_${order.id}`,
            memberId: member.id,
            kind: 'redeem',
            ...takeOrOwe(-redeemed.points),
            orderId: order.id,
            at,
          }),
        ]
      : []),
    appendEntry(db, {
      id: `settle_${order.id}`,
      memberId: member.id,
      kind: 'debt_settled',
      ...settleDebt(),
      at,
    }),
  ])
}

/** Refunded: points earned are reversed and points redeemed given back, each by the refunded share. */
export const reverseOnRefund: OrderEventSubscriber = {
  name: 'members.reverse',
  topics: ['order.refunded'],
  async handle(db, event, reads) {
    const order = await orderOf(db, event, reads)
    const { refundId, amount } = event.payload as { refundId?: string; amount?: number }
    if (!order?.customerId || typeof refundId !== 'string' || typeof amount !== 'number') return
    const member = await findMember(db, order.organizerId, order.customerId)
    if (!member) return
    const rules = await readRules(db, order.organizerId)
    await reverseForRefund(db, member.id, order, { refundId, amount }, rules, new Date())
  },
}

/** Reverses earned points and gives back redeemed ones by a refund's share of the order (once per refund). */
export async function reverseForRefund(
  db: Database,
  memberId: string,
  order: OrderFacts,
  { refundId, amount }: { refundId: string; amount: number },
  rules: PointsRules | null,
  at: Date,
) {
  const member = { id: memberId }
  const rows = await orderRows(db, member.id, order.id)
  const earned = rows.find((row) => row.id === `earn_${order.id}`)
  // Paid events are handled before their refunds; until then this one waits (a throw retries it next run).
  if (!earned) throw new Error(`order ${order.id} refunded before its points were earned`)
  if (rows.some((row) => row.id === `rev_${refundId}`)) return
  const reversals = rows.filter((row) => row.kind === 'reverse')
  const refunded = -reversals.reduce((sum, row) => sum + row.spend, 0) + amount
  const reverse =
    shareOf(earned.points, refunded, order.total) -
    reversals.reduce((sum, row) => sum + row.debt - row.points, 0)
  const redeemed = -(rows.find((row) => row.id === `red_${order.id}`)?.points ?? 0)
  const giveBack =
    shareOf(redeemed, refunded, order.total) -
    rows.filter((row) => row.id.startsWith('retr_')).reduce((sum, row) => sum + row.points, 0)
  await db.batch([
    appendEntry(db, {
      id: `rev_${refundId}`,
      memberId: member.id,
      kind: 'reverse',
      ...takeOrOwe(Math.max(0, reverse)),
      spend: -amount,
      orderId: order.id,
      at,
    }),
    ...(giveBack > 0
      ? [
          appendEntry(db, {
            id: `retr_${refundId}`,
            memberId: member.id,
            kind: 'redeem_returned',
            points: giveBack,
            orderId: order.id,
            expiresAt: pointsExpiry(at, rules?.expiryYears ?? 0),
            at,
          }),
          appendEntry(db, {
            id: `settle_${refundId}`,
            memberId: member.id,
            kind: 'debt_settled',
            ...settleDebt(),
            at,
          }),
        ]
      : []),
  ])
}

/** Expired or cancelled unpaid: the points it reserved come back (a paid order's points go only by refund). */
export const returnOnUnpaidEnd: OrderEventSubscriber = {
  name: 'members.return',
  topics: ['order.expired', 'order.cancelled'],
  async handle(db, event, reads) {
    if ((event.payload as { reason?: unknown }).reason === 'rebooked') return
    const order = await orderOf(db, event, reads)
    if (!order?.customerId || !['expired', 'cancelled'].includes(order.status)) return
    const [redeemed] = await db
      .select()
      .from(memberPoints)
      .where(and(eq(memberPoints.id, `red_${order.id}`), inArray(memberPoints.kind, ['redeem'])))
    if (!redeemed) return
    await returnRedemption(db, redeemed, order.id, await readRules(db, order.organizerId), new Date())
  },
}

/** Gives an unpaid order's redeemed points back (once; never after the order was paid late and took them again). */
export async function returnRedemption(
  db: Database,
  redeemed: { memberId: string; points: number },
  orderId: string,
  rules: PointsRules | null,
  at: Date,
) {
  const order = { id: orderId }
  await db.batch([
    appendEntry(db, {
      id: `ret_${order.id}`,
      memberId: redeemed.memberId,
      kind: 'redeem_returned',
      points: -redeemed.points,
      orderId: order.id,
      expiresAt: pointsExpiry(at, rules?.expiryYears ?? 0),
      at,
      // Returned once, and not after the order was paid late and took its redemption again.
      when: sql`NOT EXISTS (SELECT 1 FROM member_points WHERE id = ${`rered_${order.id}`})`,
    }),
    appendEntry(db, {
      id: `settle_ret_${order.id}`,
      memberId: redeemed.memberId,
      kind: 'debt_settled',
      ...settleDebt(),
      at,
    }),
  ])
}

export const memberOrderSubscribers = [earnOnPaid, reverseOnRefund, returnOnUnpaidEnd] as const
