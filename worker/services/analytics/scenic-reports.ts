// Read-only: the visitor, 二消, co-purchase and check-in reports, from the rollups only (never raw events or
// orders). Ranges are inclusive calendar days in the organizer's time zone; visitors count on the paid day,
// scenic and check-in figures on the visit day (or the show's start day).
import type { Database } from '../../db/client.ts'
import { associationOf } from '../../domain/copurchase.ts'
import { provinces } from '../../domain/visitor-origin.ts'
import { buyerTypeTable, copurchaseTable, rowsOf, visitorTable } from './reports/cubes.ts'

const d1Of = (db: Database) => (db as Database & { $client: D1Database }).$client

export interface ReportFilters {
  organizerId: string
  from: string
  to: string
  eventId?: string | undefined
  showId?: string | undefined
  siteId?: string | undefined
  productId?: string | undefined
  channel?: string | undefined
}

/** `WHERE` over a rollup's columns: organizer, day range, then each filter the rollup has. */
function whereOf(f: ReportFilters, dayColumn: string, columns: (keyof ReportFilters)[]) {
  const column: Record<string, string> = {
    eventId: 'event_id',
    showId: 'show_id',
    siteId: 'site_id',
    productId: 'product_id',
    channel: 'channel',
  }
  const parts = ['organizer_id = ?', `${dayColumn} >= ?`, `${dayColumn} <= ?`]
  const values: unknown[] = [f.organizerId, f.from, f.to]
  for (const key of columns)
    if (f[key] !== undefined) {
      parts.push(`${column[key]} = ?`)
      values.push(f[key])
    }
  return { sql: parts.join(' AND '), values }
}

async function all<T>(db: Database, sql: string, values: unknown[]): Promise<T[]> {
  return (
    await d1Of(db)
      .prepare(sql)
      .bind(...values)
      .all<T>()
  ).results
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null)

export async function visitorsReport(db: Database, f: ReportFilters) {
  const scope = {
    organizerId: f.organizerId,
    from: f.from,
    to: f.to,
    eventId: f.eventId,
    showId: f.showId,
    siteId: f.siteId,
  }
  const origin = rowsOf(visitorTable, scope, { columns: ['province', 'city', 'age_band', 'visitors'] })
  const buyers = rowsOf(
    buyerTypeTable,
    { ...scope, channel: f.channel },
    { columns: ['buyer_type', 'orders'] },
  )
  const [origins, types, months] = await Promise.all([
    all<{ province: string; city: string; age_band: string; visitors: number }>(
      db,
      `${origin.cte} SELECT province, city, age_band, sum(visitors) AS visitors FROM rows GROUP BY province, city, age_band`,
      origin.values,
    ),
    all<{ buyer_type: string; orders: number }>(
      db,
      `${buyers.cte} SELECT buyer_type, sum(orders) AS orders FROM rows GROUP BY buyer_type`,
      buyers.values,
    ),
    all<{ cohort_month: string; month: string; buyers: number }>(
      db,
      `SELECT cohort_month, month, buyers FROM analytics_cohort_counts
       WHERE organizer_id = ? AND cohort_month >= ? AND cohort_month <= ?`,
      [f.organizerId, f.from.slice(0, 7), f.to.slice(0, 7)],
    ),
  ])
  const sumBy = (key: (r: (typeof origins)[number]) => string) => {
    const out = new Map<string, number>()
    for (const r of origins) out.set(key(r), (out.get(key(r)) ?? 0) + r.visitors)
    return [...out].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  }
  const total = origins.reduce((s, r) => s + r.visitors, 0)
  const orders = (type: string) => types.find((t) => t.buyer_type === type)?.orders ?? 0
  const cohorts = new Map<string, { month: string; buyers: number }[]>()
  for (const m of months) cohorts.set(m.cohort_month, [...(cohorts.get(m.cohort_month) ?? []), m])
  const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7))
  return {
    from: f.from,
    to: f.to,
    visitors: total,
    byProvince: sumBy((r) => r.province).map(([code, visitors]) => ({
      code,
      name: provinces[code]?.zh ?? null,
      nameEn: provinces[code]?.en ?? null,
      visitors,
      share: ratio(visitors, total),
    })),
    byCity: sumBy((r) => `${r.province}|${r.city}`).map(([key, visitors]) => {
      const [province, code] = key.split('|') as [string, string]
      return { code, province, visitors, share: ratio(visitors, total) }
    }),
    byAgeBand: sumBy((r) => r.age_band).map(([band, visitors]) => ({
      band,
      visitors,
      share: ratio(visitors, total),
    })),
    buyers: {
      newOrders: orders('new'),
      returningOrders: orders('returning'),
      returningShare: ratio(orders('returning'), orders('new') + orders('returning')),
    },
    cohorts: [...cohorts]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([cohortMonth, rows]) => {
        const size = rows.find((r) => r.month === cohortMonth)?.buyers ?? 0
        return {
          cohortMonth,
          buyers: size,
          months: rows
            .filter((r) => r.month > cohortMonth)
            .sort((a, b) => a.month.localeCompare(b.month))
            .map((r) => ({
              month: r.month,
              offset: monthIndex(r.month) - monthIndex(cohortMonth),
              buyers: r.buyers,
              rate: ratio(r.buyers, size),
            })),
        }
      }),
  }
}

