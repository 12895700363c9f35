import { and, asc, count, eq, gte, inArray, isNotNull, lt, sql, sum } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import {
  events,
  orderLines,
  orders,
  organizers,
  salesChannels,
  seats,
  shows,
  venues,
  visitProducts,
} from '../../db/schema.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound, validationProblem } from '../../problem.ts'
import { validate } from '../../validation.ts'
import { salesReport, sellThroughReport } from '../contracts/admin/reports.ts'
import { json } from '../openapi.ts'
import { isoDate, queryInteger } from '../query.ts'

// Dashboard figures. A sale is an order line that was paid for and still stands (not refunded, not
// moved by a rebooking), counted on the day its order was paid, in the organizer's wall-clock day
// (China, UTC+8, no daylight saving), so every breakdown adds up to the same totals.

const tag = 'Organizer reports'
const dayMs = 86_400_000
const shanghaiOffset = '+8 hours'
const maxDays = 366

/** Today in China (YYYY-MM-DD) shifted by `days`. */
const shanghaiDay = (days = 0) =>
  new Date(Date.now() + 8 * 3_600_000 + days * dayMs).toISOString().slice(0, 10)
/** The UTC instant a China calendar day starts. */
const dayStartUtc = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString()
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + dayMs).toISOString().slice(0, 10)

/** A calendar day that exists (the format alone lets 02-31 through). */
const calendarDay = v.pipe(
  isoDate,
  v.check((s) => {
    const day = new Date(`${s}T00:00:00Z`)
    // A malformed value was already refused above (valibot runs the rest of the pipe anyway).
    return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) === s
  }, 'must be a real calendar day'),
)

/** `from`/`to` (inclusive calendar days), defaulted around today, at most a year apart. */
function dateRange(defaultFrom: number, defaultTo: number) {
  return v.pipe(
    v.object({
      from: v.optional(calendarDay),
      to: v.optional(calendarDay),
      limit: queryInteger(1, 200, 100),
    }),
    v.transform((q) => ({
      from: q.from ?? shanghaiDay(defaultFrom),
      to: q.to ?? shanghaiDay(defaultTo),
      limit: q.limit,
    })),
  )
}

function checkRange(from: string, to: string) {
  const days = (Date.parse(to) - Date.parse(from)) / dayMs
  if (days < 0) throw validationProblem([{ path: 'query.to', message: 'must not be before from' }])
  if (days >= maxDays)
    throw validationProblem([{ path: 'query.to', message: `at most ${maxDays} days after from` }])
}

async function organizerCurrency(db: StaffEnv['Variables']['db'], organizerId: string) {
  const [row] = await db
    .select({ currency: organizers.currency })
    .from(organizers)
    .where(eq(organizers.id, organizerId))
  if (!row) throw notFound(`organizer ${organizerId}`)
  return row.currency
}

const params = v.object({ organizerId: v.pipe(v.string(), v.maxLength(64)) })
const n = (value: unknown) => Number(value ?? 0)

export const reportRoutes = new Hono<StaffEnv>()

