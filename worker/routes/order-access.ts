// Which orders a buyer may touch: their own, by customer id or by the anonymous buyer cookie.
import { and, eq } from 'drizzle-orm'
import * as v from 'valibot'
import { orders } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { notFound } from '../problem.ts'

/** Customers (and guests, by their buyer cookie) see only their own orders. */
export const mine = (c: { get: (k: 'buyerId') => string }) => {
  const buyerId = c.get('buyerId')
  return buyerId.startsWith('cus_') ? eq(orders.customerId, buyerId) : eq(orders.buyerId, buyerId)
}

export const orderParam = v.object({ orderId: v.pipe(v.string(), v.maxLength(64)) })
export const lineIdsQuery = v.object({ lineIds: v.optional(v.pipe(v.string(), v.maxLength(2000))) })
/** 404 unless the order is the caller's (another buyer's order is not found either). */
export async function assertMine(
  c: Parameters<typeof mine>[0] & { get: (k: 'db') => AppEnv['Variables']['db'] },
  orderId: string,
) {
  const [own] = await c
    .get('db')
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.id, orderId), mine(c)))
  if (!own) throw notFound(`order ${orderId}`)
}
