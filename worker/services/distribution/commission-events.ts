import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { inChunks } from '../../db/in-chunks.ts'
import {
  commissionRules,
  commissions,
  distributionAttributions,
  distributionClicks,
  distributionLinks,
  distributionSettings,
  distributors,
} from '../../db/schema.ts'
import {
  type CommissionRule,
  creditedClick,
  lineCommission,
  payableAfter,
  ruleFor,
  statementMonth,
} from '../../domain/distribution.ts'
import { newShortId } from '../../ids.ts'
import {
  asWrite,
  type EventWrites,
  noWrites,
  type OrderEvent,
  type OrderRow,
  type PublishReads,
  planned,
} from '../order-events/subscriber.ts'

// Commission follows the order's own events. `order.confirmed` (paid) credits the distributor whose link the buyer
// clicked last before the order was created, if within the organizer's window; `order.refunded` reverses the
// refunded lines' commission. Both are idempotent: rows are unique per order line and kind, updates are guarded
// by state, so an event handled twice writes once.

export const defaultAttributionDays = 7

/** Invite a friend: the coupon the organizer rewards both sides with, if any. */
export async function inviteCouponOf(db: Database, organizerId: string): Promise<string | null> {
  const [row] = await db
    .select({ couponId: distributionSettings.inviteCouponId })
    .from(distributionSettings)
    .where(eq(distributionSettings.organizerId, organizerId))
  return row?.couponId ?? null
}

export async function attributionDays(db: Database, organizerId: string) {
  const [row] = await db
    .select({ days: distributionSettings.attributionDays })
    .from(distributionSettings)
    .where(eq(distributionSettings.organizerId, organizerId))
  return row?.days ?? defaultAttributionDays
}

/** Which of the orders were already attributed, their organizers' windows, and which buyers clicked any link. */
async function attributionFactsOf(db: Database, reads: PublishReads, list: OrderRow[]) {
  const organizerIds = [...new Set(list.map((o) => o.organizerId))]
  const buyerIds = [...new Set(list.map((o) => o.buyerId))]
  const [attributed, settings, clickers] = await Promise.all([
    inChunks(
      list.map((o) => o.id),
      (chunk) =>
        reads.read(
          db
            .select({ orderId: distributionAttributions.orderId })
            .from(distributionAttributions)
            .where(inArray(distributionAttributions.orderId, chunk)),
        ),
    ),
    inChunks(organizerIds, (chunk) =>
      reads.read(
        db
          .select({
            organizerId: distributionSettings.organizerId,
            days: distributionSettings.attributionDays,
          })
          .from(distributionSettings)
          .where(inArray(distributionSettings.organizerId, chunk)),
      ),
    ),
    inChunks(buyerIds, (chunk) =>
      reads.read(
        db
          .selectDistinct({
            buyerId: distributionClicks.buyerId,
            organizerId: distributionClicks.organizerId,
          })
          .from(distributionClicks)
          .where(inArray(distributionClicks.buyerId, chunk)),
      ),
    ),
  ])
  const done = new Set(attributed.map((r) => r.orderId))
  const days = new Map(settings.map((r) => [r.organizerId, r.days]))
  const clicked = new Set(clickers.map((r) => `${r.buyerId} ${r.organizerId}`))
  return new Map(
    list.map((o) => [
      o.id,
      {
        attributed: done.has(o.id),
        windowDays: days.get(o.organizerId) ?? defaultAttributionDays,
        clicked: clicked.has(`${o.buyerId} ${o.organizerId}`),
      },
    ]),
  )
}