reportRoutes.get(
  '/sales',
  describeRoute({
    tags: [tag],
    summary: 'Sales per day, per ticket type and per channel over a date range (default: the last 30 days)',
    description:
      'Counts order lines that were paid for and still stand, on the China calendar day their order was paid. ' +
      '`amount` is in minor units of `currency`; `refunded` sums refunds of orders paid in the range.',
    responses: {
      200: { description: 'The figures; each breakdown adds up to `totals`', content: json(salesReport) },
      400: { description: '`from`/`to` invalid, reversed or more than a year apart' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate('query', dateRange(-29, 0)),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const { from, to } = c.req.valid('query')
    checkRange(from, to)
    const db = c.get('db')
    const currency = await organizerCurrency(db, organizerId)
    const paidInRange = and(
      eq(orders.organizerId, organizerId),
      isNotNull(orders.paidAt),
      gte(orders.paidAt, dayStartUtc(from)),
      lt(orders.paidAt, dayStartUtc(nextDay(to))),
    )
    const standing = and(paidInRange, eq(orderLines.status, 'active'))
    const day = sql<string>`date(${orders.paidAt}, ${shanghaiOffset})`
    const ticketType = sql<string>`coalesce(${orderLines.category}, ${visitProducts.ticketType}, 'other')`
    const lineFigures = {
      orders: sql<number>`count(distinct ${orders.id})`,
      tickets: count(orderLines.id),
      amount: sum(orderLines.price),
    }
    const [perDay, perType, perChannel, refundedLines, orderTotals, standingOrders, venueRows, channelRows] =
      await db.batch([
        db
          .select({ date: day, ...lineFigures })
          .from(orderLines)
          .innerJoin(orders, eq(orders.id, orderLines.orderId))
          .where(standing)
          .groupBy(day)
          .orderBy(asc(day)),
        db
          .select({
            kind: orders.kind,
            key: ticketType,
            tickets: count(orderLines.id),
            amount: sum(orderLines.price),
          })
          .from(orderLines)
          .innerJoin(orders, eq(orders.id, orderLines.orderId))
          .leftJoin(visitProducts, eq(visitProducts.id, orderLines.productId))
          .where(standing)
          .groupBy(orders.kind, ticketType)
          .orderBy(asc(orders.kind), asc(ticketType)),
        db
          .select({ channel: orders.channel, ...lineFigures })
          .from(orderLines)
          .innerJoin(orders, eq(orders.id, orderLines.orderId))
          .where(standing)
          .groupBy(orders.channel)
          .orderBy(asc(orders.channel)),
        db
          .select({ tickets: count(orderLines.id), amount: sum(orderLines.price) })
          .from(orderLines)
          .innerJoin(orders, eq(orders.id, orderLines.orderId))
          .where(and(paidInRange, eq(orderLines.status, 'refunded'))),
        db
          .select({ orders: count(orders.id), refunded: sum(orders.refundedTotal) })
          .from(orders)
          .where(paidInRange),
        db
          .select({ orders: lineFigures.orders })
          .from(orderLines)
          .innerJoin(orders, eq(orders.id, orderLines.orderId))
          .where(standing),
        db
          .select({ categories: venues.priceCategories })
          .from(venues)
          .where(eq(venues.organizerId, organizerId)),
        db
          .select({ code: salesChannels.code, name: salesChannels.name, nameEn: salesChannels.nameEn })
          .from(salesChannels)
          .where(eq(salesChannels.organizerId, organizerId)),
      ])
    // Codes are what lines store; people read names (the first venue naming a code wins).
    const categoryName = new Map<string, { name: string; nameEn?: string | undefined }>()
    for (const venue of venueRows)
      for (const category of venue.categories)
        if (!categoryName.has(category.code)) categoryName.set(category.code, category)
    const channelName = new Map(channelRows.map((r) => [r.code, r]))
    const byDay = perDay.map((r) => ({
      date: r.date,
      orders: n(r.orders),
      tickets: n(r.tickets),
      amount: n(r.amount),
    }))
    const standingAmount = byDay.reduce((total, d) => total + d.amount, 0)
    // Gross is what buyers paid for the lines (standing and refunded); net is what the organizer keeps.
    const gross = standingAmount + n(refundedLines[0]?.amount)
    const refunded = n(orderTotals[0]?.refunded)
    return c.json({
      currency,
      from,
      to,
      totals: {
        orders: n(orderTotals[0]?.orders),
        ordersWithTickets: n(standingOrders[0]?.orders),
        tickets: byDay.reduce((total, d) => total + d.tickets, 0),
        amount: standingAmount,
        gross,
        net: gross - refunded,
        refundedTickets: n(refundedLines[0]?.tickets),
        refunded,
      },
      byDay,
      byTicketType: perType.map((r) => ({
        kind: r.kind,
        key: r.key,
        name: r.kind === 'show' ? (categoryName.get(r.key)?.name ?? r.key) : r.key,
        nameEn: r.kind === 'show' ? (categoryName.get(r.key)?.nameEn ?? null) : null,
        tickets: n(r.tickets),
        amount: n(r.amount),
      })),
      byChannel: perChannel.map((r) => ({
        channel: r.channel,
        name: channelName.get(r.channel)?.name ?? r.channel,
        nameEn: channelName.get(r.channel)?.nameEn ?? null,
        orders: n(r.orders),
        tickets: n(r.tickets),
        amount: n(r.amount),
      })),
    })
  },
)

reportRoutes.get(
  '/sell-through',
  describeRoute({
    tags: [tag],
    summary: 'Sell-through per show starting in a date range (default: 30 days ago to a year ahead)',
    description:
      '`capacity` is the venue chart’s sellable seats (not blocked in the chart); `tickets`/`amount` are seats ' +
      'paid for and still standing. Earliest shows first, at most `limit`.',
    responses: {
      200: { description: 'One row per show', content: json(sellThroughReport) },
      400: { description: '`from`/`to` invalid, reversed or more than a year apart' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate('query', dateRange(-30, 334)),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const { from, to, limit } = c.req.valid('query')
    checkRange(from, to)
    const db = c.get('db')
    const currency = await organizerCurrency(db, organizerId)
    const showRows = await db
      .select({
        showId: shows.id,
        eventId: shows.eventId,
        eventName: events.name,
        eventNameEn: events.nameEn,
        venueId: shows.venueId,
        startsAt: shows.startsAt,
        status: shows.status,
      })
      .from(shows)
      .innerJoin(events, eq(events.id, shows.eventId))
      .where(
        and(
          eq(shows.organizerId, organizerId),
          gte(shows.startsAt, dayStartUtc(from)),
          lt(shows.startsAt, dayStartUtc(nextDay(to))),
        ),
      )
      .orderBy(asc(shows.startsAt), asc(shows.id))
      .limit(limit)
    if (showRows.length === 0) return c.json({ currency, from, to, shows: [] })
    const showIds = showRows.map((s) => s.showId)
    const venueIds = [...new Set(showRows.map((s) => s.venueId))]
    const [capacities, sold] = await db.batch([
      db
        .select({ venueId: seats.venueId, capacity: count(seats.id) })
        .from(seats)
        .where(and(inArray(seats.venueId, venueIds), eq(seats.blocked, false)))
        .groupBy(seats.venueId),
      db
        .select({ showId: orders.showId, tickets: count(orderLines.id), amount: sum(orderLines.price) })
        .from(orderLines)
        .innerJoin(orders, eq(orders.id, orderLines.orderId))
        .where(
          and(
            eq(orders.organizerId, organizerId),
            inArray(orders.showId, showIds),
            isNotNull(orders.paidAt),
            eq(orderLines.status, 'active'),
          ),
        )
        .groupBy(orders.showId),
    ])
    const capacityOf = new Map(capacities.map((r) => [r.venueId, n(r.capacity)]))
    const soldOf = new Map(sold.map((r) => [r.showId, r]))
    return c.json({
      currency,
      from,
      to,
      shows: showRows.map(({ venueId, ...show }) => ({
        ...show,
        capacity: capacityOf.get(venueId) ?? 0,
        tickets: n(soldOf.get(show.showId)?.tickets),
        amount: n(soldOf.get(show.showId)?.amount),
      })),
    })
  },
)
