import type { ScenicDayInventory } from '../../durable-objects/scenic-day-inventory.ts'

/** The DO that owns one scenic site's visit date. */
export function scenicDay(
  namespace: DurableObjectNamespace<ScenicDayInventory>,
  siteId: string,
  date: string,
) {
  return namespace.get(namespace.idFromName(`${siteId}:${date}`))
}
