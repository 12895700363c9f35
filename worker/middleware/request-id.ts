import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.ts'

const incoming = /^[A-Za-z0-9._:-]{8,128}$/

/** Reuses a well-formed `X-Request-Id` from the caller (e.g. a partner) or makes one, and echoes it back. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const given = c.req.header('x-request-id')
  const id = given && incoming.test(given) ? given : `req_${crypto.randomUUID().replaceAll('-', '')}`
  c.set('requestId', id)
  await next()
  c.res.headers.set('x-request-id', id)
})