async function creditPaidOrder(db: Database, event: OrderEvent, reads: PublishReads): Promise<EventWrites> {
  const orderId = event.payload.orderId
  if (typeof orderId !== 'string') return noWrites
  const order = await reads.order(orderId)
  // A rebooking's new order replaces lines already credited on the first; it earns nothing again.
  if (!order || order.rebookOf || !order.paidAt) return noWrites
  const facts = await reads.forOrder('distribution.attribution', order, (list) =>
    attributionFactsOf(db, reads, list),
  )
  // Most buyers clicked no link: the run's one read of who did answers for them.
  if (!facts || facts.attributed || !facts.clicked) return noWrites
  // Only clicks before the order and inside the window can win; read the latest few of them.
  const clicks = await db
    .select()
    .from(distributionClicks)
    .where(
      and(
        eq(distributionClicks.buyerId, order.buyerId),
        eq(distributionClicks.organizerId, order.organizerId),
        lte(distributionClicks.clickedAt, order.createdAt),
      ),
    )
    .orderBy(desc(distributionClicks.clickedAt), desc(distributionClicks.id))
    .limit(5)
  const click = creditedClick(clicks, order.createdAt, facts.windowDays)
  if (!click) return noWrites
  const [distributor] = await db.select().from(distributors).where(eq(distributors.id, click.distributorId))
  const [link] = await db.select().from(distributionLinks).where(eq(distributionLinks.id, click.linkId))
  // A disabled distributor or link earns nothing on orders paid while it is disabled.
  if (!distributor || distributor.status !== 'active' || !link?.active) return noWrites

  const lines = (await reads.lines(order)).filter((line) => line.status === 'active')
  const show = await reads.show(order)
  const eventId = show?.eventId ?? null
  const startsAt = show?.startsAt ?? null
  const rules = await db
    .select()
    .from(commissionRules)
    .where(eq(commissionRules.organizerId, order.organizerId))
  const fallback: CommissionRule = { kind: distributor.commissionKind, value: distributor.commissionValue }
  const month = statementMonth(order.paidAt)
  const due = payableAfter(startsAt, order.visitDate)
  const rows = lines.map((line) => {
    const scope = line.productId
      ? { kind: 'product' as const, id: line.productId }
      : eventId
        ? { kind: 'event' as const, id: eventId }
        : null
    const rule = ruleFor(rules, distributor.id, scope, fallback)
    return {
      id: newShortId('com'),
      organizerId: order.organizerId,
      distributorId: distributor.id,
      orderId: order.id,
      orderLineId: line.id,
      amount: lineCommission(rule, line.price),
      base: line.price,
      ruleKind: rule.kind,
      ruleValue: rule.value,
      month,
      payableAfter: due,
      eventId: event.id,
    }
  })
  return {
    writes: [
      asWrite(
        db
          .insert(distributionAttributions)
          .values({
            orderId: order.id,
            organizerId: order.organizerId,
            distributorId: distributor.id,
            linkId: link.id,
            clickId: click.id,
            clickedAt: click.clickedAt,
            month,
          })
          .onConflictDoNothing(),
      ),
      ...rows.map((row) => asWrite(db.insert(commissions).values(row).onConflictDoNothing())),
    ],
  }
}

async function reverseRefundedLines(db: Database, event: OrderEvent): Promise<EventWrites> {
  const orderId = event.payload.orderId
  if (typeof orderId !== 'string') return noWrites
  const named = Array.isArray(event.payload.lineIds) ? (event.payload.lineIds as string[]) : null
  const credited = await db
    .select()
    .from(commissions)
    .where(and(eq(commissions.orderId, orderId), eq(commissions.kind, 'commission')))
  const refunded = credited.filter((row) => !named || named.includes(row.orderLineId))
  if (refunded.length === 0) return noWrites
  const now = new Date().toISOString()
  const lineIds = refunded.map((r) => r.orderLineId)
  const paidOut = refunded.filter((r) => r.state === 'paid' && r.amount > 0)
  return {
    writes: [
      // Not yet paid out: the line's commission is simply reversed (the whole of it: the ticket is gone).
      asWrite(
        db
          .update(commissions)
          .set({ state: 'reversed', reversedBy: event.id, updatedAt: now })
          .where(
            and(
              inArray(commissions.orderLineId, lineIds),
              eq(commissions.kind, 'commission'),
              inArray(commissions.state, ['pending', 'payable']),
            ),
          ),
      ),
      // Already paid out: taken back on the next statement, once per line.
      ...paidOut.map((row) =>
        asWrite(
          db
            .insert(commissions)
            .values({
              ...row,
              id: newShortId('com'),
              kind: 'clawback',
              amount: -row.amount,
              state: 'payable',
              month: statementMonth(now),
              payableAfter: now,
              payoutId: null,
              eventId: event.id,
              reversedBy: null,
              createdAt: now,
              updatedAt: now,
            })
            .onConflictDoNothing(),
        ),
      ),
    ],
  }
}

export const commissionSubscriber = planned({
  name: 'distribution-commission',
  topics: ['order.confirmed', 'order.refunded'],
  async plan(db, event, reads) {
    if (event.topic === 'order.confirmed') return creditPaidOrder(db, event, reads)
    if (event.topic === 'order.refunded') return reverseRefundedLines(db, event)
    return noWrites
  },
})

/**
 * The cron step: commission becomes payable once its show or visit day is over, or once its ticket was used at a
 * gate. Answers how many rows moved.
 */
export async function releasePayableCommission(db: Database, now = new Date()) {
  const at = now.toISOString()
  const result = await db
    .update(commissions)
    .set({ state: 'payable', updatedAt: at })
    .where(
      and(
        eq(commissions.state, 'pending'),
        sql`(${commissions.payableAfter} <= ${at} OR EXISTS (SELECT 1 FROM tickets t JOIN redemptions r ON r.ticket_id = t.id WHERE t.order_line_id = ${commissions.orderLineId}))`,
      ),
    )
  return result.meta.changes
}