export interface SiteProduct {
  id: string
  name: string
  nameEn: string | null
  kind: string
  price: number
}

async function siteProducts(db: Database, organizerId: string, siteId: string) {
  const rows = await all<{ id: string; name: string; name_en: string | null; kind: string; price: number }>(
    db,
    'SELECT id, name, name_en, kind, price FROM visit_products WHERE organizer_id = ? AND site_id = ? ORDER BY id',
    [organizerId, siteId],
  )
  return rows.map(
    (r): SiteProduct => ({ id: r.id, name: r.name, nameEn: r.name_en, kind: r.kind, price: r.price }),
  )
}

/** 二消: per secondary (non-entry) product, its tickets over the gate (entry) tickets of the same day and slot. */
export async function secondaryReport(db: Database, f: ReportFilters & { siteId: string }) {
  const where = whereOf(f, 'visit_day', ['siteId', 'channel'])
  const [products, rows] = await Promise.all([
    siteProducts(db, f.organizerId, f.siteId),
    all<{ visit_day: string; slot: string; product_id: string; tickets: number }>(
      db,
      `SELECT visit_day, slot, product_id, sum(tickets) AS tickets FROM analytics_secondary_daily
       WHERE ${where.sql} GROUP BY visit_day, slot, product_id`,
      where.values,
    ),
  ])
  const entry = new Set(products.filter((p) => p.kind === 'entry').map((p) => p.id))
  const secondary = products.filter((p) => !entry.has(p.id) && (!f.productId || p.id === f.productId))
  const group = (key: (r: (typeof rows)[number]) => string) => {
    const groups = new Map<string, { entry: number; tickets: Map<string, number> }>()
    for (const r of rows) {
      const g = groups.get(key(r)) ?? { entry: 0, tickets: new Map<string, number>() }
      if (entry.has(r.product_id)) g.entry += r.tickets
      else g.tickets.set(r.product_id, (g.tickets.get(r.product_id) ?? 0) + r.tickets)
      groups.set(key(r), g)
    }
    return [...groups].sort((a, b) => a[0].localeCompare(b[0]))
  }
  const figures = (g: { entry: number; tickets: Map<string, number> }) => ({
    entryTickets: g.entry,
    products: secondary.map((p) => ({
      productId: p.id,
      tickets: g.tickets.get(p.id) ?? 0,
      share: ratio(g.tickets.get(p.id) ?? 0, g.entry),
    })),
  })
  const [all_] = group(() => '')
  return {
    from: f.from,
    to: f.to,
    siteId: f.siteId,
    products: secondary.map(({ price: _price, ...p }) => p),
    totals: figures(all_?.[1] ?? { entry: 0, tickets: new Map() }),
    byDay: group((r) => r.visit_day).map(([day, g]) => ({ day, ...figures(g) })),
    bySlot: group((r) => r.slot).map(([slot, g]) => ({ slot, ...figures(g) })),
    byDaySlot: group((r) => `${r.visit_day}|${r.slot}`).map(([key, g]) => {
      const [day, slot] = key.split('|') as [string, string]
      return { day, slot, ...figures(g) }
    }),
  }
}

