import { createMiddleware } from 'hono/factory'
import type { Database } from '../db/client.ts'
import type { AppEnv } from '../env.ts'
import { Problem } from '../problem.ts'

/**
 * Requires `Authorization: Bearer <device token>` of an enrolled device of one kind (a gate, a kiosk) that has not
 * been revoked, and sets it on the context as `variable`.
 */
export function requireDeviceToken<Key extends string, Device>(
  variable: Key,
  deviceOfToken: (db: Database, token: string, secret: string) => Promise<Device | undefined>,
  what: string,
) {
  type Env = AppEnv & { Variables: Record<Key, Device> }
  return createMiddleware<Env>(async (c, next) => {
    const header = c.req.header('authorization') ?? ''
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
    const device = token ? await deviceOfToken(c.get('db'), token, c.env.SESSION_SECRET) : undefined
    if (!device)
      throw new Problem({
        code: 'unauthorized',
        detail: `This ${what} is not enrolled, or its credential expired or was revoked; enroll it again`,
      })
    // hono cannot narrow a generic key's value type; the record type above is what the routes read.
    c.set(variable, device as Env['Variables'][Key])
    await next()
  })
}
