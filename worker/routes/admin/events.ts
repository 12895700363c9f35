import { and, eq } from 'drizzle-orm'
import * as v from 'valibot'
import { events, shows } from '../../db/schema.ts'
import { nonEmpty } from '../query.ts'
import { catalogueResource } from './catalogue-resource.ts'
import { recordOf } from './records.ts'

export const eventInput = v.object({
  name: nonEmpty(),
  kind: v.picklist(['concert', 'theatre', 'film', 'sport', 'exhibition', 'other']),
  description: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(5000)))),
  status: v.optional(v.picklist(['draft', 'published', 'cancelled']), 'draft'),
  realNameRequired: v.optional(v.boolean(), false),
  maxTicketsPerBuyer: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50)), 6),
  rotatingCode: v.optional(v.boolean(), false),
})

export const eventRecord = recordOf(eventInput.entries)

export const eventRoutes = catalogueResource({
  noun: 'event',
  tag: 'Catalogue: events',
  table: events,
  idPrefix: 'evt',
  schema: eventRecord,
  create: eventInput,
  readRoles: ['owner', 'manager', 'gate'],
  filters: {
    status: v.optional(v.picklist(['draft', 'published', 'cancelled'])),
    kind: v.optional(v.picklist(['concert', 'theatre', 'film', 'sport', 'exhibition', 'other'])),
  },
  // Limits and real-name rules live in each show's inventory actor: tell the event's scheduled shows.
  afterUpdate: async (c, event) => {
    const scheduled = await c
      .get('db')
      .select({ id: shows.id })
      .from(shows)
      .where(and(eq(shows.eventId, String(event.id)), eq(shows.status, 'scheduled')))
    await Promise.all(scheduled.map(({ id }) => c.get('showInventory').pushConfig(c.get('db'), id)))
  },
  where: (f) => [
    f.status ? eq(events.status, f.status) : undefined,
    f.kind ? eq(events.kind, f.kind) : undefined,
  ],
})
