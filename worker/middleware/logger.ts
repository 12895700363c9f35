import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.ts'

type Level = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  log(level: Level, message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** Fields whose value is never logged, whatever it is. */
const secretField =
  /pass(word)?|secret|token|authori[sz]ation|cookie|signature|api[-_]?key|otp|code[-_]?hash|id[-_]?(number|card)|^(subject|body)$/i

/** Secrets recognisable by their shape, wherever they appear in a logged string. */
const secretShapes: [RegExp, string][] = [
  // drizzle's failed-query errors list every bound value (hashes, secrets, ID numbers) up to the stack frames
  [/\bparams: [\s\S]*?(?=\n\s+at |$)/g, 'params: [redacted]'],
  [/\bwhsec_[A-Za-z0-9+/=]+/g, 'whsec_[redacted]'],
  [/\bpsk_[A-Za-z0-9_-]+/g, 'psk_[redacted]'],
  [/\b([sr]k_(live|test))_[A-Za-z0-9]+/g, '$1_[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[redacted jwt]'],
  // opaque tokens of 40+ URL-safe characters (e.g. a one-time link's token in a logged path); ids are shorter
  [/(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{40,}(?![\w-])/g, '[redacted token]'],
  // mainland China resident ID numbers (18 characters)
  [/(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/g, '[redacted id number]'],
]

function redactString(text: string): string {
  return secretShapes.reduce((s, [shape, replacement]) => s.replace(shape, replacement), text)
}

/** A copy of a log value with secret fields and secret-shaped text replaced. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value)
  if (value === null || typeof value !== 'object' || depth > 5) return value
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1))
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      secretField.test(k) ? '[redacted]' : redactSecrets(v, depth + 1),
    ]),
  )
}

/** One JSON object per line, so Workers Logs and `wrangler tail` can filter by field; secrets are redacted. */
export function jsonLogger(base: Record<string, unknown> = {}): Logger {
  const log = (level: Level, message: string, fields: Record<string, unknown> = {}) => {
    const entry = redactSecrets({ ...base, ...fields }) as Record<string, unknown>
    const line = JSON.stringify({
      time: new Date().toISOString(),
      level,
      message: redactString(message),
      ...entry,
    })
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
