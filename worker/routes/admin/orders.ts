import { and, desc, eq, exists, gte, like, lt, or, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { events, orderLines, orderStatuses, orders, scenicSites, shows } from '../../db/schema.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound, validationProblem } from '../../problem.ts'
import { orderView } from '../../services/order-view.ts'
import { refundQuote, requestRefund } from '../../services/orders/index.ts'
import { validate } from '../../validation.ts'
import { staffOrderPageSchema } from '../contracts/admin/orders.ts'
import { refundQuoteSchema, staffOrderViewSchema, staffRefundedSchema } from '../contracts/orders.ts'
import { json } from '../openapi.ts'
import { page, pageQuery } from '../query.ts'

const tag = 'Organizer orders'
export const adminOrderRoutes = new Hono<StaffEnv>()

/** A typed phone number as digits, so "138 0013 8000" and "+86 13800138000" find the same buyer. */
const phoneDigits = (text: string) => text.replace(/[^0-9]/g, '').replace(/^86(?=1\d{10}$)/, '')
/** The UTC instant a China calendar day starts. */
const chinaDayStart = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString()
const isoDay = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'))

adminOrderRoutes.get(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'Search and filter orders: number, phone, email, ID tail; event, show, status, date',
    description:
      '`number` is the order number; `phone` matches the buyer’s contact or any visitor’s (digits only, the last 7 or ' +
      'more digits are enough); `idTail` the last 4 characters of a visitor’s ID number (only masked numbers are ' +
      'kept). `from`/`to` are China calendar days the order was placed on. Each row names its event and show.',
    responses: {
      200: { description: 'A page of orders, newest first', content: json(staffOrderPageSchema) },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate(
    'query',
    v.object({
      ...pageQuery,
      number: v.optional(v.pipe(v.string(), v.maxLength(32))),
      phone: v.optional(v.pipe(v.string(), v.maxLength(24))),
      email: v.optional(v.pipe(v.string(), v.maxLength(200))),
      idTail: v.optional(
        v.pipe(v.string(), v.regex(/^[0-9Xx]{4}$/, 'the last 4 characters of an ID number')),
      ),
      status: v.optional(v.picklist(orderStatuses)),
      eventId: v.optional(v.pipe(v.string(), v.maxLength(64))),
      showId: v.optional(v.pipe(v.string(), v.maxLength(64))),
      siteId: v.optional(v.pipe(v.string(), v.maxLength(64))),
      from: v.optional(isoDay),
      to: v.optional(isoDay),
    }),
  ),
  async (c) => {
    const organizerId = c.req.param('organizerId')!
    const q = c.req.valid('query')
    const db = c.get('db')
    const digits = q.phone ? phoneDigits(q.phone) : ''
    const phoneMatch = (column: typeof orders.phone | typeof orderLines.visitorPhone) =>
      digits.length >= 11 ? eq(column, digits) : like(column, `%${digits}`)
    if (q.phone && digits.length < 7)
      throw validationProblem([{ path: 'query.phone', message: 'at least 7 digits of a phone number' }])
    const rows = await db
      .select({
        order: orders,
        eventId: events.id,
        eventName: events.name,
        showStartsAt: shows.startsAt,
        siteName: scenicSites.name,
        siteNameEn: scenicSites.nameEn,
        tickets: sql<number>`(select count(*) from ${orderLines} where ${orderLines.orderId} = ${orders.id} and ${orderLines.status} = 'active')`,
      })
      .from(orders)
      .leftJoin(shows, eq(shows.id, orders.showId))
      .leftJoin(events, eq(events.id, shows.eventId))
      .leftJoin(scenicSites, eq(scenicSites.id, orders.siteId))
      .where(
        and(
          eq(orders.organizerId, organizerId),
          q.cursor ? lt(orders.id, q.cursor) : undefined,
          q.number ? eq(orders.number, q.number.trim().toUpperCase()) : undefined,
          q.email ? eq(orders.email, q.email.trim().toLowerCase()) : undefined,
          q.status ? eq(orders.status, q.status) : undefined,
          q.showId ? eq(orders.showId, q.showId) : undefined,
          q.eventId ? eq(shows.eventId, q.eventId) : undefined,
          q.siteId ? eq(orders.siteId, q.siteId) : undefined,
          q.from ? gte(orders.createdAt, chinaDayStart(q.from)) : undefined,
          q.to ? lt(orders.createdAt, chinaDayStart(nextDay(q.to))) : undefined,
          q.phone
            ? or(
                phoneMatch(orders.phone),
                exists(
                  db
                    .select()
                    .from(orderLines)
                    .where(and(eq(orderLines.orderId, orders.id), phoneMatch(orderLines.visitorPhone))),
                ),
              )
            : undefined,
          q.idTail
            ? exists(
                db
                  .select()
                  .from(orderLines)
                  .where(
                    and(
                      eq(orderLines.orderId, orders.id),
                      like(orderLines.visitorIdMasked, `%${q.idTail.toUpperCase()}`),
                    ),
                  ),
              )
            : undefined,
        ),
      )
      .orderBy(desc(orders.id))
      .limit(q.limit + 1)
    const items = rows.map((r) => ({
      ...r.order,
      eventId: r.eventId,
      eventName: r.eventName,
      showStartsAt: r.showStartsAt,
      siteName: r.siteName,
      siteNameEn: r.siteNameEn,
      tickets: Number(r.tickets ?? 0),
    }))
    return c.json(page(items, q.limit))
  },
)

const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)

const orderParams = v.object({ organizerId: v.string(), orderId: v.pipe(v.string(), v.maxLength(64)) })

async function ownedOrder(
  c: { get: (k: 'db') => StaffEnv['Variables']['db'] },
  organizerId: string,
  orderId: string,
) {
  const [row] = await c
    .get('db')
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.organizerId, organizerId)))
  if (!row) throw notFound(`order ${orderId}`)
}

