import * as v from 'valibot'

/** Fields every stored catalogue record carries besides its own. */
export const recordOf = <E extends v.ObjectEntries>(entries: E) =>
  v.object({
    id: v.string(),
    organizerId: v.string(),
    ...entries,
    createdAt: v.string(),
    updatedAt: v.string(),
  })
