// A scenic day's actor is named `<siteId>:<date>`: its callers find it by the name, and it knows its day from it.

/** The actor name of a scenic site's visit date. */
export const dayName = (siteId: string, date: string) => `${siteId}:${date}`

/** The site and date an actor name stands for (the date is the part after the last colon). */
export function dayOfName(name: string): { siteId: string; date: string } {
  const at = name.lastIndexOf(':')
  return { siteId: name.slice(0, at), date: name.slice(at + 1) }
}
