// What a buyer may change after paying: a refund quote and refunds (optionally as a coupon), the balance of a
// deposit order (定金), and rebookings (改签). Mounted by orders.ts behind the buyer identity.
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { refundReasonText } from '../domain/refund-reason.ts'
import type { AppEnv } from '../env.ts'
import { idempotent } from '../middleware/idempotency.ts'
import { compensationNotOffered, compensationOffer } from '../services/coupons/index.ts'
import { orderView } from '../services/order-view.ts'
import { refundQuote, requestRefund, startBalancePayment, startRebooking } from '../services/orders/index.ts'
import { validate } from '../validation.ts'
import {
  balancePaymentSchema,
  rebookingCreatedSchema,
  refundedSchema,
  refundQuoteSchema,
} from './contracts/orders.ts'
import { json } from './openapi.ts'
import { assertMine, lineIdsQuery, orderParam } from './order-access.ts'
import { orderServicesOf } from './order-services.ts'
import { isoDate } from './query.ts'

const tag = 'Orders'
const services = orderServicesOf

export const orderChangeRoutes = new Hono<AppEnv>()

orderChangeRoutes.get(
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

orderChangeRoutes.post(
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

orderChangeRoutes.post(
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

orderChangeRoutes.post(
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
