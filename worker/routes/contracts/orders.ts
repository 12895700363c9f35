import * as v from 'valibot'
import { orderStatuses } from '../../db/schema.ts'
import { couponKinds } from '../../domain/coupons.ts'
import { locales } from '../../domain/locale.ts'
import { refundReasonCodes } from '../../domain/refund-reason.ts'
import { amount, pageOf, statusReasonFields } from './common.ts'

/** An order as stored: buyer, what it is for, money (minor units) and where it stands. */
/**
 * A seat as section, row and number: `section` is the key in the seat's label (`Stalls` of `Stalls-A-12`),
 * `sectionName` / `sectionNameEn` what people read (池座 / Stalls; the key when the venue names none).
 */
export const seatPlaceSchema = v.object({
  section: v.string(),
  sectionName: v.string(),
  sectionNameEn: v.nullable(v.string()),
  row: v.string(),
  number: v.string(),
})

export const orderRecordSchema = v.object({
  id: v.string(),
  /** Short human reference printed on tickets and receipts. */
  number: v.string(),
  organizerId: v.string(),
  customerId: v.nullable(v.string()),
  /** The identity that owned the hold (customer id or anonymous buyer id). */
  buyerId: v.string(),
  email: v.nullable(v.string()),
  phone: v.nullable(v.string()),
  kind: v.picklist(['show', 'scenic']),
  showId: v.nullable(v.string()),
  siteId: v.nullable(v.string()),
  visitDate: v.nullable(v.string()),
  holdId: v.string(),
  /** Sales channel code: `web` for the shop, the partner's channel for OTA orders. */
  channel: v.string(),
  status: v.picklist(orderStatuses),
  /** Why the order is in its state, in English (e.g. a late payment refunded); apps show `statusReasonCode` instead. */
  statusReason: v.nullable(v.string()),
  ...statusReasonFields,
  total: amount,
  refundedTotal: amount,
  currency: v.string(),
  /** The buyer's language when ordering (`zh-CN` / `en`): the order's messages are written in it; null before it was kept. */
  locale: v.optional(v.nullable(v.picklist(locales))),
  expiresAt: v.string(),
  reminderSentAt: v.nullable(v.string()),
  paidAt: v.nullable(v.string()),
  /** 改签: the order whose lines this one replaces once paid, and those lines. */
  rebookOf: v.nullable(v.string()),
  rebookLineIds: v.nullable(v.array(v.string())),
  createdAt: v.string(),
  updatedAt: v.string(),
})
export const orderPageSchema = pageOf(orderRecordSchema)

export const orderLineStatuses = ['active', 'refunded', 'rebooked'] as const

export const orderLineSchema = v.object({
  id: v.string(),
  orderId: v.string(),
  /** The seat id, or the scenic ticket's line in the day's inventory. */
  inventoryRef: v.string(),
  /** English text kept for partners and webhooks; apps build the line from `place`, `product` and `slot`. */
  description: v.string(),
  seatLabel: v.nullable(v.string()),
  category: v.nullable(v.string()),
  productId: v.nullable(v.string()),
  slot: v.nullable(v.string()),
  visitorName: v.nullable(v.string()),
  /** Masked ID number; the full one never leaves the inventory. */
  visitorIdMasked: v.nullable(v.string()),
  visitorPhone: v.nullable(v.string()),
  /** What the buyer pays for the line after checkout discounts; what refunding the line pays back. */
  price: amount,
  /** Checkout discounts (member, coupon, points) taken off this line; `price + discount` is its cost before them. */
  discount: amount,
  /** The list price the seat was quoted against at hold time (null on older lines and scenic tickets). */
  listPrice: v.nullable(amount),
  /** The tier, flash sale or price step the quote came from; null at list price. */
  tier: v.nullable(v.string()),
  /** `rebooked`: replaced by a line of a later order (改签). */
  status: v.picklist(orderLineStatuses),
  refundId: v.nullable(v.string()),
  /** 改签: the order replacing this line, while it is pending and once it is paid. */
  rebookOrderId: v.nullable(v.string()),
  ticket: v.nullable(v.object({ id: v.string(), status: v.picklist(['valid', 'revoked']) })),
  /** The seat as section, row and number (null for scenic lines, or a seat map imported again since). */
  place: v.nullable(seatPlaceSchema),
  /** Scenic: the product's name and its optional English name. */
  product: v.nullable(v.string()),
  productEn: v.nullable(v.string()),
})

