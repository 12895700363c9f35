import { and, asc, eq, gte } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { events, organizers, scenicSites, shows, venues } from '../db/schema.ts'
import { idempotent } from '../middleware/idempotency.ts'
import { requireOrganizerRole, requireStaff, type StaffEnv } from '../middleware/staff-auth.ts'
import { notFound } from '../problem.ts'
import {
  type BoxOfficeServices,
  type Clerk,
  refundAtWindow,
  reprintAtWindow,
  sell,
  windowOrder,
} from '../services/box-office/sales.ts'
import { closeShift, entriesOf, openShift, openShiftOf, shiftTotals } from '../services/box-office/shifts.ts'
import { validate } from '../validation.ts'
import {
  boxCatalogueSchema,
  boxOrderSchema,
  boxRefundSchema,
  boxReprintSchema,
  boxSaleSchema,
  shiftSchema,
  shiftViewSchema,
} from './contracts/box-office.ts'
import { idNumber } from './hold-input.ts'
import { json } from './openapi.ts'
import { orderServicesOf } from './order-services.ts'
import { isoDate } from './query.ts'
import { visitorSchema } from './scenic.ts'

// The box office (售票窗口) API behind /box: clerks (role `box_office`, or owners and managers) sell at the window,
// take cash, a card on the terminal or the buyer's payment code, refund and reprint, all within their shift.

const tag = 'Box office'
const money = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000_000))
const orgParam = v.object({ organizerId: v.pipe(v.string(), v.maxLength(64)) })
const clerks = requireOrganizerRole('owner', 'manager', 'box_office')

export const boxOfficeRoutes = new Hono<StaffEnv>()
boxOfficeRoutes.use('*', requireStaff)

const clerkOf = (c: Context<StaffEnv>): Clerk => ({
  organizerId: c.req.param('organizerId') ?? '',
  clerkId: c.get('principal').id,
})

const servicesOf = (c: Context<StaffEnv>): BoxOfficeServices => ({
  ...orderServicesOf(c),
  showInventory: c.get('showInventory'),
  holdBatching: c.get('holdBatching'),
})

boxOfficeRoutes.get(
  '/:organizerId/catalogue',
  describeRoute({
    tags: [tag],
    summary: 'What the window sells: shows from today on and the scenic sites',
    description:
      'Prices, seats and slots come from the public show and site routes (`/api/shows/{id}`, `/api/scenic-sites/{id}`).',
    responses: { 200: { description: 'The catalogue', content: json(boxCatalogueSchema) } },
  }),
  clerks,
  validate('param', orgParam),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const db = c.get('db')
    const [organizer] = await db.select().from(organizers).where(eq(organizers.id, organizerId))
    if (!organizer) throw notFound(`organizer ${organizerId}`)
    // From the start of today (UTC−0 is close enough for a list that also shows the time).
    const today = `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`
    const [showRows, siteRows] = await Promise.all([
      db
        .select({
          id: shows.id,
          eventName: events.name,
          eventNameEn: events.nameEn,
          venueName: venues.name,
          venueNameEn: venues.nameEn,
          startsAt: shows.startsAt,
          realNameRequired: events.realNameRequired,
        })
        .from(shows)
        .innerJoin(events, eq(events.id, shows.eventId))
        .innerJoin(venues, eq(venues.id, shows.venueId))
        .where(
          and(
            eq(shows.organizerId, organizerId),
            eq(shows.status, 'scheduled'),
            eq(events.status, 'published'),
            gte(shows.startsAt, today),
          ),
        )
        .orderBy(asc(shows.startsAt))
        .limit(50),
      db
        .select({ id: scenicSites.id, name: scenicSites.name, nameEn: scenicSites.nameEn })
        .from(scenicSites)
        .where(eq(scenicSites.organizerId, organizerId))
        .orderBy(asc(scenicSites.name)),
    ])
    return c.json({
      organizerId,
      organizerName: organizer.name,
      currency: organizer.currency,
      shows: showRows,
      sites: siteRows,
    })
  },
)

