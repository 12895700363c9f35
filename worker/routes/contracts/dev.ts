import * as v from 'valibot'

export const demoSummarySchema = v.object({
  /** False when the demo was already there (nothing is overwritten). */
  created: v.boolean(),
  organizerId: v.string(),
  accounts: v.array(v.object({ email: v.string(), role: v.string() })),
  seats: v.array(v.object({ venueId: v.string(), seatCount: v.number() })),
})

export const mailboxSchema = v.object({
  items: v.array(
    v.object({
      id: v.string(),
      to: v.string(),
      subject: v.string(),
      body: v.string(),
      createdAt: v.string(),
    }),
  ),
})

export const holdBatchingSchema = v.object({
  /** Hold calls the gateways received. */
  gatewayCalls: v.number(),
  /** Batches the gateways sent to the inventory actor. */
  actorBatches: v.number(),
})

export const orderCommitsSchema = v.object({
  /** Merged D1 batches that wrote two or more orders' batches (creations, confirmations) at once. */
  groups: v.number(),
  /** Order batches those merged batches wrote. */
  mergedOrders: v.number(),
  /** Order batches of groups whose merged batch failed, so each ran alone. */
  fellBack: v.number(),
  /** Order batches that had no concurrent one to merge with. */
  alone: v.number(),
})

export const outboxKicksSchema = v.object({
  /** Writes that kicked the publisher. */
  kicks: v.number(),
  /** Publisher runs those kicks started (a window's kicks share one). */
  runs: v.number(),
  /** Runs that found nothing to publish. */
  emptyRuns: v.number(),
  /** Events the runs published or tried. */
  events: v.number(),
  /** Message deliveries after a run, and those skipped because no message was written since the last. */
  deliveries: v.number(),
  deliveriesSkipped: v.number(),
  /** D1 calls of the runs and their deliveries. */
  d1Calls: v.number(),
})

export type DemoSummary = v.InferOutput<typeof demoSummarySchema>
