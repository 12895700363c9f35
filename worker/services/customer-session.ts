import { jwtVerify, SignJWT } from 'jose'

export const CUSTOMER_COOKIE = 'customer_session'
export const CUSTOMER_SESSION_TTL_SECONDS = 30 * 24 * 60 * 60

export interface CustomerSession {
  customerId: string
  sessionVersion: number
}

const key = (secret: string) => new TextEncoder().encode(secret)

/** Customer sessions use their own audience, so a staff token is never accepted here and vice versa. */
export async function signCustomerSession(session: CustomerSession, secret: string, now = Date.now()) {
  return new SignJWT({ sv: session.sessionVersion })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(session.customerId)
    .setAudience('customer')
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + CUSTOMER_SESSION_TTL_SECONDS)
    .sign(key(secret))
}

export async function readCustomerSession(
  token: string,
  secret: string,
): Promise<CustomerSession | undefined> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { audience: 'customer', algorithms: ['HS256'] })
    if (typeof payload.sub !== 'string' || typeof payload.sv !== 'number') return undefined
    return { customerId: payload.sub, sessionVersion: payload.sv }
  } catch {
    return undefined
  }
}
