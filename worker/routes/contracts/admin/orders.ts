import * as v from 'valibot'
import { amount, pageOf } from '../common.ts'
import { orderRecordSchema, seatPlaceSchema } from '../orders.ts'

/** An order in the organizer's list: the stored order plus what it is for, named as people search by it. */
export const staffOrderRowSchema = v.object({
  ...orderRecordSchema.entries,
  eventId: v.nullable(v.string()),
  eventName: v.nullable(v.string()),
  showStartsAt: v.nullable(v.string()),
  siteName: v.nullable(v.string()),
  siteNameEn: v.nullable(v.string()),
  /** Lines that still stand (not refunded or rebooked). */
  tickets: v.number(),
})
export const staffOrderPageSchema = pageOf(staffOrderRowSchema)

/** What cancelling a show would do, before it is done: orders refunded in full and the money moved. */
export const showCancellationQuote = v.object({
  showId: v.string(),
  currency: v.string(),
  orders: v.number(),
  tickets: v.number(),
  /** The sum refunded, fees waived (minor units). */
  amount,
  openGroupBuys: v.number(),
})

/** One ticket of a show, for the door list: who holds it and whether a gate admitted it. */
export const attendeeSchema = v.object({
  ticketId: v.string(),
  orderId: v.string(),
  orderNumber: v.string(),
  /** The seat's label (`Stalls-A-12`). */
  seat: v.nullable(v.string()),
  /** The seat as section (with its names), row and number; null for a seat map imported again since. */
  place: v.nullable(seatPlaceSchema),
  category: v.nullable(v.string()),
  /** The price zone's optional English name. */
  categoryEn: v.nullable(v.string()),
  holder: v.nullable(v.string()),
  contact: v.nullable(v.string()),
  status: v.picklist(['valid', 'revoked']),
  admittedAt: v.nullable(v.string()),
})
export const attendeeListSchema = v.object({
  items: v.array(attendeeSchema),
  admitted: v.number(),
  valid: v.number(),
})

export type StaffOrderRow = v.InferOutput<typeof staffOrderRowSchema>
export type ShowCancellationQuote = v.InferOutput<typeof showCancellationQuote>
export type Attendee = v.InferOutput<typeof attendeeSchema>
export type AttendeeList = v.InferOutput<typeof attendeeListSchema>
