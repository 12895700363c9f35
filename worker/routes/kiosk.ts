import { and, eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { kioskPrinterStates, orders } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { idempotent } from '../middleware/idempotency.ts'
import { type KioskEnv, requireKiosk } from '../middleware/kiosk-device-auth.ts'
import { notFound, Problem } from '../problem.ts'
import { recordWrongCode, refuseCodeGuessing } from '../services/gate-devices.ts'
import { kioskCatalogue } from '../services/kiosks/catalogue.ts'
import { kioskBuyerId, redeemKioskCode, signKioskToken } from '../services/kiosks/devices.ts'
import { HEARTBEAT_SECONDS, recordHeartbeat } from '../services/kiosks/health.ts'
import { createOrderFromHold } from '../services/orders/index.ts'
import { sandboxPayLinkKey } from '../services/payments/sandbox.ts'
import { holdScenicDay, scenicDay } from '../services/scenic-day.ts'
import { ticketsOfOrder } from '../services/tickets.ts'
import { validate } from '../validation.ts'
import {
  heartbeatAnswerSchema,
  kioskCatalogueSchema,
  kioskEnrolledSchema,
  kioskOrderCreatedSchema,
  kioskOrderStatusSchema,
} from './contracts/kiosk.ts'
import { dayAvailabilitySchema, scenicHoldSchema } from './contracts/scenic.ts'
import { inventoryConflictResponses, inventoryProblem } from './inventory-problem.ts'
import { json } from './openapi.ts'
import { isoDate, isoDateTime } from './query.ts'
import { localeField, requestLocale } from './reader-locale.ts'
import { phone, scenicHoldLines } from './scenic.ts'

const tag = 'Kiosks'
const deviceAuth = [{ kioskDevice: [] }]
/** The sales channel of every kiosk sale (reports, webhooks, channel prices). */
export const KIOSK_CHANNEL = 'kiosk'
/** One visitor's turn at the kiosk: it starts a new one after each sale and each idle reset. */
const session = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,40}$/, '8–40 letters, digits, - or _'))

/** The kiosk API: enrollment with a code, then selling and heartbeats with the kiosk token. */
export const kioskRoutes = new Hono<AppEnv>()

kioskRoutes.post(
  '/enroll',
  describeRoute({
    tags: [tag],
    summary: 'Enroll this kiosk with a one-time code from the admin console',
    description:
      'Answers the kiosk token (send it as `Authorization: Bearer …`), the kiosk, and the catalogue it sells. Wrong ' +
      'codes count against the address together with gate enrollment guesses.',
    responses: {
      201: { description: 'Enrolled', content: json(kioskEnrolledSchema) },
      400: { description: '`enrollment_code_invalid`: unknown, used or expired code' },
      429: { description: '`rate_limited`: too many wrong codes from this address; see `Retry-After`' },
    },
  }),
  validate('json', v.object({ code: v.pipe(v.string(), v.trim(), v.minLength(8), v.maxLength(12)) })),
  async (c) => {
    const db = c.get('db')
    const client = c.req.header('cf-connecting-ip') ?? 'unknown'
    await refuseCodeGuessing(db, client)
    const kiosk = await redeemKioskCode(db, c.req.valid('json').code).catch(async (error) => {
      if (error instanceof Problem && error.code === 'enrollment_code_invalid')
        await recordWrongCode(db, client)
      throw error
    })
    return c.json(
      {
        deviceToken: await signKioskToken(kiosk, c.env.SESSION_SECRET),
        kiosk,
        catalogue: await kioskCatalogue(db, kiosk),
        heartbeatSeconds: HEARTBEAT_SECONDS,
      },
      201,
    )
  },
)

const device = new Hono<KioskEnv>()
device.use('*', requireKiosk)

