import * as v from 'valibot'
import { orderStatuses } from '../../db/schema.ts'
import { amount, listOf } from './common.ts'
import { orderLineStatuses } from './orders.ts'

const prices = {
  /** Crossed-out list price. */
  marketPrice: amount,
  /** What the partner sells at. */
  salePrice: amount,
  /** What the partner pays us: the order total. */
  settlementPrice: amount,
}

export const partnerProductSchema = v.object({
  productId: v.string(),
  siteId: v.string(),
  siteName: v.string(),
  /** The site's optional English name (null when the organizer gave none): for a partner's English pages. */
  siteNameEn: v.nullable(v.string()),
  name: v.string(),
  kind: v.string(),
  ticketType: v.string(),
  timed: v.boolean(),
  realNameRequired: v.boolean(),
  /** Tickets of this product one ID number may hold per day (0 = unlimited). */
  maxPerIdPerDay: v.number(),
  refundable: v.boolean(),
  validityDays: v.number(),
  /** Gate tickets one of which the visitor needs for the same day (父子票). */
  requiresParent: v.array(v.string()),
  currency: v.string(),
  ...prices,
})
export const partnerProductListSchema = listOf(partnerProductSchema)

export const partnerCalendarDaySchema = v.object({
  siteId: v.string(),
  date: v.string(),
  onSale: v.boolean(),
  /** What this partner can still sell that day: its channel quota, or the shared pool when it has none. */
  remaining: v.number(),
  channelQuota: v.nullable(v.object({ quota: v.number(), remaining: v.number() })),
  slots: v.array(v.object({ code: v.string(), start: v.string(), end: v.string(), remaining: v.number() })),
  products: v.array(v.object({ productId: v.string(), remaining: v.number(), ...prices })),
})
export const partnerCalendarSchema = v.object({ days: v.array(partnerCalendarDaySchema) })

export const reservationSchema = v.object({
  reservationId: v.string(),
  siteId: v.string(),
  date: v.string(),
  /** Book before this with `POST /orders`. */
  expiresAt: v.string(),
  currency: v.string(),
  /** The settlement total. */
  total: amount,
  lines: v.array(
    v.object({
      lineId: v.string(),
      productId: v.string(),
      productName: v.string(),
      slot: v.nullable(v.string()),
      salePrice: amount,
      settlementPrice: amount,
      visitorName: v.nullable(v.string()),
      visitorIdMasked: v.nullable(v.string()),
    }),
  ),
})

const partnerRefundFields = {
  refundId: v.string(),
  amount,
  fee: amount,
  lineIds: v.array(v.string()),
  reason: v.string(),
  status: v.picklist(['pending', 'succeeded', 'failed']),
}

export const partnerOrderSchema = v.object({
  orderId: v.string(),
  partnerOrderId: v.string(),
  number: v.string(),
  status: v.picklist(orderStatuses),
  statusReason: v.nullable(v.string()),
  channel: v.string(),
  siteId: v.nullable(v.string()),
  visitDate: v.nullable(v.string()),
  total: amount,
  refundedTotal: amount,
  currency: v.string(),
  createdAt: v.string(),
  paidAt: v.nullable(v.string()),
  lines: v.array(
    v.object({
      lineId: v.string(),
      productId: v.nullable(v.string()),
      description: v.string(),
      slot: v.nullable(v.string()),
      visitorName: v.nullable(v.string()),
      visitorIdMasked: v.nullable(v.string()),
      price: amount,
      status: v.picklist(orderLineStatuses),
      ticket: v.nullable(
        v.object({
          ticketId: v.string(),
          status: v.picklist(['valid', 'revoked']),
          code: v.pipe(
            v.nullable(v.string()),
            v.description('Signed ticket token for the QR code; null once revoked'),
          ),
          validFrom: v.string(),
          validUntil: v.string(),
          /** When a gate admitted it (核销), or null while unused. */
          redeemedAt: v.nullable(v.string()),
        }),
      ),
    }),
  ),
  refunds: v.array(v.object({ ...partnerRefundFields, createdAt: v.string() })),
})

export const partnerRefundSchema = v.object({
  refund: v.object(partnerRefundFields),
  order: partnerOrderSchema,
})

export type PartnerProductOffer = v.InferOutput<typeof partnerProductSchema>
export type PartnerCalendarDay = v.InferOutput<typeof partnerCalendarDaySchema>
export type Reservation = v.InferOutput<typeof reservationSchema>
export type PartnerOrder = v.InferOutput<typeof partnerOrderSchema>
export type PartnerRefund = v.InferOutput<typeof partnerRefundSchema>
