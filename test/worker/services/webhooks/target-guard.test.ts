import { describe, expect, it } from 'vitest'
import { webhookTargetRules } from '../../../../worker/domain/webhook-target.ts'
import {
  dnsOverHttpsResolver,
  type HostResolver,
  webhookTargetGuard,
} from '../../../../worker/services/webhooks/target-guard.ts'

/** A DNS-over-HTTPS endpoint answering one JSON document per record type. */
function resolverAnswering(answers: Record<string, unknown>, status = 200) {
  const asked: string[] = []
  const resolver = dnsOverHttpsResolver('https://dns.test/dns-query', async (request) => {
    const url = new URL(request.url)
    asked.push(
      `${url.searchParams.get('name')} ${url.searchParams.get('type')} ${request.headers.get('accept')}`,
    )
    return Response.json(answers[url.searchParams.get('type')!], { status })
  })
  return { resolver, asked }
}

describe('DNS-over-HTTPS resolver', () => {
  it('asks for A and AAAA records and keeps only addresses, not the CNAMEs on the way', async () => {
    const { resolver, asked } = resolverAnswering({
      A: {
        Status: 0,
        Answer: [
          { name: 'hooks.partner.com', type: 5, TTL: 60, data: 'edge.cdn.net.' },
          { name: 'edge.cdn.net', type: 1, TTL: 60, data: '93.184.216.34' },
        ],
      },
      AAAA: { Status: 0, Answer: [{ name: 'edge.cdn.net', type: 28, TTL: 60, data: '2606:2800:220:1::1' }] },
    })
    expect(await resolver.addressesOf('hooks.partner.com')).toEqual(['93.184.216.34', '2606:2800:220:1::1'])
    expect(asked.sort()).toEqual([
      'hooks.partner.com A application/dns-json',
      'hooks.partner.com AAAA application/dns-json',
    ])
  })

  it('a name that does not exist has no addresses; a failing resolver is an error, not an empty answer', async () => {
    expect(
      await resolverAnswering({ A: { Status: 3 }, AAAA: { Status: 3 } }).resolver.addressesOf('x.com'),
    ).toEqual([])
    await expect(
      resolverAnswering({ A: { Status: 2 }, AAAA: { Status: 0 } }).resolver.addressesOf('x.com'),
    ).rejects.toThrow(/status 2/)
    await expect(resolverAnswering({}, 502).resolver.addressesOf('x.com')).rejects.toThrow(/HTTP 502/)
    await expect(
      resolverAnswering({ A: { Answer: 'nonsense' }, AAAA: { Status: 0 } }).resolver.addressesOf('x.com'),
    ).rejects.toThrow()
  })
})

describe('webhook target guard', () => {
  const resolving = (table: Record<string, string[]>): HostResolver & { asked: string[] } => {
    const asked: string[] = []
    return {
      asked,
      async addressesOf(host) {
        asked.push(host)
        return table[host] ?? []
      },
    }
  }

  it('in production resolves names and refuses private answers, and refuses when resolving fails', async () => {
    const resolver = resolving({ 'ok.partner.com': ['93.184.216.34'], 'in.partner.com': ['192.168.0.4'] })
    const guard = webhookTargetGuard(webhookTargetRules('production'), resolver)
    expect(await guard.check('https://ok.partner.com/h')).toEqual({ ok: true })
    expect(await guard.check('https://in.partner.com/h')).toMatchObject({ ok: false })
    expect(await guard.check('https://10.0.0.1/h')).toMatchObject({ ok: false })
    expect(resolver.asked).toEqual(['ok.partner.com', 'in.partner.com'])
    const failing = webhookTargetGuard(webhookTargetRules('production'), {
      addressesOf: async () => {
        throw new Error('resolver down')
      },
    })
    expect(await failing.check('https://ok.partner.com/h')).toEqual({
      ok: false,
      reason: 'could not resolve ok.partner.com (resolver down)',
    })
  })

  it('in development never resolves (nothing goes to the network)', async () => {
    const resolver = resolving({})
    const guard = webhookTargetGuard(webhookTargetRules('development'), resolver)
    expect(await guard.check('https://hooks.partner.com/h')).toEqual({ ok: true })
    expect(await guard.check('http://127.0.0.1:8799/h')).toEqual({ ok: true })
    expect(resolver.asked).toEqual([])
  })
})
