import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { readCompensation, setCompensation } from '../../services/coupons/index.ts'
import { validate } from '../../validation.ts'
import { refundCompensationSchema } from '../contracts/admin/coupons.ts'
import { json } from '../openapi.ts'

// Refund as coupon (优惠券补偿): the setting of an event (all its shows) or of a scenic site.

const tag = 'Promotions: coupons'
const notes =
  'Off (`compensation: null`) or one of the organizer’s coupons offered to signed-in buyers on the refund quote: ' +
  '`instead_of_fee` when the refund deducts a fee (the coupon compensates it), `on_top` with every refund. The cash ' +
  'refund is the same either way; the buyer chooses `compensation: "coupon"` when refunding and the coupon is granted ' +
  'once the refund has succeeded, once per refund. A coupon that is not the organizer’s answers `validation`.'

export const refundCompensationRoutes = new Hono<StaffEnv>()

for (const [path, kind] of [
  ['/events/:targetId/refund-compensation', 'event'],
  ['/scenic-sites/:targetId/refund-compensation', 'site'],
] as const) {
  const params = v.object({
    organizerId: v.pipe(v.string(), v.maxLength(64)),
    targetId: v.pipe(v.string(), v.maxLength(64)),
  })
  const what = kind === 'event' ? 'an event' : 'a scenic site'
  refundCompensationRoutes.get(
    path,
    describeRoute({
      tags: [tag],
      summary: `Refund as coupon of ${what}`,
      description: notes,
      responses: { 200: { description: 'The setting', content: json(refundCompensationSchema) } },
    }),
    requireOrganizerRole('owner', 'manager'),
    validate('param', params),
    async (c) => {
      const { organizerId, targetId } = c.req.valid('param')
      return c.json({
        compensation: await readCompensation(c.get('db'), organizerId, { kind, id: targetId }),
      })
    },
  )
  refundCompensationRoutes.put(
    path,
    describeRoute({
      tags: [tag],
      summary: `Set refund as coupon of ${what}`,
      description: notes,
      responses: {
        200: { description: 'The setting', content: json(refundCompensationSchema) },
        400: { description: 'Not one of the organizer’s coupons (`validation`)' },
      },
    }),
    requireOrganizerRole('owner', 'manager'),
    validate('param', params),
    validate('json', refundCompensationSchema),
    async (c) => {
      const { organizerId, targetId } = c.req.valid('param')
      const { compensation } = c.req.valid('json')
      return c.json({
        compensation: await setCompensation(c.get('db'), organizerId, { kind, id: targetId }, compensation),
      })
    },
  )
}
