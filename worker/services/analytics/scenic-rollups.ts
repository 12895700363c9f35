// Scenic and check-in rollups from the orders' outbox events (subscribers, like order-subscribers.ts): a paid order
// adds its products to the 二消 and co-purchase counts and its tickets to sold; a refund or a rebooking takes the
// lines out (and moves the order's basket to what it still holds); a redemption adds one admission by gate and hour.
// Each event is one D1 batch guarded by its id in analytics_scenic_applied, so a replay adds nothing.
import { eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { analyticsOrderProducts, orderLines, type orders, tickets, visitProducts } from '../../db/schema.ts'
import { localDayOf } from '../../domain/analytics-events.ts'
import { combinationsOf } from '../../domain/copurchase.ts'
import {
  type EventWrites,
  noWrites,
  type OrderEvent,
  type OrderEventSubscriber,
  type PublishReads,
  planned,
  soloReads,
  writeTogether,
} from '../order-events/subscriber.ts'
import { platformTimeZone } from './consumer.ts'
import { addCopurchaseMonthly as copurchaseMonthly } from './report-rollups.ts'

const guard = 'EXISTS (SELECT 1 FROM analytics_scenic_applied WHERE event_id = ? AND done = 0)'

const addOrderProduct = `INSERT INTO analytics_order_products
  (order_id, product_id, organizer_id, site_id, visit_day, slot, channel, tickets)
  SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE ${guard}
  ON CONFLICT (order_id, product_id) DO UPDATE SET tickets = tickets + excluded.tickets`
const addSecondary = `INSERT INTO analytics_secondary_daily (organizer_id, site_id, visit_day, slot, channel, product_id, tickets)
  SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${guard}
  ON CONFLICT (organizer_id, site_id, visit_day, slot, channel, product_id) DO UPDATE SET tickets = tickets + excluded.tickets`
const addCopurchase = `INSERT INTO analytics_copurchase_daily
  (organizer_id, site_id, visit_day, channel, product_a, product_b, product_c, orders)
  SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE ${guard}
  ON CONFLICT (organizer_id, site_id, visit_day, channel, product_a, product_b, product_c)
  DO UPDATE SET orders = orders + excluded.orders`
const addCopurchaseMonthly = copurchaseMonthly(guard)
const addAttendance = `INSERT INTO analytics_attendance_daily
  (organizer_id, event_id, show_id, site_id, visit_day, channel, sold, admitted)
  SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE ${guard}
  ON CONFLICT (organizer_id, event_id, show_id, site_id, visit_day, channel)
  DO UPDATE SET sold = sold + excluded.sold, admitted = admitted + excluded.admitted`
const addCheckin = `INSERT INTO analytics_checkin_hourly
  (organizer_id, event_id, show_id, site_id, visit_day, channel, gate, day, hour, admitted)
  SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, 1 WHERE ${guard}
  ON CONFLICT (organizer_id, event_id, show_id, site_id, visit_day, channel, gate, day, hour)
  DO UPDATE SET admitted = admitted + 1`

type Order = typeof orders.$inferSelect

/** The order's keys: organizer zone, event, and the day it is for (visit date, or the show's start day). */
async function orderScope(order: Order, reads: PublishReads) {
  const [zone, show] = await Promise.all([reads.timeZone(order), reads.show(order)])
  const timeZone = zone ?? platformTimeZone
  const visitDay = order.visitDate ?? (show ? localDayOf(new Date(show.startsAt), timeZone) : '')
  return { zone: timeZone, eventId: show?.eventId ?? '', visitDay }
}

/** The event's statements as one batch: marks it seen, applies them only if not yet done, marks it done. */
function applyOnce(eventId: string, statements: Statement[]): EventWrites {
  return {
    writes: [
      {
        sql: 'INSERT INTO analytics_scenic_applied (event_id) VALUES (?) ON CONFLICT DO NOTHING',
        params: [eventId],
      },
      ...statements.map((s) => ({ sql: s.sql, params: [...s.values, eventId] })),
      { sql: 'UPDATE analytics_scenic_applied SET done = 1 WHERE event_id = ?', params: [eventId] },
    ],
  }
}

function basketStatements(order: Order, visitDay: string, basket: string[], delta: 1 | -1) {
  return combinationsOf(basket)
    .concat(basket.length ? [['', '', '']] : [])
    .flatMap(([a, b, c]) =>
      [addCopurchase, addCopurchaseMonthly].map((sql) => ({
        sql,
        values: [order.organizerId, order.siteId, visitDay, order.channel, a, b, c, delta],
      })),
    )
}

const payloadString = (event: OrderEvent, key: string) => {
  const value = (event.payload as Record<string, unknown>)[key]
  return typeof value === 'string' ? value : undefined
}

async function orderOf(event: OrderEvent, reads: PublishReads, key = 'orderId') {
  const orderId = payloadString(event, key)
  return orderId ? reads.order(orderId) : null
}

async function productKinds(db: Database, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>()
  const rows = await db
    .select({ id: visitProducts.id, kind: visitProducts.kind })
    .from(visitProducts)
    .where(inArray(visitProducts.id, ids.slice(0, 90)))
  return new Map(rows.map((r) => [r.id, r.kind as string]))
}

type Statement = { sql: string; values: unknown[] }

export const rollUpScenicPaid = planned({
  name: 'analytics.scenic-paid',
  topics: ['order.confirmed'],
  async plan(db, event, reads) {
    const order = await orderOf(event, reads)
    if (!order) return noWrites
    const scope = await orderScope(order, reads)
    const lines = await reads.lines(order)
    // Every line was paid for: lines refunded or rebooked since leave through their own events (which may have
    // been published before this one runs), so counting only active lines here would take them out twice.
    const standing = lines
    const keys = [
      order.organizerId,
      scope.eventId,
      order.showId ?? '',
      order.siteId ?? '',
      scope.visitDay,
      order.channel,
    ]
    const statements: Statement[] = [{ sql: addAttendance, values: [...keys, standing.length, 0] }]
    if (order.kind === 'scenic' && order.siteId) {
      const count = new Map<string, number>()
      for (const l of standing) if (l.productId) count.set(l.productId, (count.get(l.productId) ?? 0) + 1)
      const kinds = await productKinds(db, [...count.keys()])
      // The gate ticket's slot is the order's: a cable car bought beside it counts in that slot.
      const slot =
        standing.find((l) => l.productId && kinds.get(l.productId) === 'entry' && l.slot)?.slot ?? ''
      for (const [productId, n] of count) {
        const values = [order.organizerId, order.siteId, scope.visitDay, slot, order.channel]
        statements.push(
          { sql: addOrderProduct, values: [order.id, productId, ...values, n] },
          { sql: addSecondary, values: [...values, productId, n] },
        )
      }
      statements.push(...basketStatements(order, scope.visitDay, [...count.keys()], 1))
    }
    return applyOnce(event.id, statements)
  },
})

/** Lines leaving a paid order: refunded, or moved by a rebooking (改签) to a new order that is counted when paid. */
export const rollUpScenicRefund: OrderEventSubscriber = {
  name: 'analytics.scenic-refund',
  topics: ['order.refunded', 'order.rebooked'],
  async handle(db, event, reads = soloReads(db)) {
    const order = await orderOf(event, reads, event.topic === 'order.rebooked' ? 'from' : 'orderId')
    const lineIds = (event.payload as { lineIds?: unknown }).lineIds
    const ids = Array.isArray(lineIds) ? lineIds.filter((id): id is string => typeof id === 'string') : []
    if (!order || ids.length === 0) return
    const scope = await orderScope(order, reads)
    const lines = await db
      .select({ productId: orderLines.productId })
      .from(orderLines)
      .where(inArray(orderLines.id, ids.slice(0, 90)))
    const keys = [
      order.organizerId,
      scope.eventId,
      order.showId ?? '',
      order.siteId ?? '',
      scope.visitDay,
      order.channel,
    ]
    const statements: Statement[] = [{ sql: addAttendance, values: [...keys, -lines.length, 0] }]
    if (order.kind === 'scenic' && order.siteId) {
      const held = await db
        .select({
          productId: analyticsOrderProducts.productId,
          slot: analyticsOrderProducts.slot,
          tickets: analyticsOrderProducts.tickets,
        })
        .from(analyticsOrderProducts)
        .where(eq(analyticsOrderProducts.orderId, order.id))
      const refunded = new Map<string, number>()
      for (const l of lines) if (l.productId) refunded.set(l.productId, (refunded.get(l.productId) ?? 0) + 1)
      const before = held.filter((h) => h.tickets > 0)
      const after = before.filter((h) => h.tickets > (refunded.get(h.productId) ?? 0))
      for (const h of held) {
        const n = refunded.get(h.productId)
        if (!n) continue
        const values = [order.organizerId, order.siteId, scope.visitDay, h.slot, order.channel]
        statements.push(
          { sql: addOrderProduct, values: [order.id, h.productId, ...values, -n] },
          { sql: addSecondary, values: [...values, h.productId, -n] },
        )
      }
      // The basket moves from what the order held to what it still holds.
      if (after.length !== before.length)
        statements.push(
          ...basketStatements(
            order,
            scope.visitDay,
            before.map((h) => h.productId),
            -1,
          ),
          ...basketStatements(
            order,
            scope.visitDay,
            after.map((h) => h.productId),
            1,
          ),
        )
    }
    await writeTogether(db, [applyOnce(event.id, statements)])
  },
}

const hourFormats = new Map<string, Intl.DateTimeFormat>()
/** The hour (0-23) of an instant in a time zone. */
function localHourOf(at: Date, timeZone: string): number {
  let format = hourFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' })
    hourFormats.set(timeZone, format)
  }
  return Number(format.format(at)) % 24
}