boxOfficeRoutes.get(
  '/:organizerId/shift',
  describeRoute({
    tags: [tag],
    summary: "The clerk's open shift with its totals by tender and latest entries (null when none is open)",
    responses: { 200: { description: 'The shift', content: json(shiftViewSchema) } },
  }),
  clerks,
  validate('param', orgParam),
  async (c) => {
    const clerk = clerkOf(c)
    const db = c.get('db')
    const shift = await openShiftOf(db, clerk.organizerId, clerk.clerkId)
    if (!shift) return c.json({ shift: null, totals: null, entries: [] })
    const [totals, entries] = await Promise.all([shiftTotals(db, shift), entriesOf(db, shift.id)])
    return c.json({
      shift,
      totals,
      entries: entries.map(({ shiftId: _, paymentId: __, refundId: ___, ...entry }) => entry),
    })
  },
)

boxOfficeRoutes.post(
  '/:organizerId/shift',
  describeRoute({
    tags: [tag],
    summary: 'Open a shift with the cash float in the drawer (one open shift per clerk)',
    description: 'A clerk with an open shift gets 409 `shift_open`.',
    responses: { 201: { description: 'The open shift', content: json(shiftSchema) } },
  }),
  clerks,
  validate('param', orgParam),
  validate('json', v.object({ openingFloat: money })),
  async (c) => {
    const clerk = clerkOf(c)
    const shift = await openShift(c.get('db'), { ...clerk, openingFloat: c.req.valid('json').openingFloat })
    return c.json(shift, 201)
  },
)

boxOfficeRoutes.post(
  '/:organizerId/shift/close',
  describeRoute({
    tags: [tag],
    summary:
      'Close the shift with the cash counted: records totals by tender, expected cash and the difference',
    description: 'Closing twice, or a shift that is not the clerk’s, is 409 `shift_required`.',
    responses: { 200: { description: 'The closed shift', content: json(shiftSchema) } },
  }),
  clerks,
  validate('param', orgParam),
  validate('json', v.object({ shiftId: v.pipe(v.string(), v.maxLength(64)), countedCash: money })),
  async (c) => {
    const input = c.req.valid('json')
    return c.json(await closeShift(c.get('db'), { ...clerkOf(c), ...input }))
  },
)

const tender = v.variant('kind', [
  v.object({ kind: v.literal('cash'), tendered: money }),
  v.object({
    kind: v.literal('card'),
    reference: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64)),
  }),
  v.object({ kind: v.literal('payment_code'), code: v.pipe(v.string(), v.trim(), v.regex(/^\d{10,32}$/)) }),
])

const saleItems = v.variant('kind', [
  v.pipe(
    v.object({
      kind: v.literal('show'),
      showId: v.pipe(v.string(), v.maxLength(64)),
      seatIds: v.optional(
        v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.minLength(1), v.maxLength(20)),
      ),
      best: v.optional(
        v.object({
          category: v.pipe(v.string(), v.minLength(1), v.maxLength(32)),
          quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20)),
        }),
      ),
      holderNames: v.optional(
        v.pipe(v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64))), v.maxLength(20)),
      ),
      idNumbers: v.optional(v.pipe(v.array(idNumber), v.maxLength(20))),
    }),
    v.check((input) => !!input.seatIds !== !!input.best, 'give either seatIds or best, not both'),
  ),
  v.object({
    kind: v.literal('scenic'),
    siteId: v.pipe(v.string(), v.maxLength(64)),
    visitDate: isoDate,
    // The hold lines as the shop sends them, plus a child (cable car) naming its parent line of this sale (父子票).
    lines: v.pipe(
      v.array(
        v.object({
          productId: v.pipe(v.string(), v.maxLength(64)),
          slot: v.optional(v.pipe(v.string(), v.maxLength(16))),
          visitor: v.optional(visitorSchema),
          parent: v.optional(
            v.object({ line: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(19)) }),
          ),
        }),
      ),
      v.minLength(1),
      v.maxLength(20),
    ),
    packageId: v.optional(v.pipe(v.string(), v.maxLength(64))),
  }),
])

