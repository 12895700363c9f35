import * as v from 'valibot'
import { isoDateTime, money } from '../../query.ts'
import { amount, recordOf } from '../common.ts'
import { categoryAvailabilitySchema } from '../shows.ts'

export const refundTier = v.object({
  minHoursBefore: v.pipe(v.number(), v.minValue(0), v.maxValue(24 * 365)),
  feePercent: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)),
})

/** Full refund from 72 h before the start, 20% fee from 24 h, nothing after. */
export const defaultRefundTiers = [
  { minHoursBefore: 72, feePercent: 0 },
  { minHoursBefore: 24, feePercent: 20 },
]

export const showStatuses = ['scheduled', 'cancelled'] as const

export const showInput = v.object({
  eventId: v.string(),
  venueId: v.string(),
  startsAt: isoDateTime,
  endsAt: v.optional(v.nullable(isoDateTime)),
  saleStartsAt: isoDateTime,
  saleEndsAt: isoDateTime,
  prices: v.pipe(
    v.record(v.pipe(v.string(), v.minLength(1), v.maxLength(32)), money),
    v.minEntries(1, 'at least one price'),
  ),
  holdMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(120)), 15),
  /** On-sale protection: only signed-in customers may hold seats; anonymous buyers get `sign_in_required`. */
  signInToHold: v.optional(v.boolean(), false),
  status: v.optional(v.picklist(showStatuses), 'scheduled'),
  refundTiers: v.optional(v.pipe(v.array(refundTier), v.maxLength(10)), defaultRefundTiers),
})

export const showRecord = recordOf({
  ...showInput.entries,
  startsAt: v.string(),
  endsAt: v.nullable(v.string()),
  saleStartsAt: v.string(),
  saleEndsAt: v.string(),
  prices: v.record(v.string(), amount),
})

/** Seat counts by state as the show's inventory actor holds them, and availability per price category. */
export const showInventorySchema = v.object({
  showId: v.string(),
  seats: v.object({ free: v.number(), held: v.number(), sold: v.number(), blocked: v.number() }),
  activeHolds: v.number(),
  categories: v.array(categoryAvailabilitySchema),
})

export const seatBlocksResult = v.object({
  /** Seats whose state changed. */
  changed: v.array(v.string()),
  /** Seats left alone: not free (to block) or not blocked (to unblock), or unknown. */
  skipped: v.array(v.string()),
})

export const seatAllocationsResult = v.object({ allocated: v.number(), unknown: v.array(v.string()) })

export const showCancellation = v.object({
  showId: v.string(),
  status: v.literal('cancelled'),
  /** Paid orders refunded in full by this run. */
  refundedOrders: v.number(),
  /** Open group buys of the show that failed (each refunding its paid members). */
  failedGroups: v.number(),
})

export type ShowRecord = v.InferOutput<typeof showRecord>
export type ShowInventory = v.InferOutput<typeof showInventorySchema>
export type ShowCancellation = v.InferOutput<typeof showCancellation>
export type SeatBlocksResult = v.InferOutput<typeof seatBlocksResult>
export type SeatAllocationsResult = v.InferOutput<typeof seatAllocationsResult>