device.post(
  '/heartbeat',
  describeRoute({
    tags: [tag],
    security: deviceAuth,
    summary: 'The kiosk is alive: app version, printer state, paper level, last sale, recent errors',
    description:
      `Send one every ${HEARTBEAT_SECONDS} s. Paper at or below 15 % (or \`paper_out\`) opens a \`paper_low\` alert and a ` +
      '`kiosk.alert` webhook once, until a heartbeat reports paper again; a heartbeat ends a `silent` alert. The answer ' +
      'carries the catalogue version: refetch the catalogue when it differs.',
    responses: { 200: { description: 'Recorded', content: json(heartbeatAnswerSchema) } },
  }),
  validate(
    'json',
    v.object({
      appVersion: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
      printerState: v.picklist(kioskPrinterStates),
      paperLevel: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)),
      lastSaleAt: v.optional(isoDateTime),
      errors: v.optional(
        v.pipe(
          v.array(
            v.object({
              code: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
              message: v.pipe(v.string(), v.maxLength(300)),
              at: v.optional(isoDateTime),
            }),
          ),
          v.maxLength(10),
        ),
        [],
      ),
      catalogueVersion: v.optional(v.pipe(v.string(), v.maxLength(40))),
    }),
  ),
  async (c) => {
    const kiosk = c.get('kiosk')
    const db = c.get('db')
    await recordHeartbeat(db, kiosk, c.req.valid('json'))
    const { version } = await kioskCatalogue(db, kiosk)
    return c.json({
      catalogueVersion: version,
      heartbeatSeconds: HEARTBEAT_SECONDS,
      serverTime: new Date().toISOString(),
    })
  },
)

device.get(
  '/catalogue',
  describeRoute({
    tags: [tag],
    security: deviceAuth,
    summary: 'The ticket types this kiosk sells (ETag: the catalogue version; 304 with If-None-Match)',
    responses: {
      200: { description: 'The catalogue', content: json(kioskCatalogueSchema) },
      304: { description: 'Unchanged' },
    },
  }),
  async (c) => {
    const catalogue = await kioskCatalogue(c.get('db'), c.get('kiosk'))
    const etag = `"${catalogue.version}"`
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, { etag })
    return c.json(catalogue, 200, { etag })
  },
)

device.get(
  '/days/:date',
  describeRoute({
    tags: [tag],
    security: deviceAuth,
    summary: 'One visit date of the kiosk’s site: slots and ticket types with the kiosk channel’s prices',
    responses: { 200: { description: 'Availability', content: json(dayAvailabilitySchema) } },
  }),
  validate('param', v.object({ date: isoDate })),
  async (c) => {
    const { siteId } = c.get('kiosk')
    const { date } = c.req.valid('param')
    const { channels: _, ...day } = await scenicDay(c.env.SCENIC_DAY_INVENTORY, siteId, date).availability(
      siteId,
      date,
      KIOSK_CHANNEL,
    )
    return c.json(day)
  },
)

device.post(
  '/holds',
  describeRoute({
    tags: [tag],
    security: deviceAuth,
    summary: 'Hold tickets of the kiosk’s site for one visitor’s session (all lines or none)',
    description:
      'As the shop’s scenic hold, on the `kiosk` channel; the holder is the kiosk and the session, so one visitor’s ' +
      'abandoned hold never counts against the next visitor.',
    responses: {
      201: { description: 'Held', content: json(scenicHoldSchema) },
      ...inventoryConflictResponses,
    },
  }),
  validate('json', v.object({ session, date: isoDate, lines: scenicHoldLines })),
  async (c) => {
    const kiosk = c.get('kiosk')
    const input = c.req.valid('json')
    const outcome = await holdScenicDay(
      c.env.HOLD_GATEWAY,
      kiosk.siteId,
      input.date,
      // Per-holder caps count each session; the kiosk's address is not a public client's.
      {
        holderId: kioskBuyerId(kiosk.id, input.session),
        channel: KIOSK_CHANNEL,
        lines: input.lines,
        client: {},
      },
      c.get('holdBatching'),
    )
    if (!outcome.ok) throw inventoryProblem(outcome)
    return c.body(outcome.holdJson, 201, { 'content-type': 'application/json' })
  },
)

device.delete(
  '/holds/:holdId',
  describeRoute({
    tags: [tag],
    security: deviceAuth,
    summary: 'Release a session’s hold (idle reset, cancel); idempotent',
    responses: { 204: { description: 'Released, or already gone' } },
  }),
  validate('param', v.object({ holdId: v.pipe(v.string(), v.maxLength(64)) })),
  validate('query', v.object({ session, date: isoDate })),
  async (c) => {
    const kiosk = c.get('kiosk')
    const { session: s, date } = c.req.valid('query')
    await scenicDay(c.env.SCENIC_DAY_INVENTORY, kiosk.siteId, date).release(
      kiosk.siteId,
      date,
      c.req.valid('param').holdId,
      kioskBuyerId(kiosk.id, s),
    )
    return c.body(null, 204)
  },
)

