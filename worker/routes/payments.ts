import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import * as v from 'valibot'
import type { Database } from '../db/client.ts'
import { events, orders, payments, scenicSites, shows } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { buyerIdentity } from '../middleware/buyer.ts'
import { notFound, Problem, validationProblem } from '../problem.ts'
import { handlePaymentEvent, lapseUnpaidOrder, readWithOrders } from '../services/orders/index.ts'
import { timingSafeEqual } from '../services/password.ts'
import { sandboxFrom, stripeFrom } from '../services/payments/index.ts'
import type { PaymentEvent, PaymentProvider } from '../services/payments/provider.ts'
import { sandboxPayLinkKey, signSandboxNotification } from '../services/payments/sandbox.ts'
import { validate } from '../validation.ts'
import {
  notificationReceivedSchema,
  sandboxNotificationSchema,
  sandboxOutcomeInput,
  sandboxOutcomeSchema,
} from './contracts/payments.ts'
import { htmlPage, json } from './openapi.ts'
import { orderServicesOf } from './order-services.ts'
import { checkoutPage, pageLanguage, resultPage } from './sandbox-page.ts'

const tag = 'Payments'
export const paymentRoutes = new Hono<AppEnv>()

/** The sandbox's routes exist only where the sandbox does (development and tests); elsewhere they are not found. */
paymentRoutes.use('/sandbox/*', async (c, next) => {
  if (!sandboxFrom(c.env)) throw notFound(`No route for ${c.req.method} ${c.req.path}`)
  await next()
})
paymentRoutes.use('/sandbox/checkout/*', buyerIdentity)

const services = orderServicesOf

/** Verifies and handles a notification exactly as the webhook does; the sandbox page uses it to "call back". */
async function receiveNotification(
  c: Parameters<typeof services>[0],
  provider: PaymentProvider,
  body: string,
  headers: Headers,
  made?: Parameters<typeof handlePaymentEvent>[2],
) {
  const verified = await provider.verifyNotification(body, headers)
  if (!verified.valid) {
    throw new Problem({
      code: 'bad_signature',
      status: 401,
      title: 'Bad signature',
      detail: 'The notification signature is missing, wrong or stale',
    })
  }
  // Valid but not about settling a payment (e.g. other Stripe events): acknowledge and move on.
  if (!verified.event) return { duplicate: false }
  return handlePaymentEvent({ ...services(c), payments: provider }, verified.event, made)
}

paymentRoutes.post(
  '/sandbox/notify',
  describeRoute({
    tags: [tag],
    summary: 'Sandbox provider webhook (HMAC-signed notifications)',
    description:
      'Header `x-sandbox-signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`; 5-minute tolerance; each event id is handled once.',
    requestBody: { content: json(sandboxNotificationSchema) },
    responses: {
      200: { description: 'Accepted (also for duplicates)', content: json(notificationReceivedSchema) },
      401: { description: 'Bad signature (code `bad_signature`)' },
    },
  }),
  async (c) => {
    const result = await receiveNotification(c, sandboxFrom(c.env)!, await c.req.text(), c.req.raw.headers)
    return c.json({ received: true, duplicate: result.duplicate })
  },
)

paymentRoutes.post(
  '/stripe/webhook',
  describeRoute({
    tags: [tag],
    summary: 'Stripe webhook (Checkout Session events, verified with Stripe’s signature scheme)',
    description:
      'Checkout Sessions offer card, Alipay and WeChat Pay (one session per payment, through Stripe idempotency keys). The ' +
      'signature is verified with Stripe’s own `constructEventAsync`; events that do not settle a payment are acknowledged ' +
      'and ignored, and each event id is handled once.',
    requestBody: {
      description: 'A Stripe event, verified against the `stripe-signature` header',
      content: { 'application/json': { schema: { type: 'object' } } },
    },
    responses: {
      200: { description: 'Accepted', content: json(notificationReceivedSchema) },
      401: { description: 'Bad signature (code `bad_signature`)' },
      404: { description: 'Stripe not configured' },
    },
  }),
  async (c) => {
    const stripe = stripeFrom(c.env)
    if (!stripe) throw notFound('Stripe payments')
    const result = await receiveNotification(c, stripe, await c.req.text(), c.req.raw.headers)
    return c.json({ received: true, duplicate: result.duplicate })
  },
)

const encoder = new TextEncoder()
const paymentParam = v.object({ paymentId: v.pipe(v.string(), v.maxLength(64)) })

/** A sandbox payment of the caller's own order: like a provider's checkout session, nobody else can settle it. */
async function loadPayment(
  c: Parameters<typeof services>[0] & {
    get(k: 'buyerId'): string
    req: { query(k: string): string | undefined }
  },
  paymentId: string,
) {
  // One round trip, with the isolate's concurrent order batches: the payment and its order (two reads, not a join:
  // a batch's rows come back by column name, and the two tables share names).
  const db = c.get('db')
  const [paymentRows, orderRows] = await readWithOrders(
    db,
    [
      db.select().from(payments).where(eq(payments.id, paymentId)),
      db
        .select()
        .from(orders)
        .where(
          eq(orders.id, db.select({ id: payments.orderId }).from(payments).where(eq(payments.id, paymentId))),
        ),
    ],
    services(c).commits,
  )
  const [payment] = paymentRows as (typeof payments.$inferSelect)[]
  const [order] = orderRows as (typeof orders.$inferSelect)[]
  if (payment?.provider !== 'sandbox' || !order) throw notFound(`payment ${paymentId}`)
  const buyerId = c.get('buyerId')
  const link = c.req.query('k')
  const linked =
    !!link &&
    timingSafeEqual(
      encoder.encode(link),
      encoder.encode(await sandboxPayLinkKey(c.env.SANDBOX_PAYMENT_SECRET, payment.id)),
    )
  if (!linked && order.buyerId !== buyerId && order.customerId !== buyerId)
    throw notFound(`payment ${paymentId}`)
  return { payment, order, link: linked ? `?k=${link}` : '' }
}

