import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.ts'
import { Problem } from '../problem.ts'
import { deviceOfToken, type GateDevice } from '../services/gate-devices.ts'

export type GateEnv = AppEnv & { Variables: { device: GateDevice } }

/** Requires `Authorization: Bearer <device token>` of an enrolled gate device that has not been revoked. */
export const requireGateDevice = createMiddleware<GateEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? ''
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
  const device = token ? await deviceOfToken(c.get('db'), token, c.env.SESSION_SECRET) : undefined
  if (!device)
    throw new Problem({
      code: 'unauthorized',
      detail: 'This gate device is not enrolled, or its credential expired or was revoked; enroll it again',
    })
  c.set('device', device)
  await next()
})
