import { eq, inArray } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { organizers, parentChildRules, scenicSites } from '../../db/schema.ts'
import { SIGNATURE_WINDOW_SECONDS } from '../../domain/partner-signature.ts'
import { priceOnDate } from '../../domain/scenic-price-calendar.ts'
import { type PartnerEnv, requirePartnerSignature } from '../../middleware/partner-auth.ts'
import { validationProblem } from '../../problem.ts'
import { book, partnerOrderOf, partnerOrderView } from '../../services/partner-orders.ts'
import { cancelPartnerOrder, partnerRefund } from '../../services/partner-refunds.ts'
import { partnerCatalogue, releaseReservation, reserve } from '../../services/partner-reservations.ts'
import { scenicDay } from '../../services/scenic-day.ts'
import { validate } from '../../validation.ts'
import {
  partnerCalendarSchema,
  partnerOrderSchema,
  partnerProductListSchema,
  partnerRefundSchema,
  reservationSchema,
} from '../contracts/partner.ts'
import { json } from '../openapi.ts'
import { orderServicesOf } from '../order-services.ts'
import { isoDate } from '../query.ts'
import { scenicHoldLines } from '../scenic.ts'

const tag = 'OTA partner API (signed)'
const MAX_CALENDAR_DAYS = 62

const REPLAYED = '`replayed_request` (the nonce was already used)'

/** Every partner route answers these when the signature or budget is not accepted. */
const signedResponses = {
  401: {
    description: `Not accepted: \`bad_signature\` (missing or wrong signature), \`unknown_key\`, \`stale_request\` (timestamp more than ${SIGNATURE_WINDOW_SECONDS} s from our clock)`,
  },
  403: { description: '`partner_disabled`' },
  429: { description: '`rate_limited`, with `Retry-After` seconds' },
}
const orderConflicts =
  '`sold_out` (with `unavailable`, e.g. `channel:ctrip` when the partner’s channel allocation is used up, `slot:09:00`, `day`), ' +
  '`parent_ticket_required`, `buyer_limit` (an ID number’s limit per day), `not_on_sale`, `product_not_available` (404)'

const services = orderServicesOf

const partnerOrderIdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'the partner’s order id: 1–64 of [A-Za-z0-9_.:-]'),
)

export const partnerRoutes = new Hono<PartnerEnv>()
partnerRoutes.use('*', requirePartnerSignature)

partnerRoutes.get(
  '/products',
  describeRoute({
    tags: [tag],
    summary: 'Products this partner may sell, with its channel prices (minor units)',
    responses: {
      200: { description: 'The products', content: json(partnerProductListSchema) },
      ...signedResponses,
    },
  }),
  async (c) => {
    const db = c.get('db')
    const partner = c.get('partner')
    const rows = await partnerCatalogue(db, partner.id)
    const siteIds = [...new Set(rows.map((r) => r.product.siteId))]
    const [sites, rules, [organizer]] = await Promise.all([
      siteIds.length ? db.select().from(scenicSites).where(inArray(scenicSites.id, siteIds)) : [],
      siteIds.length
        ? db.select().from(parentChildRules).where(inArray(parentChildRules.siteId, siteIds))
        : [],
      db
        .select({ currency: organizers.currency })
        .from(organizers)
        .where(eq(organizers.id, partner.organizerId)),
    ])
    return c.json({
      items: rows
        .filter((r) => r.product.status === 'active')
        .map(({ product, prices }) => ({
          productId: product.id,
          siteId: product.siteId,
          siteName: sites.find((s) => s.id === product.siteId)?.name ?? '',
          siteNameEn: sites.find((s) => s.id === product.siteId)?.nameEn ?? null,
          name: product.name,
          kind: product.kind,
          ticketType: product.ticketType,
          timed: product.timed,
          realNameRequired: product.realNameRequired,
          maxPerIdPerDay: product.maxPerIdPerDay,
          refundable: product.refundable,
          validityDays: product.validityDays,
          requiresParent: rules.filter((r) => r.childProductId === product.id).map((r) => r.parentProductId),
          currency: organizer?.currency ?? 'CNY',
          marketPrice: prices.marketPrice,
          salePrice: prices.salePrice,
          settlementPrice: prices.settlementPrice,
        })),
    })
  },
)

