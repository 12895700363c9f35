import type { ShowHoldRequest } from '../../durable-objects/show-inventory/contract.ts'
import type { FlashSale, PriceSchedule } from '../../worker/domain/price-schedule.ts'

// The bench's priced show: every category on a price schedule (an early bird for its first quarter, then an
// advance price for the next quarter, until tomorrow), its list price stepping with sell-through (+5% from 10%
// taken, +10% from 40%, +20% from 70%, within a ceiling: the step is worked out for every seat held, and each
// crossing is logged and published), and a flash sale on the last category, written to D1 before the actor loads
// the show, as the admin API would store them. And the flash-sale stampede: buyers of one unit each, until sold out.

export const FLASH_ID = 'bench-flash'
export const FLASH_UNITS = 2_000
export const FLASH_BUYERS = 20_000

export async function addPricing(
  db: D1Database,
  showId: string,
  categories: string[],
  seatsPerCategory: number,
) {
  const now = Date.now()
  const schedules: PriceSchedule[] = categories.map((category) => ({
    category,
    tiers: [
      { label: 'Early bird', price: 8000, quantity: Math.floor(seatsPerCategory / 4) },
      {
        label: 'Advance',
        price: 9000,
        quantity: Math.floor(seatsPerCategory / 4),
        endsAt: new Date(now + 86_400_000).toISOString(),
      },
    ],
    steps: [
      { atPercentSold: 10, percent: 5 },
      { atPercentSold: 40, percent: 10 },
      { atPercentSold: 70, percent: 20, label: 'Last seats' },
    ],
    ceiling: 11500,
  }))
  const flashSales: FlashSale[] = [
    {
      id: FLASH_ID,
      label: 'Flash sale',
      category: categories.at(-1)!,
      price: 5000,
      units: FLASH_UNITS,
      startsAt: new Date(now - 3_600_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      perBuyer: 1,
    },
  ]
  await db
    .prepare(
      `INSERT INTO show_pricing (show_id, organizer_id, schedules, flash_sales)
       SELECT id, organizer_id, ?, ? FROM shows WHERE id = ?`,
    )
    .bind(JSON.stringify(schedules), JSON.stringify(flashSales), showId)
    .run()
}

/**
 * FLASH_BUYERS buyers of one unit each through the coalescing queue, `callers` at a time, until each has had
 * an answer. Sold is what callers were given; the actor's own count of held seats must agree.
 */
export async function flashStampede(
  callers: number,
  category: string,
  hold: (request: ShowHoldRequest) => Promise<{ ok: boolean; seats: string[] }>,
  actorHeld: () => Promise<number>,
) {
  const started = Date.now()
  let next = 0
  let soldOutAt = 0
  const seats: string[] = []
  const refusals = new Map<string, number>()
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < FLASH_BUYERS) {
        const buyer = next++
        const answer = await hold({
          holderId: `flash-${buyer}`,
          best: { category, quantity: 1 },
          flashSaleId: FLASH_ID,
        })
        if (answer.ok) {
          seats.push(...answer.seats)
          if (seats.length >= FLASH_UNITS && !soldOutAt) soldOutAt = Date.now()
        } else refusals.set('refused', (refusals.get('refused') ?? 0) + 1)
      }
    }),
  )
  const elapsed = (Date.now() - started) / 1000
  const held = await actorHeld()
  return {
    name: 'flash-sale: stampede of one-unit buyers',
    layer: 'do',
    baseline: false,
    units: FLASH_UNITS,
    buyers: FLASH_BUYERS,
    sold: seats.length,
    oversold: Math.max(0, seats.length - FLASH_UNITS) + (seats.length - new Set(seats).size),
    secondsToSellOut: soldOutAt ? Math.round(((soldOutAt - started) / 1000) * 100) / 100 : null,
    answeredPerSecond: Math.round(FLASH_BUYERS / elapsed),
    holdsPerSecond: soldOutAt ? Math.round(FLASH_UNITS / ((soldOutAt - started) / 1000)) : 0,
    p50Ms: null,
    p99Ms: null,
    actorHeld: held,
    consistent: held === seats.length,
  }
}
