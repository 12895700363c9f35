import * as v from 'valibot'
import { amount } from '../common.ts'

// Response schemas of the organizer's analytics reports read from the daily rollups (issue 23): sales, sales
// progress, channels and the funnel. Money in minor units of `currency`.

const salesFigures = {
  /** What orders were paid (a rebooking's new order adds only what it cost beyond the credit it carried). */
  gross: amount,
  /** Refunded, positive. */
  refunds: amount,
  /** gross − refunds. */
  net: amount,
  /** Tickets standing: paid, less refunded and rebooked away. */
  tickets: v.number(),
  refundedTickets: v.number(),
  /** Paid orders (a fully rebooked order is replaced by its new one, not counted twice). */
  orders: v.number(),
  /** gross / orders, rounded. */
  averageOrderValue: amount,
}

const range = { currency: v.string(), from: v.string(), to: v.string() }

export const analyticsSalesReport = v.object({
  ...range,
  granularity: v.picklist(['day', 'week', 'month']),
  totals: v.object(salesFigures),
  /** `period` is the first day of the day, week (Monday) or month. */
  series: v.array(v.object({ period: v.string(), ...salesFigures })),
  /** Per scenic product (`productId`) or show price category (`category`, with its name from the venue chart). */
  byTicketType: v.array(
    v.object({
      productId: v.nullable(v.string()),
      category: v.nullable(v.string()),
      name: v.string(),
      nameEn: v.nullable(v.string()),
      ...salesFigures,
    }),
  ),
  /** Best-selling performances (场次), most tickets first. */
  topShows: v.array(
    v.object({
      showId: v.string(),
      eventId: v.nullable(v.string()),
      eventName: v.string(),
      eventNameEn: v.nullable(v.string()),
      startsAt: v.nullable(v.string()),
      ...salesFigures,
    }),
  ),
})

export const salesProgressReport = v.object({
  showId: v.string(),
  /** The axis: days before each show's start day, descending to 0. */
  daysBefore: v.array(v.number()),
  shows: v.array(
    v.object({
      showId: v.string(),
      eventId: v.string(),
      eventName: v.string(),
      eventNameEn: v.nullable(v.string()),
      startsAt: v.string(),
      current: v.boolean(),
      /** Cumulative tickets at each `daysBefore`; null for days still to come. */
      cumulativeTickets: v.array(v.nullable(v.number())),
      tickets: v.number(),
    }),
  ),
})

const channelName = {
  channel: v.string(),
  name: v.string(),
  nameEn: v.nullable(v.string()),
  kind: v.nullable(v.picklist(['own_site', 'ota', 'kiosk', 'box_office'])),
}

export const channelReport = v.object({
  ...range,
  totals: v.object({ net: amount, tickets: v.number() }),
  byChannel: v.array(
    v.object({
      ...channelName,
      ...salesFigures,
      /** Share (0..1, four decimals) of the net revenue and of the tickets of all channels. */
      revenueShare: v.number(),
      ticketShare: v.number(),
    }),
  ),
  settlement: v.array(
    v.object({
      ...channelName,
      soldTickets: v.number(),
      soldNet: amount,
      refundedTickets: v.number(),
      redeemedTickets: v.number(),
      /** Line prices of the partner's tickets redeemed in the range. */
      redeemedAmount: amount,
      commissionBps: v.number(),
      commission: amount,
      /** redeemedAmount − commission: what the partner owes for what was used. */
      due: amount,
    }),
  ),
})

const steps = v.object({
  view: v.number(),
  open: v.number(),
  hold: v.number(),
  order: v.number(),
  paid: v.number(),
})
const conversion = v.object({
  open: v.nullable(v.number()),
  hold: v.nullable(v.number()),
  order: v.nullable(v.number()),
  paid: v.nullable(v.number()),
  overall: v.nullable(v.number()),
})
const funnelRow = v.object({ key: v.string(), steps, conversion })

export const funnelReport = v.object({
  from: v.string(),
  to: v.string(),
  steps,
  conversion,
  /** `key` is the source (`direct`, `ref:CODE`, a utm_source, `site:host`). */
  bySource: v.array(funnelRow),
  /** `key` is the device class (mobile, tablet, desktop, bot, unknown). */
  byDevice: v.array(funnelRow),
})

export type AnalyticsSalesReport = v.InferOutput<typeof analyticsSalesReport>
export type SalesProgressReport = v.InferOutput<typeof salesProgressReport>
export type ChannelReport = v.InferOutput<typeof channelReport>
export type FunnelReport = v.InferOutput<typeof funnelReport>