export const rollUpAdmission: OrderEventSubscriber = {
  name: 'analytics.admission',
  topics: ['ticket.redeemed'],
  async handle(db, event) {
    const reads = soloReads(db)
    const order = await orderOf(event, reads)
    const ticketId = payloadString(event, 'ticketId')
    if (!order || !ticketId) return
    const [ticket] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, ticketId))
    if (!ticket) return
    const scope = await orderScope(order, reads)
    const redeemedAt = payloadString(event, 'redeemedAt')
    const at = new Date(redeemedAt && !Number.isNaN(Date.parse(redeemedAt)) ? redeemedAt : event.createdAt)
    const keys = [
      order.organizerId,
      scope.eventId,
      order.showId ?? '',
      order.siteId ?? '',
      scope.visitDay,
      order.channel,
    ]
    await writeTogether(db, [
      applyOnce(event.id, [
        { sql: addAttendance, values: [...keys, 0, 1] },
        {
          sql: addCheckin,
          values: [
            ...keys,
            payloadString(event, 'gate') ?? '',
            localDayOf(at, scope.zone),
            localHourOf(at, scope.zone),
          ],
        },
      ]),
    ])
  },
}

export const scenicRollupSubscribers: readonly OrderEventSubscriber[] = [
  rollUpScenicPaid,
  rollUpScenicRefund,
  rollUpAdmission,
]
