import * as v from 'valibot'
import { boxOfficeTenders } from '../../db/schema/box-office.ts'
import { amount } from './common.ts'

// The box office (/box): a clerk's catalogue, shift, sales, refunds and reprints at the window.

const tenderTotals = v.object({ cash: v.number(), card: v.number(), payment_code: v.number() })

export const boxCatalogueSchema = v.object({
  organizerId: v.string(),
  organizerName: v.string(),
  currency: v.string(),
  /** Shows from today on, soonest first (at most 50). */
  shows: v.array(
    v.object({
      id: v.string(),
      eventName: v.string(),
      eventNameEn: v.nullable(v.string()),
      venueName: v.string(),
      venueNameEn: v.nullable(v.string()),
      startsAt: v.string(),
      realNameRequired: v.boolean(),
    }),
  ),
  sites: v.array(v.object({ id: v.string(), name: v.string(), nameEn: v.nullable(v.string()) })),
})

export const shiftSchema = v.object({
  id: v.string(),
  organizerId: v.string(),
  clerkId: v.string(),
  currency: v.string(),
  status: v.picklist(['open', 'closed']),
  openingFloat: amount,
  openedAt: v.string(),
  closedAt: v.nullable(v.string()),
  closingTotals: v.nullable(tenderTotals),
  expectedCash: v.nullable(v.number()),
  countedCash: v.nullable(v.number()),
  difference: v.nullable(v.number()),
})

export const shiftTotalsSchema = v.object({
  sales: tenderTotals,
  refunds: tenderTotals,
  net: tenderTotals,
  salesCount: v.number(),
  refundsCount: v.number(),
  expectedCash: v.number(),
})

export const shiftEntrySchema = v.object({
  id: v.string(),
  kind: v.picklist(['sale', 'refund']),
  tender: v.picklist(boxOfficeTenders),
  orderId: v.string(),
  amount: v.number(),
  tendered: v.nullable(v.number()),
  change: v.nullable(v.number()),
  reference: v.nullable(v.string()),
  createdAt: v.string(),
})

export const shiftViewSchema = v.object({
  shift: v.nullable(shiftSchema),
  totals: v.nullable(shiftTotalsSchema),
  entries: v.array(shiftEntrySchema),
})

export const boxTicketSchema = v.object({
  ticketId: v.string(),
  lineId: v.string(),
  status: v.picklist(['valid', 'revoked']),
  /** The QR code's content; null for a revoked ticket. */
  token: v.nullable(v.string()),
  title: v.string(),
  titleEn: v.nullable(v.string()),
  venue: v.string(),
  startsAt: v.nullable(v.string()),
  visitDate: v.nullable(v.string()),
  seat: v.nullable(v.string()),
  description: v.string(),
  holder: v.nullable(v.string()),
  entrance: v.nullable(v.string()),
  product: v.nullable(v.string()),
  productEn: v.nullable(v.string()),
})

export const boxOrderSchema = v.object({
  orderId: v.string(),
  number: v.string(),
  status: v.string(),
  total: amount,
  currency: v.string(),
  tickets: v.array(boxTicketSchema),
})

export const boxSaleSchema = v.object({
  ...boxOrderSchema.entries,
  /** Cash: the change to hand back. */
  change: v.nullable(v.number()),
})

export const boxRefundSchema = v.object({
  refundId: v.string(),
  amount: amount,
  status: v.string(),
  tender: v.picklist(boxOfficeTenders),
})

export const boxReprintSchema = v.object({ ticketId: v.string(), order: boxOrderSchema })

export type BoxCatalogue = v.InferOutput<typeof boxCatalogueSchema>
export type ShiftView = v.InferOutput<typeof shiftViewSchema>
export type BoxOrder = v.InferOutput<typeof boxOrderSchema>
export type BoxSale = v.InferOutput<typeof boxSaleSchema>
export type BoxTicket = v.InferOutput<typeof boxTicketSchema>
export type BoxRefund = v.InferOutput<typeof boxRefundSchema>
