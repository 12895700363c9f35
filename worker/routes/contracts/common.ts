import * as v from 'valibot'

// The API's contracts: the valibot schemas of what each route answers (and, for the catalogue, what it
// takes), one module per route module. Routes declare them in their OpenAPI responses; the web apps import
// their types only (`import type`), so these modules hold nothing but valibot schemas and pure domain rules.

/** A keyset page: pass `nextCursor` back as `cursor` for the next one (null on the last page). */
export const pageOf = <T extends v.GenericSchema>(item: T) =>
  v.object({ items: v.array(item), nextCursor: v.nullable(v.string()) })

/** A list that is never paged. */
export const listOf = <T extends v.GenericSchema>(item: T) => v.object({ items: v.array(item) })

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

/** Fields every stored catalogue record carries besides its own. */
export const recordOf = <E extends v.ObjectEntries>(entries: E) =>
  v.object({
    id: v.string(),
    organizerId: v.string(),
    ...entries,
    createdAt: v.string(),
    updatedAt: v.string(),
  })

/** Money in integer minor units (fen for CNY). */
export const amount = v.pipe(v.number(), v.integer())
export const timestamp = v.pipe(v.string(), v.description('ISO-8601 UTC timestamp'))
