// Paid, refund and redemption events, captured from the order's own outbox events (subscribers, not wired into the
// orders module). Ids are keyed on the outbox event, so a replayed event adds nothing. An order's traffic source and
// device are those of its `order` event captured when the buyer ordered (direct when there is none, e.g. an OTA).
import { and, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { inChunks } from '../../db/in-chunks.ts'
import { analyticsEvents, orderLines, orders, tickets } from '../../db/schema.ts'
import { localDayOf, splitInProportion } from '../../domain/analytics-events.ts'
import {
  noWrites,
  type OrderEvent,
  type OrderEventSubscriber,
  type OrderRow,
  type PublishReads,
  planned,
  sharedWrites,
  soloReads,
} from '../order-events/subscriber.ts'
import { platformTimeZone } from './consumer.ts'
import type { AnalyticsRecord } from './messages.ts'
import { analyticsEventWrites, recordAnalyticsEvents } from './store.ts'

type Line = { id: string; productId: string | null; category: string | null; price: number }

/** The captured `order` event of each order (its traffic source and device), for a run's orders at once. */
async function capturedOf(db: Database, reads: PublishReads, list: OrderRow[]) {
  const rows = await inChunks(
    list.map((o) => o.id),
    (chunk) =>
      reads.read(
        db
          .select({
            orderId: analyticsEvents.orderId,
            source: analyticsEvents.source,
            referrerHost: analyticsEvents.referrerHost,
            utmSource: analyticsEvents.utmSource,
            utmMedium: analyticsEvents.utmMedium,
            utmCampaign: analyticsEvents.utmCampaign,
            ref: analyticsEvents.ref,
            device: analyticsEvents.device,
          })
          .from(analyticsEvents)
          .where(and(inArray(analyticsEvents.orderId, chunk), eq(analyticsEvents.kind, 'order'))),
      ),
  )
  const byOrder = new Map<string, (typeof rows)[number]>()
  // The first captured per order, as a single read's `limit 1` would answer.
  for (const row of rows) if (row.orderId && !byOrder.has(row.orderId)) byOrder.set(row.orderId, row)
  return byOrder
}

async function orderFacts(db: Database, orderId: string, reads: PublishReads = soloReads(db)) {
  const order = await reads.order(orderId)
  if (!order) return null
  const [show, captured, zone] = await Promise.all([
    reads.show(order),
    reads.forOrder('analytics.captured', order, (list) => capturedOf(db, reads, list)),
    reads.timeZone(order),
  ])
  return { order, eventId: show?.eventId, captured, zone: zone ?? platformTimeZone }
}

type Facts = NonNullable<Awaited<ReturnType<typeof orderFacts>>>

/** The keys every event of the order shares. */
function base(facts: Facts, id: string, kind: AnalyticsRecord['kind'], at: Date): AnalyticsRecord {
  const { order, captured } = facts
  const traffic = captured
    ? Object.fromEntries(
        Object.entries({
          referrerHost: captured.referrerHost,
          utmSource: captured.utmSource,
          utmMedium: captured.utmMedium,
          utmCampaign: captured.utmCampaign,
          ref: captured.ref,
        }).filter(([, v]) => v),
      )
    : undefined
  return {
    id,
    organizerId: order.organizerId,
    kind,
    occurredAt: at.toISOString(),
    day: localDayOf(at, facts.zone),
    ...(facts.eventId ? { eventId: facts.eventId } : {}),
    ...(order.showId ? { showId: order.showId } : {}),
    ...(order.siteId ? { siteId: order.siteId } : {}),
    channel: order.channel,
    source: captured?.source ?? 'direct',
    ...(traffic && Object.keys(traffic).length ? { traffic } : {}),
    device: captured?.device ?? 'unknown',
    orderId: order.id,
    holdId: order.holdId,
  }
}

/** One part per scenic product or show price category, with its lines' share of `amount`. */
function parts(lines: Line[], amount: number) {
  const groups = new Map<string, Line[]>()
  for (const line of lines) {
    const key = line.productId ? `p:${line.productId}` : `c:${line.category ?? ''}`
    groups.set(key, [...(groups.get(key) ?? []), line])
  }
  const list = [...groups.values()]
  const amounts = splitInProportion(
    amount,
    list.map((g) => g.reduce((sum, l) => sum + Math.max(0, l.price), 0)),
  )
  return list.map((g, i) => ({
    productId: g[0]!.productId ?? undefined,
    category: g[0]!.productId ? undefined : (g[0]!.category ?? undefined),
    tickets: g.length,
    amount: amounts[i]!,
  }))
}

const lineColumns = {
  id: orderLines.id,
  productId: orderLines.productId,
  category: orderLines.category,
  price: orderLines.price,
}

function partRecords(
  facts: Facts,
  event: OrderEvent,
  kind: 'paid' | 'refund',
  lines: Line[],
  amount: number,
  at: Date,
) {
  const split = lines.length ? parts(lines, amount) : [{ tickets: 0, amount }]
  return split.map((part, i) => ({
    ...base(facts, `${kind}:${event.id}:${i}`, kind, at),
    ...('productId' in part && part.productId ? { productId: part.productId } : {}),
    ...('category' in part && part.category ? { category: part.category } : {}),
    ...(kind === 'paid' ? { buyerKey: facts.order.customerId ?? facts.order.buyerId } : {}),
    orders: i === 0 ? 1 : 0,
    tickets: part.tickets,
    amount: kind === 'refund' ? -part.amount : part.amount,
  }))
}

const payloadString = (event: OrderEvent, key: string) => {
  const value = (event.payload as Record<string, unknown>)[key]
  return typeof value === 'string' ? value : undefined
}

export const capturePaid = planned({
  name: 'analytics.paid',
  topics: ['order.confirmed'],
  async plan(db, event, reads) {
    const orderId = payloadString(event, 'orderId')
    const facts = orderId ? await orderFacts(db, orderId, reads) : null
    if (!facts) return noWrites
    const lines: Line[] = await reads.lines(facts.order)
    const at = new Date(facts.order.paidAt ?? event.createdAt)
    // Shared: a run writes the store's statements once over all its paid orders' records (see analyticsEventWrites).
    return {
      writes: [],
      shared: sharedWrites(
        analyticsEventWrites,
        partRecords(facts, event, 'paid', lines, facts.order.total, at),
      ),
    }
  },
})

export const captureRefund: OrderEventSubscriber = {
  name: 'analytics.refund',
  topics: ['order.refunded'],
  async handle(db, event, reads) {
    const orderId = payloadString(event, 'orderId')
    const amount = (event.payload as { amount?: unknown }).amount
    const facts = orderId && typeof amount === 'number' ? await orderFacts(db, orderId, reads) : null
    if (!facts || typeof amount !== 'number') return
    const lineIds = (event.payload as { lineIds?: unknown }).lineIds
    const ids = Array.isArray(lineIds) ? lineIds.filter((id): id is string => typeof id === 'string') : []
    const lines = ids.length
      ? await db
          .select(lineColumns)
          .from(orderLines)
          .where(inArray(orderLines.id, ids.slice(0, 90)))
      : []
    await recordAnalyticsEvents(
      db,
      partRecords(facts, event, 'refund', lines, amount, new Date(event.createdAt)),
    )
  },
}

export const captureRedemption: OrderEventSubscriber = {
  name: 'analytics.redemption',
  topics: ['ticket.redeemed'],
  async handle(db, event) {
    const orderId = payloadString(event, 'orderId')
    const ticketId = payloadString(event, 'ticketId')
    const facts = orderId ? await orderFacts(db, orderId) : null
    if (!facts || !ticketId) return
    const [line] = await db
      .select(lineColumns)
      .from(tickets)
      .innerJoin(orderLines, eq(orderLines.id, tickets.orderLineId))
      .where(eq(tickets.id, ticketId))
    const redeemedAt = payloadString(event, 'redeemedAt')
    const at = new Date(redeemedAt && !Number.isNaN(Date.parse(redeemedAt)) ? redeemedAt : event.createdAt)
    await recordAnalyticsEvents(db, [
      {
        ...base(facts, `redemption:${event.id}`, 'redemption', at),
        ...(line?.productId ? { productId: line.productId } : {}),
        ...(line && !line.productId && line.category ? { category: line.category } : {}),
        tickets: 1,
        // The used ticket's line price: what a partner channel settles for (reports/channels.ts).
        amount: line?.price ?? 0,
      },
    ])
  },
}

/**
 * 改签: the new order's paid event counts its lines and full total, so the replaced order gives back what moved, on
 * the day it moved: its lines' tickets, the credit carried over (their price, at most the new total; a cheaper
 * rebooking's difference is a refund of its own), and the order itself when every line moved.
 */
export const captureRebooking: OrderEventSubscriber = {
  name: 'analytics.rebook',
  topics: ['order.rebooked'],
  async handle(db, event) {
    const from = payloadString(event, 'from')
    const to = payloadString(event, 'to')
    const facts = from ? await orderFacts(db, from) : null
    const [replacement] = to
      ? await db.select({ total: orders.total }).from(orders).where(eq(orders.id, to))
      : []
    if (!facts || !replacement) return
    const moved = await db.select(lineColumns).from(orderLines).where(eq(orderLines.rebookOrderId, to!))
    const standing = await db
      .select({ id: orderLines.id })
      .from(orderLines)
      .where(and(eq(orderLines.orderId, facts.order.id), eq(orderLines.status, 'active')))
    const credit = Math.min(
      moved.reduce((sum, l) => sum + l.price, 0),
      replacement.total,
    )
    const records = partRecords(facts, event, 'paid', moved, credit, new Date(event.createdAt)).map(
      (r, i) => ({
        ...r,
        id: `rebook:${event.id}:${i}`,
        kind: 'rebook' as const,
        buyerKey: undefined,
        orders: i === 0 && standing.length === 0 ? -1 : 0,
        tickets: -r.tickets,
        amount: -r.amount,
      }),
    )
    await recordAnalyticsEvents(db, records)
  },
}

export const analyticsOrderSubscribers: readonly OrderEventSubscriber[] = [
  capturePaid,
  captureRefund,
  captureRebooking,
  captureRedemption,
]
