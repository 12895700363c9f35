import { eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { customers } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { Problem } from '../problem.ts'
import { CUSTOMER_COOKIE, readCustomerSession } from '../services/customer-session.ts'

export interface CustomerPrincipal {
  id: string
  contact: string
  contactKind: 'email' | 'phone'
  name: string | null
}

/** The signed-in customer, if the cookie is valid and current; undefined otherwise. */
export async function currentCustomer(c: Context<AppEnv>): Promise<CustomerPrincipal | undefined> {
  const token = getCookie(c, CUSTOMER_COOKIE)
  if (!token) return undefined
  const session = await readCustomerSession(token, c.env.SESSION_SECRET)
  if (!session) return undefined
  const [row] = await c.get('db').select().from(customers).where(eq(customers.id, session.customerId))
  if (!row || row.sessionVersion !== session.sessionVersion) return undefined
  return { id: row.id, contact: row.contact, contactKind: row.contactKind, name: row.name }
}

/** Sets `customer` to the signed-in customer, or undefined; never refuses the request. */
export const optionalCustomer = createMiddleware<AppEnv>(async (c, next) => {
  c.set('customer', await currentCustomer(c))
  await next()
})

/** Refuses the request with `unauthorized` unless a customer is signed in; reuses an earlier lookup. */
export const requireCustomer = createMiddleware<AppEnv>(async (c, next) => {
  const customer = c.get('customer') ?? (await currentCustomer(c))
  if (!customer) throw new Problem({ code: 'unauthorized', detail: 'Sign in with your email or phone first' })
  c.set('customer', customer)
  await next()
})
