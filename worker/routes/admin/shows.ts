import { and, eq, gte, inArray, lte } from 'drizzle-orm'
import type { Context } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import {
  events,
  groupBuys,
  orders,
  type PriceCategory,
  salesChannels,
  shows,
  venues,
} from '../../db/schema.ts'
import { refundReasonText } from '../../domain/refund-reason.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { type FieldError, notFound, validationProblem } from '../../problem.ts'
import { groupBuyStub } from '../../services/group-buy-client.ts'
import { requestRefund } from '../../services/orders/index.ts'
import { validate } from '../../validation.ts'
import {
  seatAllocationsResult,
  seatBlocksResult,
  showCancellation,
  showInput,
  showInventorySchema,
  showRecord,
} from '../contracts/admin/shows.ts'
import { json } from '../openapi.ts'
import { orderServicesOf } from '../order-services.ts'
import { isoDateTime } from '../query.ts'
import { catalogueResource } from './catalogue-resource.ts'
import { referenced } from './references.ts'

export const showRoutes = catalogueResource({
  noun: 'show',
  tag: 'Catalogue: shows',
  table: shows,
  idPrefix: 'shw',
  schema: showRecord,
  create: showInput,
  readRoles: ['owner', 'manager', 'gate'],
  filters: {
    eventId: v.optional(v.string()),
    venueId: v.optional(v.string()),
    from: v.optional(isoDateTime),
    to: v.optional(isoDateTime),
  },
  where: (f) => [
    f.eventId ? eq(shows.eventId, f.eventId) : undefined,
    f.venueId ? eq(shows.venueId, f.venueId) : undefined,
    f.from ? gte(shows.startsAt, new Date(f.from).toISOString()) : undefined,
    f.to ? lte(shows.startsAt, new Date(f.to).toISOString()) : undefined,
  ],
  eventsOnUpdate: (before, after) => {
    const [was, now] = [before.prices as Record<string, number>, after.prices as Record<string, number>]
    const codes = new Set([...Object.keys(was), ...Object.keys(now)])
    if (![...codes].some((code) => was[code] !== now[code])) return []
    return [
      {
        topic: 'price.changed',
        payload: { showId: after.id, prices: now, previousPrices: was },
      },
    ]
  },
  afterUpdate: async (c, show) => {
    await c.get('showInventory').pushConfig(c.get('db'), String(show.id))
  },
  check: async (c, show, organizerId) => {
    await referenced(c, events, show.eventId, organizerId, 'eventId', 'event')
    const venue = await referenced<{ priceCategories: PriceCategory[] }>(
      c,
      venues,
      show.venueId,
      organizerId,
      'venueId',
      'venue',
    )
    const errors: FieldError[] = []
    const at = (s: string) => Date.parse(s)
    if (show.endsAt && at(show.endsAt) <= at(show.startsAt))
      errors.push({ path: 'json.endsAt', message: 'must be after startsAt' })
    if (at(show.saleEndsAt) <= at(show.saleStartsAt))
      errors.push({ path: 'json.saleEndsAt', message: 'must be after saleStartsAt' })
    const known = new Set(venue.priceCategories.map((category) => category.code))
    for (const code of Object.keys(show.prices)) {
      if (!known.has(code))
        errors.push({ path: `json.prices.${code}`, message: `the venue has no price category ${code}` })
    }
    for (const code of known) {
      if (!(code in show.prices))
        errors.push({ path: `json.prices.${code}`, message: `price category ${code} needs a price` })
    }
    if (errors.length) throw validationProblem(errors)
  },
})

// ---- live inventory controls for one show (the show's DO is the truth for seats) ----

const showParams = v.object({ organizerId: v.string(), id: v.string() })
const seatIdList = v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.minLength(1), v.maxLength(5_000))

async function ownedShow(c: Context<StaffEnv>, organizerId: string, id: string) {
  const [row] = await c
    .get('db')
    .select({ id: shows.id })
    .from(shows)
    .where(and(eq(shows.id, id), eq(shows.organizerId, organizerId)))
  if (!row) throw notFound(`show ${id}`)
  return row.id
}

