// The buyer's orders: create one from a hold, list and read them, and the e-tickets (tokens and QR codes).
import { and, desc, lt } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { orders } from '../db/schema.ts'
import { dayOnSale, showOnSale } from '../domain/admission-pass.ts'
import type { AppEnv } from '../env.ts'
import { captureAfterAnswer, visitorsOf } from '../middleware/analytics-capture.ts'
import { buyerIdentity } from '../middleware/buyer.ts'
import { idempotentInBatch } from '../middleware/idempotency.ts'
import { notFound, validationProblem } from '../problem.ts'
import { orderView } from '../services/order-view.ts'
import { commitWithOrders, createOrderFromHold } from '../services/orders/index.ts'
import { ticketQrPng, ticketQrSvg } from '../services/ticket-qr.ts'
import { ticketOfOrder, ticketsOfOrder } from '../services/tickets.ts'
import { validate } from '../validation.ts'
import { admissionResponses, noteProgress } from './admission.ts'
import { orderCreatedSchema, orderPageSchema, orderViewSchema, ticketListSchema } from './contracts/orders.ts'
import { idNumber } from './hold-input.ts'
import { json } from './openapi.ts'
import { assertMine, mine, orderParam } from './order-access.ts'
import { orderChangeRoutes } from './order-changes.ts'
import { type HeldForOrder, holdForOrder, orderHoldInput } from './order-hold.ts'
import { orderServicesOf } from './order-services.ts'
import { isoDate, page, pageQuery } from './query.ts'
import { localeField, requestLocale } from './reader-locale.ts'
import { phone } from './scenic.ts'

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

export const createOrderInput = v.pipe(
  v.variant('kind', [
    v.object({
      kind: v.literal('show'),
      showId: v.pipe(v.string(), v.maxLength(64)),
      /** The buyer's hold to order; or `hold`, what to hold in this same request. */
      holdId: v.optional(v.pipe(v.string(), v.maxLength(64))),
      /** Seats to hold for this order (seat ids or best available), instead of a hold made before. */
      hold: v.optional(orderHoldInput),
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
  ]),
  v.check(
    (input) => input.kind !== 'show' || !!input.holdId !== !!input.hold,
    'give either holdId (a hold you made) or hold (seats to hold now), not both',
  ),
)

export const orderRoutes = new Hono<AppEnv>()
orderRoutes.use('*', buyerIdentity)

orderRoutes.post(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'Create a pending order from your hold, or holding its seats now (Idempotency-Key required)',
    description:
      'The order has one line per seat or visitor, a payment to complete at `checkoutUrl`, and an audit row; it expires ' +
      'with the hold. A repeat with the same Idempotency-Key replays the stored response (header ' +
      '`idempotent-replayed: true`); a concurrent repeat gets 409 with `Retry-After: 1`; the same key with another body ' +
      'gets 422. Guests must give an email or phone for their tickets; an organizer without guest checkout answers ' +
      '401 `sign_in_required`. Real-name shows take each seat’s holder name (`holderNames`), and its ID number (`idNumbers`) when the hold came without them. ' +
      'A show order may hold its own seats instead of naming a hold: `hold` takes what the hold route takes (`seatIds` or ' +
      '`best`, `flashSaleId`, `presaleCode`; the ID numbers are the order’s `idNumbers`), with its answers (`seats_unavailable`, ' +
      '`sold_out`, `hold_limit`, `not_on_sale`, …), its rate limits (counted as holds, 429 `rate_limited`), and while the ' +
      'waiting room is on its `Admission-Pass` header (403 `admission_required`). A repeat of the Idempotency-Key holds ' +
      'nothing; seats held for an order that is then refused go back at once.',
    parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } }],
    responses: {
      201: {
        description: 'Order created; send the buyer to `checkoutUrl`',
        content: json(orderCreatedSchema),
      },
      404: { description: 'No such hold for this buyer' },
      409: {
        description:
          'Hold expired (`hold_expired`), or already ordered (`conflict`); with `hold`, the seats could not be held (`seats_unavailable`, `sold_out`, `hold_limit`, …)',
      },
      ...admissionResponses,
      429: {
        description:
          'With `hold`: code `rate_limited`, the hold limits (holds per network address, per buyer)',
      },
    },
  }),
  // The key's claim rides in the order's own batch (one D1 round trip less; see idempotentInBatch).
  idempotentInBatch((c) => `buyer:${c.get('buyerId')}`),
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
    const services = orderServicesOf(c)
    const claim = c.get('keyClaim')
    // The stored answer goes with the isolate's next group of order batches (where they group-commit).
    claim.sendAnswer = (statement) => commitWithOrders(services.db, statement, services.commits)
    let held: HeldForOrder | null = null
    if (input.kind === 'show' && input.hold) {
      held = await holdForOrder(c, input.showId, input.hold, input.idNumbers)
      // A repeat of the key: its stored answer answers (idempotentInBatch), nothing was held.
      if (!held) return c.body(null, 409)
    }
    const holdId = held ? held.heldSeats.id : input.holdId!
    const created = await createOrderFromHold(
      services,
      {
        kind: input.kind,
        ...(input.kind === 'show'
          ? {
              showId: input.showId,
              ...(input.holderNames ? { holderNames: input.holderNames } : {}),
              ...(input.idNumbers ? { idNumbers: input.idNumbers } : {}),
              ...(input.deposit ? { deposit: true } : {}),
              ...(held
                ? {
                    heldSeats: held.heldSeats,
                    heldIdNumbers: input.idNumbers ?? [],
                    ...(held.showFacts ? { showFacts: held.showFacts } : {}),
                  }
                : {}),
            }
          : {
              siteId: input.siteId,
              visitDate: input.date,
              ...(input.deposit ? { deposit: true } : {}),
            }),
        holdId,
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
      // The order's view is read at the end of the batch that writes it: no read after.
      { claim, withView: true },
    ).catch(async (error: unknown) => {
      // Seats this request held go back at once when its order was not made (they would lapse anyway).
      await held?.release()
      throw error
    })
    // An admitted buyer who ordered is done: their turn goes to the next buyer in the waiting room, if any.
    noteProgress(
      c,
      input.kind === 'show' ? showOnSale(input.showId) : dayOnSale(input.siteId, input.date),
      'ordered',
    )
    const { view, ...answer } = 'view' in created ? created : { ...created, view: undefined }
    const order = view ?? (await orderView(c.get('db'), created.orderId))
    captureAfterAnswer(c, () => {
      const visitors = input.kind === 'show' ? visitorsOf(input.idNumbers ?? []) : undefined
      return {
        kind: 'order',
        ...(input.kind === 'show' ? { showId: input.showId } : { siteId: input.siteId }),
        orderId: created.orderId,
        holdId,
        channel: 'web',
        amount: order?.total ?? 0,
        tickets: order?.lines.length ?? 0,
        ...(visitors ? { visitors } : {}),
      }
    })
    return c.json({ ...answer, order }, 201)
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
  validate('param', orderParam),
  async (c) => {
    const { orderId } = c.req.valid('param')
    await assertMine(c, orderId)
    return c.json(await orderView(c.get('db'), orderId))
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

// Refund quotes, refunds, balance payments and rebookings (order-changes.ts), behind the same buyer identity.
orderRoutes.route('/', orderChangeRoutes)
