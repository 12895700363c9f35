import * as v from 'valibot'
import { orderStatusReasonCodes } from '../../domain/order-status-reason.ts'

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

/** Why an order is in its state as a stable code and its params (worker/domain/order-status-reason.ts); apps localize it. */
export const statusReasonFields = {
  statusReasonCode: v.nullable(v.picklist(orderStatusReasonCodes)),
  /** e.g. `{ "order": "R7K2" }` for `rebooked_to`. */
  statusReasonParams: v.nullable(v.record(v.string(), v.union([v.string(), v.number(), v.boolean()]))),
}
