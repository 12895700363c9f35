import * as v from 'valibot'
import { amount, pageOf } from './common.ts'

/** What the public sees of a scheduled show of a published event. */
export const showSummarySchema = v.object({
  id: v.string(),
  eventId: v.string(),
  eventName: v.string(),
  kind: v.string(),
  venueId: v.string(),
  venueName: v.string(),
  city: v.string(),
  startsAt: v.string(),
  endsAt: v.nullable(v.string()),
  saleStartsAt: v.string(),
  saleEndsAt: v.string(),
  realNameRequired: v.boolean(),
  maxTicketsPerBuyer: v.number(),
  /** Only signed-in customers may hold seats (the organizer's on-sale protection). */
  signInToHold: v.boolean(),
})
export const showPageSchema = pageOf(showSummarySchema)

export const categoryAvailabilitySchema = v.object({
  code: v.string(),
  name: v.string(),
  color: v.string(),
  price: amount,
  available: v.number(),
  total: v.number(),
})

export const showDetailSchema = v.object({
  ...showSummarySchema.entries,
  onSale: v.boolean(),
  categories: v.array(categoryAvailabilitySchema),
})

export const seatStates = ['free', 'held', 'sold', 'blocked'] as const
export const seatSchema = v.object({
  id: v.string(),
  label: v.string(),
  section: v.string(),
  row: v.string(),
  category: v.string(),
  x: v.number(),
  y: v.number(),
  accessible: v.boolean(),
  companion: v.boolean(),
  restrictedView: v.boolean(),
  state: v.picklist(seatStates),
})

export const seatMapSchema = v.object({
  showId: v.string(),
  /** Change counter: live deltas continue from it. */
  version: v.number(),
  onSale: v.boolean(),
  currency: v.string(),
  stage: v.nullable(v.object({ x: v.number(), y: v.number() })),
  categories: v.array(categoryAvailabilitySchema),
  seats: v.array(seatSchema),
})

export const heldSeatSchema = v.object({
  id: v.string(),
  label: v.string(),
  section: v.string(),
  row: v.string(),
  category: v.string(),
  price: amount,
})

/** A show hold: what was held, the price quote in minor units and when it lapses. */
export const showHoldSchema = v.object({
  id: v.string(),
  showId: v.string(),
  seats: v.array(heldSeatSchema),
  total: amount,
  currency: v.string(),
  expiresAt: v.string(),
})

export type ShowSummary = v.InferOutput<typeof showSummarySchema>
export type CategoryAvailability = v.InferOutput<typeof categoryAvailabilitySchema>
export type ShowDetail = v.InferOutput<typeof showDetailSchema>
export type SeatState = (typeof seatStates)[number]
export type Seat = v.InferOutput<typeof seatSchema>
export type SeatMap = v.InferOutput<typeof seatMapSchema>
export type HeldSeat = v.InferOutput<typeof heldSeatSchema>
export type ShowHold = v.InferOutput<typeof showHoldSchema>
