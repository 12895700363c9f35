import { getSignedCookie, setSignedCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.ts'
import { currentCustomer } from './customer-auth.ts'

export const BUYER_COOKIE = 'buyer'

/**
 * Gives every shopper a stable, signed anonymous id (a cookie) so holds have an owner and per-buyer
 * limits have someone to count against before sign-in. Partners and signed-in customers replace it.
 */
export const buyerIdentity = createMiddleware<AppEnv>(async (c, next) => {
  // Mounted twice on rate-limited routes (once centrally, to count per buyer, once by the route): decide once.
  if (c.get('buyerId')) return next()
  const customer = await currentCustomer(c)
  if (customer) {
    c.set('customer', customer)
    c.set('buyerId', customer.id)
    return next()
  }
  let id = await getSignedCookie(c, c.env.SESSION_SECRET, BUYER_COOKIE)
  if (!id) {
    id = `buy_${crypto.randomUUID().replaceAll('-', '')}`
    await setSignedCookie(c, BUYER_COOKIE, id, c.env.SESSION_SECRET, {
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: 60 * 60 * 24 * 30,
    })
  }
  c.set('buyerId', id)
  await next()
})
