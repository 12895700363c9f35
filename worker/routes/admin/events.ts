import { and, eq } from 'drizzle-orm'
import * as v from 'valibot'
import { events, shows } from '../../db/schema.ts'
import { eventInput, eventKinds, eventRecord, eventStatuses } from '../contracts/admin/events.ts'
import { catalogueResource } from './catalogue-resource.ts'

export const eventRoutes = catalogueResource({
  noun: 'event',
  tag: 'Catalogue: events',
  table: events,
  idPrefix: 'evt',
  schema: eventRecord,
  create: eventInput,
  readRoles: ['owner', 'manager', 'gate'],
  filters: {
    status: v.optional(v.picklist(eventStatuses)),
    kind: v.optional(v.picklist(eventKinds)),
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
