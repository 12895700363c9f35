import { eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { venues } from '../db/schema.ts'
import { type SectionName, sectionsNamed } from '../domain/section-names.ts'
import type { AppEnv } from '../env.ts'
import { notFound } from '../problem.ts'
import { cachedRead } from '../services/catalogue-cache.ts'
import { validate } from '../validation.ts'
import { seatMapAnswerSchema, seatMapSectionSchema } from './contracts/seat-map.ts'
import { json } from './openapi.ts'
import { publicShow } from './public-show.ts'
import { showParam } from './shows.ts'

// The shop's seat map: whole for a small house, an overview and a section at a time for a big one (the
// contract's note). The actor decides which (durable-objects/show-inventory/seat-map-sections.ts).

const tag = 'Shows (public)'
const NAMES_CACHE_MS = 5_000

const sectionParam = v.object({
  ...showParam.entries,
  section: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
})

/** The venue's section names (池座 / Stalls), kept per isolate for a few seconds. */
const sectionNames = (c: Context<AppEnv>, venueId: string) =>
  cachedRead(`section-names:${venueId}`, NAMES_CACHE_MS, async () => {
    const [venue] = await c
      .get('db')
      .select({ sectionNames: venues.sectionNames })
      .from(venues)
      .where(eq(venues.id, venueId))
    return venue?.sectionNames ?? ([] as SectionName[])
  })

export const showSeatMapRoutes = new Hono<AppEnv>()

showSeatMapRoutes.get(
  '/:showId/seat-map',
  describeRoute({
    tags: [tag],
    summary: 'The seat map: every seat’s live state, or for a big house its sections',
    description:
      'A house under 5,000 seats answers every seat (`layout: "whole"`). A bigger one answers an overview ' +
      '(`layout: "sections"`): each section’s box and free seats per price category; ask ' +
      '`/api/shows/{showId}/seat-map/sections/{section}` for a section’s seats. Follow changes after `version` ' +
      'over the WebSocket at `/api/shows/{showId}/live`.',
    responses: { 200: { description: 'Seat map', content: json(seatMapAnswerSchema) } },
  }),
  validate('param', showParam),
  async (c) => {
    const show = await publicShow(c, c.req.valid('param').showId)
    const [map, names] = await Promise.all([
      c.get('showInventory').stub(show.id).seatMapAnswer(show.id),
      sectionNames(c, show.venueId),
    ])
    const keys = map.layout === 'whole' ? map.seats.map((seat) => seat.section) : map.areas.map((a) => a.key)
    return c.json({ ...map, sections: sectionsNamed(keys, names) })
  },
)

showSeatMapRoutes.get(
  '/:showId/seat-map/sections/:section',
  describeRoute({
    tags: [tag],
    summary: 'One section’s seats with their live state',
    description:
      'The seats the whole answer would list for this section, in the same order. `version` is the change ' +
      'counter this answer is as of: live deltas after it apply.',
    responses: {
      200: { description: 'The section’s seats', content: json(seatMapSectionSchema) },
      404: { description: 'No such show or section (`not_found`)' },
    },
  }),
  validate('param', sectionParam),
  async (c) => {
    const { showId, section } = c.req.valid('param')
    const show = await publicShow(c, showId)
    const answer = await c.get('showInventory').stub(show.id).seatMapSection(show.id, section)
    if (!answer) throw notFound(`section ${section} of show ${show.id}`)
    return c.json(answer)
  },
)
