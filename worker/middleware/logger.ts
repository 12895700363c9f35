import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.ts'

type Level = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  log(level: Level, message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** One JSON object per line, so Workers Logs and `wrangler tail` can filter by field. */
export function jsonLogger(base: Record<string, unknown> = {}): Logger {
  const log = (level: Level, message: string, fields: Record<string, unknown> = {}) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...base, ...fields })
    if (level === 'error') console.error(line)
    else if (level === 'warn') console.warn(line)
    else console.log(line)
  }
  return {
    log,
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  }
}

/** Sets a request-scoped logger and writes one access line per request. */
export const requestLogger = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now()
  const logger = jsonLogger({ requestId: c.get('requestId') })
  c.set('logger', logger)
  await next()
  logger.info('request', {
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    durationMs: Date.now() - started,
  })
})
