import { vi } from 'vitest'

/**
 * A DNS-over-HTTPS resolver that lives in the test (the JSON API that 1.1.1.1 and 8.8.8.8 offer), answering
 * from a table the test changes at will. Point `WEBHOOK_DNS_URL` at `DnsOverHttpsDouble.url`; `install()`
 * routes the worker's requests to that host here and passes everything else on.
 */
export class DnsOverHttpsDouble {
  static readonly url = 'https://dns.test/dns-query'
  /** Addresses (IPv4 and IPv6 mixed) per name; a name not in the table does not exist (NXDOMAIN). */
  readonly records = new Map<string, string[]>()
  readonly queries: { name: string; type: string }[] = []

  handle = (request: Request): Response => {
    const url = new URL(request.url)
    const name = url.searchParams.get('name') ?? ''
    const type = url.searchParams.get('type') ?? 'A'
    this.queries.push({ name, type })
    const addresses = this.records.get(name)
    if (!addresses) return Response.json({ Status: 3, Answer: [] })
    const wanted = type === 'AAAA' ? 28 : 1
    const Answer = addresses
      .map((data) => ({ name, type: data.includes(':') ? 28 : 1, TTL: 60, data }))
      .filter((a) => a.type === wanted)
    return Response.json({ Status: 0, Answer })
  }

  install() {
    const previous = globalThis.fetch
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      // Only the URL is read, so a request passed on keeps its body.
      const url = input instanceof Request ? input.url : String(input)
      if (new URL(url).hostname === 'dns.test') return this.handle(new Request(input, init))
      return previous(input, init)
    })
    return this
  }
}
