import { and, desc, eq, isNotNull, lte, ne, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { orders, referralInvites, referralRewards, referralVisits } from '../../db/schema.ts'
import { newRefCode } from '../../domain/distribution.ts'
import { newId } from '../../ids.ts'
import { notFound } from '../../problem.ts'
import {
  type OrderEvent,
  type OrderEventSubscriber,
  type PublishReads,
  readOrder,
} from '../order-events/subscriber.ts'
import { attributionDays } from './commission-events.ts'

// "Invite a friend" (社交裂变) bookkeeping: a customer's invite code, the friend's visit kept on their buyer id,
// and, when the friend's first order with the organizer is paid, one reward row per side. Issuing the rewards
// (coupons) is the RewardGranter's job, connected to the coupons module at merge.

/** Issues one reward (a coupon) and answers its reference, or null when nothing could be issued yet. */
export interface RewardGranter {
  /** Must be idempotent on `rewardId`: a retried event may call it again for the same reward. */
  grant(
    db: Database,
    reward: { rewardId: string; organizerId: string; customerId: string; side: 'inviter' | 'friend' },
  ): Promise<string | null>
}

/** Until coupons are connected, rewards are recorded and stay `pending`. */
export const pendingRewardGranter: RewardGranter = { grant: async () => null }

export async function inviteOf(db: Database, organizerId: string, customerId: string) {
  await db
    .insert(referralInvites)
    .values({ id: newId('inv'), organizerId, customerId, code: newRefCode() })
    .onConflictDoNothing({ target: [referralInvites.organizerId, referralInvites.customerId] })
  const [invite] = await db
    .select()
    .from(referralInvites)
    .where(and(eq(referralInvites.organizerId, organizerId), eq(referralInvites.customerId, customerId)))
  return invite!
}

export async function recordInviteVisit(db: Database, code: string, buyerId: string, now = new Date()) {
  const [invite] = await db.select().from(referralInvites).where(eq(referralInvites.code, code))
  if (!invite) throw notFound(`invite ${code}`)
  await db.insert(referralVisits).values({
    id: newId('rvs', now.getTime()),
    organizerId: invite.organizerId,
    inviteId: invite.id,
    buyerId,
    visitedAt: now.toISOString(),
  })
  return { organizerId: invite.organizerId }
}

type Side = { side: 'inviter' | 'friend'; customerId: string }

async function rewardFirstOrder(
  db: Database,
  event: OrderEvent,
  granter: RewardGranter,
  reads?: PublishReads,
) {
  const orderId = event.payload.orderId
  if (typeof orderId !== 'string') return
  const order = reads ? await reads.order(orderId) : await readOrder(db, orderId)
  // Only a signed-in friend has an identity to count "first order" against.
  if (!order?.customerId || !order.paidAt || order.rebookOf) return
  const [earlier] = await db
    .select({ n: sql<number>`count(*)` })
    .from(orders)
    .where(
      and(
        eq(orders.customerId, order.customerId),
        eq(orders.organizerId, order.organizerId),
        ne(orders.id, order.id),
        isNotNull(orders.paidAt),
        lte(orders.paidAt, order.paidAt),
      ),
    )
  if ((earlier?.n ?? 0) > 0) return
  // The friend's last invite visit before the order, within the organizer's attribution window.
  const since = new Date(
    Date.parse(order.createdAt) - (await attributionDays(db, order.organizerId)) * 86_400_000,
  )
  const [visit] = await db
    .select({ inviteId: referralVisits.inviteId, inviterId: referralInvites.customerId })
    .from(referralVisits)
    .innerJoin(referralInvites, eq(referralInvites.id, referralVisits.inviteId))
    .where(
      and(
        eq(referralVisits.buyerId, order.buyerId),
        eq(referralVisits.organizerId, order.organizerId),
        lte(referralVisits.visitedAt, order.createdAt),
        sql`${referralVisits.visitedAt} >= ${since.toISOString()}`,
      ),
    )
    .orderBy(desc(referralVisits.visitedAt))
    .limit(1)
  if (!visit || visit.inviterId === order.customerId) return
  const sides: [Side, Side] = [
    { side: 'inviter' as const, customerId: visit.inviterId },
    { side: 'friend' as const, customerId: order.customerId },
  ]
  const row = (s: Side) =>
    db
      .insert(referralRewards)
      .values({
        id: newId('rwd'),
        organizerId: order.organizerId,
        inviteId: visit.inviteId,
        friendCustomerId: order.customerId!,
        friendOrderId: order.id,
        ...s,
      })
      .onConflictDoNothing()
  await db.batch([row(sides[0]), row(sides[1])])
  const pending = await db
    .select()
    .from(referralRewards)
    .where(and(eq(referralRewards.friendOrderId, order.id), eq(referralRewards.state, 'pending')))
  for (const reward of pending) {
    const ref = await granter.grant(db, {
      rewardId: reward.id,
      organizerId: reward.organizerId,
      customerId: reward.customerId,
      side: reward.side,
    })
    if (ref)
      await db
        .update(referralRewards)
        .set({ state: 'granted', grantRef: ref, updatedAt: new Date().toISOString() })
        .where(and(eq(referralRewards.id, reward.id), eq(referralRewards.state, 'pending')))
  }
}

export const referralSubscriber = (granter: RewardGranter = pendingRewardGranter): OrderEventSubscriber => ({
  name: 'referral-rewards',
  topics: ['order.confirmed'],
  handle: (db, event, reads) => rewardFirstOrder(db, event, granter, reads),
})
