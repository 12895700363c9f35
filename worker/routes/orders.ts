import { and, desc, eq, lt } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { orders } from '../db/schema.ts'
import { dayOnSale, showOnSale } from '../domain/admission-pass.ts'
import { refundReasonText } from '../domain/refund-reason.ts'
import type { AppEnv } from '../env.ts'
import { captureAfterAnswer, visitorsOf } from '../middleware/analytics-capture.ts'
import { buyerIdentity } from '../middleware/buyer.ts'
import { idempotent } from '../middleware/idempotency.ts'
import { notFound, validationProblem } from '../problem.ts'
import { compensationNotOffered, compensationOffer } from '../services/coupons/index.ts'
import { orderView } from '../services/order-view.ts'
import {
  createOrderFromHold,
  refundQuote,
  requestRefund,
  startBalancePayment,
  startRebooking,
} from '../services/orders/index.ts'
import { ticketQrPng, ticketQrSvg } from '../services/ticket-qr.ts'
import { ticketOfOrder, ticketsOfOrder } from '../services/tickets.ts'
import { validate } from '../validation.ts'
import { noteProgress } from './admission.ts'
import {
  balancePaymentSchema,
  orderCreatedSchema,
  orderPageSchema,
  orderViewSchema,
  rebookingCreatedSchema,
  refundedSchema,
  refundQuoteSchema,
  ticketListSchema,
} from './contracts/orders.ts'
import { json } from './openapi.ts'
import { orderServicesOf } from './order-services.ts'
import { isoDate, page, pageQuery } from './query.ts'
import { localeField, requestLocale } from './reader-locale.ts'
import { phone } from './scenic.ts'
import { idNumber } from './shows.ts'

const tag = 'Orders'
const contact = {
  email: v.optional(v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('must be an email address'))),
  phone: v.optional(phone),
  /** A coupon or promo code to apply (one per order). */
  couponCode: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64))),
  /** Points (积分) to redeem; capped by the organizer's rules. */
  points: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000_000))),
  /** The shop's language: the order's messages (reminders, refunds) are written in it. */
  ...localeField,
}

export const createOrderInput = v.variant('kind', [
  v.object({
    kind: v.literal('show'),
    showId: v.pipe(v.string(), v.maxLength(64)),
    holdId: v.pipe(v.string(), v.maxLength(64)),
    /** Real-name shows: each seat's holder, in seat order. */
    holderNames: v.optional(
      v.pipe(v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64))), v.maxLength(10)),
    ),
    /** Real-name shows held without ID numbers: each seat's holder's ID number, in seat order. */
    idNumbers: v.optional(v.pipe(v.array(idNumber), v.maxLength(10))),
    /** 定金: pay the show's deposit now and the balance later (the show's `deposit` says how much and when). */
    deposit: v.optional(v.boolean()),
    ...contact,
  }),
  v.object({
    kind: v.literal('scenic'),
    siteId: v.pipe(v.string(), v.maxLength(64)),
    date: isoDate,
    holdId: v.pipe(v.string(), v.maxLength(64)),
    /** 定金: pay the products' deposit now and the balance later (each product's `deposit` says how much and when). */
    deposit: v.optional(v.boolean()),
    ...contact,
  }),
])

export const orderRoutes = new Hono<AppEnv>()
orderRoutes.use('*', buyerIdentity)

/** Customers (and guests, by their buyer cookie) see only their own orders. */
export const mine = (c: { get: (k: 'buyerId') => string }) => {
  const buyerId = c.get('buyerId')
  return buyerId.startsWith('cus_') ? eq(orders.customerId, buyerId) : eq(orders.buyerId, buyerId)
}

