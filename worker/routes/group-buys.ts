import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import type { GroupJoinRequest } from '../../durable-objects/group-buy/contract.ts'
import type { AppEnv } from '../env.ts'
import { buyerIdentity } from '../middleware/buyer.ts'
import { notFound, validationProblem } from '../problem.ts'
import { groupBuyStub } from '../services/group-buy-client.ts'
import { completeJoin } from '../services/group-buy-joins.ts'
import {
  activeCampaign,
  campaignsForShow,
  groupPage,
  groupProblem,
  openGroupsForShow,
  publicCampaign,
  termsForNewGroup,
} from '../services/group-buys.ts'
import { validate } from '../validation.ts'
import {
  groupCampaignSchema,
  groupLeftSchema,
  groupStartedSchema,
  groupViewSchema,
  membershipSchema,
  showGroupBuysSchema,
} from './contracts/group-buys.ts'
import { json } from './openapi.ts'
import { orderServicesOf } from './order-services.ts'
import { localeField, requestLocale } from './reader-locale.ts'
import { phone } from './scenic.ts'

const tag = 'Group buys'
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64))

/** How a member takes seats: best available in a category, or the seats they picked on the seat map. */
const seating = {
  quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10)),
  category: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(32))),
  seatIds: v.optional(v.pipe(v.array(id), v.minLength(1), v.maxLength(10))),
  email: v.optional(v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('must be an email address'))),
  phone: v.optional(phone),
  /** During a presale open to code holders: the leader's or joiner's own code (one use per member's hold). */
  presaleCode: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(40))),
  /** The shop's language: the member's messages are written in it. */
  ...localeField,
}
/** Best available in a category, or named seats: exactly one of the two. */
const oneWayToSeat = <T extends { category?: string | undefined; seatIds?: string[] | undefined }>() =>
  v.check<T, string>(
    (input) => Boolean(input.category) !== Boolean(input.seatIds?.length),
    'give either a price category (best available) or seatIds',
  )

const joinObject = v.object(seating)
const startObject = v.object({ showId: id, ...seating })
export const joinGroupInput = v.pipe(joinObject, oneWayToSeat<v.InferOutput<typeof joinObject>>())
export const startGroupInput = v.pipe(startObject, oneWayToSeat<v.InferOutput<typeof startObject>>())

export const groupBuyRoutes = new Hono<AppEnv>()
groupBuyRoutes.use('*', buyerIdentity)

function joinRequest(
  c: { get(key: 'buyerId'): string; req: { url: string; header(name: string): string | undefined } },
  input: v.InferOutput<typeof joinGroupInput>,
): GroupJoinRequest {
  const buyerId = c.get('buyerId')
  const customerId = buyerId.startsWith('cus_') ? buyerId : undefined
  if (!customerId && !input.email && !input.phone)
    throw validationProblem([
      { path: 'json.email', message: 'guests need an email or phone for their tickets' },
    ])
  return {
    buyerId,
    ...(customerId ? { customerId } : {}),
    ...(input.email ? { email: input.email } : {}),
    ...(input.phone ? { phone: input.phone } : {}),
    locale: requestLocale(c, input.locale),
    quantity: input.quantity,
    ...(input.category ? { category: input.category } : {}),
    ...(input.seatIds ? { seatIds: input.seatIds } : {}),
    ...(input.presaleCode ? { presaleCode: input.presaleCode } : {}),
    origin: new URL(c.req.url).origin,
  }
}

groupBuyRoutes.get(
  '/campaigns/:campaignId',
  describeRoute({
    tags: [tag],
    summary: 'A group-buy campaign: shows, group prices, group sizes and how long groups stay open',
    responses: {
      200: { description: 'The campaign', content: json(groupCampaignSchema) },
      404: { description: 'No active campaign' },
    },
  }),
  validate('param', v.object({ campaignId: id })),
  async (c) => c.json(publicCampaign(await activeCampaign(c.get('db'), c.req.valid('param').campaignId))),
)

groupBuyRoutes.get(
  '/shows/:showId',
  describeRoute({
    tags: [tag],
    summary: 'Group buys for a screening: its active campaigns and the open groups to join',
    description:
      'Open groups come closest-to-succeeding first, so newcomers join them instead of starting new ones.',
    responses: { 200: { description: '`campaigns` and `groups`', content: json(showGroupBuysSchema) } },
  }),
  validate('param', v.object({ showId: id })),
  async (c) => {
    const { showId } = c.req.valid('param')
    const db = c.get('db')
    const [campaigns, groups] = await Promise.all([
      campaignsForShow(db, showId),
      openGroupsForShow(db, showId, new URL(c.req.url).origin),
    ])
    return c.json({ showId, campaigns: campaigns.map(publicCampaign), groups })
  },
)