adminOrderRoutes.get(
  '/:orderId',
  describeRoute({
    tags: [tag],
    summary: 'An order with lines, tickets, payments, refunds and its full history',
    description:
      'Every state change of the order is in `history`: who or what caused it (`actor`), the action, the status before ' +
      'and after, and its details.',
    responses: { 200: { description: 'The order', content: json(staffOrderViewSchema) } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', orderParams),
  async (c) => {
    const { organizerId, orderId } = c.req.valid('param')
    await ownedOrder(c, organizerId, orderId)
    return c.json(await orderView(c.get('db'), orderId, { withAudit: true }))
  },
)

adminOrderRoutes.get(
  '/:orderId/refund-quote',
  describeRoute({
    tags: [tag],
    summary: 'What an organizer refund would return now (all lines, or `lineIds=a,b`), before confirming it',
    description:
      'The same figures `POST …/refunds` would move with the same `lineIds` and `waiveFee` (default true: policy ' +
      'fees waived), so the console can show the amount and ask for confirmation first.',
    responses: { 200: { description: 'The quote', content: json(refundQuoteSchema) } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', orderParams),
  validate(
    'query',
    v.object({
      lineIds: v.optional(v.pipe(v.string(), v.maxLength(2000))),
      waiveFee: v.optional(v.picklist(['true', 'false']), 'true'),
    }),
  ),
  async (c) => {
    const { organizerId, orderId } = c.req.valid('param')
    await ownedOrder(c, organizerId, orderId)
    const query = c.req.valid('query')
    const lineIds = query.lineIds?.split(',').filter(Boolean)
    const { lines, quote } = await refundQuote(
      { env: c.env, db: c.get('db'), logger: c.get('logger'), payments: c.get('payments') },
      orderId,
      lineIds?.length ? lineIds : undefined,
      { waiveFee: query.waiveFee === 'true' },
    )
    return c.json({ ...quote, lineIds: lines.map((l) => l.id) })
  },
)

adminOrderRoutes.post(
  '/:orderId/refunds',
  describeRoute({
    tags: [tag],
    summary: 'Refund an order or some lines (organizer: policy fees waived unless `waiveFee` is false)',
    description:
      'Organizer refunds take precedence over a rebooking waiting for payment. The tickets are revoked and the refund ' +
      'recorded before the inventory goes back on sale; the answer is the refund and the order with its history.',
    responses: {
      201: { description: 'Refunded', content: json(staffRefundedSchema) },
      409: { description: 'Nothing to refund, or children unused' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', orderParams),
  validate(
    'json',
    v.object({
      lineIds: v.optional(
        v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.minLength(1), v.maxLength(100)),
      ),
      reason: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(500)),
      waiveFee: v.optional(v.boolean(), true),
    }),
  ),
  async (c) => {
    const { organizerId, orderId } = c.req.valid('param')
    await ownedOrder(c, organizerId, orderId)
    const { lineIds, reason, waiveFee } = c.req.valid('json')
    const refund = await requestRefund(
      { env: c.env, db: c.get('db'), logger: c.get('logger'), payments: c.get('payments') },
      {
        orderId,
        ...(lineIds ? { lineIds } : {}),
        actor: `staff:${c.get('principal').id}`,
        reason,
        waiveFee,
        overridePendingRebook: true,
      },
    )
    const order = await orderView(c.get('db'), orderId, { withAudit: true })
    return c.json({ refund: order?.refunds.find((r) => r.id === refund.id) ?? refund, order }, 201)
  },
)
