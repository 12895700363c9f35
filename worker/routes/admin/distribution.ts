import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { validationProblem } from '../../problem.ts'
import { readCoupon } from '../../services/coupons/index.ts'
import {
  createDistributor,
  createLink,
  deleteRule,
  listDistributors,
  listLinks,
  listRules,
  payStatement,
  putRule,
  putSettings,
  readDistributor,
  readSettings,
  setLinkActive,
  statementsOf,
  updateDistributor,
} from '../../services/distribution/index.ts'
import { validate } from '../../validation.ts'
import { listOf } from '../contracts/common.ts'
import {
  commissionRuleInput,
  commissionRuleRecord,
  distributionSettingsRecord,
  distributorInput,
  distributorPatch,
  distributorRecord,
  linkInput,
  linkPatch,
  linkRecord,
  monthParam,
  payoutRecord,
  statementList,
} from '../contracts/distribution.ts'
import { json } from '../openapi.ts'

// The console's distribution (分销): distributors, their share links, commission rules, the attribution window and
// monthly statements. Owners and managers write; gate staff read.

const tag = 'Distribution'
const id = v.pipe(v.string(), v.maxLength(64))
const orgParam = v.object({ organizerId: id })
const idParam = v.object({ organizerId: id, id })
const readers = requireOrganizerRole('owner', 'manager', 'gate')
const writers = requireOrganizerRole('owner', 'manager')
const created = (what: string, schema: v.GenericSchema) => ({
  201: { description: `The new ${what}`, content: json(schema) },
  400: { description: 'Every bad field (`validation`)' },
})

export const distributionAdminRoutes = new Hono<StaffEnv>()

distributionAdminRoutes.get(
  '/distribution-settings',
  describeRoute({
    tags: [tag],
    summary: 'How many days a click credits its distributor (default 7)',
    responses: { 200: { description: 'Settings', content: json(distributionSettingsRecord) } },
  }),
  readers,
  validate('param', orgParam),
  async (c) => c.json(await readSettings(c.get('db'), c.req.valid('param').organizerId)),
)

distributionAdminRoutes.put(
  '/distribution-settings',
  describeRoute({
    tags: [tag],
    summary: 'Set the attribution window in days (1–365) and the invite-a-friend reward coupon',
    responses: {
      200: { description: 'Saved', content: json(distributionSettingsRecord) },
      400: { description: 'Every bad field (`validation`)' },
    },
  }),
  writers,
  validate('param', orgParam),
  validate('json', distributionSettingsRecord),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const settings = c.req.valid('json')
    // The invite reward must be one of this organizer's coupons (readCoupon answers not_found otherwise).
    if (settings.inviteCouponId) {
      await readCoupon(c.get('db'), organizerId, settings.inviteCouponId).catch(() => {
        throw validationProblem([
          { path: 'json.inviteCouponId', message: 'no such coupon of this organizer' },
        ])
      })
    }
    return c.json(await putSettings(c.get('db'), organizerId, settings))
  },
)

distributionAdminRoutes.get(
  '/distributors',
  describeRoute({
    tags: [tag],
    summary: 'Distributors (KOLs, travel agencies, staff)',
    responses: { 200: { description: 'Every distributor', content: json(listOf(distributorRecord)) } },
  }),
  readers,
  validate('param', orgParam),
  async (c) => c.json({ items: await listDistributors(c.get('db'), c.req.valid('param').organizerId) }),
)

distributionAdminRoutes.post(
  '/distributors',
  describeRoute({
    tags: [tag],
    summary: 'Add a distributor',
    description:
      '`contact` is the email or phone the distributor signs in to the shop with to see their page. ' +
      '`commissionKind` `percent` takes `commissionValue` in basis points (1000 = 10%, at most 10000) of what the ' +
      'buyer paid per ticket, rounded down to the fen; `fixed` is fen per ticket, never more than the ticket’s ' +
      'price. It applies where no commission rule of the event or product does.',
    responses: created('distributor', distributorRecord),
  }),
  writers,
  validate('param', orgParam),
  validate('json', distributorInput),
  async (c) =>
    c.json(await createDistributor(c.get('db'), c.req.valid('param').organizerId, c.req.valid('json')), 201),
)

distributionAdminRoutes.patch(
  '/distributors/:id',
  describeRoute({
    tags: [tag],
    summary: 'Change a distributor; `status: disabled` stops their links and commission on later orders',
    responses: {
      200: { description: 'Saved', content: json(distributorRecord) },
      400: { description: 'Every bad field (`validation`)' },
    },
  }),
  writers,
  validate('param', idParam),
  validate('json', distributorPatch),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const patch = c.req.valid('json')
    const current = await readDistributor(c.get('db'), organizerId, id)
    const kind = patch.commissionKind ?? current.commissionKind
    if (kind === 'percent' && (patch.commissionValue ?? current.commissionValue) > 10_000)
      throw validationProblem([
        { path: 'json.commissionValue', message: 'a percentage is at most 10000 basis points (100%)' },
      ])
    return c.json(await updateDistributor(c.get('db'), organizerId, id, patch))
  },
)

