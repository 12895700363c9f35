import { describeRoute, generateSpecs } from 'hono-openapi'
import type { OpenAPIV3_1 } from 'openapi-types'
import { newApp } from '../app.ts'
import { deliverMessagesAfterWrites } from '../middleware/message-delivery.ts'
import { publishOutboxAfterWrites } from '../middleware/outbox-kick.ts'
import { documentRateLimits, mountRateLimits } from '../middleware/rate-limit-routes.ts'
import { parseTicketKeys, publicJwks } from '../services/ticket-keys.ts'
import { answerReportsWith } from './admin/exports.ts'
import { adminRoutes } from './admin/index.ts'
import { analyticsRoutes } from './analytics.ts'
import { apiIntroduction, tagGuides } from './api-guide.ts'
import { authRoutes } from './auth.ts'
import { boxOfficeRoutes } from './box-office.ts'
import { jwksSchema } from './contracts/gate.ts'
import { healthSchema, openApiDocumentSchema } from './contracts/meta.ts'
import { couponShopRoutes } from './coupons.ts'
import { customerAuthRoutes } from './customer-auth.ts'
import { devRoutes } from './dev.ts'
import { distributionRoutes } from './distribution.ts'
import { renderReference } from './docs.ts'
import { gateRoutes } from './gate.ts'
import { groupBuyRoutes } from './group-buys.ts'
import { imageRoutes } from './images.ts'
import { kioskRoutes } from './kiosk.ts'
import { listingRoutes } from './listings.ts'
import { memberRoutes } from './members.ts'
import { htmlPage, json } from './openapi.ts'
import { orderRoutes } from './orders.ts'
import { partnerRoutes } from './partner/index.ts'
import { paymentRoutes } from './payments.ts'
import { scenicRoutes } from './scenic.ts'
import { showSeatMapRoutes } from './show-seat-map.ts'
import { showRoutes } from './shows.ts'
import { ticketRoutes } from './tickets.ts'
import { dayQueueRoutes, showQueueRoutes } from './waiting-room.ts'

/** The whole application: every surface mounted on the one app made by `newApp()`. */
export const app = newApp()
app.use('*', publishOutboxAfterWrites)
app.use('*', deliverMessagesAfterWrites)
// Report exports answer a report's own JSON as a file: they call the report through the whole app.
answerReportsWith(async (request, env, ctx) => app.fetch(request, env, ctx))

app.get(
  '/healthz',
  describeRoute({
    tags: ['Meta'],
    summary: 'Liveness check',
    responses: {
      200: { description: 'Up', content: json(healthSchema) },
    },
  }),
  (c) => c.json({ ok: true }),
)
app.get(
  '/.well-known/jwks.json',
  describeRoute({
    tags: ['Tickets'],
    summary:
      'Public keys gates use to verify ticket tokens offline (current first, then earlier ones still honoured)',
    description:
      'Ed25519 keys (`kty: OKP`, `alg: EdDSA`) by `kid`, the key id in each ticket token’s header. After a key rotation the ' +
      'earlier public keys stay listed, so tickets issued before it keep verifying until their window ends. Cached 5 minutes.',
    responses: { 200: { description: 'JWK set', content: json(jwksSchema) } },
  }),
  (c) =>
    c.json({ keys: publicJwks(parseTicketKeys(c.env.TICKET_SIGNING_KEYS)) }, 200, {
      'cache-control': 'public, max-age=300',
    }),
)
// Request-rate limits on holds, sign-in and partner calls run before the routes themselves.
mountRateLimits(app)
app.route('/api/auth', authRoutes)
app.route('/api/customer/auth', customerAuthRoutes)
app.route('/api/admin', adminRoutes as never)
app.route('/api/box/organizers', boxOfficeRoutes as never)
app.route('/api/dev', devRoutes)
app.route('/api/shows', showRoutes)
app.route('/api/shows', showSeatMapRoutes)
app.route('/api/shows', showQueueRoutes)
app.route('/api/images', imageRoutes)
app.route('/api/listings', listingRoutes)
app.route('/api/scenic-sites', scenicRoutes)
app.route('/api/scenic-sites', dayQueueRoutes)
app.route('/api/orders', orderRoutes)
app.route('/api/coupons', couponShopRoutes)
app.route('/api/tickets', ticketRoutes)
app.route('/api/members', memberRoutes)
app.route('/api/payments', paymentRoutes)
app.route('/partner/v1', partnerRoutes as never)
app.route('/api/gate', gateRoutes)
app.route('/api/kiosk', kioskRoutes)
app.route('/api/group-buys', groupBuyRoutes)
app.route('/api/distribution', distributionRoutes)
app.route('/api/analytics', analyticsRoutes)

const documentation = {
  openapi: '3.1.0',
  info: {
    title: 'Edge Ticketing API',
    version: '0.1.0',
    description: apiIntroduction,
  },
  tags: tagGuides,
  components: {
    securitySchemes: {
      staffSession: { type: 'apiKey', in: 'cookie', name: 'staff_session' },
      gateDevice: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      kioskDevice: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    },
  },
} as const

let spec: Promise<OpenAPIV3_1.Document> | undefined
/** The document is generated from the route definitions once per isolate. */
export const openApiDocument = () => {
  spec ??= (
    generateSpecs(app, {
      documentation: documentation as never,
      excludeStaticFile: false,
    }) as Promise<OpenAPIV3_1.Document>
  ).then((document) => {
    documentRateLimits((document.paths ?? {}) as Parameters<typeof documentRateLimits>[0])
    return document
  })
  return spec
}

app.get(
  '/openapi.json',
  describeRoute({
    tags: ['Meta'],
    summary: 'This OpenAPI 3.1 document',
    responses: { 200: { description: 'OpenAPI document', content: json(openApiDocumentSchema) } },
  }),
  async (c) => c.json(await openApiDocument()),
)
app.get(
  '/docs',
  describeRoute({
    tags: ['Meta'],
    summary: 'Rendered API reference (HTML)',
    responses: { 200: { description: 'HTML page', content: htmlPage } },
  }),
  async (c) => c.html(renderReference(await openApiDocument())),
)
