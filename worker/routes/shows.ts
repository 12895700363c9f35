import { and, asc, eq, gt, gte, like, lte, or } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { MAX_SEATS_PER_HOLD } from '../../durable-objects/show-inventory/contract.ts'
import { events, showDeposits, shows, venues } from '../db/schema.ts'
import { showOnSale } from '../domain/admission-pass.ts'
import { isValidPrcIdNumber, normalizeIdNumber } from '../domain/id-number.ts'
import type { AppEnv } from '../env.ts'
import { buyerIdentity } from '../middleware/buyer.ts'
import { clientKeyOf } from '../middleware/rate-limit.ts'
import { notFound, Problem } from '../problem.ts'
import { cachedRead } from '../services/catalogue-cache.ts'
import { validate } from '../validation.ts'
import { admissionResponses, noteProgress, waitingRoomSummary } from './admission.ts'
import { eventKinds } from './contracts/admin/events.ts'
import { showDetailSchema, showHoldSchema, showPageSchema } from './contracts/shows.ts'
import { showHoldInput } from './hold-input.ts'
import { inventoryConflictResponses } from './inventory-problem.ts'
import { json } from './openapi.ts'
import { publicShow, summaryColumns } from './public-show.ts'
import { isoDateTime, page, pageQuery } from './query.ts'
import { holdShowSeats } from './show-hold-request.ts'

const tag = 'Shows (public)'

export const showParam = v.object({ showId: v.pipe(v.string(), v.maxLength(64)) })

export const showRoutes = new Hono<AppEnv>()

showRoutes.get(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'Upcoming shows',
    responses: {
      200: {
        description: 'A page of shows, soonest first',
        content: json(showPageSchema),
      },
    },
  }),
  validate(
    'query',
    v.object({
      ...pageQuery,
      city: v.optional(v.pipe(v.string(), v.maxLength(100))),
      kind: v.optional(v.picklist(eventKinds)),
      q: v.optional(v.pipe(v.string(), v.maxLength(100))),
      from: v.optional(isoDateTime),
      to: v.optional(isoDateTime),
    }),
  ),
  async (c) => {
    const query = c.req.valid('query')
    const from = query.from ?? new Date().toISOString()
    // Cursor is `<startsAt>|<id>` so ties on start time page correctly.
    const [cursorStart, cursorId] = query.cursor?.split('|') ?? []
    const rows = await c
      .get('db')
      .select(summaryColumns)
      .from(shows)
      .innerJoin(events, eq(events.id, shows.eventId))
      .innerJoin(venues, eq(venues.id, shows.venueId))
      .where(
        and(
          eq(shows.status, 'scheduled'),
          eq(events.status, 'published'),
          gte(shows.startsAt, from),
          query.to ? lte(shows.startsAt, query.to) : undefined,
          query.city ? eq(venues.city, query.city) : undefined,
          query.kind ? eq(events.kind, query.kind) : undefined,
          query.q ? like(events.name, `%${query.q.replace(/[%_]/g, '')}%`) : undefined,
          cursorStart && cursorId
            ? or(
                gt(shows.startsAt, cursorStart),
                and(eq(shows.startsAt, cursorStart), gt(shows.id, cursorId)),
              )
            : undefined,
        ),
      )
      .orderBy(asc(shows.startsAt), asc(shows.id))
      .limit(query.limit + 1)
    return c.json(page(rows, query.limit, (last) => `${last.startsAt}|${last.id}`))
  },
)

showRoutes.get(
  '/:showId',
  describeRoute({
    tags: [tag],
    summary: 'A show with availability per price category',
    description: 'Availability comes from the show inventory counters; nothing is scanned per read.',
    responses: {
      200: {
        description: 'The show',
        content: json(showDetailSchema),
      },
      404: { description: 'No such public show' },
    },
  }),
  validate('param', showParam),
  async (c) => {
    const show = await publicShow(c, c.req.valid('param').showId)
    const [availability, [deposit]] = await Promise.all([
      c.get('showInventory').stub(show.id).availability(show.id),
      c.get('db').select().from(showDeposits).where(eq(showDeposits.showId, show.id)),
    ])
    const offered = deposit && Date.now() < Date.parse(deposit.terms.balanceDueAt) ? deposit.terms : null
    const soldOut = availability.categories.every((category) => category.available === 0)
    return c.json({
      waitingRoom: await waitingRoomSummary(c, showOnSale(show.id), soldOut),
      deposit: offered
        ? {
            amount: offered.amount,
            categories: offered.categories,
            balanceOpensAt: offered.balanceOpensAt,
            balanceDueAt: offered.balanceDueAt,
            forfeit: offered.forfeit,
          }
        : null,
      ...show,
      onSale: availability.onSale,
      categories: availability.categories,
      flashSales: availability.flashSales,
      salePhases: availability.salePhases,
    })
  },
)