boxOfficeRoutes.post(
  '/:organizerId/sales',
  describeRoute({
    tags: [tag],
    summary: 'Sell at the window: hold, order (channel `box_office`), take the money, issue the tickets',
    description:
      'Seats by id or best available, or scenic lines (types, slots, real-name visitors, parent-child, a package). ' +
      '`tender`: `cash` with what was handed over (409 `tender_short` when less; the answer has the `change`), `card` ' +
      "with the terminal's reference, or `payment_code`, the buyer's 付款码 charged through the payment provider " +
      '(402 `payment_declined`; 409 `payment_code_unsupported` where the provider has none). Needs an open shift ' +
      '(409 `shift_required`) and an `Idempotency-Key`. Nothing is kept when the money does not arrive.',
    responses: { 201: { description: 'The paid order with its tickets', content: json(boxSaleSchema) } },
  }),
  clerks,
  idempotent((c) => `box:${c.get('staff')?.userId}`),
  validate('param', orgParam),
  validate(
    'json',
    v.object({
      items: saleItems,
      tender,
      email: v.optional(v.pipe(v.string(), v.trim(), v.email(), v.maxLength(254))),
      phone: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^\+?[0-9]{6,15}$/))),
    }),
  ),
  async (c) => {
    const input = c.req.valid('json')
    const sale = await sell(servicesOf(c), clerkOf(c), input, new URL(c.req.url).origin)
    const change = input.tender.kind === 'cash' ? input.tender.tendered - sale.total : null
    return c.json({ ...sale, change }, 201)
  },
)

const orderRef = v.object({
  ...orgParam.entries,
  ref: v.pipe(v.string(), v.trim(), v.minLength(4), v.maxLength(64)),
})

boxOfficeRoutes.get(
  '/:organizerId/orders/:ref',
  describeRoute({
    tags: [tag],
    summary: 'A box-office order by its number or id, with its tickets (to refund or reprint)',
    responses: { 200: { description: 'The order', content: json(boxOrderSchema) } },
  }),
  clerks,
  validate('param', orderRef),
  async (c) => c.json(await windowOrder(servicesOf(c), clerkOf(c), c.req.valid('param').ref)),
)

boxOfficeRoutes.post(
  '/:organizerId/orders/:ref/refund',
  describeRoute({
    tags: [tag],
    summary: 'Refund tickets of a box-office order at the window, by the tender it was paid with',
    description:
      "The refund policy of the show or product applies; it is counted in the clerk's shift (409 `shift_required`).",
    responses: { 200: { description: 'The refund', content: json(boxRefundSchema) } },
  }),
  clerks,
  validate('param', orderRef),
  validate(
    'json',
    v.object({
      lineIds: v.optional(
        v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.minLength(1), v.maxLength(20)),
      ),
      reason: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200))),
    }),
  ),
  async (c) => {
    const input = c.req.valid('json')
    const services = servicesOf(c)
    const clerk = clerkOf(c)
    const order = await windowOrder(services, clerk, c.req.valid('param').ref)
    const refund = await refundAtWindow(services, clerk, {
      orderId: order.orderId,
      ...(input.lineIds ? { lineIds: input.lineIds } : {}),
      reason: input.reason || 'Refunded at the box office',
    })
    return c.json(refund)
  },
)

boxOfficeRoutes.post(
  '/:organizerId/tickets/:ticketId/reprint',
  describeRoute({
    tags: [tag],
    summary: 'Reprint a ticket: a new token; the old one is revoked and refused by gates once they sync',
    description:
      'A ticket refunded, reprinted already or admitted at a gate is 409 `ticket_not_reprintable`.',
    responses: { 200: { description: 'The new ticket and its order', content: json(boxReprintSchema) } },
  }),
  clerks,
  validate('param', v.object({ ...orgParam.entries, ticketId: v.pipe(v.string(), v.maxLength(64)) })),
  async (c) => c.json(await reprintAtWindow(servicesOf(c), clerkOf(c), c.req.valid('param').ticketId)),
)
