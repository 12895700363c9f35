import type { Database } from '../db/client.ts'
import { events, shows } from '../db/schema.ts'
import { showOnSale } from '../domain/admission-pass.ts'
import { readSettings, writeSettings } from '../services/waiting-room/settings.ts'
import { beijing, demoIds, midNextMonth } from './demo-data.ts'

// A demo on-sale through a waiting room (issue 22): a pop concert in the concert hall whose queue opens five
// minutes after the demo is first loaded, so `npm run dev` shows the pre-queue countdown, then places, the
// hand-off to the seat map and the console's waiting-room panel. Loaded again later, the room is left as it is
// (already open, or as edited by hand). Fixed ids; Chinese names with English ones beside.

export const demoWaitingRoom = { event: 'evt_demo_tour', show: 'shw_demo_tour' } as const

const day = 24 * 3600_000

export async function seedDemoWaitingRoom(db: Database, now: Date) {
  const org = demoIds.organizer
  await db
    .insert(events)
    .values({
      id: demoWaitingRoom.event,
      organizerId: org,
      name: '星河巡回演唱会',
      nameEn: 'Galaxy Tour Live',
      kind: 'concert',
      status: 'published',
      maxTicketsPerBuyer: 4,
      description: 'The season’s most wanted tickets: buyers queue in a waiting room and take turns.',
    })
    .onConflictDoNothing()
  const showDay = new Date(midNextMonth(now).getTime() + 10 * day)
  await db
    .insert(shows)
    .values({
      id: demoWaitingRoom.show,
      organizerId: org,
      eventId: demoWaitingRoom.event,
      venueId: demoIds.concertHall,
      startsAt: beijing(showDay, '19:30'),
      endsAt: beijing(showDay, '22:00'),
      saleStartsAt: new Date(now.getTime() - day).toISOString(),
      saleEndsAt: beijing(showDay, '19:00'),
      prices: { VIP: 168000, A: 98000, B: 68000, C: 38000 },
      refundTiers: [{ minHoursBefore: 72, feePercent: 0 }],
    })
    .onConflictDoNothing()
  const onSale = showOnSale(demoWaitingRoom.show)
  if (await readSettings(db, onSale)) return
  await writeSettings(
    db,
    org,
    { kind: 'show', onSale, showId: demoWaitingRoom.show },
    {
      enabled: true,
      opensAt: new Date(now.getTime() + 5 * 60_000).toISOString(),
      admissionPerMinute: null,
      requireChallenge: false,
      passMinutes: 10,
    },
  )
}