showRoutes.get(
  '/:showId/live',
  describeRoute({
    tags: [tag],
    summary: 'Live seat status (WebSocket)',
    description:
      'Upgrade to a WebSocket. Messages: `{"type":"hello","version":n}` then `{"type":"delta","version":n,"seats":[[seatId,state],…]}`. ' +
      'If a delta’s version skips, reload the seat map. Send `ping` to get `{"type":"pong"}`. Viewers are capped per show and per ' +
      'network address; past a cap, follow the seat map by reloading it.',
    responses: {
      101: { description: 'Switching protocols' },
      426: { description: 'Not a WebSocket upgrade' },
      429: {
        description:
          'Code `viewer_limit` (`scope: client`): too many viewers from this network address; see `Retry-After`',
      },
      503: {
        description:
          'Code `viewer_limit` (`scope: show`): the show has as many viewers as it takes; see `Retry-After`',
      },
    },
  }),
  validate('param', showParam),
  async (c) => {
    const show = await publicShow(c, c.req.valid('param').showId)
    const url = new URL(c.req.url)
    url.searchParams.set('showId', show.id)
    const client = clientKeyOf(c)
    if (client) url.searchParams.set('client', client)
    const res = await c.get('showInventory').stub(show.id).fetch(new Request(url, c.req.raw))
    if (res.status !== 429 && res.status !== 503) return res
    const refusal = await res.json<{
      code: string
      detail: string
      scope: string
      limit: number
      retryAfter: number
    }>()
    throw new Problem({
      code: refusal.code,
      status: res.status,
      title: 'Too many live viewers',
      detail: refusal.detail,
      extensions: { scope: refusal.scope, limit: refusal.limit },
      headers: { 'retry-after': String(refusal.retryAfter) },
    })
  },
)

const holdResponses = {
  201: {
    description:
      'Seats held until `expiresAt`: the hold id, each seat held and the price quote (`total`, minor units of `currency`)',
    content: json(showHoldSchema),
  },
  ...inventoryConflictResponses,
  ...admissionResponses,
}

showRoutes.post(
  '/:showId/holds',
  describeRoute({
    tags: [tag],
    summary: 'Hold seats (explicit seats or best available)',
    description:
      'All or nothing. `best` finds adjacent seats in one row of a price category nearest the stage, never leaving a single ' +
      'seat stranded when another choice exists; `allowSplit` permits seats over several rows; `accessible` asks for wheelchair places. ' +
      'Each buyer and each network address may have only so many active holds and held seats at once (`hold_limit`), and hold ' +
      'requests are rate limited per address and per buyer (`rate_limited`). A show with `signInToHold` takes holds only from ' +
      "signed-in customers (`sign_in_required`). Each seat is quoted at its category's current price (a tier of its price " +
      'schedule, or the list price), or at the flash sale named by `flashSaleId` (outside its window `not_on_sale`, past its ' +
      'units `sold_out`, past its per-buyer limit `buyer_limit`); the order charges exactly that quote. Before the ' +
      'general sale only a presale phase open to the buyer admits them: with a `presaleCode` that has uses left ' +
      '(`presale_code_invalid`, `presale_code_used_up`) or as a signed-in member of a tier it is open to; otherwise ' +
      '`not_on_sale` with `opensAt`, when the sale opens to them. A signed-in member whose tier sets `maxTicketsPerBuyer` ' +
      'may hold up to that many tickets when it is more than the event allows. While the show’s waiting room is on, a hold ' +
      'needs the buyer’s admission pass in the `Admission-Pass` header (403 `admission_required`, with `queueUrl`).',
    responses: holdResponses,
  }),
  buyerIdentity,
  validate('param', showParam),
  validate('json', showHoldInput),
  async (c) => {
    const { holdJson, onSale, admitted } = await holdShowSeats(
      c,
      c.req.valid('param').showId,
      c.req.valid('json'),
    )
    if (admitted) noteProgress(c, onSale, 'held', true)
    // The hold's JSON as the show's actor wrote it: forwarded, not parsed and re-serialized.
    return c.body(holdJson, 201, { 'content-type': 'application/json' })
  },
)

showRoutes.delete(
  '/:showId/holds/:holdId',
  describeRoute({
    tags: [tag],
    summary: 'Release a hold (idempotent)',
    responses: { 204: { description: 'Released, or already gone' } },
  }),
  buyerIdentity,
  validate(
    'param',
    v.object({ showId: v.pipe(v.string(), v.maxLength(64)), holdId: v.pipe(v.string(), v.maxLength(64)) }),
  ),
  async (c) => {
    const { showId, holdId } = c.req.valid('param')
    const { released } = await c.get('showInventory').release(showId, holdId, c.get('buyerId'))
    if (released) noteProgress(c, showOnSale(showId), 'released')
    return c.body(null, 204)
  },
)
