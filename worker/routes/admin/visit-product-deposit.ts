import { and, eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { visitProductDeposits, visitProducts } from '../../db/schema.ts'
import { lowestScenicPrice, scenicDepositTermsErrors } from '../../domain/scenic-deposit-terms.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound, validationProblem } from '../../problem.ts'
import { validate } from '../../validation.ts'
import {
  visitProductDepositInput,
  visitProductDepositRecord,
} from '../contracts/admin/visit-product-deposit.ts'
import { json } from '../openapi.ts'

// A visit product's deposit presale (定金): the terms a buyer may choose at checkout instead of paying in full. The
// balance window counts back from each visit day, so one set of terms serves every day; the deposit is checked
// against the lowest price the product can be quoted at (base, date prices, tiers). The orders service reads them
// when a scenic order is made with `deposit: true`.

const tag = 'Catalogue: visit products'
const params = v.object({
  organizerId: v.pipe(v.string(), v.maxLength(64)),
  id: v.pipe(v.string(), v.maxLength(64)),
})
type Db = StaffEnv['Variables']['db']

async function ownedProduct(db: Db, organizerId: string, id: string) {
  const [product] = await db
    .select({ id: visitProducts.id, price: visitProducts.price, pricing: visitProducts.pricing })
    .from(visitProducts)
    .where(and(eq(visitProducts.id, id), eq(visitProducts.organizerId, organizerId)))
  if (!product) throw notFound(`visit product ${id}`)
  return product
}

async function readDeposit(db: Db, productId: string) {
  const [row] = await db
    .select()
    .from(visitProductDeposits)
    .where(eq(visitProductDeposits.productId, productId))
  return { productId, deposit: row?.terms ?? null, updatedAt: row?.updatedAt ?? null }
}

export const visitProductDepositRoutes = new Hono<StaffEnv>()

visitProductDepositRoutes.get(
  '/visit-products/:id/deposit',
  describeRoute({
    tags: [tag],
    summary: "The visit product's deposit presale (定金), or null",
    responses: { 200: { description: 'The deposit terms', content: json(visitProductDepositRecord) } },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('param', params),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const db = c.get('db')
    return c.json(await readDeposit(db, (await ownedProduct(db, organizerId, id)).id))
  },
)

visitProductDepositRoutes.put(
  '/visit-products/:id/deposit',
  describeRoute({
    tags: [tag],
    summary: "Set the visit product's deposit presale (定金), or turn it off with null",
    description:
      "A buyer may pay `amount` per ticket now instead of the price: the day's place is kept but no ticket is issued. " +
      'The balance (price − deposit) is payable from `balanceOpensDaysBefore` days before the visit day starts (00:00 ' +
      "in the site's zone) until `balanceDueDaysBefore` days before it; a reminder goes out `reminderLeadMinutes` before " +
      'the due time; unpaid then, the place goes back to the day’s quota and the deposit is kept (`forfeit: keep`) or ' +
      'refunded (`refund`). The deposit is above 0 and below the lowest price the product can be quoted at (base price, ' +
      'date prices, tiers). Every bad field comes back in one `validation` problem and nothing is saved.',
    responses: {
      200: { description: 'Saved', content: json(visitProductDepositRecord) },
      400: { description: 'Every bad field (`validation`)' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate('json', visitProductDepositInput),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const db = c.get('db')
    const product = await ownedProduct(db, organizerId, id)
    const { deposit } = c.req.valid('json')
    const now = new Date().toISOString()
    if (deposit === null) {
      await db.delete(visitProductDeposits).where(eq(visitProductDeposits.productId, product.id))
    } else {
      const errors = scenicDepositTermsErrors(deposit, lowestScenicPrice(product.price, product.pricing))
      if (errors.length) throw validationProblem(errors)
      await db
        .insert(visitProductDeposits)
        .values({ productId: product.id, organizerId, terms: deposit, updatedAt: now })
        .onConflictDoUpdate({
          target: visitProductDeposits.productId,
          set: { terms: deposit, updatedAt: now },
        })
    }
    return c.json(await readDeposit(db, product.id))
  },
)
