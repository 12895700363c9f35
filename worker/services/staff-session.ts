import { jwtVerify, SignJWT } from 'jose'

export const SESSION_COOKIE = 'staff_session'
export const SESSION_TTL_SECONDS = 12 * 60 * 60

export interface StaffSession {
  userId: string
  sessionVersion: number
}

const key = (secret: string) => new TextEncoder().encode(secret)

export async function signStaffSession(
  session: StaffSession,
  secret: string,
  now = Date.now(),
): Promise<string> {
  return new SignJWT({ sv: session.sessionVersion })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(session.userId)
    .setAudience('staff')
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + SESSION_TTL_SECONDS)
    .sign(key(secret))
}

/** Returns the session, or undefined for a missing, forged, expired or foreign token. */
export async function readStaffSession(token: string, secret: string): Promise<StaffSession | undefined> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { audience: 'staff', algorithms: ['HS256'] })
    if (typeof payload.sub !== 'string' || typeof payload.sv !== 'number') return undefined
    return { userId: payload.sub, sessionVersion: payload.sv }
  } catch {
    return undefined
  }
}
