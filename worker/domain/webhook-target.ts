/**
 * Where a webhook may be sent. A receiver URL is the organizer's to choose, so without these rules the worker
 * would post signed requests (and show the answers) to loopback, private networks or a cloud metadata service.
 * Pure: the worker checks a URL when an endpoint is saved and again, with fresh DNS answers, before each attempt.
 */

export interface WebhookTargetRules {
  schemes: readonly string[]
  /** Loopback receivers (127.0.0.0/8, ::1, `localhost`): a local receiver while developing. */
  allowLoopback: boolean
  /**
   * Names must be public names that resolve, and only to public addresses (production). Offline (development,
   * tests) names are not resolved: only loopback names are recognised and everything else is taken as it is.
   */
  checkNames: boolean
}

/** Relaxed only where nothing is deployed; any other environment name (production, staging, …) is strict. */
export function webhookTargetRules(environment: string): WebhookTargetRules {
  if (environment === 'development' || environment === 'test')
    return { schemes: ['https:', 'http:'], allowLoopback: true, checkNames: false }
  return { schemes: ['https:'], allowLoopback: false, checkNames: true }
}

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'unspecified'
  | 'private'
  | 'shared'
  | 'link_local'
  | 'unique_local'
  | 'multicast'
  | 'reserved'

type Range = [base: bigint, prefix: number, kind: Exclude<AddressClass, 'public'>]

const v4 = (text: string) => parseIpv4(text)!
const v6 = (text: string) => parseIpv6(text)!

/** IANA special-purpose IPv4 blocks (RFC 6890 and later): none of them is a receiver on the internet. */
const ipv4Ranges: Range[] = [
  [v4('0.0.0.0'), 8, 'unspecified'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('100.64.0.0'), 10, 'shared'], // CGNAT; also Alibaba Cloud's metadata at 100.100.100.200
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.0.0'), 16, 'link_local'], // cloud metadata at 169.254.169.254
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.0.0.0'), 24, 'reserved'],
  [v4('192.0.2.0'), 24, 'reserved'],
  [v4('192.88.99.0'), 24, 'reserved'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('198.18.0.0'), 15, 'reserved'],
  [v4('198.51.100.0'), 24, 'reserved'],
  [v4('203.0.113.0'), 24, 'reserved'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('240.0.0.0'), 4, 'reserved'], // includes 255.255.255.255
]

/** IPv6 blocks that embed an IPv4 address: judged by the address inside. */
const embeddedIpv4: [base: bigint, prefix: number][] = [
  [v6('::ffff:0:0'), 96], // IPv4-mapped
  [v6('64:ff9b::'), 96], // NAT64
]

const ipv6Ranges: Range[] = [
  [v6('::'), 128, 'unspecified'],
  [v6('::1'), 128, 'loopback'],
  [v6('::'), 96, 'reserved'], // IPv4-compatible (deprecated)
  [v6('64:ff9b:1::'), 48, 'reserved'],
  [v6('100::'), 64, 'reserved'],
  [v6('2001::'), 23, 'reserved'], // protocol assignments, Teredo
  [v6('2001:db8::'), 32, 'reserved'],
  [v6('2002::'), 16, 'reserved'], // 6to4 can reach any IPv4 address
  [v6('3fff::'), 20, 'reserved'],
  [v6('fc00::'), 7, 'unique_local'], // includes AWS's metadata at fd00:ec2::254
  [v6('fe80::'), 10, 'link_local'],
  [v6('fec0::'), 10, 'reserved'],
  [v6('ff00::'), 8, 'multicast'],
]

const inRange = (address: bigint, base: bigint, prefix: number, bits: number) =>
  address >> BigInt(bits - prefix) === base >> BigInt(bits - prefix)

/** A dotted-quad IPv4 address as a number, or null. */
export function parseIpv4(text: string): bigint | null {
  const parts = text.split('.')
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255))
    return null
  return parts.reduce((n, p) => (n << 8n) | BigInt(p), 0n)
}

