import { and, asc, eq, gt, like } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { packages, parentChildRules, scenicSites, visitProductDeposits, visitProducts } from '../db/schema.ts'
import { dayOnSale } from '../domain/admission-pass.ts'
import { clientNetwork } from '../domain/client-network.ts'
import type { AppEnv } from '../env.ts'
import { captureAfterAnswer, heldEvent } from '../middleware/analytics-capture.ts'
import { buyerIdentity } from '../middleware/buyer.ts'
import { notFound, validationProblem } from '../problem.ts'
import { holdScenicDay, scenicDay, ticketLineOfCode } from '../services/scenic-day.ts'
import { validate } from '../validation.ts'
import {
  admissionResponses,
  dayQueueUrl,
  noteProgress,
  requireAdmission,
  waitingRoomSummary,
} from './admission.ts'
import {
  dayAvailabilitySchema,
  dayDetailSchema,
  scenicHoldSchema,
  siteCalendarSchema,
  siteDetailSchema,
  sitePageSchema,
} from './contracts/scenic.ts'
import { idNumber } from './hold-input.ts'
import { inventoryConflictResponses, inventoryProblem } from './inventory-problem.ts'
import { json } from './openapi.ts'
import { isoDate, page, pageQuery } from './query.ts'

const tag = 'Scenic sites (public)'
const MAX_CALENDAR_DAYS = 62

export const phone = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^\+?[0-9]{6,15}$/, 'digits only, optionally with a leading +'),
)

export const visitorSchema = v.object({
  name: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64))),
  idNumber: v.optional(idNumber),
  phone: v.optional(phone),
})

/** The tickets of one scenic-day hold: 1–20 lines, each a product, optional slot and real-name visitor. */
export const scenicHoldLines = v.pipe(
  v.array(
    v.object({
      productId: v.pipe(v.string(), v.maxLength(64)),
      slot: v.optional(v.pipe(v.string(), v.maxLength(16))),
      visitor: v.optional(visitorSchema),
    }),
  ),
  v.minLength(1),
  v.maxLength(20),
)

/**
 * Which parent (gate) ticket a child line (cable car) goes with; exactly one of: `line`, a line of this hold
 * (0-based); `lineId`, a ticket line of this day the buyer holds or bought (a hold line's `id`, an order line's
 * `inventoryRef`); `ticketCode`, the content of a gate ticket's QR code, for a ticket someone else bought.
 */
const parentRef = v.pipe(
  v.object({
    line: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(19))),
    lineId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
    ticketCode: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(600))),
  }),
  v.check(
    (p) => [p.line, p.lineId, p.ticketCode].filter((x) => x !== undefined).length === 1,
    'give exactly one of line, lineId or ticketCode',
  ),
)

/** The shop's hold lines: scenicHoldLines plus the parent a child line goes with. */
const shopHoldLines = v.pipe(
  v.array(
    v.object({
      productId: v.pipe(v.string(), v.maxLength(64)),
      slot: v.optional(v.pipe(v.string(), v.maxLength(16))),
      visitor: v.optional(visitorSchema),
      parent: v.optional(parentRef),
    }),
  ),
  v.minLength(1),
  v.maxLength(20),
)

export const scenicHoldInput = v.object({
  lines: shopHoldLines,
  packageId: v.optional(v.pipe(v.string(), v.maxLength(64))),
})

/** The channel public routes sell for: the shop's. */
const PUBLIC_CHANNEL = 'web'

/** What one day has left for the shop; the channels' allocations stay in the admin and partner views. */
async function publicDay(env: AppEnv['Bindings'], siteId: string, date: string) {
  const { channels: _, ...day } = await scenicDay(env.SCENIC_DAY_INVENTORY, siteId, date).availability(
    siteId,
    date,
    PUBLIC_CHANNEL,
  )
  return day
}

/** One line of a hold as the day's actor takes it. */
type ScenicHoldLine = Parameters<typeof holdScenicDay>[3]['lines'][number]

const siteParam = v.object({ siteId: v.pipe(v.string(), v.maxLength(64)) })
const dayParam = v.object({ siteId: v.pipe(v.string(), v.maxLength(64)), date: isoDate })

export const scenicRoutes = new Hono<AppEnv>()

export async function publicSite(db: AppEnv['Variables']['db'], siteId: string) {
  const [site] = await db.select().from(scenicSites).where(eq(scenicSites.id, siteId))
  if (!site) throw notFound(`scenic site ${siteId}`)
  return site
}