orderRoutes.post(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'Create a pending order from your hold (Idempotency-Key required)',
    description:
      'The order has one line per seat or visitor, a payment to complete at `checkoutUrl`, and an audit row; it expires ' +
      'with the hold. A repeat with the same Idempotency-Key replays the stored response (header ' +
      '`idempotent-replayed: true`); a concurrent repeat gets 409 with `Retry-After: 1`; the same key with another body ' +
      'gets 422. Guests must give an email or phone for their tickets; an organizer without guest checkout answers ' +
      '401 `sign_in_required`. Real-name shows take each seat’s holder name (`holderNames`), and its ID number (`idNumbers`) when the hold came without them.',
    parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } }],
    responses: {
      201: {
        description: 'Order created; send the buyer to `checkoutUrl`',
        content: json(orderCreatedSchema),
      },
      404: { description: 'No such hold for this buyer' },
      409: { description: 'Hold expired (`hold_expired`), or already ordered (`conflict`)' },
    },
  }),
  idempotent((c) => `buyer:${c.get('buyerId')}`),
  validate('json', createOrderInput),
  async (c) => {
    const input = c.req.valid('json')
    const buyerId = c.get('buyerId')
    const customerId = buyerId.startsWith('cus_') ? buyerId : undefined
    if (!customerId && !input.email && !input.phone) {
      throw validationProblem([
        { path: 'json.email', message: 'guests need an email or phone for their tickets' },
      ])
    }
    const created = await createOrderFromHold(
      orderServicesOf(c),
      {
        kind: input.kind,
        ...(input.kind === 'show'
          ? {
              showId: input.showId,
              ...(input.holderNames ? { holderNames: input.holderNames } : {}),
              ...(input.idNumbers ? { idNumbers: input.idNumbers } : {}),
              ...(input.deposit ? { deposit: true } : {}),
            }
          : {
              siteId: input.siteId,
              visitDate: input.date,
              ...(input.deposit ? { deposit: true } : {}),
            }),
        holdId: input.holdId,
        buyerId,
        ...(customerId ? { customerId } : {}),
        ...(input.email ? { email: input.email } : {}),
        ...(input.phone ? { phone: input.phone } : {}),
        ...(input.couponCode || input.points
          ? {
              discounts: {
                ...(input.couponCode ? { couponCode: input.couponCode } : {}),
                ...(input.points ? { points: input.points } : {}),
              },
            }
          : {}),
        locale: requestLocale(c, input.locale),
        channel: 'web',
      },
      new URL(c.req.url).origin,
    )
    // An admitted buyer who ordered is done: their turn goes to the next buyer in the waiting room, if any.
    noteProgress(
      c,
      input.kind === 'show' ? showOnSale(input.showId) : dayOnSale(input.siteId, input.date),
      'ordered',
    )
    const order = await orderView(c.get('db'), created.orderId)
    captureAfterAnswer(c, () => {
      const visitors = input.kind === 'show' ? visitorsOf(input.idNumbers ?? []) : undefined
      return {
        kind: 'order',
        ...(input.kind === 'show' ? { showId: input.showId } : { siteId: input.siteId }),
        orderId: created.orderId,
        holdId: input.holdId,
        channel: 'web',
        amount: order?.total ?? 0,
        tickets: order?.lines.length ?? 0,
        ...(visitors ? { visitors } : {}),
      }
    })
    return c.json({ ...created, order }, 201)
  },
)

orderRoutes.get(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'Your orders, newest first',
    description:
      'Orders of the signed-in customer, or of this browser’s anonymous buyer cookie. Keyset pages.',
    responses: { 200: { description: 'A page of orders', content: json(orderPageSchema) } },
  }),
  validate('query', v.object(pageQuery)),
  async (c) => {
    const { limit, cursor } = c.req.valid('query')
    const rows = await c
      .get('db')
      .select()
      .from(orders)
      .where(and(mine(c), cursor ? lt(orders.id, cursor) : undefined))
      .orderBy(desc(orders.id))
      .limit(limit + 1)
    return c.json(page(rows, limit))
  },
)

orderRoutes.get(
  '/:orderId',
  describeRoute({
    tags: [tag],
    summary: 'One of your orders with lines, tickets, payments and refunds',
    description:
      'Each line carries its ticket (`valid`, or `revoked` once refunded or rebooked), each payment its provider ' +
      '(`credit` is money carried over from the order a rebooking replaced), and `statusReasonCode` with ' +
      '`statusReasonParams` says why (e.g. `paid_late_tickets_kept`, `paid_late_refunded`, `rebooked_to` with `order`), ' +
      'for apps to word in their language; `statusReason` is the same in English. Lines carry `place` (section, row, ' +
      'number) and `product` / `productEn`; `description` is an English fallback for partners.',
    responses: {
      200: { description: 'The order', content: json(orderViewSchema) },
      404: { description: 'Not yours, or no such order' },
    },
  }),
  validate('param', v.object({ orderId: v.pipe(v.string(), v.maxLength(64)) })),
  async (c) => {
    const { orderId } = c.req.valid('param')
    const [own] = await c
      .get('db')
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.id, orderId), mine(c)))
    if (!own) throw notFound(`order ${orderId}`)
    return c.json(await orderView(c.get('db'), orderId))
  },
)

const orderParam = v.object({ orderId: v.pipe(v.string(), v.maxLength(64)) })
const lineIdsQuery = v.object({ lineIds: v.optional(v.pipe(v.string(), v.maxLength(2000))) })
async function assertMine(
  c: Parameters<typeof mine>[0] & { get: (k: 'db') => AppEnv['Variables']['db'] },
  orderId: string,
) {
  const [own] = await c
    .get('db')
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.id, orderId), mine(c)))
  if (!own) throw notFound(`order ${orderId}`)
}

const services = orderServicesOf

