/** D1 binds at most 100 parameters per statement: reads over many ids go in chunks of this many. */
const CHUNK = 90

/** Runs `read` over the distinct `ids` in chunks D1 can bind, and answers every chunk's rows together. */
export async function inChunks<T>(ids: string[], read: (chunk: string[]) => PromiseLike<T[]>): Promise<T[]> {
  const distinct = [...new Set(ids)]
  const rows: T[] = []
  for (let i = 0; i < distinct.length; i += CHUNK) rows.push(...(await read(distinct.slice(i, i + CHUNK))))
  return rows
}
