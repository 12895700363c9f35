/**
 * A few seconds of per-isolate memory for public catalogue reads on the hot path (a show's summary on
 * every hold), so an on-sale stampede does not become a D1 query per request. Values are plain data,
 * safe to share across requests; edits show up within the TTL.
 */
const entries = new Map<string, { value: unknown; until: number }>()
const MAX_ENTRIES = 5_000

export async function cachedRead<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
  const now = Date.now()
  const hit = entries.get(key)
  if (hit && hit.until > now) return hit.value as T
  const value = await load()
  if (entries.size >= MAX_ENTRIES) entries.clear()
  entries.set(key, { value, until: now + ttlMs })
  return value
}
