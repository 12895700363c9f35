import * as v from 'valibot'
import { amount } from '../common.ts'

const figures = { tickets: v.number(), amount }

export const salesReport = v.object({
  currency: v.string(),
  from: v.string(),
  to: v.string(),
  totals: v.object({ orders: v.number(), ...figures, refundedTickets: v.number(), refunded: amount }),
  byDay: v.array(v.object({ date: v.string(), orders: v.number(), ...figures })),
  byTicketType: v.array(v.object({ kind: v.picklist(['show', 'scenic']), key: v.string(), ...figures })),
  byChannel: v.array(v.object({ channel: v.string(), orders: v.number(), ...figures })),
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
      startsAt: v.string(),
      status: v.string(),
      capacity: v.number(),
      ...figures,
    }),
  ),
})

export type SalesReport = v.InferOutput<typeof salesReport>
export type SellThroughReport = v.InferOutput<typeof sellThroughReport>
