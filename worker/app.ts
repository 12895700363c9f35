import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { HTTPException } from 'hono/http-exception'
import { openDatabase } from './db/client.ts'
import { errorCauses } from './db/error-causes.ts'
import type { AppEnv } from './env.ts'
import { refuseCrossSiteRequests } from './middleware/csrf.ts'
import { deploymentCheck } from './middleware/deployment-check.ts'
import { jsonLogger, requestLogger } from './middleware/logger.ts'
import { requestId } from './middleware/request-id.ts'
import { securityHeaders } from './middleware/security-headers.ts'
import { Problem } from './problem.ts'
import type { HoldBatching } from './services/isolate-holds.ts'
import { paymentProvider } from './services/payments/index.ts'
import { showInventoryService } from './services/show-inventory.ts'

const httpCodes: Record<number, string> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
}

/** Maps anything thrown in a handler to a Problem; unknown errors become `internal` without leaking details. */
export function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err
  if (err instanceof HTTPException) {
    return new Problem({ code: httpCodes[err.status] ?? 'internal', status: err.status, detail: err.message })
  }
  const message = errorCauses(err)
    .map((e) => ` ${e instanceof Error ? e.message : String(e)}`)
    .join('')
  // SQLite constraint failures mean the request conflicts with stored data (duplicate code, row in use).
  if (/UNIQUE constraint failed/.test(message)) {
    return new Problem({ code: 'conflict', detail: 'A record with the same unique value already exists' })
  }
  if (/FOREIGN KEY constraint failed/.test(message)) {
    return new Problem({
      code: 'conflict',
      detail: 'The record is referenced by, or references, other records',
    })
  }
  return new Problem({
    code: 'internal',
    detail: 'An unexpected error occurred; quote the requestId when reporting it',
  })
}

export function problemResponse(problem: Problem, instance?: string, requestIdValue?: string): Response {
  return new Response(JSON.stringify(problem.body(instance, requestIdValue)), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...problem.headers },
  })
}

/**
 * The one place the application's cross-cutting behaviour is set: request ids, JSON access logs,
 * the database handle, CORS for the public API, security headers, the cross-site request check and
 * problem+json for every error.
 */
export function newApp() {
  const app = new Hono<AppEnv>()
  app.use('*', requestId)
  app.use('*', requestLogger)
  app.use('*', deploymentCheck)
  app.use('*', securityHeaders)
  app.use('*', async (c, next) => {
    c.set('db', openDatabase(c.env.DB))
    const batching: HoldBatching = {
      batchInIsolate: c.env.HOLD_BATCHING !== 'gateway',
      keepAlive: (promise) => c.executionCtx.waitUntil(promise),
    }
    c.set('holdBatching', batching)
    c.set('showInventory', showInventoryService(c.env.SHOW_INVENTORY, c.env.HOLD_GATEWAY, batching))
    c.set('payments', paymentProvider(c.env))
    await next()
  })
  app.use(
    '/api/*',
    cors({
      origin: '*',
      allowHeaders: ['content-type', 'idempotency-key', 'x-request-id', 'authorization'],
      exposeHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    }),
  )
  app.use('*', refuseCrossSiteRequests)
  app.onError((err, c) => {
    const problem = toProblem(err)
    const logger = c.get('logger') ?? jsonLogger({ requestId: c.get('requestId') })
    if (problem.status >= 500) {
      logger.error('unhandled error', {
        error: err instanceof Error ? err.stack : String(err),
        path: c.req.path,
      })
    }
    return problemResponse(problem, c.req.path, c.get('requestId'))
  })
  app.notFound((c) =>
    problemResponse(
      new Problem({ code: 'not_found', detail: `No route for ${c.req.method} ${c.req.path}` }),
      c.req.path,
      c.get('requestId'),
    ),
  )
  return app
}
