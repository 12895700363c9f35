import { dayName } from './day-name.ts'
import type { ScenicDayInventory } from './inventory.ts'

// How the rest of the system reaches a scenic day's actor (one per site and visit date). The worker's services
// and the hold gateway import this and the contract's types, never the actor's insides.

export type * from './contract.ts'
export { dayName } from './day-name.ts'
export type { ScenicDayInventory } from './inventory.ts'

/** The actor that owns one scenic site's visit date. */
export function scenicDay(
  namespace: DurableObjectNamespace<ScenicDayInventory>,
  siteId: string,
  date: string,
): DurableObjectStub<ScenicDayInventory> {
  return namespace.get(namespace.idFromName(dayName(siteId, date)))
}