distributionAdminRoutes.get(
  '/distributors/:id/links',
  describeRoute({
    tags: [tag],
    summary: 'A distributor’s share links with their clicks',
    responses: { 200: { description: 'Links', content: json(listOf(linkRecord)) } },
  }),
  readers,
  validate('param', idParam),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    await readDistributor(c.get('db'), organizerId, id)
    return c.json({ items: await listLinks(c.get('db'), organizerId, [id]) })
  },
)

distributionAdminRoutes.post(
  '/distributors/:id/links',
  describeRoute({
    tags: [tag],
    summary: 'Make a share link to an event, a show or a scenic product',
    description:
      'The link is the shop page of the target with `?ref=` and a random 10-character code; the console draws its ' +
      'QR code. A target of another organizer answers `not_found`.',
    responses: created('link', linkRecord),
  }),
  writers,
  validate('param', idParam),
  validate('json', linkInput),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    return c.json(await createLink(c.get('db'), organizerId, id, c.req.valid('json')), 201)
  },
)

distributionAdminRoutes.patch(
  '/distribution-links/:id',
  describeRoute({
    tags: [tag],
    summary:
      'Switch a share link off (or on again); a switched-off link counts no clicks and credits nothing',
    responses: { 200: { description: 'Saved', content: json(linkRecord) } },
  }),
  writers,
  validate('param', idParam),
  validate('json', linkPatch),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    return c.json(await setLinkActive(c.get('db'), organizerId, id, c.req.valid('json').active))
  },
)

distributionAdminRoutes.get(
  '/commission-rules',
  describeRoute({
    tags: [tag],
    summary: 'Commission rules per event or scenic product',
    responses: { 200: { description: 'Rules', content: json(listOf(commissionRuleRecord)) } },
  }),
  readers,
  validate('param', orgParam),
  async (c) => c.json({ items: await listRules(c.get('db'), c.req.valid('param').organizerId) }),
)

distributionAdminRoutes.put(
  '/commission-rules',
  describeRoute({
    tags: [tag],
    summary: 'Set the commission of an event or product, for one distributor or (distributorId null) for all',
    description:
      'A line earns by the distributor’s own rule of its event (or product), else the rule for all distributors ' +
      'there, else the distributor’s default. Saving the same scope and distributor again replaces the rule.',
    responses: {
      200: { description: 'Saved', content: json(commissionRuleRecord) },
      400: { description: 'Every bad field (`validation`)' },
    },
  }),
  writers,
  validate('param', orgParam),
  validate('json', commissionRuleInput),
  async (c) => c.json(await putRule(c.get('db'), c.req.valid('param').organizerId, c.req.valid('json'))),
)

distributionAdminRoutes.delete(
  '/commission-rules/:id',
  describeRoute({
    tags: [tag],
    summary: 'Remove a commission rule (orders already credited keep their commission)',
    responses: { 204: { description: 'Removed' } },
  }),
  writers,
  validate('param', idParam),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    await deleteRule(c.get('db'), organizerId, id)
    return c.body(null, 204)
  },
)

distributionAdminRoutes.get(
  '/distributors/:id/statements',
  describeRoute({
    tags: [tag],
    summary: 'A distributor’s monthly statements (Beijing months, newest first) with their orders',
    responses: { 200: { description: 'Statements', content: json(statementList) } },
  }),
  readers,
  validate('param', idParam),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    await readDistributor(c.get('db'), organizerId, id)
    return c.json({ items: await statementsOf(c.get('db'), id) })
  },
)

distributionAdminRoutes.post(
  '/distributors/:id/statements/:month/payouts',
  describeRoute({
    tags: [tag],
    summary: 'Mark a month’s payable commission paid',
    description:
      'Everything payable on the statement now moves to `paid` under one payout, in one batch; commission still ' +
      'pending stays for a later payout. Nothing payable (or a second, concurrent mark): `conflict`, nothing written.',
    responses: {
      201: { description: 'The payout', content: json(payoutRecord) },
      409: { description: 'Nothing payable (`conflict`)' },
    },
  }),
  writers,
  validate('param', v.object({ organizerId: id, id, month: monthParam })),
  async (c) => {
    const { organizerId, id, month } = c.req.valid('param')
    await readDistributor(c.get('db'), organizerId, id)
    const payout = await payStatement(c.get('db'), organizerId, id, month, c.get('principal').id)
    return c.json(payout, 201)
  },
)
