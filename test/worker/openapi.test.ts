import { exports } from 'cloudflare:workers'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { showPageSchema } from '../../worker/routes/contracts/shows.ts'
import { ApiClient } from '../support/api.ts'
import { ok } from '../support/catalogue.ts'
import { checkDeclaredAnswer, operationFor } from '../support/contracts.ts'
import { enrollGate } from '../support/gate.ts'
import { paidShowOrder } from '../support/orders.ts'
import { partnerOnSite } from '../support/partner.ts'

interface Media {
  schema?: Record<string, unknown>
}
interface Operation {
  responses?: Record<string, { content?: Record<string, Media> }>
}

async function openApiDocument() {
  const res = await exports.default.fetch(new Request('https://tickets.test/openapi.json'))
  expect(res.status).toBe(200)
  return res.json<{
    info: { description: string }
    tags: { name: string; description: string }[]
    paths: Record<string, Record<string, Operation & { tags?: string[] }>>
  }>()
}

/** Where a schema says nothing: `{}` (valibot's any/unknown). A record's free-form values are allowed. */
function emptySchemas(schema: unknown, at: string): string[] {
  if (typeof schema !== 'object' || schema === null) return []
  const node = schema as Record<string, unknown>
  if (Object.keys(node).length === 0) return [at || '(root)']
  const found: string[] = []
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && value && typeof value === 'object') {
      for (const [name, property] of Object.entries(value))
        found.push(...emptySchemas(property, `${at}.${name}`))
    } else if (key === 'items') {
      found.push(...emptySchemas(value, `${at}[]`))
    } else if (key === 'anyOf' || key === 'oneOf' || key === 'allOf') {
      for (const member of value as unknown[]) found.push(...emptySchemas(member, at))
    }
  }
  return found
}