device.post(
  '/orders',
  describeRoute({
    tags: [tag],
    security: deviceAuth,
    summary:
      'Order a session’s hold on the kiosk channel; show `checkoutUrl` as a QR code (Idempotency-Key required)',
    description:
      'The order carries channel `kiosk` and the kiosk’s id in its buyer (`kiosk:<kioskId>:<session>`, also the audit ' +
      'actor). The visitor pays on their phone; poll `GET /api/kiosk/orders/{orderId}` until `paid`, then print.',
    parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } }],
    responses: {
      201: { description: 'Order created', content: json(kioskOrderCreatedSchema) },
      404: { description: 'No such hold for this session' },
      409: { description: 'Hold expired (`hold_expired`), or already ordered (`conflict`)' },
    },
  }),
  // Keys are per kiosk (set by requireKiosk before this runs).
  idempotent((c) => `kiosk:${(c.get as (key: string) => { id: string })('kiosk').id}`),
  validate(
    'json',
    v.object({
      session,
      date: isoDate,
      holdId: v.pipe(v.string(), v.maxLength(64)),
      phone: v.optional(phone),
      ...localeField,
    }),
  ),
  async (c) => {
    const kiosk = c.get('kiosk')
    const input = c.req.valid('json')
    const created = await createOrderFromHold(
      { env: c.env, db: c.get('db'), logger: c.get('logger'), payments: c.get('payments'), discounts: [] },
      {
        kind: 'scenic',
        siteId: kiosk.siteId,
        visitDate: input.date,
        holdId: input.holdId,
        buyerId: kioskBuyerId(kiosk.id, input.session),
        ...(input.phone ? { phone: input.phone } : {}),
        locale: requestLocale(c, input.locale),
        channel: KIOSK_CHANNEL,
      },
      new URL(c.req.url).origin,
    )
    const [order] = await c.get('db').select().from(orders).where(eq(orders.id, created.orderId))
    // The visitor's phone is not the kiosk: the sandbox checkout opens for it by the pay link's key (a real
    // provider's checkout URL is open to whoever scans it).
    const checkoutUrl =
      c.get('payments').name === 'sandbox'
        ? `${created.checkoutUrl}?k=${await sandboxPayLinkKey(c.env.SANDBOX_PAYMENT_SECRET, created.paymentId)}`
        : created.checkoutUrl!
    return c.json(
      {
        orderId: created.orderId,
        number: order!.number,
        checkoutUrl,
        amountDue: created.amountDue,
        currency: order!.currency,
        expiresAt: order!.expiresAt,
      },
      201,
    )
  },
)

device.get(
  '/orders/:orderId',
  describeRoute({
    tags: [tag],
    security: deviceAuth,
    summary: 'A kiosk order’s status; once paid, its tickets to print',
    responses: {
      200: { description: 'The order', content: json(kioskOrderStatusSchema) },
      404: { description: 'Not sold at this kiosk' },
    },
  }),
  validate('param', v.object({ orderId: v.pipe(v.string(), v.maxLength(64)) })),
  async (c) => {
    const kiosk = c.get('kiosk')
    const { orderId } = c.req.valid('param')
    const db = c.get('db')
    const [order] = await db
      .select()
      .from(orders)
      .where(and(eq(orders.id, orderId), eq(orders.channel, KIOSK_CHANNEL)))
    if (!order?.buyerId.startsWith(`kiosk:${kiosk.id}:`)) throw notFound(`order ${orderId}`)
    const tickets =
      order.status === 'paid' ? await ticketsOfOrder(db, c.env.TICKET_SIGNING_KEYS, order.id) : []
    return c.json({
      orderId: order.id,
      number: order.number,
      status: order.status,
      total: order.total,
      currency: order.currency,
      tickets,
    })
  },
)

kioskRoutes.route('/', device)