partnerRoutes.get(
  '/calendar',
  describeRoute({
    tags: [tag],
    summary:
      'Availability and price calendar: per day, per time slot and per product, within this partner’s channel allocation',
    description: `Up to ${MAX_CALENDAR_DAYS} days, optionally one site. \`remaining\` is what this partner can still sell (its channel quota, or the shared pool when its channel has none); each day's scenic actor answers from its counters, in parallel. \`settlementPrice\` is what a reservation that day would charge: the partner's settlement price, or the date price when a date rule names this partner's channel.`,
    responses: {
      200: {
        description: 'One entry per site and day',
        content: json(partnerCalendarSchema),
      },
      ...signedResponses,
    },
  }),
  validate(
    'query',
    v.object({ from: isoDate, to: isoDate, siteId: v.optional(v.pipe(v.string(), v.maxLength(64))) }),
  ),
  async (c) => {
    const { from, to, siteId } = c.req.valid('query')
    const partner = c.get('partner')
    const dates: string[] = []
    for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
      dates.push(new Date(t).toISOString().slice(0, 10))
      if (dates.length > MAX_CALENDAR_DAYS) break
    }
    if (dates.length === 0 || dates.length > MAX_CALENDAR_DAYS) {
      throw validationProblem([
        { path: 'query.to', message: `must be on or after from, at most ${MAX_CALENDAR_DAYS} days later` },
      ])
    }
    const rows = await partnerCatalogue(c.get('db'), partner.id)
    const bySite = new Map<string, typeof rows>()
    for (const row of rows) {
      if (siteId && row.product.siteId !== siteId) continue
      bySite.set(row.product.siteId, [...(bySite.get(row.product.siteId) ?? []), row])
    }
    const days = await Promise.all(
      [...bySite].flatMap(([site, offered]) =>
        dates.map(async (date) => {
          const day = await scenicDay(c.env.SCENIC_DAY_INVENTORY, site, date).availability(
            site,
            date,
            partner.channel,
          )
          return {
            siteId: site,
            date,
            onSale: day.onSale,
            remaining: day.remaining,
            channelQuota: day.channels[partner.channel] ?? null,
            slots: day.slots.map(({ code, start, end, remaining }) => ({ code, start, end, remaining })),
            products: offered.flatMap(({ product, prices }) => {
              const live = day.products.find((p) => p.id === product.id)
              // What a reservation that day would charge: a date rule naming this partner's channel sets the
              // price (the day's actor quotes holds by the same rule), else the partner's settlement price.
              const dated = priceOnDate(product.price, product.pricing?.dates, date, {
                channel: partner.channel,
                partner: true,
              })
              return live
                ? [
                    {
                      productId: product.id,
                      remaining: live.remaining,
                      marketPrice: prices.marketPrice,
                      salePrice: prices.salePrice,
                      settlementPrice: dated.channelNamed ? dated.price : prices.settlementPrice,
                    },
                  ]
                : []
            }),
          }
        }),
      ),
    )
    return c.json({ days })
  },
)

partnerRoutes.post(
  '/reservations',
  describeRoute({
    tags: [tag],
    summary:
      'Reserve tickets for a visit date on this partner’s channel (all lines or none), until `expiresAt`',
    description:
      'Real-name products need each visitor’s name and a valid PRC ID number (checksum). A child product (cable car) needs a ' +
      'gate ticket for the same day for the same visitor (`parent_ticket_required`). Book before `expiresAt` with `POST /orders`.',
    responses: {
      201: { description: 'Reserved', content: json(reservationSchema) },
      400: { description: '`validation` (e.g. a bad ID number, a missing visitor name, an unknown slot)' },
      404: { description: '`product_not_available`: not sold through this partner' },
      409: { description: `Not available: ${orderConflicts}; ${REPLAYED}` },
      ...signedResponses,
    },
  }),
  validate(
    'json',
    v.object({
      date: isoDate,
      lines: scenicHoldLines,
    }),
  ),
  async (c) => c.json(await reserve(services(c), c.get('partner'), c.req.valid('json')), 201),
)

partnerRoutes.delete(
  '/reservations/:reservationId',
  describeRoute({
    tags: [tag],
    summary: 'Release a reservation that will not be booked (idempotent)',
    responses: {
      204: { description: 'Released, or already gone' },
      404: { description: 'No such reservation' },
      ...signedResponses,
    },
  }),
  validate('param', v.object({ reservationId: v.pipe(v.string(), v.maxLength(64)) })),
  async (c) => {
    await releaseReservation(services(c), c.get('partner'), c.req.valid('param').reservationId)
    return c.body(null, 204)
  },
)

