import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { signPartnerRequest } from '../../../../worker/domain/partner-signature.ts'
import { problemOf } from '../../../support/api.ts'
import { ok } from '../../../support/catalogue.ts'
import { partnerOnSite } from '../../../support/partner.ts'

const minute = 60_000

describe('signed partner requests: accepted', () => {
  it('answers a correctly signed request with the partner’s own products and channel prices', async () => {
    const f = await partnerOnSite()
    const { items } = await ok(f.client.get('/products'))
    expect(items).toHaveLength(3)
    const gate = items.find((p: { productId: string }) => p.productId === f.gateProduct)
    expect(gate).toMatchObject({
      siteId: f.siteId,
      marketPrice: 12000,
      salePrice: 11000,
      settlementPrice: 9000,
      realNameRequired: true,
      timed: true,
      currency: 'CNY',
    })
    const cable = items.find((p: { productId: string }) => p.productId === f.cableCarProduct)
    expect(cable.requiresParent).toEqual([f.gateProduct])
    // The site's name with its English one beside it, once the organizer gives one (null until then).
    expect(gate).toMatchObject({ siteName: 'Mountain', siteNameEn: null })
    await ok(
      f.owner.patch(`${f.base}/scenic-sites/${f.siteId}`, { name: '云雾山', nameEn: 'Misty Mountain' }),
    )
    const renamed = await ok(f.client.get('/products'))
    expect(renamed.items[0]).toMatchObject({ siteName: '云雾山', siteNameEn: 'Misty Mountain' })
  })

  it('signs the query string and the body: a signed POST with a body and a GET with a query both pass', async () => {
    const f = await partnerOnSite()
    await ok(f.client.get(`/calendar?from=${f.date}&to=${f.date}`))
    await ok(
      f.client.post('/reservations', { date: f.date, lines: [{ productId: f.childProduct, slot: '09:00' }] }),
      201,
    )
  })

  it('keeps the previous secret working through the rotation grace period, and drops it on the next rotation', async () => {
    const f = await partnerOnSite()
    const first = f.partner.secret
    const rotated = await ok(f.owner.post(`${f.base}/partners/${f.partner.id}/rotate-secret`, {}))
    expect(rotated.secret).not.toBe(first)
    expect(rotated.keyId).toBe(f.partner.keyId)
    expect(Date.parse(rotated.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 60 * minute)
    await ok(f.client.get('/products'))
    await ok(f.client.request('GET', '/products', undefined, { secret: rotated.secret }))
    const again = await ok(f.owner.post(`${f.base}/partners/${f.partner.id}/rotate-secret`, {}))
    const old = await f.client.request('GET', '/products', undefined, { secret: first })
    expect((await problemOf(old)).code).toBe('bad_signature')
    await ok(f.client.request('GET', '/products', undefined, { secret: rotated.secret }))
    await ok(f.client.request('GET', '/products', undefined, { secret: again.secret }))
  })
})

describe('signed partner requests: rejected', () => {
  it('refuses a wrong secret, a tampered body, a tampered query and missing headers with bad_signature', async () => {
    const f = await partnerOnSite()
    const wrong = await f.client.request('GET', '/products', undefined, { secret: `${f.partner.secret}x` })
    expect(wrong.status).toBe(401)
    expect((await problemOf(wrong)).code).toBe('bad_signature')

    const body = { date: f.date, lines: [{ productId: f.childProduct, slot: '09:00' }] }
    const tampered = await f.client.request('POST', '/reservations', body, {
      sendBody: JSON.stringify({ ...body, lines: [...body.lines, ...body.lines] }),
    })
    expect((await problemOf(tampered)).code).toBe('bad_signature')

    const headers = await signPartnerRequest({
      keyId: f.partner.keyId,
      secret: f.partner.secret,
      method: 'GET',
      pathWithQuery: `/partner/v1/calendar?from=${f.date}&to=${f.date}`,
    })
    const otherQuery = await exports.default.fetch(
      new Request(`https://tickets.test/partner/v1/calendar?from=${f.date}&to=2099-01-01`, { headers }),
    )
    expect((await problemOf(otherQuery)).code).toBe('bad_signature')
    const otherMethod = await exports.default.fetch(
      new Request(`https://tickets.test/partner/v1/calendar?from=${f.date}&to=${f.date}`, {
        method: 'DELETE',
        headers,
      }),
    )
    expect(otherMethod.status).not.toBe(200)

    const unsigned = await exports.default.fetch(new Request('https://tickets.test/partner/v1/products'))
    expect(unsigned.status).toBe(401)
    expect((await problemOf(unsigned)).code).toBe('bad_signature')
  })

  it('refuses a timestamp more than 5 minutes old or ahead (stale_request), and accepts one 4 minutes off', async () => {
    const f = await partnerOnSite()
    for (const skew of [-6 * minute, 6 * minute]) {
      const res = await f.client.request('GET', '/products', undefined, { now: Date.now() + skew })
      expect(res.status).toBe(401)
      expect((await problemOf(res)).code).toBe('stale_request')
    }
    await ok(f.client.request('GET', '/products', undefined, { now: Date.now() - 4 * minute }))
  })

  it('refuses a replayed nonce, even when re-signed, and stores the nonce with an expiry', async () => {
    const f = await partnerOnSite()
    const nonce = `nonce-${crypto.randomUUID()}`
    const now = Date.now()
    await ok(f.client.request('GET', '/products', undefined, { nonce, now }))
    const replay = await f.client.request('GET', '/products', undefined, { nonce, now })
    expect(replay.status).toBe(409)
    expect((await problemOf(replay)).code).toBe('replayed_request')
    const reSigned = await f.client.request('GET', '/products', undefined, { nonce, now: now + 1000 })
    expect((await problemOf(reSigned)).code).toBe('replayed_request')
    const stored = await env.DB.prepare(
      'SELECT expires_at FROM partner_nonces WHERE partner_id = ? AND nonce = ?',
    )
      .bind(f.partner.id, nonce)
      .first<string>('expires_at')
    expect(Date.parse(stored!)).toBeGreaterThan(now + 5 * minute)
  })

  it('refuses an unknown key and a disabled partner; a bad signature burns no nonce', async () => {
    const f = await partnerOnSite()
    const unknown = await f.client.request('GET', '/products', undefined, { keyId: 'pk_nobody' })
    expect(unknown.status).toBe(401)
    expect((await problemOf(unknown)).code).toBe('unknown_key')

    const nonce = `burn-${crypto.randomUUID()}`
    await f.client.request('GET', '/products', undefined, { nonce, secret: 'not-the-secret' })
    await ok(f.client.request('GET', '/products', undefined, { nonce }))

    await ok(f.owner.post(`${f.base}/partners/${f.partner.id}/disable`, {}))
    const disabled = await f.client.get('/products')
    expect(disabled.status).toBe(403)
    expect((await problemOf(disabled)).code).toBe('partner_disabled')
    await ok(f.owner.post(`${f.base}/partners/${f.partner.id}/enable`, {}))
    await ok(f.client.get('/products'))
  })

  it('limits each partner to its requests per minute (rate_limited with Retry-After), without touching other partners', async () => {
    // Keep the burst inside one fixed window.
    const intoMinute = Date.now() % minute
    if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, minute - intoMinute + 100))
    const f = await partnerOnSite({ rateLimitPerMinute: 3 })
    const other = await partnerOnSite()
    const answers = await Promise.all(Array.from({ length: 6 }, () => f.client.get('/products')))
    expect(answers.filter((r) => r.status === 200)).toHaveLength(3)
    const limited = answers.filter((r) => r.status === 429)
    expect(limited).toHaveLength(3)
    const problem = await problemOf(limited[0]!)
    expect(problem.code).toBe('rate_limited')
    const retryAfter = Number(limited[0]!.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    await ok(other.client.get('/products'))
  })
})

