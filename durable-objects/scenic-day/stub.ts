import type { ScenicDayInventory } from './inventory.ts'

// How the rest of the system reaches a scenic day's actor: one per site and visit date, named `<siteId>:<date>`.
// The worker's services and the hold gateway import this and the contract, never the actor's insides.

export type * from './contract.ts'

/** The actor name of a scenic site's visit date. */
export const dayName = (siteId: string, date: string) => `${siteId}:${date}`

/** The site and date an actor name stands for (the date is the part after the last colon). */
export function dayOfName(name: string): { siteId: string; date: string } {
  const at = name.lastIndexOf(':')
  return { siteId: name.slice(0, at), date: name.slice(at + 1) }
}

/** The actor that owns one scenic site's visit date. */
export function scenicDay(
  namespace: DurableObjectNamespace<ScenicDayInventory>,
  siteId: string,
  date: string,
): DurableObjectStub<ScenicDayInventory> {
  return namespace.get(namespace.idFromName(dayName(siteId, date)))
}