orderRoutes.get(
  '/:orderId/refund-quote',
  describeRoute({
    tags: [tag],
    summary: 'What a refund would return now (all lines, or `lineIds=a,b`)',
    description:
      'Shows refund by tiers of time before the start (default: full ≥ 72 h, 20% fee 24–72 h, none < 24 h; fees round ' +
      'down per line). Scenic visits are free to refund until the site opens on the visit day, unless a product is ' +
      'non-refundable. `allowed: false` says why.',
    responses: {
      200: { description: 'The quote', content: json(refundQuoteSchema) },
    },
  }),
  validate('param', orderParam),
  validate('query', lineIdsQuery),
  async (c) => {
    const { orderId } = c.req.valid('param')
    await assertMine(c, orderId)
    const lineIds = c.req.valid('query').lineIds?.split(',').filter(Boolean)
    const { order, lines, quote } = await refundQuote(services(c), orderId, lineIds)
    const compensation = quote.allowed ? await compensationOffer(c.get('db'), order, quote) : null
    return c.json({ ...quote, lineIds: lines.map((l) => l.id), ...(quote.allowed ? { compensation } : {}) })
  },
)

orderRoutes.post(
  '/:orderId/refunds',
  describeRoute({
    tags: [tag],
    summary: 'Refund your order, or some lines of it, under the refund policy (Idempotency-Key required)',
    description:
      'The tickets are revoked (and listed for the gates) and the refund recorded before the seats or quota go back on ' +
      'sale, so a seat is never resold while its ticket is valid; the money goes back to the payments it came from. A gate ' +
      'ticket whose cable car is unused is refused (`children_unused`) or takes the cable car with it, as the parent-child ' +
      'rule says. A ticket already admitted at a gate is not refunded (`already_redeemed`, naming its lines).',
    responses: {
      201: { description: 'Refunded; tickets revoked and seats back on sale', content: json(refundedSchema) },
      409: {
        description:
          '`refund_not_allowed` (policy), `compensation_not_offered` (a coupon chosen that the quote does not offer), `children_unused` (refund the cable car first), `already_redeemed` (used at a gate), or nothing left',
      },
    },
  }),
  idempotent((c) => `buyer:${c.get('buyerId')}`),
  validate('param', orderParam),
  validate(
    'json',
    v.object({
      lineIds: v.optional(
        v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.minLength(1), v.maxLength(50)),
      ),
      /** Refund as coupon: `coupon` takes the coupon the quote offers (`compensation_not_offered` if none). */
      compensation: v.optional(v.picklist(['coupon', 'none']), 'none'),
    }),
  ),
  async (c) => {
    const { orderId } = c.req.valid('param')
    await assertMine(c, orderId)
    const { lineIds, compensation } = c.req.valid('json')
    let compensationCouponId: string | null = null
    if (compensation === 'coupon') {
      // Decided on the same quote the refund is about to take; refused before anything is written.
      const { order, quote } = await refundQuote(services(c), orderId, lineIds)
      const offer = quote.allowed ? await compensationOffer(c.get('db'), order, quote) : null
      if (!offer) throw compensationNotOffered()
      compensationCouponId = offer.couponId
    }
    const refund = await requestRefund(services(c), {
      orderId,
      ...(lineIds ? { lineIds } : {}),
      compensationCouponId,
      actor: `buyer:${c.get('buyerId')}`,
      reason: refundReasonText.buyerRequest,
      refuseRedeemed: true,
    })
    const order = await orderView(c.get('db'), orderId)
    return c.json({ refund: order?.refunds.find((r) => r.id === refund.id) ?? refund, order }, 201)
  },
)

orderRoutes.post(
  '/:orderId/balance',
  describeRoute({
    tags: [tag],
    summary: 'Pay the balance of an order bought with a deposit (定金)',
    description:
      'While the balance window is open ([`balanceOpensAt`, `balanceDueAt`) of the order’s `deposit`), a payment of ' +
      'the balance (total − deposit) to complete at `checkoutUrl`; asking again gives the same payment. Once it is paid ' +
      'the order is `paid` and its tickets are issued. Outside the window `balance_window_closed`.',
    responses: {
      200: { description: 'The balance payment', content: json(balancePaymentSchema) },
      409: { description: '`balance_window_closed`, or the order has no balance to pay (`conflict`)' },
    },
  }),
  validate('param', orderParam),
  async (c) => {
    const { orderId } = c.req.valid('param')
    await assertMine(c, orderId)
    return c.json(await startBalancePayment(services(c), orderId, new URL(c.req.url).origin))
  },
)

