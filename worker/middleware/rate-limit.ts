import type { Context, MiddlewareHandler } from 'hono'
import { clientNetwork } from '../domain/client-network.ts'
import type { AppEnv, Bindings } from '../env.ts'
import { Problem } from '../problem.ts'

// Request-rate limits on Cloudflare's Workers Rate Limiting binding (`[[ratelimits]]` in wrangler.toml): each
// binding counts calls per key over its period (10 or 60 s) in each Cloudflare location and answers whether
// this one is within its limit. The limits themselves are settings of the bindings in wrangler.toml.
//
// Reads: the `CF-Connecting-IP` header (Cloudflare sets it; a client cannot choose its own), counted per client
// network (an IPv4 address or an IPv6 /64, see client-network.ts); the buyer id `buyerIdentity` set (where a
// rule counts per buyer, that middleware runs first); the `x-partner-key` header. A request without a client
// address (a call from inside the platform, or a unit test) is not counted per address; a binding that is not
// configured (the benchmark's worker) limits nothing.

/** The rate limit bindings, named in wrangler.toml. */
export type RateLimitBinding = {
  [K in keyof Bindings]-?: NonNullable<Bindings[K]> extends RateLimit ? K : never
}[keyof Bindings]

export interface RateRule {
  binding: RateLimitBinding
  /** The binding's period in seconds, as configured in wrangler.toml: a refusal's Retry-After. */
  periodSeconds: 10 | 60
  /** What is counted (e.g. `hold:203.0.113.7`); null when the request has nothing to count it by. */
  key: (c: Context<AppEnv>) => string | null
  /** Named in the problem, e.g. `holds per network address`. */
  scope: string
}

export const clientKeyOf = (c: Context<AppEnv>) => clientNetwork(c.req.header('cf-connecting-ip')) ?? null

/** Counts the request against every rule at once; the first rule over its limit answers 429 `rate_limited`. */
export function rateLimit(rules: RateRule[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await countAgainst(c, rules)
    await next()
  }
}

/** `rateLimit` inside a handler: counts the request against `rules`, throwing the 429 when one is over its limit. */
export async function countAgainst(c: Context<AppEnv>, rules: RateRule[]): Promise<void> {
  const outcomes = await Promise.all(
    rules.map(async (rule) => {
      const limiter = c.env[rule.binding]
      const key = limiter ? rule.key(c) : null
      if (!limiter || key === null) return true
      return (await limiter.limit({ key })).success
    }),
  )
  const refused = rules.find((_, i) => !outcomes[i])
  if (refused) {
    throw new Problem({
      code: 'rate_limited',
      detail: `Too many requests (${refused.scope}); try again in ${refused.periodSeconds} s`,
      extensions: { scope: refused.scope },
      headers: { 'retry-after': String(refused.periodSeconds) },
    })
  }
}
