import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import type { AppEnv } from '../env.ts'
import { buyerIdentity } from '../middleware/buyer.ts'
import { requireCustomer } from '../middleware/customer-auth.ts'
import { readCoupon } from '../services/coupons/index.ts'
import {
  distributorPages,
  inviteCouponOf,
  inviteOf,
  readSettings,
  recordClick,
  recordInviteVisit,
} from '../services/distribution/index.ts'
import { validate } from '../validation.ts'
import {
  clickInput,
  clickRecord,
  distributorPages as distributorPagesSchema,
  inviteQuery,
  inviteRecord,
  inviteVisitInput,
  inviteVisitRecord,
} from './contracts/distribution.ts'
import { json } from './openapi.ts'

// The shop's side of distribution (分销): a share link's click, kept on the buyer, and the distributor's own page.

const tag = 'Distribution'
export const distributionRoutes = new Hono<AppEnv>()

distributionRoutes.post(
  '/clicks',
  describeRoute({
    tags: [tag],
    summary: 'Count a click on a share link (`?ref=`) and keep it on this buyer',
    description:
      'The shop calls this when a page opens with `?ref=CODE`. The click is stored against this browser’s buyer (the ' +
      'signed-in customer, else the anonymous buyer cookie), never an address. An order this buyer creates within ' +
      'the organizer’s `attributionDays` (default 7) of their last click on any of its links credits that link’s ' +
      'distributor once paid: the last click before the order wins. Answers what the link opens. An unknown, ' +
      'switched-off or disabled distributor’s code answers `not_found` and counts nothing.',
    responses: {
      201: { description: 'Counted', content: json(clickRecord) },
      404: { description: 'No such active link (`not_found`)' },
    },
  }),
  buyerIdentity,
  validate('json', clickInput),
  async (c) => {
    const db = c.get('db')
    const click = await recordClick(db, c.req.valid('json').ref, c.get('buyerId')!)
    const { attributionDays } = await readSettings(db, click.organizerId)
    return c.json({ ...click, attributionDays }, 201)
  },
)

distributionRoutes.get(
  '/me',
  describeRoute({
    tags: [tag],
    summary: 'The signed-in distributor’s links, clicks, orders, commission and statements',
    description:
      'A distributor is a customer account: the organizer links it by the email or phone the distributor signs in ' +
      'with. One entry per organizer that made this contact a distributor (none: an empty list). Commission is ' +
      '`pending` once an order is paid, `payable` after its show or visit day (or once the ticket is used), `paid` ' +
      'when the organizer marks the month’s statement paid, `reversed` when the ticket is refunded first. ' +
      'Statements are by Beijing month.',
    responses: {
      200: { description: 'Their distributor pages', content: json(distributorPagesSchema) },
      401: { description: 'Not signed in (`unauthorized`)' },
    },
  }),
  requireCustomer,
  async (c) => c.json({ items: await distributorPages(c.get('db'), c.get('customer')!.contact) }),
)

distributionRoutes.get(
  '/invite',
  describeRoute({
    tags: [tag],
    summary: 'Your invite-a-friend code for an organizer’s shop (made on first ask)',
    description:
      'A friend who opens `/?invite=CODE` and whose first order with the organizer is paid (signed in, within the ' +
      'organizer’s attribution window) earns a reward for both of you. Rewards are recorded once per friend and side. ' +
      '`reward` names the organizer’s invite coupon both sides get (null when none is set or it was withdrawn).',
    responses: {
      200: { description: 'The invite code', content: json(inviteRecord) },
      401: { description: 'Not signed in (`unauthorized`)' },
    },
  }),
  requireCustomer,
  validate('query', inviteQuery),
  async (c) => {
    const db = c.get('db')
    const { organizerId } = c.req.valid('query')
    const invite = await inviteOf(db, organizerId, c.get('customer')!.id)
    // The reward line names the coupon only while it can still be granted: set, present and not withdrawn.
    const couponId = await inviteCouponOf(db, organizerId)
    const coupon = couponId ? await readCoupon(db, organizerId, couponId).catch(() => null) : null
    const reward = coupon && !coupon.disabled ? { title: coupon.title, titleEn: coupon.titleEn } : null
    return c.json({ organizerId: invite.organizerId, code: invite.code, reward })
  },
)

distributionRoutes.post(
  '/invite-visits',
  describeRoute({
    tags: [tag],
    summary: 'Keep an invite code on this buyer (the shop calls this for `?invite=`)',
    responses: {
      201: { description: 'Kept', content: json(inviteVisitRecord) },
      404: { description: 'No such invite (`not_found`)' },
    },
  }),
  buyerIdentity,
  validate('json', inviteVisitInput),
  async (c) => c.json(await recordInviteVisit(c.get('db'), c.req.valid('json').code, c.get('buyerId')!), 201),
)
