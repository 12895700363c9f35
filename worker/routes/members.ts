import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { organizers, scenicSites, shows } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { requireCustomer } from '../middleware/customer-auth.ts'
import { notFound } from '../problem.ts'
import { memberPage, savePreferences } from '../services/members/index.ts'
import { validate } from '../validation.ts'
import { memberPageSchema, preferencesInput } from './contracts/members.ts'
import { json } from './openapi.ts'

/** The signed-in buyer as a member of one organizer: tier, benefits, points and purchases. */
export const memberRoutes = new Hono<AppEnv>()
memberRoutes.use('*', requireCustomer)

const id = v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64)))
const organizerQuery = v.pipe(
  v.object({ organizer: id, show: id, site: id }),
  v.check(
    (q) => [q.organizer, q.show, q.site].filter(Boolean).length === 1,
    'give one of organizer, show or site',
  ),
)

/** The organizer named, or the one selling the show or scenic site (checkout knows only those). */
async function organizerOf(
  db: AppEnv['Variables']['db'],
  query: { organizer?: string | undefined; show?: string | undefined; site?: string | undefined },
) {
  const [row] = query.show
    ? await db.select({ id: shows.organizerId }).from(shows).where(eq(shows.id, query.show))
    : query.site
      ? await db
          .select({ id: scenicSites.organizerId })
          .from(scenicSites)
          .where(eq(scenicSites.id, query.site))
      : await db.select({ id: organizers.id }).from(organizers).where(eq(organizers.id, query.organizer!))
  if (!row) throw notFound('organizer')
  return row.id
}

memberRoutes.get(
  '/me',
  describeRoute({
    tags: ['Members'],
    summary:
      'Your membership with an organizer (by id, or the one selling a show or site): tier, points, purchases',
    description:
      'Made on the first visit (or the first paid order). `tier` is decided on the last 12 months: paid spend net of ' +
      'refunds, or points earned net of reversals, whichever reaches a higher tier. `points.balance` is the sum of the ' +
      'ledger (`points.history`, newest first); `points.debt` is what a refund reversed beyond the balance, paid off ' +
      'from the next points earned. `rules` (null when the organizer gives no points) lets the shop preview a ' +
      'redemption: N points are worth floor(N × 100 / pointsPerYuan) fen, at most maxRedeemPercent % of the order.',
    responses: { 200: { description: 'The member page', content: json(memberPageSchema) } },
  }),
  validate('query', organizerQuery),
  async (c) => {
    const organizerId = await organizerOf(c.get('db'), c.req.valid('query'))
    return c.json(await memberPage(c.get('db'), organizerId, c.get('customer')!.id, new Date()))
  },
)

memberRoutes.put(
  '/me/preferences',
  describeRoute({
    tags: ['Members'],
    summary: 'Save your favourite venues and categories with an organizer',
    responses: {
      200: { description: 'The member page with the preferences saved', content: json(memberPageSchema) },
      400: { description: 'Every bad field (`validation`)' },
    },
  }),
  validate('query', organizerQuery),
  validate('json', preferencesInput),
  async (c) => {
    const db = c.get('db')
    const organizerId = await organizerOf(db, c.req.valid('query'))
    const customerId = c.get('customer')!.id
    await savePreferences(db, organizerId, customerId, c.req.valid('json'))
    return c.json(await memberPage(db, organizerId, customerId, new Date()))
  },
)
