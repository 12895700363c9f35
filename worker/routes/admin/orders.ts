import { and, desc, eq, exists, like, lt, or } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { orderLines, orderStatuses, orders } from '../../db/schema.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound } from '../../problem.ts'
import { orderView } from '../../services/order-view.ts'
import { requestRefund } from '../../services/orders/index.ts'
import { validate } from '../../validation.ts'
import { orderPageSchema, staffOrderViewSchema, staffRefundedSchema } from '../contracts/orders.ts'
import { json } from '../openapi.ts'
import { page, pageQuery } from '../query.ts'

const tag = 'Organizer orders'
export const adminOrderRoutes = new Hono<StaffEnv>()

adminOrderRoutes.get(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'Search orders by number, phone, email or the last digits of a visitor ID',
    description:
      '`number` is the order number; `phone` matches the buyer’s contact or any visitor’s; `idTail` the last 4 characters ' +
      'of a visitor’s ID number (only masked numbers are kept).',
    responses: { 200: { description: 'A page of orders, newest first', content: json(orderPageSchema) } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate(
    'query',
    v.object({
      ...pageQuery,
      number: v.optional(v.pipe(v.string(), v.maxLength(32))),
      phone: v.optional(v.pipe(v.string(), v.maxLength(20))),
      email: v.optional(v.pipe(v.string(), v.maxLength(200))),
      idTail: v.optional(
        v.pipe(v.string(), v.regex(/^[0-9Xx]{4}$/, 'the last 4 characters of an ID number')),
      ),
      status: v.optional(v.picklist(orderStatuses)),
      showId: v.optional(v.string()),
    }),
  ),
  async (c) => {
    const organizerId = c.req.param('organizerId')!
    const q = c.req.valid('query')
    const db = c.get('db')
    const rows = await db
      .select()
      .from(orders)
      .where(
        and(
          eq(orders.organizerId, organizerId),
          q.cursor ? lt(orders.id, q.cursor) : undefined,
          q.number ? eq(orders.number, q.number.toUpperCase()) : undefined,
          q.email ? eq(orders.email, q.email.toLowerCase()) : undefined,
          q.status ? eq(orders.status, q.status) : undefined,
          q.showId ? eq(orders.showId, q.showId) : undefined,
          q.phone
            ? or(
                eq(orders.phone, q.phone),
                exists(
                  db
                    .select()
                    .from(orderLines)
                    .where(and(eq(orderLines.orderId, orders.id), eq(orderLines.visitorPhone, q.phone))),
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
    return c.json(page(rows, q.limit))
  },
)

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
    return c.json({ refund, order: await orderView(c.get('db'), orderId, { withAudit: true }) }, 201)
  },
)