describe('OpenAPI contracts', () => {
  it('declares a schema for every 2xx answer of every operation', async () => {
    const doc = await openApiDocument()
    const missing: string[] = []
    let answers = 0
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          if (!/^2\d\d$/.test(status)) continue
          answers++
          const name = `${method.toUpperCase()} ${path} ${status}`
          const content = Object.entries(response.content ?? {})
          if (status === '204') {
            if (content.length) missing.push(`${name}: 204 No Content declares a body`)
            continue
          }
          if (content.length === 0) missing.push(`${name}: no content declared`)
          for (const [mediaType, media] of content) {
            const schema = media.schema
            if (!schema) missing.push(`${name} ${mediaType}: no schema`)
            else if (mediaType === 'application/json') {
              for (const empty of emptySchemas(schema, '')) missing.push(`${name}: ${empty} is any`)
            } else if (schema.type !== 'string') missing.push(`${name} ${mediaType}: not a string body`)
          }
        }
      }
    }
    expect(answers).toBeGreaterThan(120)
    expect(missing).toEqual([])
  })

  it('finds an empty schema wherever it hides', () => {
    const object = (properties: Record<string, unknown>) => ({ type: 'object', properties })
    expect(emptySchemas({}, '')).toEqual(['(root)'])
    expect(emptySchemas(object({ order: {} }), '')).toEqual(['.order'])
    expect(emptySchemas(object({ lines: { type: 'array', items: {} } }), '')).toEqual(['.lines[]'])
    expect(emptySchemas(object({ a: { anyOf: [{ type: 'null' }, {}] } }), '')).toEqual(['.a'])
    // A record's values are free-form by declaration, not by omission.
    expect(emptySchemas({ type: 'object', additionalProperties: {} }, '')).toEqual([])
  })

  it('matches a request to the most literal documented route', () => {
    expect(operationFor('GET', '/api/orders/ord_1/refund-quote')?.path).toBe(
      '/api/orders/:orderId/refund-quote',
    )
    expect(operationFor('GET', '/api/admin/organizers/org_1/staff/invitations')?.path).toBe(
      '/api/admin/organizers/:organizerId/staff/invitations',
    )
    expect(operationFor('GET', '/api/nope')).toBeUndefined()
  })

  it('refuses an answer its route does not declare, in shape, status or media type', async () => {
    const url = 'https://tickets.test/api/shows'
    const answer = (body: unknown, status = 200, type = 'application/json') =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': type } })
    await expect(
      checkDeclaredAnswer('GET', url, answer({ items: [], nextCursor: null })),
    ).resolves.toBeUndefined()
    await expect(
      checkDeclaredAnswer('GET', url, answer({ items: [{ id: 'shw_1' }], nextCursor: null })),
    ).rejects.toThrow(/GET \/api\/shows answered 200 with JSON its contract refuses: items\.0\.eventId/)
    await expect(
      checkDeclaredAnswer('GET', url, answer({ items: [], nextCursor: null }, 201)),
    ).rejects.toThrow(/a status its OpenAPI responses do not declare/)
    await expect(checkDeclaredAnswer('GET', url, answer('x', 200, 'text/html'))).rejects.toThrow(
      /does not declare/,
    )
    // Problems are the error contract's business, not the route's.
    await expect(
      checkDeclaredAnswer('GET', url, answer({ code: 'validation' }, 400)),
    ).resolves.toBeUndefined()
  })

  it('publishes the API guide: the introduction, and a description for tags that operations use', async () => {
    const doc = await openApiDocument()
    expect(doc.info.description).toContain('application/problem+json')
    const used = new Set(
      Object.values(doc.paths).flatMap((item) => Object.values(item).flatMap((op) => op.tags ?? [])),
    )
    // A guide under a tag no operation carries would never be shown next to its routes.
    for (const tag of doc.tags) expect(used, tag.name).toContain(tag.name)
    const guide = (name: string) => doc.tags.find((tag) => tag.name === name)?.description ?? ''
    expect(guide('Webhooks')).toContain('webhook-signature')
    expect(guide('OTA partner API (signed)')).toContain('x-partner-signature')
    expect(guide('Gates')).toContain('rotating_code_stale')
    const page = await (await exports.default.fetch(new Request('https://tickets.test/docs'))).text()
    expect(page).toContain('webhook-signature: v1,')
  })

  it('parses a real answer with the contract the route exports', async () => {
    const res = await new ApiClient().get('/api/shows?limit=5')
    expect(res.status).toBe(200)
    const page = v.parse(showPageSchema, await res.json())
    expect(Array.isArray(page.items)).toBe(true)
  })

  // The test clients hold every answer against its contract; these routes no other test reads through them.
  it('answers the routes other tests do not read with what their contracts say', async () => {
    const { show, order } = await paidShowOrder(2)
    const staffView = await ok(show.owner.get(`${show.base}/orders/${order.id}`))
    expect(staffView.history.length).toBeGreaterThan(1)
    expect((await ok(show.owner.get(show.base))).id).toBe(show.organizerId)
    await enrollGate(show.owner, show.base, { eventId: show.eventId })
    expect((await ok(show.owner.get(`${show.base}/gate-devices`))).items).toHaveLength(1)
    expect((await ok(new ApiClient().get('/healthz'))).ok).toBe(true)

    const site = await partnerOnSite()
    const products = await ok(site.owner.get(`${site.base}/partners/${site.partner.id}/products`))
    expect(products.items.length).toBeGreaterThan(0)
    const sites = await ok(new ApiClient().get('/api/scenic-sites?limit=200'))
    expect(sites.items.length).toBeGreaterThan(0)

    const developer = new ApiClient(undefined, { ENVIRONMENT: 'development' })
    expect(Array.isArray((await ok(developer.get('/api/dev/mailbox'))).items)).toBe(true)
    const batching = await ok(developer.get(`/api/dev/hold-batching?showId=${show.showId}`))
    expect(batching.gatewayCalls).toBeGreaterThanOrEqual(0)
  })
})
