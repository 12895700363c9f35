import type { PriceBook } from '../../../worker/domain/price-schedule.ts'
import type { PriceAudience } from '../../../worker/domain/scenic-price-calendar.ts'
import type { DayAvailability } from '../contract.ts'
import { bookable } from './calendar.ts'
import type { DayCounts } from './counts.ts'
import { type DayConfig, generalCapacity } from './day-config.ts'
import { dayPrices } from './pricing.ts'

// What is left of a day, per slot and product, for one channel (the general pool when it has no allocation),
// and what one ticket of each product and package costs that channel now (rules/pricing.ts).

/**
 * The day as `channel` sees it on `today`. `channels` lists every channel's allocation: for the organizer's
 * view only; the public and partner routes pass on what their caller may see.
 */
export function dayAvailability(
  config: DayConfig,
  used: DayCounts,
  today: string,
  channel: string | undefined,
  pricing: { book: PriceBook; audience: PriceAudience; now: number },
): DayAvailability {
  const prices = dayPrices(config, pricing.book, pricing.audience, pricing.now)
  const channels = Object.fromEntries(
    Object.entries(config.quotas).map(([code, quota]) => [
      code,
      { quota, remaining: quota - (used.channel.get(code) ?? 0) },
    ]),
  )
  const dayLeft = config.dailyCapacity - used.entry
  const general = generalCapacity(config) - used.general
  const forChannel = channel && channels[channel] ? channels[channel].remaining : general
  const entryLeft = Math.max(0, Math.min(dayLeft, forChannel))
  return {
    siteId: config.siteId,
    date: config.date,
    onSale: bookable(config.date, today, config.bookingDaysAhead),
    capacity: config.dailyCapacity,
    remaining: entryLeft,
    channels,
    slots: config.slots.map((s) => ({
      ...s,
      remaining: Math.max(0, Math.min(entryLeft, s.capacity - (used.slot.get(s.code) ?? 0))),
    })),
    products: Object.values(config.products)
      .filter((p) => p.status === 'active')
      .map((p) => {
        const cap =
          p.dailyCapacity === null
            ? Number.POSITIVE_INFINITY
            : p.dailyCapacity - (used.product.get(p.id) ?? 0)
        const remaining = p.kind === 'entry' ? Math.min(entryLeft, cap) : cap
        return {
          id: p.id,
          name: p.name,
          kind: p.kind,
          ticketType: p.ticketType,
          ...prices.products(p.id),
          timed: p.timed,
          remaining: Number.isFinite(remaining) ? Math.max(0, remaining) : entryLeft,
        }
      }),
    packages: prices.packages,
  }
}