/** An IPv6 address (brackets allowed, trailing dotted IPv4 allowed) as a 128-bit number, or null. */
export function parseIpv6(text: string): bigint | null {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  if (!s.includes(':') || s.includes('%')) return null
  const dotted = s.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/)
  if (dotted) {
    const tail = parseIpv4(dotted[2]!)
    if (tail === null) return null
    s = `${dotted[1]}${(tail >> 16n).toString(16)}:${(tail & 0xffffn).toString(16)}`
  }
  const halves = s.split('::')
  if (halves.length > 2) return null
  const groups = (h: string) => (h === '' ? [] : h.split(':'))
  const head = groups(halves[0]!)
  const tail = halves.length === 2 ? groups(halves[1]!) : []
  const missing = 8 - head.length - tail.length
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail]
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null
  return all.reduce((n, g) => (n << 16n) | BigInt(Number.parseInt(g, 16)), 0n)
}

/** The class of an IP address literal, or null when `host` is not one. */
export function classifyAddress(host: string): AddressClass | null {
  const ipv4 = parseIpv4(host)
  if (ipv4 !== null) return ipv4Ranges.find(([b, p]) => inRange(ipv4, b, p, 32))?.[2] ?? 'public'
  const ipv6 = parseIpv6(host)
  if (ipv6 === null) return null
  if (embeddedIpv4.some(([b, p]) => inRange(ipv6, b, p, 128)))
    return classifyAddress([24n, 16n, 8n, 0n].map((s) => String((ipv6 >> s) & 0xffn)).join('.'))
  return ipv6Ranges.find(([b, p]) => inRange(ipv6, b, p, 128))?.[2] ?? 'public'
}

/** Names that never lead to a public receiver: loopback names, internal and reserved suffixes, bare hosts. */
export function classifyName(host: string): 'loopback' | 'internal' | null {
  const name = host.toLowerCase().replace(/\.$/, '')
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback'
  if (!name.includes('.')) return 'internal'
  const internalSuffixes = ['internal', 'local', 'lan', 'home.arpa', 'test', 'invalid', 'example', 'onion']
  if (internalSuffixes.some((suffix) => name.endsWith(`.${suffix}`))) return 'internal'
  return null
}

export type TargetVerdict = { ok: true } | { ok: false; reason: string }

const refused = (reason: string): TargetVerdict => ({ ok: false, reason })

const addressVerdict = (kind: AddressClass, rules: WebhookTargetRules, what: string): TargetVerdict =>
  kind === 'public' || (kind === 'loopback' && rules.allowLoopback)
    ? { ok: true }
    : refused(`${what} is a ${kind.replace('_', '-')} address; receivers must be on the public internet`)

/**
 * The verdict on a URL before any DNS lookup: scheme, address literals and names. `resolve` names the host
 * whose addresses must still be looked up and checked with `checkResolvedAddresses`.
 */
export function checkTargetUrl(
  url: string,
  rules: WebhookTargetRules,
): { verdict: TargetVerdict; resolve: string | null } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { verdict: refused('not an absolute URL'), resolve: null }
  }
  if (!rules.schemes.includes(parsed.protocol))
    return {
      verdict: refused(`must be an ${rules.schemes.join(' or ').replaceAll(':', '://')} URL`),
      resolve: null,
    }
  const host = parsed.hostname
  const address = classifyAddress(host)
  if (address) return { verdict: addressVerdict(address, rules, host), resolve: null }
  const name = classifyName(host)
  if (name === 'loopback')
    return {
      verdict: rules.allowLoopback ? { ok: true } : refused(`${host} is a loopback name`),
      resolve: null,
    }
  if (!rules.checkNames) return { verdict: { ok: true }, resolve: null }
  if (name === 'internal') return { verdict: refused(`${host} is not a public name`), resolve: null }
  return { verdict: { ok: true }, resolve: host }
}

/** Every address a name resolves to must be acceptable: one private answer is enough to refuse. */
export function checkResolvedAddresses(
  host: string,
  addresses: readonly string[],
  rules: WebhookTargetRules,
): TargetVerdict {
  if (addresses.length === 0) return refused(`${host} does not resolve`)
  for (const address of addresses) {
    const verdict = addressVerdict(
      classifyAddress(address) ?? 'reserved',
      rules,
      `${host} resolves to ${address}, which`,
    )
    if (!verdict.ok) return verdict
  }
  return { ok: true }
}
