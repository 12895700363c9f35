import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ApiClient, ORIGIN, organizerWithStaff, problemOf } from '../support/api.ts'
import { ok } from '../support/catalogue.ts'
import { partnerOnSite } from '../support/partner.ts'

const call = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(`${ORIGIN}${path}`, init))

function expectSecurityHeaders(res: Response) {
  const csp = res.headers.get('content-security-policy') ?? ''
  expect(csp).toContain("frame-ancestors 'none'")
  expect(csp).toContain("default-src 'none'")
  expect(csp).not.toMatch(/script-src/)
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  expect(res.headers.get('x-frame-options')).toBe('DENY')
  expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=31536000; includeSubDomains$/)
  expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
  expect(res.headers.get('permissions-policy')).toContain('camera=(self)')
}

describe('security headers on what the worker answers', () => {
  it('sends CSP (no scripts, frame-ancestors none), nosniff, HSTS and Referrer-Policy on JSON, errors and HTML', async () => {
    const org = await organizerWithStaff()
    for (const res of [
      await call('/healthz'),
      await call('/api/shows'),
      await call('/api/nope'),
      await call('/docs'),
      await org.owner.get(`${org.base}/staff`),
      await new ApiClient().post('/api/auth/login', { email: 'x@staff.test', password: 'wrong' }),
    ]) {
      expectSecurityHeaders(res)
      await res.arrayBuffer()
    }
  })
})

const crossSite = 'https://attacker.example'

async function partnerSecret(partnerId: string) {
  return env.DB.prepare('SELECT secret_ciphertext FROM partners WHERE id = ?')
    .bind(partnerId)
    .first<{ secret_ciphertext: string }>()
}

describe('cross-site requests with cookies', () => {
  it('security: a cross-origin form POST with a staff cookie is refused with csrf_rejected; the same from the site works', async () => {
    const f = await partnerOnSite()
    const path = `${f.base}/partners/${f.partner.id}/rotate-secret`
    const before = await partnerSecret(f.partner.id)
    // What a page on another site can make the owner's browser send: no preflight for these.
    const attempts: RequestInit[] = [
      { headers: { origin: crossSite, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' },
      { headers: { origin: crossSite, 'content-type': 'text/plain' }, body: '{}' },
      { headers: { origin: crossSite } },
      { headers: { origin: 'null', 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' }, body: '' },
      { headers: { origin: 'null', 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--' },
    ]
    for (const init of attempts) {
      const res = await f.owner.fetch(path, { method: 'POST', ...init })
      expect(res.status).toBe(403)
      const problem = await problemOf(res)
      expect(problem).toMatchObject({ code: 'csrf_rejected', status: 403 })
      expectSecurityHeaders(res)
    }
    expect(await partnerSecret(f.partner.id)).toEqual(before)
    // From the site itself (Origin, or a browser's Sec-Fetch-Site), it goes through.
    await ok(
      f.owner.fetch(path, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'text/plain' } }),
    )
    await ok(
      f.owner.fetch(path, {
        method: 'POST',
        headers: { origin: 'null', 'sec-fetch-site': 'same-origin', 'content-type': 'text/plain' },
      }),
    )
    expect(await partnerSecret(f.partner.id)).not.toEqual(before)
  })

  it('security: a cross-origin form POST with a customer cookie is refused too', async () => {
    const buyer = new ApiClient()
    const res = await buyer.fetch('/api/customer/auth/logout', {
      method: 'POST',
      headers: { origin: crossSite, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    })
    expect(res.status).toBe(403)
    expect((await problemOf(res)).code).toBe('csrf_rejected')
  })

  it('never grants a cross-origin JSON request credentials (the CORS preflight allows any origin, without cookies)', async () => {
    const preflight = await call('/api/auth/login', {
      method: 'OPTIONS',
      headers: {
        origin: crossSite,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull()
  })

  it('does not check callers that sign their requests instead of sending cookies (gates, providers, partners)', async () => {
    const gate = await call('/api/gate/enroll', {
      method: 'POST',
      headers: { origin: crossSite, 'content-type': 'text/plain' },
      body: '{"code":"ABCDEFGH"}',
    })
    expect((await problemOf(gate)).code).not.toBe('csrf_rejected')
    const notify = await call('/api/payments/sandbox/notify', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    })
    expect(notify.status).not.toBe(403)
    const partner = await call('/partner/v1/reservations', {
      method: 'POST',
      headers: { origin: crossSite, 'content-type': 'text/plain' },
      body: '{}',
    })
    expect((await problemOf(partner)).code).not.toBe('csrf_rejected')
  })
})
