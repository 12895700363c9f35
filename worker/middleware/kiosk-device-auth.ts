import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.ts'
import { Problem } from '../problem.ts'
import { type KioskDevice, kioskOfToken } from '../services/kiosks/devices.ts'

export type KioskEnv = AppEnv & { Variables: { kiosk: KioskDevice } }

/** Requires `Authorization: Bearer <kiosk token>` of an enrolled kiosk that has not been revoked. */
export const requireKiosk = createMiddleware<KioskEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? ''
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
  const kiosk = token ? await kioskOfToken(c.get('db'), token, c.env.SESSION_SECRET) : undefined
  if (!kiosk)
    throw new Problem({
      code: 'unauthorized',
      detail: 'This kiosk is not enrolled, or its credential expired or was revoked; enroll it again',
    })
  c.set('kiosk', kiosk)
  await next()
})
