import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import type { AppEnv } from '../env.ts'
import { captureAfterAnswer, rememberTraffic } from '../middleware/analytics-capture.ts'
import { validate } from '../validation.ts'
import { beaconInput } from './contracts/analytics.ts'

/** The shop's page beacons (`navigator.sendBeacon`): views and seat-map opens for the organizers' funnels. */
export const analyticsRoutes = new Hono<AppEnv>()

analyticsRoutes.post(
  '/beacon',
  describeRoute({
    tags: ['Shows (public)'],
    summary: 'Page beacon: a listing, show or day page view, or a seat map opened',
    description:
      'Sent by the shop with `navigator.sendBeacon`; answered at once, stored later (a queue). It names the page ' +
      '(`kind`), what it shows (`showId`, `siteId`) and where the visit came from (`source`: referring host, ' +
      '`utm_source` / `utm_medium` / `utm_campaign`, a distributor share code `ref`), never a person: unknown fields, ' +
      'addresses and long numbers are refused (`validation`). The source is remembered for the visit (a session ' +
      'cookie), so holds and orders are credited to it. Rate limited per network address (`rate_limited`).',
    responses: { 204: { description: 'Taken (stored asynchronously)' } },
  }),
  validate('json', beaconInput),
  (c) => {
    const input = c.req.valid('json')
    if (input.source && Object.keys(input.source).length) rememberTraffic(c, input.source)
    captureAfterAnswer(c, () => ({
      kind: input.kind,
      ...(input.showId ? { showId: input.showId } : {}),
      ...(input.siteId ? { siteId: input.siteId } : {}),
      ...(input.source ? { source: input.source } : {}),
    }))
    return c.body(null, 204)
  },
)