export const paymentSummarySchema = v.object({
  id: v.string(),
  /** `sandbox`, `stripe`, `settlement` (partners), `credit` (carried over by a rebooking) or `free`. */
  provider: v.string(),
  amount,
  currency: v.string(),
  status: v.picklist(['created', 'succeeded', 'failed', 'refunded', 'partially_refunded']),
  createdAt: v.string(),
})

export const refundSchema = v.object({
  id: v.string(),
  orderId: v.string(),
  paymentId: v.nullable(v.string()),
  amount,
  fee: amount,
  lineIds: v.array(v.string()),
  /** In English for partners, or as staff typed it; apps show `reasonCode` with `reasonParams` instead. */
  reason: v.string(),
  /**
   * Why, as a code: `buyer_request`, `show_cancelled` / `partner_cancelled` (`note`), `cascaded` /
   * `rebook_difference` (`order`: its number), `balance_after_close`, `order_status` (the order's
   * `statusReasonCode` says why), `note` (staff's own words, `note`).
   */
  reasonCode: v.picklist(refundReasonCodes),
  reasonParams: v.record(v.string(), v.string()),
  /** Who asked: `buyer:<id>`, `staff:<id>`, `system:<job>`, the partner. */
  requestedBy: v.string(),
  status: v.picklist(['pending', 'succeeded', 'failed']),
  providerRef: v.nullable(v.string()),
  createdAt: v.string(),
  updatedAt: v.string(),
})

/** 定金: the deposit paid first and the balance payable in [`balanceOpensAt`, `balanceDueAt`). */
export const orderDepositSchema = v.object({
  deposit: amount,
  /** Total − deposit: the second payment. */
  balance: amount,
  balanceOpensAt: v.string(),
  balanceDueAt: v.string(),
  /** Unpaid at the due time: the deposit is kept by the organizer or refunded. */
  forfeit: v.picklist(['keep', 'refund']),
  /** Where the balance window stands now. */
  window: v.picklist(['upcoming', 'open', 'closed']),
})

export const orderDiscountSchema = v.object({
  source: v.picklist(['member', 'coupon', 'points', 'referral']),
  /** The coupon, member tier or points redemption it came from. */
  ref: v.string(),
  label: v.string(),
  amount,
  /** Minor units off each line, by line id. */
  perLine: v.record(v.string(), amount),
})

/** An order as its buyer sees it: lines with their tickets, payments and refunds. */
export const orderViewSchema = v.object({
  ...orderRecordSchema.entries,
  /** Money received over the order's payments (refunds are in `refundedTotal`). */
  amountPaid: amount,
  /** 定金 terms when the order was bought with a deposit. */
  deposit: v.nullable(orderDepositSchema),
  /** Checkout discounts in the order they were applied (member, coupon, points), each split over the lines. */
  discounts: v.array(orderDiscountSchema),
  lines: v.array(orderLineSchema),
  payments: v.array(paymentSummarySchema),
  refunds: v.array(refundSchema),
})

export const auditEventSchema = v.object({
  id: v.string(),
  orderId: v.string(),
  /** Who or what caused it: `buyer:…`, `staff:…`, `system:…`, `partner:…`. */
  actor: v.string(),
  action: v.string(),
  fromStatus: v.nullable(v.string()),
  toStatus: v.nullable(v.string()),
  detail: v.nullable(v.record(v.string(), v.unknown())),
  at: v.string(),
})