orderRoutes.post(
  '/:orderId/rebook',
  describeRoute({
    tags: [tag],
    summary:
      '改签: move tickets to another show of the same event or another visit date (Idempotency-Key required)',
    description:
      'Hold the new seats or tickets first, then call this with the hold. The answer is a new order that charges only the ' +
      'price difference (`amountDue`, pay at `checkoutUrl`); when nothing is due it completes at once. The old tickets are ' +
      'revoked and their inventory returned only after the new order is paid; a cheaper rebooking refunds the difference. ' +
      'Shows move to another show of the same event, scenic visits to another date. A ticket already admitted at a gate ' +
      'cannot be moved; the order’s unused tickets still can. While the new order waits for payment the lines it replaces ' +
      'can be neither refunded nor rebooked again (`rebook_pending`).',
    responses: {
      201: { description: 'The new order', content: json(rebookingCreatedSchema) },
      404: { description: 'No such order or hold for you' },
      409: {
        description:
          '`already_redeemed` (a ticket was already admitted at a gate, `lineIds` names it), or `conflict`',
      },
    },
  }),
  idempotent((c) => `buyer:${c.get('buyerId')}`),
  validate('param', orderParam),
  validate(
    'json',
    v.object({
      holdId: v.pipe(v.string(), v.maxLength(64)),
      showId: v.optional(v.pipe(v.string(), v.maxLength(64))),
      date: v.optional(isoDate),
      lineIds: v.optional(
        v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.minLength(1), v.maxLength(50)),
      ),
    }),
  ),
  async (c) => {
    const { orderId } = c.req.valid('param')
    await assertMine(c, orderId)
    const body = c.req.valid('json')
    const created = await startRebooking(
      services(c),
      {
        orderId,
        buyerId: c.get('buyerId'),
        holdId: body.holdId,
        ...(body.showId ? { showId: body.showId } : {}),
        ...(body.date ? { date: body.date } : {}),
        ...(body.lineIds ? { lineIds: body.lineIds } : {}),
      },
      new URL(c.req.url).origin,
    )
    return c.json({ ...created, order: await orderView(c.get('db'), created.orderId) }, 201)
  },
)

orderRoutes.get(
  '/:orderId/tickets',
  describeRoute({
    tags: [tag],
    summary: 'Your e-tickets: signed tokens (EdDSA JWS) for the QR codes, with seat, holder and validity',
    description:
      'Verify a token offline with the keys at `/.well-known/jwks.json`. Revoked (refunded, rebooked) tickets carry no token. ' +
      'Besides the token, the ticket page gets `title`, `startsAt` / `visitDate`, `venue`, `entrance` (seat section or time ' +
      'slot), `seat`, `holder` and `holderIdMasked`.\n\n' +
      'Events with anti-screenshot codes (`rotatingCode`): each valid ticket carries `rotatingCode: {secret, stepSeconds: 30}`, ' +
      'the ticket’s own HMAC of the event’s gate secret and its id, from which the page computes the 6-digit code ' +
      '(`rotatingCode()` in `worker/domain/rotating-code.ts`) to show beside the QR or encode as `<token>~<code>`. It yields ' +
      'only that ticket’s codes.',
    responses: {
      200: {
        description: 'Tickets',
        content: json(ticketListSchema),
      },
    },
  }),
  validate('param', orderParam),
  async (c) => {
    const { orderId } = c.req.valid('param')
    await assertMine(c, orderId)
    return c.json({ items: await ticketsOfOrder(c.get('db'), c.env.TICKET_SIGNING_KEYS, orderId) })
  },
)

orderRoutes.get(
  '/:orderId/tickets/:ticketId/qr',
  describeRoute({
    tags: [tag],
    summary: 'A ticket as a QR code (`format=svg` default, or `png`), error correction M',
    responses: {
      200: {
        description: 'The QR code',
        content: {
          'image/svg+xml': { schema: { type: 'string' } },
          'image/png': { schema: { type: 'string', format: 'binary' } },
        },
      },
      404: { description: 'No such valid ticket of yours' },
    },
  }),
  validate(
    'param',
    v.object({ orderId: v.pipe(v.string(), v.maxLength(64)), ticketId: v.pipe(v.string(), v.maxLength(64)) }),
  ),
  validate('query', v.object({ format: v.optional(v.picklist(['svg', 'png']), 'svg') })),
  async (c) => {
    const { orderId, ticketId } = c.req.valid('param')
    await assertMine(c, orderId)
    const ticket = await ticketOfOrder(c.get('db'), c.env.TICKET_SIGNING_KEYS, orderId, ticketId)
    if (!ticket?.token) throw notFound(`valid ticket ${ticketId}`)
    const headers = { 'cache-control': 'private, max-age=300' }
    if (c.req.valid('query').format === 'png') {
      return c.body(await ticketQrPng(ticket.token), 200, { ...headers, 'content-type': 'image/png' })
    }
    return c.body(await ticketQrSvg(ticket.token), 200, { ...headers, 'content-type': 'image/svg+xml' })
  },
)
