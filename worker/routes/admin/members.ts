import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { tierErrors } from '../../domain/points-ledger.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { validationProblem } from '../../problem.ts'
import { listMembers, readRules, readTiers, saveRules, saveTiers } from '../../services/members/index.ts'
import { validate } from '../../validation.ts'
import {
  memberListSchema,
  pointsRulesInput,
  pointsRulesRecord,
  tiersInput,
  tiersRecord,
} from '../contracts/members.ts'
import { json } from '../openapi.ts'
import { pageQuery } from '../query.ts'

// An organizer's member tiers, points rules and members.

const tag = 'Members'
const params = v.object({ organizerId: v.pipe(v.string(), v.maxLength(64)) })

export const memberAdminRoutes = new Hono<StaffEnv>()

const tiersOf = async (db: StaffEnv['Variables']['db'], organizerId: string) =>
  (await readTiers(db, organizerId)).map(
    ({
      id,
      code,
      name,
      nameEn,
      minSpend,
      minPoints,
      discountPercent,
      presaleAccess,
      maxTicketsPerBuyer,
    }) => ({
      id,
      code,
      name,
      nameEn,
      minSpend,
      minPoints,
      discountPercent,
      presaleAccess,
      maxTicketsPerBuyer,
    }),
  )

memberAdminRoutes.get(
  '/member-tiers',
  describeRoute({
    tags: [tag],
    summary: 'Member tiers, lowest first',
    responses: { 200: { description: 'The tiers', content: json(tiersRecord) } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  async (c) => c.json({ tiers: await tiersOf(c.get('db'), c.req.valid('param').organizerId) }),
)

memberAdminRoutes.put(
  '/member-tiers',
  describeRoute({
    tags: [tag],
    summary: 'Set the member tiers (replaces them; lowest first)',
    description:
      'A member has the highest tier whose `minSpend` (paid over the last 12 months, fen) or `minPoints` (earned over ' +
      'the last 12 months) they reach; a tier with neither is everybody’s. Each higher tier needs a higher threshold. ' +
      '`discountPercent` comes off every order the member buys outright (before coupons and points); `presaleAccess` ' +
      'admits the member to sale phases naming the tier’s `code`; `maxTicketsPerBuyer` (1 to 50, null: none) lets a ' +
      'signed-in member hold and buy that many tickets per show when the event allows fewer. Every bad field comes back in one `validation` problem.',
    responses: {
      200: { description: 'Saved', content: json(tiersRecord) },
      400: { description: 'Every bad field (`validation`)' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate('json', tiersInput),
  async (c) => {
    const { tiers } = c.req.valid('json')
    const errors = tierErrors(tiers)
    if (errors.length) throw validationProblem(errors)
    return c.json({ tiers: await saveTiers(c.get('db'), c.req.valid('param').organizerId, tiers) })
  },
)

memberAdminRoutes.get(
  '/points-rules',
  describeRoute({
    tags: [tag],
    summary: 'Points rules (null: no points)',
    responses: { 200: { description: 'The rules', content: json(pointsRulesRecord) } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  async (c) => c.json({ rules: await readRules(c.get('db'), c.req.valid('param').organizerId) }),
)

memberAdminRoutes.put(
  '/points-rules',
  describeRoute({
    tags: [tag],
    summary: 'Set the points rules',
    description:
      'Members earn floor(paid fen × earnPerYuan / 100) points when an order is paid; `pointsPerYuan` points buy ¥1 off ' +
      'at checkout, at most `maxRedeemPercent` % of what the order still costs after the member discount and coupon; ' +
      'points expire at the end of the `expiryYears`-th calendar year after they came in (0: never). A refund reverses ' +
      'the points in proportion; what was already spent becomes debt, paid off from the next points.',
    responses: {
      200: { description: 'Saved', content: json(pointsRulesRecord) },
      400: { description: 'Every bad field (`validation`)' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate('json', pointsRulesInput),
  async (c) =>
    c.json({ rules: await saveRules(c.get('db'), c.req.valid('param').organizerId, c.req.valid('json')) }),
)

memberAdminRoutes.get(
  '/members',
  describeRoute({
    tags: [tag],
    summary: 'Members, searched by contact or name, with tier and points balance',
    responses: { 200: { description: 'A page of members', content: json(memberListSchema) } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate('query', v.object({ ...pageQuery, q: v.optional(v.pipe(v.string(), v.maxLength(100))) })),
  async (c) =>
    c.json(
      await listMembers(c.get('db'), c.req.valid('param').organizerId, c.req.valid('query'), new Date()),
    ),
)
