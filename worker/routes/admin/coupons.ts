import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import {
  codesCsv,
  createCoupon,
  generateCodes,
  listCoupons,
  readCoupon,
  updateCoupon,
} from '../../services/coupons/index.ts'
import { validate } from '../../validation.ts'
import {
  couponCodesInput,
  couponCodesMadeSchema,
  couponInput,
  couponPageSchema,
  couponRecordSchema,
} from '../contracts/admin/coupons.ts'
import { json } from '../openapi.ts'
import { pageQuery } from '../query.ts'

// An organizer's coupons and promo codes: rules, a public code or batches of single-use codes, use counters.

const tag = 'Promotions: coupons'
const organizerParam = v.object({ organizerId: v.pipe(v.string(), v.maxLength(64)) })
const params = v.object({ ...organizerParam.entries, id: v.pipe(v.string(), v.maxLength(64)) })
const rules =
  'Kinds: `amount_off` (满减: `amountOff` off when the covered tickets reach `minSpend`), `percent_off` ' +
  '(`percentOff` % of the covered tickets, rounded down, at most `maxOff`), `ticket_free` and `ticket_price` (the ' +
  'dearest covered ticket free or at `ticketPrice`). `scope` lists events, shows, price categories, scenic products ' +
  'and channels (empty: all). One coupon per order; `stacksWithMember` lets it join a member discount. A use is ' +
  'reserved when the order is created and given back when the unpaid order expires or is cancelled, and on a full ' +
  'refund when `returnOnRefund`. Every bad field comes back in one `validation` problem and nothing is saved.'

export const couponRoutes = new Hono<StaffEnv>()

couponRoutes.get(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'Coupons with their use counters, newest first',
    responses: { 200: { description: 'A page of coupons', content: json(couponPageSchema) } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', organizerParam),
  validate('query', v.object(pageQuery)),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const { limit, cursor } = c.req.valid('query')
    return c.json(await listCoupons(c.get('db'), organizerId, { limit, ...(cursor ? { cursor } : {}) }))
  },
)

couponRoutes.post(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'Create a coupon',
    description: rules,
    responses: {
      201: { description: 'The coupon', content: json(couponRecordSchema) },
      400: { description: 'Every bad field (`validation`)' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', organizerParam),
  validate('json', couponInput),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    return c.json(await createCoupon(c.get('db'), organizerId, c.req.valid('json')), 201)
  },
)

couponRoutes.get(
  '/:id',
  describeRoute({
    tags: [tag],
    summary: 'A coupon with its use counters',
    responses: { 200: { description: 'The coupon', content: json(couponRecordSchema) } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    return c.json(await readCoupon(c.get('db'), organizerId, id))
  },
)

couponRoutes.put(
  '/:id',
  describeRoute({
    tags: [tag],
    summary: 'Edit a coupon (replaces its rules; `disabled: true` withdraws it)',
    description: `${rules} Orders that already used it keep their discount and their use's refund rule.`,
    responses: {
      200: { description: 'The coupon', content: json(couponRecordSchema) },
      400: { description: 'Every bad field (`validation`)' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate('json', couponInput),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    return c.json(await updateCoupon(c.get('db'), organizerId, id, c.req.valid('json')))
  },
)

couponRoutes.post(
  '/:id/codes',
  describeRoute({
    tags: [tag],
    summary: 'Generate a batch of single-use codes',
    description:
      '`count` codes (1-10,000 a request, 100,000 a coupon), each usable by one order at a time: 12 characters of ' +
      "Crockford base32 from the platform's cryptographic random source (60 bits; no I, L, O or U). Buyers may type " +
      'them in any case, with spaces or dashes. `GET …/codes.csv` exports them.',
    responses: {
      201: { description: 'The batch', content: json(couponCodesMadeSchema) },
      400: { description: '`count` out of range (`validation`)' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate('json', couponCodesInput),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const made = await generateCodes(c.get('db'), organizerId, id, c.req.valid('json').count)
    return c.json({ couponId: id, ...made }, 201)
  },
)

couponRoutes.get(
  '/:id/codes.csv',
  describeRoute({
    tags: [tag],
    summary: "Export the coupon's codes as CSV",
    description:
      '`code,kind,batch,uses,createdAt`, one code per line (single-use codes in groups of four: ABCD-EFGH-JKMN), ' +
      'UTF-8 with a byte order mark for Excel.',
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    return c.body(await codesCsv(c.get('db'), organizerId, id), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="coupon-codes-${id}.csv"`,
    })
  },
)