describe('partner administration: security', () => {
  it('shows the secret only once and stores it encrypted, never in plain text', async () => {
    const f = await partnerOnSite()
    const one = await ok(f.owner.get(`${f.base}/partners/${f.partner.id}`))
    expect(one).not.toHaveProperty('secret')
    expect(JSON.stringify(one)).not.toContain(f.partner.secret)
    const list = await ok(f.owner.get(`${f.base}/partners`))
    expect(list.items.map((p: { id: string }) => p.id)).toEqual([f.partner.id])
    expect(JSON.stringify(list)).not.toContain(f.partner.secret)
    const row = await env.DB.prepare('SELECT * FROM partners WHERE id = ?').bind(f.partner.id).first()
    expect(JSON.stringify(row)).not.toContain(f.partner.secret)
    expect(String(row!.secret_ciphertext)).toMatch(/^v1\./)
  })

  it('lets only owners manage partners, binds them to an existing channel of the organizer, and hides other organizers’ partners', async () => {
    const f = await partnerOnSite()
    const byManager = await f.manager.post(`${f.base}/partners`, { name: 'X', salesChannelCode: 'ctrip' })
    expect((await problemOf(byManager)).code).toBe('forbidden')
    expect((await problemOf(await f.manager.get(`${f.base}/partners`))).code).toBe('forbidden')
    const noChannel = await f.owner.post(`${f.base}/partners`, { name: 'X', salesChannelCode: 'fliggy' })
    expect((await problemOf(noChannel)).code).toBe('validation')
    const other = await partnerOnSite()
    const foreign = await f.owner.get(`${f.base}/partners/${other.partner.id}`)
    expect(foreign.status).toBe(404)
    const foreignProduct = await f.owner.put(`${f.base}/partners/${f.partner.id}/products`, {
      items: [{ productId: other.gateProduct, marketPrice: 1, salePrice: 1, settlementPrice: 1 }],
    })
    expect((await problemOf(foreignProduct)).code).toBe('validation')
  })

  it('never shows one partner another partner’s order', async () => {
    const f = await partnerOnSite()
    const other = await partnerOnSite()
    const mine = await ok(
      f.client.post('/reservations', { date: f.date, lines: [{ productId: f.childProduct, slot: '09:00' }] }),
      201,
    )
    await ok(f.client.post('/orders', { partnerOrderId: 'SHARED-1', reservationId: mine.reservationId }), 201)
    expect((await other.client.get('/orders/SHARED-1')).status).toBe(404)
    const steal = await other.client.post('/orders', {
      partnerOrderId: 'X-1',
      reservationId: mine.reservationId,
    })
    expect(steal.status).toBe(404)
  })
})
