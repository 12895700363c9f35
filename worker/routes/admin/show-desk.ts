import { and, asc, count, eq, inArray, sql, sum } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import {
  groupBuys,
  orderLines,
  orders,
  organizers,
  redemptions,
  shows,
  tickets,
  venues,
} from '../../db/schema.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound } from '../../problem.ts'
import { seatPlacesOf } from '../../services/ticket-facts.ts'
import { validate } from '../../validation.ts'
import { attendeeListSchema, showCancellationQuote } from '../contracts/admin/orders.ts'
import { json } from '../openapi.ts'

// The show's front desk for organizers: what a cancellation would refund (asked before it is confirmed) and the
// door list of tickets with who was admitted, as pretix / Hi.Events organizers keep them.

const tag = 'Catalogue: shows'
const params = v.object({
  organizerId: v.pipe(v.string(), v.maxLength(64)),
  id: v.pipe(v.string(), v.maxLength(64)),
})
export const showDeskRoutes = new Hono<StaffEnv>()

async function ownedShow(db: StaffEnv['Variables']['db'], organizerId: string, showId: string) {
  const [row] = await db
    .select({ id: shows.id, venueId: shows.venueId, currency: organizers.currency })
    .from(shows)
    .innerJoin(organizers, eq(organizers.id, shows.organizerId))
    .where(and(eq(shows.id, showId), eq(shows.organizerId, organizerId)))
  if (!row) throw notFound(`show ${showId}`)
  return row
}

showDeskRoutes.get(
  '/:id/cancel-quote',
  describeRoute({
    tags: [tag],
    summary: 'What cancelling the show would refund: paid orders, tickets and the sum (fees waived)',
    description:
      'The figures `POST …/cancel` would move now: every paid or partly refunded order of the show refunded in full ' +
      'for its lines still standing, and the open group buys that would fail.',
    responses: { 200: { description: 'The quote', content: json(showCancellationQuote) } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const db = c.get('db')
    const show = await ownedShow(db, organizerId, id)
    const refundable = and(
      eq(orders.showId, show.id),
      inArray(orders.status, ['paid', 'partially_refunded']),
      eq(orderLines.status, 'active'),
    )
    const [[money], [groups]] = await db.batch([
      db
        .select({
          orders: sqlCountDistinct(),
          tickets: count(orderLines.id),
          amount: sum(orderLines.price),
        })
        .from(orderLines)
        .innerJoin(orders, eq(orders.id, orderLines.orderId))
        .where(refundable),
      db
        .select({ open: count(groupBuys.id) })
        .from(groupBuys)
        .where(and(eq(groupBuys.showId, show.id), eq(groupBuys.status, 'open'))),
    ])
    return c.json({
      showId: show.id,
      currency: show.currency,
      orders: Number(money?.orders ?? 0),
      tickets: Number(money?.tickets ?? 0),
      amount: Number(money?.amount ?? 0),
      openGroupBuys: Number(groups?.open ?? 0),
    })
  },
)

showDeskRoutes.get(
  '/:id/attendees',
  describeRoute({
    tags: [tag],
    summary: 'The door list: every ticket of the show, its holder and seat, and whether a gate admitted it',
    description:
      '`admitted` counts valid tickets a gate has admitted; `valid` counts tickets still valid. Ordered by seat.',
    responses: { 200: { description: 'Tickets of the show', content: json(attendeeListSchema) } },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('param', params),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const db = c.get('db')
    const show = await ownedShow(db, organizerId, id)
    // Two plain queries, not db.batch: D1's batch answers rows as objects keyed by column name, so the joined
    // tables' same-named columns (status) overwrite each other and the left-joined redemption comes back empty.
    const [rows, [venue]] = await Promise.all([
      db
        .select({
          ticketId: tickets.id,
          orderId: orders.id,
          orderNumber: orders.number,
          seat: orderLines.seatLabel,
          seatId: orderLines.inventoryRef,
          category: orderLines.category,
          holder: orderLines.visitorName,
          phone: orders.phone,
          email: orders.email,
          status: tickets.status,
          admittedAt: redemptions.redeemedAt,
        })
        .from(tickets)
        .innerJoin(orders, eq(orders.id, tickets.orderId))
        .innerJoin(orderLines, eq(orderLines.id, tickets.orderLineId))
        .leftJoin(redemptions, eq(redemptions.ticketId, tickets.id))
        .where(and(eq(orders.showId, show.id), eq(orders.organizerId, organizerId)))
        .orderBy(asc(orderLines.seatLabel), asc(tickets.id))
        .limit(10_000),
      db.select({ categories: venues.priceCategories }).from(venues).where(eq(venues.id, show.venueId)),
    ])
    const zones = new Map((venue?.categories ?? []).map((category) => [category.code, category]))
    const places = await seatPlacesOf(
      db,
      rows.filter((row) => row.seat).map((row) => row.seatId),
    )
    const items = rows.map(({ phone, email, category, seatId, ...row }) => ({
      ...row,
      place: row.seat ? (places.get(seatId) ?? null) : null,
      category: category ? (zones.get(category)?.name ?? category) : null,
      categoryEn: category ? (zones.get(category)?.nameEn ?? null) : null,
      contact: phone ?? email,
    }))
    const valid = items.filter((item) => item.status === 'valid')
    return c.json({ items, valid: valid.length, admitted: valid.filter((item) => item.admittedAt).length })
  },
)

function sqlCountDistinct() {
  return sql<number>`count(distinct ${orders.id})`
}