scenicRoutes.get(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'Scenic sites',
    responses: {
      200: {
        description: 'A page of sites',
        content: json(sitePageSchema),
      },
    },
  }),
  validate(
    'query',
    v.object({
      ...pageQuery,
      city: v.optional(v.string()),
      q: v.optional(v.pipe(v.string(), v.maxLength(100))),
    }),
  ),
  async (c) => {
    const { limit, cursor, city, q } = c.req.valid('query')
    const rows = await c
      .get('db')
      .select({
        id: scenicSites.id,
        name: scenicSites.name,
        nameEn: scenicSites.nameEn,
        city: scenicSites.city,
        cityEn: scenicSites.cityEn,
        description: scenicSites.description,
        opensAt: scenicSites.opensAt,
        closesAt: scenicSites.closesAt,
      })
      .from(scenicSites)
      .where(
        and(
          cursor ? gt(scenicSites.id, cursor) : undefined,
          city ? eq(scenicSites.city, city) : undefined,
          q ? like(scenicSites.name, `%${q.replace(/[%_]/g, '')}%`) : undefined,
        ),
      )
      .orderBy(asc(scenicSites.id))
      .limit(limit + 1)
    return c.json(page(rows, limit))
  },
)

scenicRoutes.get(
  '/:siteId',
  describeRoute({
    tags: [tag],
    summary: 'A scenic site with its ticket types, parent-child rules and packages',
    description:
      'Active products with their eligibility rules (age, height, proof checked at the gate), price in minor units, ' +
      'whether they are timed (pick a slot), real-name and refundable, and `requiresParent`: the gate (parent) products ' +
      'one of which a child product such as a cable car needs for the same day (父子票). Packages sell several products ' +
      'at one price; holding one deducts every component or none. A product with `deposit` may be ordered with ' +
      '`deposit: true` (定金): the deposit keeps the day’s place, the balance is payable in its window before the visit day.',
    responses: {
      200: { description: 'The site', content: json(siteDetailSchema) },
      404: { description: 'No such site' },
    },
  }),
  validate('param', siteParam),
  async (c) => {
    const db = c.get('db')
    const site = await publicSite(db, c.req.valid('param').siteId)
    const [products, rules, bundles, deposits] = await Promise.all([
      db
        .select()
        .from(visitProducts)
        .where(and(eq(visitProducts.siteId, site.id), eq(visitProducts.status, 'active'))),
      db.select().from(parentChildRules).where(eq(parentChildRules.siteId, site.id)),
      db
        .select()
        .from(packages)
        .where(and(eq(packages.siteId, site.id), eq(packages.status, 'active'))),
      db
        .select({ productId: visitProductDeposits.productId, terms: visitProductDeposits.terms })
        .from(visitProductDeposits)
        .innerJoin(visitProducts, eq(visitProducts.id, visitProductDeposits.productId))
        .where(eq(visitProducts.siteId, site.id)),
    ])
    const depositOf = new Map(deposits.map((d) => [d.productId, d.terms]))
    const { organizerId: _o, channelQuotas: _q, ...publicFields } = site
    return c.json({
      ...publicFields,
      products: products.map(({ organizerId: _, ...p }) => ({
        ...p,
        requiresParent: rules.filter((r) => r.childProductId === p.id).map((r) => r.parentProductId),
        deposit: depositOf.get(p.id) ?? null,
      })),
      packages: bundles.map(({ organizerId: _, ...p }) => p),
    })
  },
)

scenicRoutes.get(
  '/:siteId/calendar',
  describeRoute({
    tags: [tag],
    summary: 'Availability and prices per day for a date range',
    description: `Up to ${MAX_CALENDAR_DAYS} days, as the shop may sell them (partners use their own calendar).`,
    responses: {
      200: {
        description: 'One entry per day',
        content: json(siteCalendarSchema),
      },
    },
  }),
  validate('param', siteParam),
  validate('query', v.object({ from: isoDate, to: isoDate })),
  async (c) => {
    const site = await publicSite(c.get('db'), c.req.valid('param').siteId)
    const { from, to } = c.req.valid('query')
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
    // One small call per day, in parallel: each day's actor answers from its counters.
    const days = await Promise.all(dates.map((date) => publicDay(c.env, site.id, date)))
    return c.json({ siteId: site.id, days })
  },
)

scenicRoutes.get(
  '/:siteId/days/:date',
  describeRoute({
    tags: [tag],
    summary: 'One visit date: time slots and ticket types with what is left',
    description:
      '`waitingRoom` is set while the date’s waiting room is on: send buyers to its queue before they hold.',
    responses: { 200: { description: 'Availability', content: json(dayDetailSchema) } },
  }),
  validate('param', dayParam),
  async (c) => {
    const { siteId, date } = c.req.valid('param')
    const site = await publicSite(c.get('db'), siteId)
    const day = await publicDay(c.env, site.id, date)
    return c.json({
      ...day,
      waitingRoom: await waitingRoomSummary(c, dayOnSale(site.id, date), day.remaining <= 0),
    })
  },
)

