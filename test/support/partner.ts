import { exports } from 'cloudflare:workers'
import { signPartnerRequest } from '../../worker/domain/partner-signature.ts'
import { idNumberFor, ok, type ScenicFixture, scenicSiteOnSale } from './catalogue.ts'
import { checkDeclaredAnswer } from './contracts.ts'

/** A partner's side of the API: every request signed exactly as documented in the README. */
export class PartnerClient {
  constructor(
    readonly keyId: string,
    public secret: string,
  ) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    opts: { now?: number; nonce?: string; secret?: string; keyId?: string; sendBody?: string } = {},
  ): Promise<Response> {
    const text = body === undefined ? '' : JSON.stringify(body)
    const headers = await signPartnerRequest({
      keyId: opts.keyId ?? this.keyId,
      secret: opts.secret ?? this.secret,
      method,
      pathWithQuery: `/partner/v1${path}`,
      body: text,
      ...(opts.now !== undefined ? { now: opts.now } : {}),
      ...(opts.nonce ? { nonce: opts.nonce } : {}),
    })
    const sent = opts.sendBody ?? text
    const url = `https://tickets.test/partner/v1${path}`
    const res = await exports.default.fetch(
      new Request(url, {
        method,
        headers: { ...headers, ...(sent ? { 'content-type': 'application/json' } : {}) },
        ...(sent ? { body: sent } : {}),
      }),
    )
    await checkDeclaredAnswer(method, url, res)
    return res
  }

  get = (path: string) => this.request('GET', path)
  post = (path: string, body: unknown = {}) => this.request('POST', path, body)
  delete = (path: string) => this.request('DELETE', path)
}

export interface PartnerFixture extends ScenicFixture {
  partner: { id: string; keyId: string; secret: string; channel: string }
  client: PartnerClient
  /** Prices the fixture gives the partner, per product id. */
  prices: Record<string, { marketPrice: number; salePrice: number; settlementPrice: number }>
}

/** Builds a partner for an organizer's channel through the admin API and grants it the site's products. */
export async function addPartner(
  site: ScenicFixture,
  opts: { channel?: string; rateLimitPerMinute?: number; products?: string[] } = {},
) {
  const channel = opts.channel ?? 'ctrip'
  const channels = await ok(site.owner.get(`${site.base}/sales-channels`))
  if (!channels.items.some((c: { code: string }) => c.code === channel)) {
    await ok(
      site.owner.post(`${site.base}/sales-channels`, { name: channel, code: channel, kind: 'ota' }),
      201,
    )
  }
  const partner = await ok(
    site.owner.post(`${site.base}/partners`, {
      name: `Partner ${channel}`,
      salesChannelCode: channel,
      ...(opts.rateLimitPerMinute ? { rateLimitPerMinute: opts.rateLimitPerMinute } : {}),
    }),
    201,
  )
  const prices: PartnerFixture['prices'] = {
    [site.gateProduct]: { marketPrice: 12000, salePrice: 11000, settlementPrice: 9000 },
    [site.childProduct]: { marketPrice: 6000, salePrice: 5500, settlementPrice: 4500 },
    [site.cableCarProduct]: { marketPrice: 8000, salePrice: 7500, settlementPrice: 6000 },
  }
  const products = opts.products ?? Object.keys(prices)
  await ok(
    site.owner.put(`${site.base}/partners/${partner.id}/products`, {
      items: products.map((productId) => ({
        productId,
        ...(prices[productId] ?? prices[site.gateProduct]!),
      })),
    }),
  )
  return {
    partner: {
      id: partner.id as string,
      keyId: partner.keyId as string,
      secret: partner.secret as string,
      channel,
    },
    client: new PartnerClient(partner.keyId, partner.secret),
    prices,
  }
}

export async function partnerOnSite(
  opts: Parameters<typeof scenicSiteOnSale>[0] & { rateLimitPerMinute?: number } = {},
): Promise<PartnerFixture> {
  const site = await scenicSiteOnSale({ channelQuotas: { ctrip: 20 }, ...opts })
  return { ...site, ...(await addPartner(site, { rateLimitPerMinute: opts.rateLimitPerMinute })) }
}

let visitors = 5000
/** A real-name visitor with a valid, unused ID number. */
export const visitor = () => {
  const n = visitors++
  return { name: `Visitor ${n}`, idNumber: idNumberFor(n), phone: `1380000${String(n).padStart(4, '0')}` }
}

/** Reserves one gate ticket per visitor (09:00 slot) on the partner's channel. */
export function reserveGate(f: PartnerFixture, count = 1) {
  return f.client.post('/reservations', {
    date: f.date,
    lines: Array.from({ length: count }, () => ({
      productId: f.gateProduct,
      slot: '09:00',
      visitor: visitor(),
    })),
  })
}

let orderIds = 0
export const partnerOrderId = () => `CT${Date.now()}${orderIds++}`
