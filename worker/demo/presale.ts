import type { Database } from '../db/client.ts'
import { events, presaleCodes, showSalePhases, shows } from '../db/schema.ts'
import { beijing, demoIds, midNextMonth } from './demo-data.ts'
import { demoPresale } from './presale-ids.ts'

// A demo show in its presale: a jazz night in the concert hall whose general sale opens in three days, with a
// members' and code holders' presale open since yesterday and five presale codes of 10 uses each, so
// `npm run dev` shows the presale notice, the code field and the console's presale page. Fixed ids and codes;
// inserted only when missing, like the rest of the demo.

const day = 24 * 3600_000

export async function seedDemoPresale(db: Database, now: Date) {
  const org = demoIds.organizer
  await db
    .insert(events)
    .values({
      id: demoPresale.event,
      organizerId: org,
      name: '港湾爵士之夜',
      nameEn: 'Harbour Jazz Night',
      kind: 'concert',
      status: 'published',
      maxTicketsPerBuyer: 4,
      description: 'The Harbour Big Band with guests: swing, bossa nova and a late jam.',
    })
    .onConflictDoNothing()
  const showDay = new Date(midNextMonth(now).getTime() + 7 * day)
  const generalSale = beijing(new Date(now.getTime() + 3 * day), '10:00')
  await db
    .insert(shows)
    .values({
      id: demoPresale.show,
      organizerId: org,
      eventId: demoPresale.event,
      venueId: demoIds.concertHall,
      startsAt: beijing(showDay, '20:00'),
      endsAt: beijing(showDay, '22:30'),
      saleStartsAt: generalSale,
      saleEndsAt: beijing(showDay, '19:30'),
      prices: { VIP: 98000, A: 68000, B: 48000, C: 18000 },
      refundTiers: [{ minHoursBefore: 72, feePercent: 0 }],
    })
    .onConflictDoNothing()
  await db
    .insert(showSalePhases)
    .values({
      showId: demoPresale.show,
      organizerId: org,
      phases: [
        {
          id: 'members',
          label: '会员优先购 Members’ presale',
          startsAt: new Date(now.getTime() - day).toISOString(),
          endsAt: generalSale,
          codes: true,
          memberTiers: ['gold'],
        },
      ],
    })
    .onConflictDoNothing()
  await db
    .insert(presaleCodes)
    .values(
      demoPresale.codes.map((typed) => ({
        code: typed.replaceAll('-', ''),
        showId: demoPresale.show,
        organizerId: org,
        maxUses: demoPresale.usesPerCode,
      })),
    )
    .onConflictDoNothing()
}
