import { scenicDay } from '../scenic-day/stub.ts'
import type { WaitingRoomEnv } from './contract.ts'

// Sold out and returned seats: the queue asks the on-sale's inventory actor what is left on each of its ticks
// rather than being told by the inventory path. One small read per second per on-sale costs nothing beside the
// holds, keeps the inventory actors and the order path unaware of queues, and catches every way units come
// back (a hold expiring, a release, a refund, an organizer unblocking seats) without a hook in each of them.

/** Units left to sell now for the on-sale named `onSale` (`show:<id>` or `day:<siteId>:<date>`). */
export async function unitsLeft(env: WaitingRoomEnv, onSale: string): Promise<number> {
  if (onSale.startsWith('show:')) {
    const showId = onSale.slice('show:'.length)
    const stub = env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))
    const { categories } = await stub.availability(showId)
    return categories.reduce((sum, category) => sum + category.available, 0)
  }
  const [, rest] = onSale.split(/^day:/)
  const at = (rest ?? '').lastIndexOf(':')
  const siteId = rest!.slice(0, at)
  const date = rest!.slice(at + 1)
  const day = await scenicDay(env.SCENIC_DAY_INVENTORY, siteId, date).availability(siteId, date, 'web')
  return day.remaining
}
