import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

const call = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(`http://local.test${path}`, init))

describe('app factory', () => {
  it('answers unknown routes with problem+json not_found and a request id', async () => {
    const res = await call('/api/nope')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const body = await res.json<Record<string, unknown>>()
    expect(body).toMatchObject({ status: 404, code: 'not_found', title: 'Not found', instance: '/api/nope' })
    expect(body.requestId).toBe(res.headers.get('x-request-id'))
    expect(body.type).toMatch(/not_found$/)
  })

  it('echoes a well-formed caller request id and replaces a malformed one', async () => {
    const kept = await call('/healthz', { headers: { 'x-request-id': 'partner-trace-12345' } })
    expect(kept.headers.get('x-request-id')).toBe('partner-trace-12345')
    const replaced = await call('/healthz', { headers: { 'x-request-id': 'bad id with spaces' } })
    expect(replaced.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/)
  })

  it('sends CORS headers on the API and answers preflight', async () => {
    const res = await call('/api/auth/login', {
      method: 'OPTIONS',
      headers: { origin: 'https://partner.example', 'access-control-request-method': 'POST' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
  })

  it('rejects malformed JSON with a validation problem', async () => {
    const res = await call('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'validation' })
  })

  it('lists every field that fails validation', async () => {
    const res = await call('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'not-an-email' }),
    })
    expect(res.status).toBe(400)
    const body = await res.json<{ code: string; errors: { path: string }[] }>()
    expect(body.code).toBe('validation')
    expect(body.errors.map((error) => error.path).sort()).toEqual(['json.email', 'json.password'])
  })
})

describe('OpenAPI document', () => {
  it('lists every route the app serves, generated from the route definitions', async () => {
    const { app } = await import('../../worker/routes/index.ts')
    const res = await call('/openapi.json')
    expect(res.status).toBe(200)
    const doc = await res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>()
    expect(doc.openapi).toBe('3.1.0')
    const served = app.routes
      .filter((route) => route.method !== 'ALL' && route.method !== 'OPTIONS')
      .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`)
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    )
    expect(served.length).toBeGreaterThan(20)
    expect(served.filter((route) => !documented.includes(route))).toEqual([])
  })

  it('renders a reference page at /docs', async () => {
    const res = await call('/docs')
    expect(res.headers.get('content-type')).toContain('text/html')
    const page = await res.text()
    expect(page).toContain('/api/admin/organizers/{organizerId}/venues/{id}/seat-map')
    expect(page).toContain('Import a seat map')
  })
})
