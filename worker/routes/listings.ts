import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import type { AppEnv } from '../env.ts'
import { listing } from '../services/listings.ts'
import { validate } from '../validation.ts'
import { eventKinds } from './contracts/admin/events.ts'
import { listingSchema } from './contracts/listings.ts'
import { json } from './openapi.ts'
import { isoDateTime, queryInteger } from './query.ts'

/** The shop home: events grouped with their shows, and scenic sites. */
export const listingRoutes = new Hono<AppEnv>()

listingRoutes.get(
  '/',
  describeRoute({
    tags: ['Shows (public)'],
    summary: 'The shop home: upcoming events with their shows, and scenic sites',
    description:
      'One entry per event (soonest show first) with every upcoming show in it, each show’s `onSale`, `soldOut` and ' +
      '`fromPrice` from its inventory actor’s counters (seconds old at most; held seats count as taken), the event’s ' +
      '`fromPrice` over its shows on sale with seats left, and `soldOut` when every show is. Scenic sites carry the ' +
      'price of their cheapest gate ticket. `kind=scenic` lists only sites; an event kind lists only events. ' +
      '`limit` caps the events and the sites; `moreEvents` says a narrower search would show more.',
    responses: { 200: { description: 'Events and sites', content: json(listingSchema) } },
  }),
  validate(
    'query',
    v.object({
      limit: queryInteger(1, 100, 50),
      q: v.optional(v.pipe(v.string(), v.maxLength(100))),
      city: v.optional(v.pipe(v.string(), v.maxLength(100))),
      kind: v.optional(v.picklist([...eventKinds, 'scenic'])),
      from: v.optional(isoDateTime),
      to: v.optional(isoDateTime),
    }),
  ),
  async (c) => {
    const inventory = c.get('showInventory')
    const body = await listing(
      c.get('db'),
      (showId) => inventory.stub(showId).availability(showId),
      c.req.valid('query'),
    )
    return c.json(body)
  },
)
