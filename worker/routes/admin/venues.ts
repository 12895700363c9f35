import { eq } from 'drizzle-orm'
import { describeRoute, resolver } from 'hono-openapi'
import * as v from 'valibot'
import { type PriceCategory, seats, venues } from '../../db/schema.ts'
import {
  type ChartResult,
  parseCsvChart,
  parseJsonChart,
  seatChartSchema,
  toJsonChart,
} from '../../domain/seat-chart.ts'
import { requireOrganizerRole } from '../../middleware/staff-auth.ts'
import { notFound, Problem, validationProblem } from '../../problem.ts'
import { replaceSeatMap } from '../../services/seat-map-store.ts'
import { validate } from '../../validation.ts'
import {
  seatChartExport,
  seatMapImported,
  seatsEdited,
  venueInput,
  venueKinds,
  venueRecord,
} from '../contracts/admin/venues.ts'
import { json } from '../openapi.ts'
import { catalogueResource } from './catalogue-resource.ts'

export const venueRoutes = catalogueResource({
  noun: 'venue',
  tag: 'Catalogue: venues',
  table: venues,
  idPrefix: 'ven',
  schema: venueRecord,
  create: venueInput,
  filters: { city: v.optional(v.string()), kind: v.optional(v.picklist(venueKinds)) },
  where: (f) => [f.city ? eq(venues.city, f.city) : undefined, f.kind ? eq(venues.kind, f.kind) : undefined],
  // On update: seats keep their category codes, so a category still in use cannot be dropped.
  check: async (c, venue) => {
    const id = (venue as { id?: string }).id
    if (!id) return
    const codes = new Set(venue.priceCategories.map((category) => category.code))
    const { results } = await c.env.DB.prepare('SELECT DISTINCT category FROM seats WHERE venue_id = ?')
      .bind(id)
      .all<{ category: string }>()
    const inUse = results.map((row) => row.category).filter((code) => !codes.has(code))
    if (inUse.length)
      throw validationProblem([
        { path: 'json.priceCategories', message: `seats still use price categories ${inUse.join(', ')}` },
      ])
  },
})

const venueParams = v.object({ organizerId: v.string(), id: v.string() })

async function loadVenue(db: D1Database, organizerId: string, id: string) {
  const row = await db
    .prepare(
      'SELECT id, stage_x, stage_y, price_categories, seat_map_version FROM venues WHERE id = ? AND organizer_id = ?',
    )
    .bind(id, organizerId)
    .first<{
      id: string
      stage_x: number | null
      stage_y: number | null
      price_categories: string
      seat_map_version: number
    }>()
  if (!row) throw notFound(`venue ${id}`)
  const stage = row.stage_x === null || row.stage_y === null ? null : { x: row.stage_x, y: row.stage_y }
  return {
    stage,
    categories: JSON.parse(row.price_categories) as PriceCategory[],
    version: row.seat_map_version,
  }
}

