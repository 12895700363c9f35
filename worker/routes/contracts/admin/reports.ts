import * as v from 'valibot'
import { amount } from '../common.ts'

const figures = { tickets: v.number(), amount }

export const salesReport = v.object({
  currency: v.string(),
  from: v.string(),
  to: v.string(),
  totals: v.object({
    /** Orders paid in the range, refunded ones included. */
    orders: v.number(),
    /** Orders paid in the range that still hold a ticket (the orders behind `tickets`). */
    ordersWithTickets: v.number(),
    /** Tickets still standing and their price. */
    ...figures,
    /** What buyers paid for the lines sold in the range, refunded lines included. */
    gross: amount,
    /** Gross less refunds: what the organizer keeps (refund fees stay in it). */
    net: amount,
    refundedTickets: v.number(),
    refunded: amount,
  }),
  byDay: v.array(v.object({ date: v.string(), orders: v.number(), ...figures })),
  /**
   * `key` is the price category code (shows) or ticket type (scenic: `adult`, `child`, … for apps to word);
   * `name` the category's name and `nameEn` its optional English name (null for scenic types).
   */
  byTicketType: v.array(
    v.object({
      kind: v.picklist(['show', 'scenic']),
      key: v.string(),
      name: v.string(),
      nameEn: v.nullable(v.string()),
      ...figures,
    }),
  ),
  byChannel: v.array(
    v.object({
      channel: v.string(),
      name: v.string(),
      nameEn: v.nullable(v.string()),
      orders: v.number(),
      ...figures,
    }),
  ),
})

export const sellThroughReport = v.object({
  currency: v.string(),
  from: v.string(),
  to: v.string(),
  shows: v.array(
    v.object({
      showId: v.string(),
      eventId: v.string(),
      eventName: v.string(),
      /** The event's optional English name; English pages show it, falling back to `eventName`. */
      eventNameEn: v.nullable(v.string()),
      startsAt: v.string(),
      status: v.string(),
      capacity: v.number(),
      ...figures,
    }),
  ),
})

export type SalesReport = v.InferOutput<typeof salesReport>
export type SellThroughReport = v.InferOutput<typeof sellThroughReport>
