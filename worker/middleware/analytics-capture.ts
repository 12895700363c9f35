// Capture from the routes, off the buyer's path: after the answer is decided, one Queue `send` in `waitUntil`
// (the consumer stores it, worker/services/analytics/). A capture that fails is logged and lost, never an error.
import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import * as v from 'valibot'
import { deviceClassOf, localDayOf, type TrafficSource } from '../domain/analytics-events.ts'
import { visitorOriginOf } from '../domain/visitor-origin.ts'
import type { AppEnv } from '../env.ts'
import { trafficSourceSchema } from '../routes/contracts/analytics.ts'
import type { CaptureMessage } from '../services/analytics/messages.ts'
import { captureSender } from '../services/analytics/sender.ts'

/** Where this browser's visit came from, as its landing page told the beacon (a session cookie, no person in it). */
export const SOURCE_COOKIE = 'visit_src'

export function trafficOf(c: Context<AppEnv>): TrafficSource | undefined {
  const raw = getCookie(c, SOURCE_COOKIE)
  if (!raw) return undefined
  try {
    const parsed = v.safeParse(trafficSourceSchema, JSON.parse(raw))
    return parsed.success ? parsed.output : undefined
  } catch {
    return undefined
  }
}

export function rememberTraffic(c: Context<AppEnv>, source: TrafficSource) {
  setCookie(c, SOURCE_COOKIE, JSON.stringify(source), {
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/',
  })
}

type Captured = Omit<CaptureMessage, 'id' | 'at' | 'device' | 'source'> & {
  id?: string
  source?: TrafficSource
}

/**
 * Queues one captured event after the answer, batched with the isolate's others (services/analytics/sender.ts);
 * `build` runs then too, so its work (parsing a hold) costs the buyer nothing.
 */
export function captureAfterAnswer(c: Context<AppEnv>, build: () => Captured | null) {
  const queue = c.env.ANALYTICS_QUEUE
  if (!queue || c.env.ANALYTICS_CAPTURE === 'off') return
  const userAgent = c.req.header('user-agent')
  const traffic = trafficOf(c)
  const logger = c.get('logger')
  const onError = (error: unknown) => logger.warn('analytics capture lost', { error: String(error) })
  const at = new Date().toISOString()
  const flush = captureSender.add(
    queue,
    () => {
      const event = build()
      if (!event) return null
      const source = event.source ?? traffic
      return {
        ...event,
        id: event.id ?? `${event.kind}:${crypto.randomUUID()}`,
        at,
        device: deviceClassOf(userAgent),
        ...(source ? { source } : {}),
      }
    },
    onError,
  )
  if (flush) c.executionCtx.waitUntil(flush)
}

/** Derived origins of real-name visitors by their place in the hold: region and age band, never the number. */
export function visitorsOf(idNumbers: (string | undefined)[]): CaptureMessage['visitors'] {
  // Most holds name no visitor: no date formatting for them.
  if (!idNumbers.some((id) => id)) return undefined
  const today = localDayOf(new Date(), 'Asia/Shanghai')
  const visitors = idNumbers.flatMap((id, position) =>
    id ? [{ position, origin: visitorOriginOf(id, today) }] : [],
  )
  return visitors.length ? visitors : undefined
}

/** A hold as captured: its id, ticket count and quote, read from the actor's answer after it was sent. */
export function heldEvent(
  holdJson: string,
  where: { showId: string } | { siteId: string },
  idNumbers: (string | undefined)[],
): Captured | null {
  const hold = JSON.parse(holdJson) as { id?: unknown; total?: unknown; seats?: unknown[]; lines?: unknown[] }
  if (typeof hold.id !== 'string') return null
  const visitors = visitorsOf(idNumbers)
  return {
    kind: 'hold',
    ...where,
    holdId: hold.id,
    channel: 'web',
    tickets: (hold.seats ?? hold.lines ?? []).length,
    amount: typeof hold.total === 'number' ? hold.total : 0,
    ...(visitors ? { visitors } : {}),
  }
}
