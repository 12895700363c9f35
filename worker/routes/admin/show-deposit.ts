import { and, eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { showDeposits, showPricing, shows } from '../../db/schema.ts'
import { depositTermsErrors } from '../../domain/deposit-terms.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound, validationProblem } from '../../problem.ts'
import { validate } from '../../validation.ts'
import { showDepositInput, showDepositRecord } from '../contracts/admin/show-deposit.ts'
import { json } from '../openapi.ts'

// A show's deposit presale (定金): the terms a buyer may choose at checkout instead of paying in full. Checked
// against the show's start and the lowest price each category can be quoted at (list, tiers, flash sales), then
// stored; the orders service reads them when an order is made with `deposit: true`.

const tag = 'Catalogue: shows'
const params = v.object({
  organizerId: v.pipe(v.string(), v.maxLength(64)),
  id: v.pipe(v.string(), v.maxLength(64)),
})
export const showDepositRoutes = new Hono<StaffEnv>()

async function readDeposit(db: StaffEnv['Variables']['db'], organizerId: string, showId: string) {
  const [show] = await db
    .select({ id: shows.id })
    .from(shows)
    .where(and(eq(shows.id, showId), eq(shows.organizerId, organizerId)))
  if (!show) throw notFound(`show ${showId}`)
  const [row] = await db.select().from(showDeposits).where(eq(showDeposits.showId, showId))
  return { showId, deposit: row?.terms ?? null, updatedAt: row?.updatedAt ?? null }
}

showDepositRoutes.get(
  '/:id/deposit',
  describeRoute({
    tags: [tag],
    summary: "The show's deposit presale (定金), or null",
    responses: { 200: { description: 'The deposit terms', content: json(showDepositRecord) } },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('param', params),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    return c.json(await readDeposit(c.get('db'), organizerId, id))
  },
)

showDepositRoutes.put(
  '/:id/deposit',
  describeRoute({
    tags: [tag],
    summary: "Set the show's deposit presale (定金), or turn it off with null",
    description:
      'A buyer may pay `amount` per ticket now instead of the price: the seat is locked but no ticket is issued. The ' +
      'balance (price − deposit) is payable in [`balanceOpensAt`, `balanceDueAt`); a reminder goes out ' +
      '`reminderLeadMinutes` before the due time; unpaid then, the seat goes back on sale and the deposit is kept ' +
      '(`forfeit: keep`) or refunded (`refund`). The deposit is above 0 and below the lowest price a seat of its ' +
      'categories can be quoted at; the balance is due after it opens and before the show starts. Every bad field ' +
      'comes back in one `validation` problem and nothing is saved.',
    responses: {
      200: { description: 'Saved', content: json(showDepositRecord) },
      400: { description: 'Every bad field (`validation`)' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate('json', showDepositInput),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const db = c.get('db')
    const [show] = await db
      .select({ id: shows.id, prices: shows.prices, startsAt: shows.startsAt })
      .from(shows)
      .where(and(eq(shows.id, id), eq(shows.organizerId, organizerId)))
    if (!show) throw notFound(`show ${id}`)
    const { deposit } = c.req.valid('json')
    const now = new Date().toISOString()
    if (deposit === null) {
      await db.delete(showDeposits).where(eq(showDeposits.showId, show.id))
    } else {
      const [pricing] = await db.select().from(showPricing).where(eq(showPricing.showId, show.id))
      const lowestPrices: Record<string, number> = { ...show.prices }
      const lower = (category: string, price: number) => {
        if (category in lowestPrices) lowestPrices[category] = Math.min(lowestPrices[category]!, price)
      }
      for (const schedule of pricing?.schedules ?? [])
        for (const tier of schedule.tiers) lower(schedule.category, tier.price)
      for (const sale of pricing?.flashSales ?? []) lower(sale.category, sale.price)
      const errors = depositTermsErrors(deposit, { startsAt: show.startsAt, lowestPrices })
      if (errors.length) throw validationProblem(errors)
      await db
        .insert(showDeposits)
        .values({ showId: show.id, organizerId, terms: deposit, updatedAt: now })
        .onConflictDoUpdate({ target: showDeposits.showId, set: { terms: deposit, updatedAt: now } })
    }
    return c.json(await readDeposit(db, organizerId, show.id))
  },
)