partnerRoutes.post(
  '/orders',
  describeRoute({
    tags: [tag],
    summary:
      'Book a reservation as the partner’s order: confirmed and ticketed at once (settled on statement)',
    description:
      'Idempotent by `partnerOrderId`: a retried or concurrent create answers the same order (200 instead of 201), never a ' +
      'second one: a unique (partner, `partnerOrderId`) lets one create write the order. The order total is the settlement ' +
      'price, paid by a `settlement` payment already succeeded; it is confirmed through the same path as a paid order ' +
      '(inventory confirm, tickets, audit and `order.confirmed` in one batch; the cron finishes it after a crash). Each ' +
      'line carries its ticket `code` (signed token for the QR).',
    responses: {
      201: { description: 'Booked', content: json(partnerOrderSchema) },
      200: {
        description: 'Already booked under this partnerOrderId (a retry)',
        content: json(partnerOrderSchema),
      },
      404: { description: 'No such reservation' },
      409: {
        description: `\`reservation_expired\`, \`reservation_already_booked\` (another partnerOrderId took it), \`partner_order_id_reused\` (this partnerOrderId booked another reservation); ${REPLAYED}`,
      },
      ...signedResponses,
    },
  }),
  validate(
    'json',
    v.object({
      partnerOrderId: partnerOrderIdSchema,
      reservationId: v.pipe(v.string(), v.maxLength(64)),
      contact: v.optional(
        v.object({
          name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(64))),
          phone: v.optional(
            v.pipe(v.string(), v.regex(/^\+?[0-9]{6,15}$/, 'digits only, optionally with a leading +')),
          ),
          email: v.optional(v.pipe(v.string(), v.email(), v.maxLength(200))),
        }),
      ),
    }),
  ),
  async (c) => {
    const input = c.req.valid('json')
    const { orderId, created } = await book(services(c), c.get('partner'), input)
    return c.json(await partnerOrderView(services(c), input.partnerOrderId, orderId), created ? 201 : 200)
  },
)

const orderParam = v.object({ partnerOrderId: partnerOrderIdSchema })

partnerRoutes.get(
  '/orders/:partnerOrderId',
  describeRoute({
    tags: [tag],
    summary: 'An order by the partner’s order id: status, lines, ticket codes, refunds',
    responses: {
      200: { description: 'The order', content: json(partnerOrderSchema) },
      404: { description: 'No such order' },
      ...signedResponses,
    },
  }),
  validate('param', orderParam),
  async (c) => {
    const { partnerOrderId } = c.req.valid('param')
    const { orderId } = await partnerOrderOf(c.get('db'), c.get('partner'), partnerOrderId)
    return c.json(await partnerOrderView(services(c), partnerOrderId, orderId))
  },
)

const refundRejection = {
  409: {
    description:
      '`refund_rejected` with `reason` and `rule` (`refund_not_allowed`: the refund policy, e.g. non-refundable or after the site opened; ' +
      `\`children_unused\`: refund the unused cable car first), \`already_redeemed\` (a ticket was used), \`conflict\` (nothing left to refund); ${REPLAYED}`,
  },
}

partnerRoutes.post(
  '/orders/:partnerOrderId/cancel',
  describeRoute({
    tags: [tag],
    summary: 'Cancel a booked order before use: every remaining line is refunded under the refund policy',
    responses: {
      200: { description: 'The order, now refunded', content: json(partnerOrderSchema) },
      ...refundRejection,
      ...signedResponses,
    },
  }),
  validate('param', orderParam),
  validate(
    'json',
    v.object({
      reason: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(500)), 'cancelled by the partner'),
    }),
  ),
  async (c) => {
    const { partnerOrderId } = c.req.valid('param')
    const partner = c.get('partner')
    const { orderId } = await partnerOrderOf(c.get('db'), partner, partnerOrderId)
    await cancelPartnerOrder(services(c), partner, orderId, c.req.valid('json').reason)
    return c.json(await partnerOrderView(services(c), partnerOrderId, orderId))
  },
)

partnerRoutes.post(
  '/orders/:partnerOrderId/refunds',
  describeRoute({
    tags: [tag],
    summary:
      'Request a refund of some lines (partial, e.g. one visitor of several) or all; approved or rejected by policy',
    description:
      'Decided by the ordinary refund policy. Approved: refunded as a credit on the settlement statement (never through ' +
      'a card provider), tickets revoked, quota back, `order.refunded` sent. Rejected: `refund_rejected` with the reason, ' +
      'and a `refund.rejected` event. Tickets already admitted at a gate are refused (`already_redeemed`). A retry for ' +
      'lines already refunded answers that refund (200).',
    responses: {
      201: {
        description: 'Approved and refunded (credited on the settlement statement)',
        content: json(partnerRefundSchema),
      },
      200: { description: 'These lines were already refunded (a retry)', content: json(partnerRefundSchema) },
      ...refundRejection,
      ...signedResponses,
    },
  }),
  validate('param', orderParam),
  validate(
    'json',
    v.object({
      lineIds: v.optional(
        v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.minLength(1), v.maxLength(50)),
      ),
      reason: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(500)),
    }),
  ),
  async (c) => {
    const { partnerOrderId } = c.req.valid('param')
    const partner = c.get('partner')
    const { orderId } = await partnerOrderOf(c.get('db'), partner, partnerOrderId)
    const { refund, replayed } = await partnerRefund(services(c), partner, orderId, c.req.valid('json'))
    return c.json(
      {
        refund: {
          refundId: refund.id,
          amount: refund.amount,
          fee: refund.fee,
          lineIds: refund.lineIds,
          reason: refund.reason,
          status: refund.status,
        },
        order: await partnerOrderView(services(c), partnerOrderId, orderId),
      },
      replayed ? 200 : 201,
    )
  },
)