/** The buyer's language for the sandbox pages (see sandbox-page.ts). */
const languageOf = (c: {
  req: { query(k: string): string | undefined; header(k: string): string | undefined }
}) => pageLanguage(c.req.query('lang'), c.req.header('cookie'), c.req.header('accept-language'))

/** What the order buys, for the page's heading: the event and start of a show, or the site and visit day. */
async function subjectOf(db: Database, order: typeof orders.$inferSelect) {
  if (order.showId) {
    const [show] = await db
      .select({ name: events.name, startsAt: shows.startsAt })
      .from(shows)
      .innerJoin(events, eq(events.id, shows.eventId))
      .where(eq(shows.id, order.showId))
    return show ?? null
  }
  if (order.siteId) {
    const [site] = await db
      .select({ name: scenicSites.name })
      .from(scenicSites)
      .where(eq(scenicSites.id, order.siteId))
    return site ? { name: site.name, visitDate: order.visitDate } : null
  }
  return null
}

paymentRoutes.get(
  '/sandbox/checkout/:paymentId',
  describeRoute({
    tags: [tag],
    summary: 'Sandbox hosted checkout page (pay / fail / pay late)',
    description:
      'Development and tests only (`PAYMENT_PROVIDER=sandbox`), offline; only the buyer of the order can open it. Nothing ' +
      'real is charged: the chosen outcome arrives as a signed notification, exactly as a provider would send it. In the ' +
      "buyer's language: `?lang=zh-CN|en`, else the shop's `lang` cookie, else Accept-Language.",
    responses: { 200: { description: 'HTML page', content: htmlPage } },
  }),
  validate('param', paymentParam),
  async (c) => {
    const { payment, order, link } = await loadPayment(c, c.req.valid('param').paymentId)
    const self = `/api/payments/sandbox/checkout/${payment.id}`
    return c.html(
      checkoutPage({
        lang: languageOf(c),
        // A pay link keeps its key on the language switch (`&lang=`) and the form.
        self: link ? `${self}${link}&` : `${self}?`,
        action: `${self}/complete${link}`,
        orderNumber: order.number,
        subject: await subjectOf(c.get('db'), order),
        amount: payment.amount,
        currency: payment.currency,
        expiresAt: order.expiresAt,
      }),
    )
  },
)

paymentRoutes.post(
  '/sandbox/checkout/:paymentId/complete',
  describeRoute({
    tags: [tag],
    summary: 'Finish a sandbox payment: the provider then sends its signed notification',
    description:
      '`outcome`: `pay`, `fail`, or `pay_late` (the hold is expired first, then the payment arrives). Form or JSON body.',
    requestBody: {
      content: {
        ...json(sandboxOutcomeInput),
        'application/x-www-form-urlencoded': { schema: resolver(sandboxOutcomeInput) },
      },
    },
    responses: {
      200: {
        description: 'The order after the notification: JSON for a JSON request, else an HTML page',
        content: { ...json(sandboxOutcomeSchema), ...htmlPage },
      },
    },
  }),
  validate('param', paymentParam),
  async (c) => {
    const { payment, order } = await loadPayment(c, c.req.valid('param').paymentId)
    const type = c.req.header('content-type') ?? ''
    const body = type.includes('application/json')
      ? await c.req.json<{ outcome?: string }>()
      : await c.req.parseBody()
    const parsed = v.safeParse(v.picklist(['pay', 'fail', 'pay_late']), body.outcome)
    if (!parsed.success)
      throw validationProblem([{ path: 'body.outcome', message: 'must be pay, fail or pay_late' }])
    const outcome = parsed.output
    if (outcome === 'pay_late') {
      // Let the hold run out first, as if the buyer took too long.
      await lapseUnpaidOrder(services(c), order.id)
    }
    const event: PaymentEvent = {
      id: `sbx_evt_${crypto.randomUUID()}`,
      type: outcome === 'fail' ? 'payment.failed' : 'payment.succeeded',
      paymentId: payment.id,
      amount: payment.amount,
    }
    const text = JSON.stringify(event)
    const signature = await signSandboxNotification(c.env.SANDBOX_PAYMENT_SECRET, text)
    const handled = await receiveNotification(
      c,
      sandboxFrom(c.env)!,
      text,
      new Headers({ 'x-sandbox-signature': signature }),
      // The event is this page's own, of the payment read above: handled without looking for an earlier handling.
      { payment },
    )
    // The order as confirming left it (no read back on the path); read when the notification did not finish it.
    const after =
      'order' in handled && handled.order
        ? handled.order
        : (await c.get('db').select().from(orders).where(eq(orders.id, order.id)))[0]
    if (type.includes('application/json'))
      return c.json({
        orderId: order.id,
        status: after!.status,
        statusReason: after!.statusReason,
        statusReasonCode: after!.statusReasonCode,
        statusReasonParams: after!.statusReasonParams,
      })
    return c.html(
      resultPage({
        lang: languageOf(c),
        outcome,
        orderId: order.id,
        orderNumber: after!.number,
        status: after!.status,
      }),
    )
  },
)
