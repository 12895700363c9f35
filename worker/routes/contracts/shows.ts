import * as v from 'valibot'
import { amount, pageOf } from './common.ts'
import { sectionNameView } from './section-names.ts'
import { waitingRoomSummarySchema } from './waiting-room.ts'

/** What the public sees of a scheduled show of a published event. */
export const showSummarySchema = v.object({
  id: v.string(),
  eventId: v.string(),
  eventName: v.string(),
  /** The event's optional English name; English pages show it, falling back to `eventName`. */
  eventNameEn: v.nullable(v.string()),
  kind: v.string(),
  venueId: v.string(),
  venueName: v.string(),
  venueNameEn: v.nullable(v.string()),
  city: v.string(),
  /** The city's optional English name; English pages show it, falling back to `city`. */
  cityEn: v.nullable(v.string()),
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

/** A category's price now: a tier of its schedule (label, when it ends, places left) or the list price. */
export const currentPriceSchema = v.object({
  listPrice: amount,
  price: amount,
  tier: v.nullable(v.string()),
  endsAt: v.nullable(v.string()),
  unitsLeft: v.nullable(v.number()),
})

export const categoryAvailabilitySchema = v.object({
  code: v.string(),
  name: v.string(),
  /** The optional English name of the category; English pages show it, falling back to `name`. */
  nameEn: v.optional(v.string()),
  color: v.string(),
  /** The list price. */
  price: amount,
  available: v.number(),
  total: v.number(),
  current: currentPriceSchema,
})

/** A flash sale (限时限量) of the show: hold with its `id` as `flashSaleId`. */
export const flashSaleViewSchema = v.object({
  id: v.string(),
  label: v.string(),
  category: v.string(),
  price: amount,
  listPrice: amount,
  startsAt: v.string(),
  endsAt: v.string(),
  perBuyer: v.number(),
  units: v.number(),
  unitsLeft: v.number(),
  status: v.picklist(['upcoming', 'active', 'ended']),
})

/** A presale phase: open to holders of a presale code (`presaleCode` on the hold) and/or to member tiers. */
export const salePhaseViewSchema = v.object({
  id: v.string(),
  label: v.string(),
  startsAt: v.string(),
  endsAt: v.string(),
  codes: v.boolean(),
  memberTiers: v.array(v.string()),
  status: v.picklist(['upcoming', 'active', 'ended']),
})

/** 定金: pay `amount` per ticket now, the balance in [`balanceOpensAt`, `balanceDueAt`); order with `deposit: true`. */
export const depositOfferSchema = v.object({
  amount: v.number(),
  /** Categories sold with a deposit; empty: all. */
  categories: v.array(v.string()),
  balanceOpensAt: v.string(),
  balanceDueAt: v.string(),
  /** An unpaid balance's deposit is kept by the organizer or refunded. */
  forfeit: v.picklist(['keep', 'refund']),
})

export const showDetailSchema = v.object({
  ...showSummarySchema.entries,
  onSale: v.boolean(),
  categories: v.array(categoryAvailabilitySchema),
  flashSales: v.array(flashSaleViewSchema),
  salePhases: v.array(salePhaseViewSchema),
  /** The deposit presale while its balance can still be paid; null otherwise. */
  deposit: v.nullable(depositOfferSchema),
  /** The show's waiting room while it is on (send buyers to its queue before the seat map); null otherwise. */
  waitingRoom: waitingRoomSummarySchema,
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
  /** The sections of `seats` (their `section` keys) with the names people read, in the seats' order. */
  sections: v.array(sectionNameView),
})

export const heldSeatSchema = v.object({
  id: v.string(),
  label: v.string(),
  section: v.string(),
  row: v.string(),
  category: v.string(),
  /** The quoted unit price: what the order charges. */
  price: amount,
  listPrice: amount,
  /** The tier or flash sale the price comes from; null at list price. */
  tier: v.nullable(v.string()),
})

/** A show hold: what was held, the price quote in minor units and when it lapses. */
export const showHoldSchema = v.object({
  id: v.string(),
  showId: v.string(),
  seats: v.array(heldSeatSchema),
  total: amount,
  currency: v.string(),
  expiresAt: v.string(),
  /** List prices minus quoted prices. */
  discount: amount,
})

export type ShowSummary = v.InferOutput<typeof showSummarySchema>
export type FlashSaleView = v.InferOutput<typeof flashSaleViewSchema>
export type CategoryAvailability = v.InferOutput<typeof categoryAvailabilitySchema>
export type ShowDetail = v.InferOutput<typeof showDetailSchema>
export type DepositOffer = v.InferOutput<typeof depositOfferSchema>
export type SeatState = (typeof seatStates)[number]
export type Seat = v.InferOutput<typeof seatSchema>
export type SeatMap = v.InferOutput<typeof seatMapSchema>
export type HeldSeat = v.InferOutput<typeof heldSeatSchema>
export type ShowHold = v.InferOutput<typeof showHoldSchema>