/** An order as staff see it: the buyer's view plus every state change (who, what, from → to, when). */
export const staffOrderViewSchema = v.object({
  ...orderViewSchema.entries,
  history: v.array(auditEventSchema),
})

/** A new pending order: pay `amountDue` (its total) at `checkoutUrl`. */
export const orderCreatedSchema = v.object({
  orderId: v.string(),
  paymentId: v.string(),
  checkoutUrl: v.string(),
  amountDue: amount,
  order: orderViewSchema,
})

/** 定金: the balance payment to complete at `checkoutUrl`. */
export const balancePaymentSchema = v.object({
  orderId: v.string(),
  paymentId: v.string(),
  checkoutUrl: v.string(),
  amountDue: amount,
})

/** 改签: the new order charges only the difference; with nothing due it is complete at once (`checkoutUrl` null). */
export const rebookingCreatedSchema = v.object({
  ...orderCreatedSchema.entries,
  checkoutUrl: v.nullable(v.string()),
})

/** What a refund would return now: the policy tier's amount and fee, or why it is not allowed. */
/**
 * Refund as coupon (优惠券补偿): the coupon a signed-in buyer may choose with this refund (`compensation: "coupon"`),
 * its title and value. `instead_of_fee`: it compensates the fee deducted; `on_top`: it comes with the refund. The
 * cash `amount` is the same whichever the buyer chooses.
 */
export const refundCompensationOfferSchema = v.object({
  couponId: v.string(),
  mode: v.picklist(['instead_of_fee', 'on_top']),
  title: v.string(),
  titleEn: v.nullable(v.string()),
  kind: v.picklist(couponKinds),
  amountOff: v.nullable(amount),
  minSpend: amount,
  percentOff: v.nullable(v.number()),
  maxOff: v.nullable(amount),
  ticketPrice: v.nullable(amount),
})

export const refundQuoteSchema = v.variant('allowed', [
  v.object({
    allowed: v.literal(true),
    amount,
    fee: amount,
    feePercent: v.number(),
    hoursBefore: v.number(),
    lineIds: v.array(v.string()),
    /** The buyer's refund quote only: the coupon offered with it, or null. */
    compensation: v.optional(v.nullable(refundCompensationOfferSchema)),
  }),
  v.object({
    allowed: v.literal(false),
    reason: v.string(),
    hoursBefore: v.number(),
    lineIds: v.array(v.string()),
  }),
])

export const refundedSchema = v.object({ refund: refundSchema, order: orderViewSchema })
export const staffRefundedSchema = v.object({ refund: refundSchema, order: staffOrderViewSchema })

/** What a ticket says to a person: seat, scenic product and slot, the zone its times are in, its state. */
const ticketFacts = {
  /** The seat as section, row and number (null for scenic tickets, or a seat map imported again since). */
  place: v.nullable(seatPlaceSchema),
  /** Scenic: the product's name. */
  product: v.nullable(v.string()),
  /** Scenic: the product's optional English name; English pages show it, falling back to `product`. */
  productEn: v.nullable(v.string()),
  /** Scenic: the entry slot's local times (`end` empty when the slot is no longer configured). */
  slot: v.nullable(v.object({ start: v.string(), end: v.string() })),
  /** IANA time zone of the venue (its organizer's) or the scenic site. */
  timeZone: v.string(),
  /** When a gate first admitted it (核销). */
  redeemedAt: v.nullable(v.string()),
  /** `used`: admitted at a gate; `refunded`: revoked by a refund or cancellation; `rebooked`: replaced (改签). */
  state: v.picklist(['valid', 'used', 'refunded', 'rebooked']),
}