scenicRoutes.post(
  '/:siteId/days/:date/holds',
  describeRoute({
    tags: [tag],
    summary: 'Hold visit tickets for a date (all lines or none)',
    description:
      'Real-name products need each visitor’s name and ID number. A product with an age rule (senior, child by age) needs a ' +
      'mainland ID number, and the age it gives on the visit date must fit (422 `not_eligible`, naming the line and rule). ' +
      'A child product (cable car, show) needs a gate ticket for the same day of this buyer: a line of this hold, or one ' +
      'the buyer held or bought earlier, matched to the child by the rule (phone or ID number); or name it with `parent` ' +
      '(`line`, `lineId`, or `ticketCode`: the QR content of a gate ticket someone else bought). Otherwise 409 ' +
      '`parent_ticket_required`, in the same words whoever else visits that day. With `packageId`, the lines must be ' +
      'exactly the package components. Each buyer and each network address may have only so many active holds and held ' +
      'tickets for a day at once (429 `hold_limit`, with `scope`, `limit` and `Retry-After`). While the date’s waiting room is ' +
      'on, a hold needs the buyer’s admission pass in the `Admission-Pass` header (403 `admission_required`, with `queueUrl`).',
    responses: {
      201: {
        description:
          'Held until `expiresAt`: the hold id, each ticket line and the price quote (`total`, minor units of `currency`)',
        content: json(scenicHoldSchema),
      },
      ...inventoryConflictResponses,
      ...admissionResponses,
    },
  }),
  buyerIdentity,
  validate('param', dayParam),
  validate('json', scenicHoldInput),
  async (c) => {
    const { siteId, date } = c.req.valid('param')
    const site = await publicSite(c.get('db'), siteId)
    const onSale = dayOnSale(site.id, date)
    const admitted = await requireAdmission(c, onSale, dayQueueUrl(site.id, date))
    const input = c.req.valid('json')
    const network = clientNetwork(c.req.header('cf-connecting-ip'))
    const lines = await Promise.all(
      input.lines.map(async ({ parent, ...line }): Promise<ScenicHoldLine> => {
        if (!parent) return line
        if (parent.line !== undefined) return { ...line, parent: { line: parent.line } }
        if (parent.lineId !== undefined) return { ...line, parent: { lineId: parent.lineId } }
        // A code that proves nothing becomes a line that does not exist: the actor refuses it in the same
        // words as any parent it cannot find.
        const lineId = await ticketLineOfCode(
          c.get('db'),
          c.env.TICKET_SIGNING_KEYS,
          site.id,
          date,
          parent.ticketCode!,
        )
        return { ...line, parent: { lineId: lineId ?? '', proven: true } }
      }),
    )
    const outcome = await holdScenicDay(
      c.env.HOLD_GATEWAY,
      site.id,
      date,
      {
        holderId: c.get('buyerId'),
        channel: PUBLIC_CHANNEL,
        lines,
        ...(input.packageId ? { packageId: input.packageId } : {}),
        // A public hold: the per-buyer and per-network caps count it (the address as Cloudflare gives it).
        client: network ? { network } : {},
      },
      c.get('holdBatching'),
    )
    if (!outcome.ok) {
      // A refused admitted buyer may walk away: the queue stops counting them as choosing unless they try again.
      if (admitted) noteProgress(c, onSale, 'refused', true)
      throw inventoryProblem(outcome)
    }
    if (admitted) noteProgress(c, onSale, 'held', true)
    captureAfterAnswer(c, () =>
      heldEvent(
        outcome.holdJson,
        { siteId: site.id },
        input.lines.map((line) => line.visitor?.idNumber),
      ),
    )
    return c.body(outcome.holdJson, 201, { 'content-type': 'application/json' })
  },
)

scenicRoutes.delete(
  '/:siteId/days/:date/holds/:holdId',
  describeRoute({
    tags: [tag],
    summary: 'Release a hold (idempotent)',
    responses: { 204: { description: 'Released, or already gone' } },
  }),
  buyerIdentity,
  validate('param', v.object({ ...dayParam.entries, holdId: v.pipe(v.string(), v.maxLength(64)) })),
  async (c) => {
    const { siteId, date, holdId } = c.req.valid('param')
    const site = await publicSite(c.get('db'), siteId)
    const { released } = await scenicDay(c.env.SCENIC_DAY_INVENTORY, site.id, date).release(
      site.id,
      date,
      holdId,
      c.get('buyerId'),
    )
    if (released) noteProgress(c, dayOnSale(site.id, date), 'released')
    return c.body(null, 204)
  },
)