groupBuyRoutes.post(
  '/campaigns/:campaignId/groups',
  describeRoute({
    tags: [tag],
    summary:
      'Start a group (you become its leader): holds your seats and creates your order at the group price',
    description:
      'Pay at `checkoutUrl` before `payBy`. Your payment is taken at once; the order is confirmed and tickets issued ' +
      'when the group reaches its minimum of paid members, or refunded in full if it has not by the deadline.',
    responses: {
      201: {
        description: 'The group and your membership',
        content: json(groupStartedSchema),
      },
      400: { description: 'Validation failed' },
      404: { description: 'No active campaign, or the show is not in it' },
      409: {
        description:
          'Seats unavailable (`seats_unavailable`, `sold_out`), over the per-buyer limit (`buyer_limit`), not on sale ' +
          '(`not_on_sale`: in a presale, give a `presaleCode`; `presale_code_invalid`, `presale_code_used_up`)',
      },
    },
  }),
  validate('param', v.object({ campaignId: id })),
  validate('json', startGroupInput),
  async (c) => {
    const input = c.req.valid('json')
    const db = c.get('db')
    const campaign = await activeCampaign(db, c.req.valid('param').campaignId)
    const request = joinRequest(c, input)
    const terms = await termsForNewGroup(db, campaign, input.showId, { presaleCode: input.presaleCode })
    const stub = groupBuyStub(c.env, terms.groupId)
    const place = await stub.start(terms, request)
    const membership = await completeJoin(orderServicesOf(c), stub, place, request)
    const view = await stub.describe(request.buyerId)
    return c.json({ group: await groupPage(view!, request.origin), membership }, 201)
  },
)

groupBuyRoutes.get(
  '/groups/:groupId',
  describeRoute({
    tags: [tag],
    summary: 'A group: members, progress toward the minimum, deadline, share link and its QR code (SVG)',
    description: '`you` is your own membership in it, if any.',
    responses: {
      200: { description: 'The group', content: json(groupViewSchema) },
      404: { description: 'No such group' },
    },
  }),
  validate('param', v.object({ groupId: id })),
  async (c) => {
    const { groupId } = c.req.valid('param')
    const view = await groupBuyStub(c.env, groupId).describe(c.get('buyerId'))
    if (!view) throw notFound(`group ${groupId}`)
    return c.json(await groupPage(view, new URL(c.req.url).origin))
  },
)

groupBuyRoutes.post(
  '/groups/:groupId/members',
  describeRoute({
    tags: [tag],
    summary: 'Join a group by its link: holds your seats and creates your order at the group price',
    description:
      'Refused with `group_full` once the group has its maximum of members, `group_closed` after it closed, ' +
      '`already_member` if you are in it. Once the group has succeeded, joiners are confirmed as soon as they pay.',
    responses: {
      201: { description: 'Your membership', content: json(membershipSchema) },
      400: { description: 'Validation failed' },
      404: { description: 'No such group' },
      409: {
        description:
          '`group_full`, `group_closed`, `already_member`, `seats_unavailable`, `buyer_limit`, `not_on_sale` (in a ' +
          'presale without a `presaleCode` its phase admits), `presale_code_invalid`, `presale_code_used_up`, …',
      },
    },
  }),
  validate('param', v.object({ groupId: id })),
  validate('json', joinGroupInput),
  async (c) => {
    const { groupId } = c.req.valid('param')
    const request = joinRequest(c, c.req.valid('json'))
    const stub = groupBuyStub(c.env, groupId)
    const place = await stub.join(request)
    return c.json(await completeJoin(orderServicesOf(c), stub, place, request), 201)
  },
)

groupBuyRoutes.delete(
  '/groups/:groupId/members/:memberId',
  describeRoute({
    tags: [tag],
    summary: 'Leave a group before it succeeds: your payment is refunded in full and your seats released',
    description:
      'Only your own membership. After the group succeeded, refund the order instead (`group_succeeded`).',
    responses: {
      200: { description: 'You left', content: json(groupLeftSchema) },
      404: { description: 'Not your membership, or no such group' },
      409: { description: '`group_succeeded`' },
    },
  }),
  validate('param', v.object({ groupId: id, memberId: id })),
  async (c) => {
    const { groupId, memberId } = c.req.valid('param')
    const outcome = await groupBuyStub(c.env, groupId).leave(memberId, c.get('buyerId'))
    if (!outcome.ok) throw groupProblem(outcome)
    return c.json({ status: outcome.status })
  },
)
