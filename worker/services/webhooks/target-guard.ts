import * as v from 'valibot'
import {
  checkResolvedAddresses,
  checkTargetUrl,
  type TargetVerdict,
  type WebhookTargetRules,
  webhookTargetRules,
} from '../../domain/webhook-target.ts'

/** Looks up the IPv4 and IPv6 addresses of a name; an empty list means the name does not exist. */
export interface HostResolver {
  addressesOf(host: string): Promise<string[]>
}

/** Workers have no DNS API, so production asks a DNS-over-HTTPS resolver (JSON API, as 1.1.1.1 and 8.8.8.8 offer). */
export const DEFAULT_DNS_OVER_HTTPS_URL = 'https://cloudflare-dns.com/dns-query'

const dnsJsonAnswer = v.object({
  Status: v.number(),
  Answer: v.optional(v.array(v.object({ type: v.number(), data: v.string() }))),
})
const recordTypes = { A: 1, AAAA: 28 } as const
const NOERROR = 0
const NXDOMAIN = 3

export function dnsOverHttpsResolver(
  endpoint: string,
  fetcher: (request: Request) => Promise<Response> = (request) => fetch(request),
): HostResolver {
  const lookup = async (host: string, type: keyof typeof recordTypes) => {
    const url = new URL(endpoint)
    url.searchParams.set('name', host)
    url.searchParams.set('type', type)
    const response = await fetcher(
      new Request(url, { headers: { accept: 'application/dns-json' }, signal: AbortSignal.timeout(5000) }),
    )
    if (!response.ok) throw new Error(`the DNS resolver answered HTTP ${response.status}`)
    const answer = v.parse(dnsJsonAnswer, await response.json())
    if (answer.Status === NXDOMAIN) return []
    if (answer.Status !== NOERROR) throw new Error(`the DNS resolver answered status ${answer.Status}`)
    // CNAMEs come back followed: keep only the address records of the type asked for.
    return (answer.Answer ?? []).filter((a) => a.type === recordTypes[type]).map((a) => a.data)
  }
  return {
    async addressesOf(host) {
      const [ipv4, ipv6] = await Promise.all([lookup(host, 'A'), lookup(host, 'AAAA')])
      return [...ipv4, ...ipv6]
    },
  }
}

/** Decides whether a webhook may go to a URL now: the URL itself, then (in production) what its host resolves to. */
export interface WebhookTargetGuard {
  check(url: string): Promise<TargetVerdict>
}

export function webhookTargetGuard(rules: WebhookTargetRules, resolver: HostResolver): WebhookTargetGuard {
  return {
    async check(url) {
      const { verdict, resolve } = checkTargetUrl(url, rules)
      if (!verdict.ok || resolve === null) return verdict
      let addresses: string[]
      try {
        addresses = await resolver.addressesOf(resolve)
      } catch (e) {
        return { ok: false, reason: `could not resolve ${resolve} (${e instanceof Error ? e.message : e})` }
      }
      return checkResolvedAddresses(resolve, addresses, rules)
    },
  }
}

/** The guard for this deployment: rules by `ENVIRONMENT`, names resolved at `WEBHOOK_DNS_URL` (production only). */
export function webhookTargetGuardFor(env: { ENVIRONMENT: string; WEBHOOK_DNS_URL?: string }) {
  return webhookTargetGuard(
    webhookTargetRules(env.ENVIRONMENT),
    dnsOverHttpsResolver(env.WEBHOOK_DNS_URL || DEFAULT_DNS_OVER_HTTPS_URL),
  )
}