export const ticketSchema = v.object({
  ticketId: v.string(),
  lineId: v.string(),
  status: v.picklist(['valid', 'revoked']),
  description: v.string(),
  seat: v.nullable(v.string()),
  holder: v.nullable(v.string()),
  validFrom: v.string(),
  validUntil: v.string(),
  /** Compact JWS (EdDSA) for the QR code; null once revoked. */
  token: v.nullable(v.string()),
  title: v.string(),
  /** The event's optional English name; English pages show it, falling back to `title`. */
  titleEn: v.nullable(v.string()),
  startsAt: v.nullable(v.string()),
  visitDate: v.nullable(v.string()),
  venue: v.string(),
  /** The venue's or site's optional English name. */
  venueEn: v.nullable(v.string()),
  /** Seat section or time slot. */
  entrance: v.nullable(v.string()),
  holderIdMasked: v.nullable(v.string()),
  /** Events with anti-screenshot codes: this ticket's secret for the 6-digit code beside the QR. */
  rotatingCode: v.nullable(v.object({ secret: v.string(), stepSeconds: v.number() })),
  ...ticketFacts,
})
export const ticketListSchema = v.object({ items: v.array(ticketSchema) })

/** What opens a ticket at a gate with no network: its signed token and, where the event asks, its own code secret. */
export const ticketPassSchema = v.object({
  /** Compact JWS (EdDSA) for the QR code, as on the order's ticket page. */
  token: v.string(),
  /** Events with anti-screenshot codes: this ticket's secret for the 6-digit code (never the event's). */
  rotatingCode: v.nullable(v.object({ secret: v.string(), stepSeconds: v.number() })),
})

/** One ticket in the buyer's wallet ("My tickets"): enough to list it, and to show it offline while upcoming. */
export const walletTicketSchema = v.object({
  ticketId: v.string(),
  orderId: v.string(),
  orderNumber: v.string(),
  kind: v.picklist(['show', 'scenic']),
  /** Event or scenic site name. */
  title: v.string(),
  /** The event's optional English name; English pages show it, falling back to `title`. */
  titleEn: v.nullable(v.string()),
  /** Venue (hall) or scenic site. */
  venue: v.string(),
  /** Its optional English name. */
  venueEn: v.nullable(v.string()),
  city: v.string(),
  /** The city's optional English name; English pages show it, falling back to `city`. */
  cityEn: v.nullable(v.string()),
  /** Show start (ISO), or null for visits. */
  startsAt: v.nullable(v.string()),
  /** Visit date (YYYY-MM-DD), or null for shows. */
  visitDate: v.nullable(v.string()),
  /** When the ticket stops admitting (ISO): after it, it belongs with past tickets. */
  validUntil: v.string(),
  /** Price category name (shows). */
  category: v.nullable(v.string()),
  /** Its optional English name. */
  categoryEn: v.nullable(v.string()),
  holder: v.nullable(v.string()),
  /** Seat label as printed when `place` is unknown. */
  seat: v.nullable(v.string()),
  ...ticketFacts,
  /** Valid and not yet over: the token and code secret the shop keeps on the device; otherwise null. */
  pass: v.nullable(ticketPassSchema),
})
export const walletPageSchema = pageOf(walletTicketSchema)

export type OrderRecord = v.InferOutput<typeof orderRecordSchema>
export type OrderLine = v.InferOutput<typeof orderLineSchema>
export type PaymentSummary = v.InferOutput<typeof paymentSummarySchema>
export type Refund = v.InferOutput<typeof refundSchema>
export type OrderView = v.InferOutput<typeof orderViewSchema>
export type AuditEvent = v.InferOutput<typeof auditEventSchema>
export type StaffOrderView = v.InferOutput<typeof staffOrderViewSchema>
export type OrderCreated = v.InferOutput<typeof orderCreatedSchema>
export type RebookingCreated = v.InferOutput<typeof rebookingCreatedSchema>
export type RefundQuote = v.InferOutput<typeof refundQuoteSchema>
export type Refunded = v.InferOutput<typeof refundedSchema>
export type StaffRefunded = v.InferOutput<typeof staffRefundedSchema>
export type Ticket = v.InferOutput<typeof ticketSchema>
export type WalletTicket = v.InferOutput<typeof walletTicketSchema>
