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

export const confirmationCommitsSchema = v.object({
  /** Merged D1 batches that confirmed two or more orders at once. */
  groups: v.number(),
  /** Orders those merged batches confirmed. */
  mergedOrders: v.number(),
  /** Orders of groups whose merged batch failed, so each ran alone. */
  fellBack: v.number(),
  /** Orders that had no concurrent confirmation to merge with. */
  alone: v.number(),
})

export type DemoSummary = v.InferOutput<typeof demoSummarySchema>
