// Waiting rooms (issue 22): the organizer's settings per on-sale, a show or a scenic site's visit date. The queue
// itself lives in the on-sale's WaitingRoom actor; only worker/services/waiting-room/ writes this table.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { scenicSites, shows } from './catalogue.ts'
import { createdAt, updatedAt } from './columns.ts'
import { organizers } from './staff.ts'

export const waitingRooms = sqliteTable(
  'waiting_rooms',
  {
    /** `show:<showId>` or `day:<siteId>:<date>`, the queue actor's name too. */
    onSale: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    showId: text().references(() => shows.id),
    siteId: text().references(() => scenicSites.id),
    /** YYYY-MM-DD, for a scenic day. */
    date: text(),
    enabled: integer({ mode: 'boolean' }).notNull(),
    opensAt: text().notNull(),
    /** Null: admissions follow how fast admitted buyers finish. */
    admissionPerMinute: integer(),
    requireChallenge: integer({ mode: 'boolean' }).notNull().default(false),
    passMinutes: integer().notNull(),
    /** Rooms (actors) the queue is split over, 1–64: one takes ~250 joins a second (ROOM_JOINS_PER_SECOND). */
    shards: integer().notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('waiting_rooms_organizer').on(t.organizerId)],
)
