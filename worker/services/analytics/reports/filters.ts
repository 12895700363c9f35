// What every analytics report shares: the organizer, an inclusive day range (the organizer's calendar days, as the
// rollups store them) and optional dimension filters (reports/cubes.ts turns them into range scans). Reports
// read the rollups only; another organizer's ids simply match no row of this organizer (an empty report).
import type { Database } from '../../../db/client.ts'

export interface ReportFilter {
  organizerId: string
  /** YYYY-MM-DD, inclusive. */
  from: string
  to: string
  eventId?: string | undefined
  showId?: string | undefined
  siteId?: string | undefined
  productId?: string | undefined
  /** A show's price category code. */
  category?: string | undefined
  channel?: string | undefined
}

export const d1Of = (db: Database) => (db as Database & { $client: D1Database }).$client

/** Sales kinds: a paid order adds, a refund subtracts (amount stored negative), a rebooking moves lines away. */
export const salesKinds = ['paid', 'refund', 'rebook'] as const

/**
 * The money columns of a sales rollup query. `gross` is what orders were paid (a rebooking's new order counts only
 * what it added beyond the credit carried over from the replaced lines); `refunds` is positive; `net` = gross − refunds.
 * `tickets` stand net of refunds and rebookings; `orders` counts paid orders (a fully rebooked order is replaced).
 */
export const salesColumns = `
  sum(CASE WHEN kind <> 'refund' THEN amount ELSE 0 END) AS gross,
  -sum(CASE WHEN kind = 'refund' THEN amount ELSE 0 END) AS refunds,
  sum(amount) AS net,
  sum(CASE WHEN kind = 'refund' THEN -tickets ELSE tickets END) AS tickets,
  sum(CASE WHEN kind = 'refund' THEN tickets ELSE 0 END) AS refunded_tickets,
  sum(CASE WHEN kind <> 'refund' THEN orders ELSE 0 END) AS orders`

export interface SalesFigures {
  gross: number
  refunds: number
  net: number
  tickets: number
  refundedTickets: number
  orders: number
  /** gross / orders, rounded to a minor unit; 0 without orders. */
  averageOrderValue: number
}

export type SalesRow = {
  gross: number | null
  refunds: number | null
  net: number | null
  tickets: number | null
  refunded_tickets: number | null
  orders: number | null
}

export function salesFigures(row: SalesRow | undefined): SalesFigures {
  const orders = Number(row?.orders ?? 0)
  const gross = Number(row?.gross ?? 0)
  return {
    gross,
    refunds: Number(row?.refunds ?? 0),
    net: Number(row?.net ?? 0),
    tickets: Number(row?.tickets ?? 0),
    refundedTickets: Number(row?.refunded_tickets ?? 0),
    orders,
    averageOrderValue: orders > 0 ? Math.round(gross / orders) : 0,
  }
}

/** A share (0..1) to four decimals; 0 of a zero or negative whole. */
export const shareOf = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0
