import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import type { AppEnv } from '../env.ts'
import { buyerIdentity } from '../middleware/buyer.ts'
import { Problem } from '../problem.ts'
import { myCoupons, quoteDiscounts } from '../services/coupons/index.ts'
import { validate } from '../validation.ts'
import { discountQuoteSchema, myCouponsSchema } from './contracts/coupons.ts'
import { json } from './openapi.ts'
import { isoDate } from './query.ts'

const tag = 'Coupons'
const code = v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64)))
const id = v.pipe(v.string(), v.maxLength(64))

export const couponShopRoutes = new Hono<AppEnv>()
couponShopRoutes.use('*', buyerIdentity)

couponShopRoutes.post(
  '/quote',
  describeRoute({
    tags: [tag],
    summary: 'Price your hold with a coupon code, before ordering',
    description:
      'What `POST /api/orders` would charge for this hold with this `couponCode`: the discount per held seat or ' +
      'ticket and the new total. Nothing is reserved (the order checks the caps again). A code that cannot be used ' +
      'answers the same problem the order would: `coupon_invalid`, `coupon_expired`, `coupon_not_applicable`, ' +
      '`coupon_exhausted`, `coupon_limit_reached`, `discount_not_combinable`, or `sign_in_required`.',
    responses: {
      200: { description: 'The priced hold', content: json(discountQuoteSchema) },
      404: { description: 'No such hold for this buyer, or no such code (`coupon_invalid`)' },
      409: { description: 'The code cannot be used on this hold' },
    },
  }),
  validate(
    'json',
    v.variant('kind', [
      v.object({ kind: v.literal('show'), showId: id, holdId: id, couponCode: code }),
      v.object({ kind: v.literal('scenic'), siteId: id, date: isoDate, holdId: id, couponCode: code }),
    ]),
  ),
  async (c) => {
    const input = c.req.valid('json')
    const buyerId = c.get('buyerId')
    const quote = await quoteDiscounts(
      c.env,
      c.get('db'),
      { buyerId, customerId: buyerId.startsWith('cus_') ? buyerId : null, channel: 'web' },
      {
        kind: input.kind,
        holdId: input.holdId,
        ...(input.kind === 'show'
          ? { showId: input.showId }
          : { siteId: input.siteId, visitDate: input.date }),
        ...(input.couponCode ? { couponCode: input.couponCode } : {}),
      },
    )
    return c.json(quote)
  },
)

couponShopRoutes.get(
  '/mine',
  describeRoute({
    tags: [tag],
    summary: 'My coupons: the coupons granted to the signed-in customer',
    description:
      'Newest first, at most 200; `organizerId` narrows them to one organizer (the shop at checkout).',
    responses: {
      200: { description: 'Granted coupons with their state', content: json(myCouponsSchema) },
      401: { description: 'Not signed in (`unauthorized`)' },
    },
  }),
  validate('query', v.object({ organizerId: v.optional(id) })),
  async (c) => {
    const buyerId = c.get('buyerId')
    if (!buyerId.startsWith('cus_'))
      throw new Problem({ code: 'unauthorized', detail: 'Sign in to see your coupons' })
    const { organizerId } = c.req.valid('query')
    return c.json({ items: await myCoupons(c.get('db'), buyerId, organizerId) })
  },
)
