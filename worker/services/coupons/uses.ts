import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { couponRedemptions, orders } from '../../db/schema.ts'

// Whether a coupon use still counts is derived from its order (worker/domain/coupons.ts, useIsLive), never written:
// the SQL below is the same rule, used both by the guards in the order's batch and by the counters the console shows.

/** SQL: the use joined to its order still counts against the caps. */
export const liveUse = sql`(${orders.status} NOT IN ('expired', 'cancelled') AND NOT (${couponRedemptions.returnOnRefund} = 1 AND ${orders.status} = 'refunded'))`

/** SQL: how many live uses match `where` (a subquery for guards and checks). */
export const liveUses = (where: SQL) =>
  sql`(SELECT count(*) FROM ${couponRedemptions} JOIN ${orders} ON ${orders.id} = ${couponRedemptions.orderId} WHERE ${where} AND ${liveUse})`

export const usesOfCoupon = (couponId: string) => eq(couponRedemptions.couponId, couponId)
export const usesOfCode = (codeId: string) => eq(couponRedemptions.codeId, codeId)
export const usesOfCustomer = (couponId: string, customerId: string) =>
  and(eq(couponRedemptions.couponId, couponId), eq(couponRedemptions.customerId, customerId))!

export async function countLiveUses(db: Database, where: SQL): Promise<number> {
  const [row] = await db.all<{ n: number }>(sql`SELECT ${liveUses(where)} AS n`)
  return Number(row?.n ?? 0)
}

export interface UseCounters {
  /** Live uses on unpaid orders (held for the buyer until the order is paid or ends). */
  reserved: number
  /** Live uses on paid (or refunded, when the coupon keeps uses on refund) orders. */
  used: number
  /** Uses given back: unpaid orders that expired or were cancelled, refunds that return the use. */
  returned: number
}

/** The use counters of some coupons, by coupon id. */
export async function useCounters(db: Database, couponIds: string[]): Promise<Map<string, UseCounters>> {
  const counters = new Map<string, UseCounters>()
  if (!couponIds.length) return counters
  const rows = await db.all<{ coupon: string; reserved: number; used: number; returned: number }>(sql`
    SELECT ${couponRedemptions.couponId} AS coupon,
      sum(CASE WHEN ${liveUse} AND ${orders.status} = 'pending' THEN 1 ELSE 0 END) AS reserved,
      sum(CASE WHEN ${liveUse} AND ${orders.status} <> 'pending' THEN 1 ELSE 0 END) AS used,
      sum(CASE WHEN ${liveUse} THEN 0 ELSE 1 END) AS returned
    FROM ${couponRedemptions} JOIN ${orders} ON ${orders.id} = ${couponRedemptions.orderId}
    WHERE ${couponRedemptions.couponId} IN (SELECT value FROM json_each(${JSON.stringify(couponIds)}))
    GROUP BY ${couponRedemptions.couponId}`)
  for (const row of rows)
    counters.set(row.coupon, {
      reserved: Number(row.reserved),
      used: Number(row.used),
      returned: Number(row.returned),
    })
  return counters
}
