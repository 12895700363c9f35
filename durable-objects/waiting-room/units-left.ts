import { scenicDay } from '../scenic-day/stub.ts'
import type { WaitingRoomEnv } from './contract.ts'

// Sold out and returned seats: the queue asks the on-sale's inventory actor what is left on each of its ticks
// rather than being told by the inventory path. One small read per second per on-sale costs nothing beside the
// holds, keeps the inventory actors and the order path unaware of queues, and catches every way units come
// back (a hold expiring, a release, a refund, an organizer unblocking seats) without a hook in each of them.
// Asking names the room, so the inventory actor can tell it whose holds lapsed (shared/queue-listeners.ts).

/** Units left to sell now for the on-sale named `onSale` (`show:<id>` or `day:<siteId>:<date>`), asked by `room`. */
export async function unitsLeft(env: WaitingRoomEnv, onSale: string, room: string): Promise<number> {
  if (onSale.startsWith('show:')) {
    const showId = onSale.slice('show:'.length)
    return env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId)).unitsLeftForQueue(showId, room)
  }
  const [, rest] = onSale.split(/^day:/)
  const at = (rest ?? '').lastIndexOf(':')
  const siteId = rest!.slice(0, at)
  const date = rest!.slice(at + 1)
  return scenicDay(env.SCENIC_DAY_INVENTORY, siteId, date).unitsLeftForQueue(siteId, date, room)
}