venueRoutes.get(
  '/:id/seat-map',
  describeRoute({
    tags: ['Catalogue: venues'],
    summary: 'Export the seat map as a JSON chart',
    description: 'The same format the import accepts; each seat also carries its `id`.',
    responses: {
      200: {
        description: 'Seat chart',
        content: json(seatChartExport),
      },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', venueParams),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const venue = await loadVenue(c.env.DB, organizerId, id)
    const rows = await c
      .get('db')
      .select()
      .from(seats)
      .where(eq(seats.venueId, id))
      .orderBy(seats.section, seats.row, seats.ordinal)
    const chart = toJsonChart(venue.stage, venue.categories, rows)
    // Attach ids in export order so an editor can address seats.
    let i = 0
    for (const section of chart.sections)
      for (const row of section.rows) for (const seat of row.seats) Object.assign(seat, { id: rows[i++]!.id })
    return c.json({ venueId: id, seatMapVersion: venue.version, ...chart })
  },
)

venueRoutes.put(
  '/:id/seat-map',
  describeRoute({
    tags: ['Catalogue: venues'],
    summary: 'Import a seat map (JSON chart or CSV), replacing the current one',
    description:
      "Send `application/json` (chart format) or `text/csv` (`section,row,seat,category,x,y,flags`, using the venue's price categories). " +
      'Every bad row is listed in one `validation` problem (duplicate labels, unknown categories, missing fields, bad numbers ' +
      'or flags); nothing is stored unless the whole map is valid. The export (`GET`) is the same format plus each seat’s ' +
      '`id`, so it re-imports unchanged; 2,000-seat charts import in one batch.\n\n' +
      'JSON chart: `{stage: {x, y}, categories: [{code, name, color}], sections: [{name, rows: [{label, category, seats: ' +
      '[{number, x, y, category?, label?, flags?}]}]}]}`. `stage` is where best-available aims (omit it to aim at the front ' +
      'centre); `x`/`y` are drawing coordinates. A seat’s category defaults to its row’s; its label defaults to ' +
      '`Section-Row-Number` and must be unique in the venue. `flags`: `accessible` (wheelchair place), `companion`, ' +
      '`restricted_view`, `blocked` (never sold). Seats in a row are ordered by `x`; a gap much wider than the row’s usual ' +
      'spacing is an aisle (seats across it are not together).\n\n' +
      'CSV: a header line, then one seat per line, e.g. `Stalls,A,2,VIP,102,80,accessible` (several flags joined with `|`); ' +
      'error `row` numbers are file line numbers (header = 1).',
    requestBody: {
      content: {
        'application/json': {
          schema: await resolver(seatChartSchema)
            .toOpenAPISchema()
            .then((r) => r.schema),
        },
        'text/csv': { schema: { type: 'string' } },
      },
    },
    responses: {
      200: { description: 'Imported', content: json(seatMapImported) },
      400: {
        description: 'Invalid chart: `errors` lists each bad field with its `row` (CSV line) or `path`',
      },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', venueParams),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const venue = await loadVenue(c.env.DB, organizerId, id)
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    let result: ChartResult
    if (type === 'text/csv') {
      result = parseCsvChart(await c.req.text(), venue.categories, venue.stage)
    } else if (type === 'application/json') {
      let body: unknown
      try {
        body = await c.req.json()
      } catch {
        throw validationProblem([{ path: 'body', message: 'is not valid JSON' }])
      }
      result = parseJsonChart(body)
    } else {
      throw new Problem({ code: 'unsupported_media_type', detail: 'Send application/json or text/csv' })
    }
    if (!result.ok)
      throw validationProblem(
        result.errors,
        `The seat map has ${result.errors.length} problem(s); nothing was imported`,
      )
    const summary = await replaceSeatMap(c.env.DB, id, result.chart)
    return c.json({ venueId: id, ...summary })
  },
)

const seatEdit = v.pipe(
  v.object({
    seatIds: v.pipe(v.array(v.string()), v.minLength(1), v.maxLength(60_000)),
    category: v.optional(v.string()),
    blocked: v.optional(v.boolean()),
    accessible: v.optional(v.boolean()),
    companion: v.optional(v.boolean()),
    restrictedView: v.optional(v.boolean()),
  }),
  v.check((edit) => Object.keys(edit).length > 1, 'name at least one change besides seatIds'),
)

venueRoutes.patch(
  '/:id/seats',
  describeRoute({
    tags: ['Catalogue: venues'],
    summary: 'Change category or flags of selected seats',
    responses: {
      200: {
        description: 'Seats changed',
        content: json(seatsEdited),
      },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', venueParams),
  validate('json', seatEdit),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const { seatIds, ...changes } = c.req.valid('json')
    const venue = await loadVenue(c.env.DB, organizerId, id)
    if (
      changes.category !== undefined &&
      !venue.categories.some((category) => category.code === changes.category)
    ) {
      throw validationProblem([
        { path: 'json.category', message: `unknown price category ${changes.category}` },
      ])
    }
    const unique = [...new Set(seatIds)]
    const matched = await c.env.DB.prepare(
      'SELECT count(*) AS n FROM seats WHERE venue_id = ? AND id IN (SELECT value FROM json_each(?))',
    )
      .bind(id, JSON.stringify(unique))
      .first<number>('n')
    if ((matched ?? 0) !== unique.length) {
      throw validationProblem([
        {
          path: 'json.seatIds',
          message: `${unique.length - (matched ?? 0)} seat id(s) are not in this venue`,
        },
      ])
    }
    const statements = [
      c.env.DB.prepare(
        `UPDATE seats SET category = coalesce(?3, category), blocked = coalesce(?4, blocked), accessible = coalesce(?5, accessible),
           companion = coalesce(?6, companion), restricted_view = coalesce(?7, restricted_view)
         WHERE venue_id = ?1 AND id IN (SELECT value FROM json_each(?2))`,
      ).bind(
        id,
        JSON.stringify(unique),
        changes.category ?? null,
        changes.blocked === undefined ? null : Number(changes.blocked),
        changes.accessible === undefined ? null : Number(changes.accessible),
        changes.companion === undefined ? null : Number(changes.companion),
        changes.restrictedView === undefined ? null : Number(changes.restrictedView),
      ),
      c.env.DB.prepare('UPDATE venues SET seat_map_version = seat_map_version + 1 WHERE id = ?').bind(id),
    ]
    await c.env.DB.batch(statements)
    return c.json({ updated: unique.length, seatMapVersion: venue.version + 1 })
  },
)
