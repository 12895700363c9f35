import type { Context, Hono, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.ts'
import { buyerIdentity } from './buyer.ts'
import { clientKeyOf, countAgainst, type RateRule, rateLimit } from './rate-limit.ts'

// Which routes are rate limited, by what, mounted in one place (worker/routes/index.ts) ahead of the routes
// themselves. Limits and periods are the bindings' settings in wrangler.toml (periods repeated here for
// Retry-After); what each counts is chosen here.

const perClient = (
  binding: RateRule['binding'],
  prefix: string,
  scope: string,
  periodSeconds: 10 | 60 = 60,
): RateRule => ({
  binding,
  periodSeconds,
  scope,
  key: (c) => {
    const client = clientKeyOf(c)
    return client ? `${prefix}:${client}` : null
  },
})

const holdRules: RateRule[] = [
  perClient('RATE_HOLDS_PER_CLIENT', 'hold', 'holds per network address'),
  {
    binding: 'RATE_HOLDS_PER_BUYER',
    periodSeconds: 60,
    scope: 'holds per buyer',
    // Only a signed-in customer is an identity worth counting on its own: an anonymous buyer id costs nothing to
    // replace (drop the cookie), so anonymous holds are counted by their address alone, one binding call a hold.
    key: (c) => (c.get('customer') ? `hold:${c.get('buyerId')}` : null),
  },
]

/**
 * The hold limits for a request that holds seats on a path not mounted below (an order that holds its own seats):
 * counted as the hold it is, by the same rules and keys, so the two ways of holding share one allowance.
 */
export const limitAsHold = (c: Context<AppEnv>) => countAgainst(c, holdRules)

const queueJoins = perClient('RATE_HOLDS_PER_CLIENT', 'queue', 'waiting-room joins per network address')

const everyCode: RateRule = {
  binding: 'RATE_SIGN_IN_CODES',
  periodSeconds: 60,
  scope: 'sign-in codes sent in all',
  key: () => 'code:all',
}

const partnerKey: RateRule = {
  binding: 'RATE_PARTNER_PER_KEY',
  periodSeconds: 60,
  scope: 'requests per partner key',
  key: (c: Context<AppEnv>) => {
    const key = c.req.header('x-partner-key')
    return key ? `partner:${key.slice(0, 64)}` : null
  },
}

export interface RateLimitedRoute {
  /** Hono path pattern; `*` for every method. */
  method: 'POST' | '*'
  path: string
  rules: RateRule[]
  /** The rules count per buyer: run `buyerIdentity` first (it does nothing when it ran already). */
  buyer?: boolean
}

export const rateLimitedRoutes: RateLimitedRoute[] = [
  { method: 'POST', path: '/api/shows/:showId/holds', rules: holdRules, buyer: true },
  { method: 'POST', path: '/api/scenic-sites/:siteId/days/:date/holds', rules: holdRules, buyer: true },
  { method: 'POST', path: '/api/group-buys/campaigns/:campaignId/groups', rules: holdRules, buyer: true },
  // Joining a waiting room: a fresh cookie is a fresh place, so one address may only take so many a minute.
  { method: 'POST', path: '/api/shows/:showId/queue', rules: [queueJoins] },
  { method: 'POST', path: '/api/scenic-sites/:siteId/days/:date/queue', rules: [queueJoins] },
  { method: 'POST', path: '/api/group-buys/groups/:groupId/members', rules: holdRules, buyer: true },
  {
    method: 'POST',
    path: '/api/auth/login',
    rules: [perClient('RATE_SIGN_IN_PER_CLIENT', 'login', 'staff sign-ins per network address')],
  },
  {
    method: 'POST',
    path: '/api/customer/auth/code',
    rules: [perClient('RATE_SIGN_IN_PER_CLIENT', 'code', 'sign-in codes per network address'), everyCode],
  },
  {
    method: 'POST',
    path: '/api/customer/auth/verify',
    rules: [perClient('RATE_SIGN_IN_PER_CLIENT', 'verify', 'code checks per network address')],
  },
  { method: '*', path: '/partner/v1/*', rules: [partnerKey] },
  {
    method: 'POST',
    path: '/api/analytics/beacon',
    rules: [perClient('RATE_BEACONS_PER_CLIENT', 'beacon', 'page beacons per network address')],
  },
]

/** Mounts every limit on `app`; call before the routes are mounted, so limits run first. */
export function mountRateLimits(app: Hono<AppEnv>) {
  for (const route of rateLimitedRoutes) {
    const limit = rateLimit(route.rules)
    const chain: MiddlewareHandler<AppEnv> = route.buyer
      ? (c, next) =>
          buyerIdentity(c, async () => {
            await limit(c, next)
          })
      : limit
    app.use(route.path, async (c, next) => {
      if (route.method !== '*' && c.req.method !== route.method) return next()
      return chain(c, next)
    })
  }
}

/** Adds the 429 answer to each limited operation of an OpenAPI document (paths written `{param}`). */
export function documentRateLimits(
  paths: Record<string, Record<string, { responses?: object }> | undefined>,
) {
  for (const route of rateLimitedRoutes) {
    const pattern = new RegExp(
      `^${route.path
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/:\w+/g, '\\{[^/]+\\}')
        .replace(/\*/g, '.*')}$`,
    )
    for (const [path, operations] of Object.entries(paths)) {
      if (!pattern.test(path) || !operations) continue
      for (const [method, operation] of Object.entries(operations)) {
        if (route.method !== '*' && method.toUpperCase() !== route.method) continue
        const responses = (operation.responses ?? {}) as Record<string, { description: string }>
        responses['429'] ??= {
          description: `Code \`rate_limited\`: too many requests (${route.rules.map((r) => r.scope).join('; ')}); retry after \`Retry-After\` seconds`,
        }
        operation.responses = responses
      }
    }
  }
}