showRoutes.get(
  '/:id/inventory',
  describeRoute({
    tags: ['Catalogue: shows'],
    summary: 'Seat counts by state and availability per price category',
    description:
      '`seats` counts every seat of the show by state as its inventory actor holds them (held seats are those of active ' +
      'holds); `categories` is what each price category has left, as the public sees it.',
    responses: { 200: { description: 'Counts from the show inventory', content: json(showInventorySchema) } },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('param', showParams),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const showId = await ownedShow(c, organizerId, id)
    const stub = c.get('showInventory').stub(showId)
    const [counts, availability] = await Promise.all([stub.counts(showId), stub.availability(showId)])
    return c.json({
      showId,
      seats: counts.memory,
      activeHolds: counts.activeHolds,
      categories: availability.categories,
    })
  },
)

showRoutes.post(
  '/:id/seat-blocks',
  describeRoute({
    tags: ['Catalogue: shows'],
    summary: 'Block seats for this show (production/sponsor holds) or unblock them',
    description:
      'Only free seats can be blocked and only blocked seats unblocked; others are listed in `skipped`.',
    responses: {
      200: {
        description: 'What changed',
        content: json(seatBlocksResult),
      },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', showParams),
  validate('json', v.object({ seatIds: seatIdList, blocked: v.boolean() })),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const showId = await ownedShow(c, organizerId, id)
    const { seatIds, blocked } = c.req.valid('json')
    return c.json(await c.get('showInventory').stub(showId).setBlocked(showId, seatIds, blocked))
  },
)

showRoutes.put(
  '/:id/seat-allocations',
  describeRoute({
    tags: ['Catalogue: shows'],
    summary: 'Set seats aside for one sales channel (null opens them to all)',
    responses: {
      200: {
        description: 'Allocated',
        content: json(seatAllocationsResult),
      },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', showParams),
  validate(
    'json',
    v.object({ seatIds: seatIdList, channel: v.nullable(v.pipe(v.string(), v.maxLength(32))) }),
  ),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const showId = await ownedShow(c, organizerId, id)
    const { seatIds, channel } = c.req.valid('json')
    if (channel) {
      const [known] = await c
        .get('db')
        .select({ code: salesChannels.code })
        .from(salesChannels)
        .where(and(eq(salesChannels.organizerId, organizerId), eq(salesChannels.code, channel)))
      if (!known)
        throw validationProblem([
          { path: 'json.channel', message: `no sales channel ${channel} in this organizer` },
        ])
    }
    return c.json(await c.get('showInventory').stub(showId).allocate(showId, seatIds, channel))
  },
)

showRoutes.post(
  '/:id/cancel',
  describeRoute({
    tags: ['Catalogue: shows'],
    summary: 'Cancel a show: stop sales, refund every paid order in full and fail its open group buys',
    description:
      'Idempotent: running it again refunds any order a previous run did not reach. Open group buys of the show fail at once ' +
      '(each paid member refunded by the group, unpaid orders cancelled) instead of at their deadline.',
    responses: {
      200: {
        description: 'How many orders were refunded and group buys failed',
        content: json(showCancellation),
      },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', showParams),
  validate('json', v.object({ reason: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(500)) })),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const showId = await ownedShow(c, organizerId, id)
    const { reason } = c.req.valid('json')
    const db = c.get('db')
    await db
      .update(shows)
      .set({ status: 'cancelled', updatedAt: new Date().toISOString() })
      .where(eq(shows.id, showId))
    await c.get('showInventory').stub(showId).setStatus(showId, 'cancelled')
    const paid = await db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.showId, showId), inArray(orders.status, ['paid', 'partially_refunded'])))
    const services = orderServicesOf(c)
    for (const order of paid) {
      await requestRefund(services, {
        orderId: order.id,
        actor: `staff:${c.get('principal').id}`,
        reason: refundReasonText.showCancelled(reason),
        waiveFee: true,
        overridePendingRebook: true,
      })
    }
    // Members of an open group paid into the group, not into a ticketed order: each group refunds its own.
    const open = await db
      .select({ id: groupBuys.id })
      .from(groupBuys)
      .where(and(eq(groupBuys.showId, showId), eq(groupBuys.status, 'open')))
    let failedGroups = 0
    for (const group of open) {
      const { status } = await groupBuyStub(c.env, group.id).recheck()
      if (status === 'failed') failedGroups++
    }
    return c.json({ showId, status: 'cancelled', refundedOrders: paid.length, failedGroups })
  },
)