/** Co-purchase: pairs and triples of a site's products with support, confidence and lift per direction. */
export async function copurchaseReport(
  db: Database,
  f: ReportFilters & { siteId: string; minOrders: number; limit: number },
) {
  const where = rowsOf(
    copurchaseTable,
    { organizerId: f.organizerId, from: f.from, to: f.to, siteId: f.siteId, channel: f.channel },
    { columns: ['product_a', 'product_b', 'product_c', 'orders'] },
  )
  const [products, rows] = await Promise.all([
    siteProducts(db, f.organizerId, f.siteId),
    all<{ product_a: string; product_b: string; product_c: string; orders: number }>(
      db,
      `${where.cte} SELECT product_a, product_b, product_c, sum(orders) AS orders FROM rows
       GROUP BY product_a, product_b, product_c HAVING sum(orders) > 0`,
      where.values,
    ),
  ])
  const count = new Map(
    rows.map((r) => [[r.product_a, r.product_b, r.product_c].filter(Boolean).join('+'), r.orders]),
  )
  const orders = count.get('') ?? 0
  const countOf = (ids: string[]) => count.get([...ids].sort().join('+')) ?? 0
  const combinations = rows
    .filter((r) => r.product_b !== '')
    .map((r) => [r.product_a, r.product_b, r.product_c].filter(Boolean))
    .filter((ids) => !f.productId || ids.includes(f.productId))
    .map((ids) => {
      const together = countOf(ids)
      return { productIds: ids, orders: together, ...associationOf(ids, together, orders, countOf) }
    })
    .filter((c) => c.orders >= f.minOrders)
    .sort(
      (a, b) =>
        b.orders - a.orders ||
        a.productIds.length - b.productIds.length ||
        a.productIds.join().localeCompare(b.productIds.join()),
    )
  return {
    from: f.from,
    to: f.to,
    siteId: f.siteId,
    orders,
    products: products.map((p) => ({ ...p, orders: countOf([p.id]) })),
    combinations: combinations.slice(0, f.limit),
  }
}

/** Sold vs admitted per show or visit day (no-shows once the day is past); admissions by gate and hour of the day over the range. */
export async function checkinReport(db: Database, f: ReportFilters, today: string) {
  const where = whereOf(f, 'visit_day', ['eventId', 'showId', 'siteId', 'channel'])
  const [days, hours] = await Promise.all([
    all<{
      event_id: string
      show_id: string
      site_id: string
      visit_day: string
      sold: number
      admitted: number
    }>(
      db,
      `SELECT event_id, show_id, site_id, visit_day, sum(sold) AS sold, sum(admitted) AS admitted
       FROM analytics_attendance_daily WHERE ${where.sql}
       GROUP BY event_id, show_id, site_id, visit_day ORDER BY visit_day, show_id, site_id`,
      where.values,
    ),
    all<{ gate: string; hour: number; admitted: number }>(
      db,
      `SELECT gate, hour, sum(admitted) AS admitted FROM analytics_checkin_hourly WHERE ${where.sql}
       GROUP BY gate, hour ORDER BY hour, gate`,
      where.values,
    ),
  ])
  const scopes = days.map((d) => {
    const past = d.visit_day < today
    return {
      eventId: d.event_id || null,
      showId: d.show_id || null,
      siteId: d.site_id || null,
      day: d.visit_day,
      sold: d.sold,
      admitted: d.admitted,
      noShows: past ? Math.max(0, d.sold - d.admitted) : null,
      noShowRate: past ? ratio(Math.max(0, d.sold - d.admitted), d.sold) : null,
    }
  })
  const gates = new Map<string, number>()
  for (const h of hours) gates.set(h.gate, (gates.get(h.gate) ?? 0) + h.admitted)
  const pastScopes = scopes.filter((s) => s.noShows !== null)
  return {
    from: f.from,
    to: f.to,
    totals: {
      sold: scopes.reduce((s, d) => s + d.sold, 0),
      admitted: scopes.reduce((s, d) => s + d.admitted, 0),
      noShows: pastScopes.reduce((s, d) => s + (d.noShows ?? 0), 0),
    },
    scopes,
    byGate: [...gates]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([gate, admitted]) => ({ gate, admitted })),
    byHour: hours.map((h) => ({ gate: h.gate, hour: h.hour, admitted: h.admitted })),
  }
}
