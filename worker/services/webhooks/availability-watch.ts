import { and, asc, eq, gt, inArray, lte } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { availabilityWatch, orders, outboxEvents } from '../../db/schema.ts'
import type { Bindings } from '../../env.ts'
import { newId } from '../../ids.ts'
import { scenicDay } from '../scenic-day.ts'
import { showInventoryStub } from '../show-inventory-client.ts'

const watermarkKey = '#orders'
const ordersPerRun = 500

interface Target {
  key: string
  organizerId: string
  showId?: string
  siteId?: string
  date?: string
}

/**
 * Cron: emits `availability.changed` when a show's price category or a scenic day sells out or has tickets again.
 * Trigger (cheap and well defined): every run looks at the shows and days whose orders changed since the last run
 * (paid, expired, refunded, rebooked), asks each one's inventory actor once for its counts, and compares the
 * sold-out flags with the last ones seen. Holds alone (no order change) are not sampled. Nothing on the hold path.
 */
export async function watchAvailability(env: Bindings, db: Database, now = new Date()): Promise<number> {
  const [mark] = await db.select().from(availabilityWatch).where(eq(availabilityWatch.key, watermarkKey))
  if (!mark) {
    // First run: start from now rather than replaying the whole order history.
    await db
      .insert(availabilityWatch)
      .values({ key: watermarkKey, soldOut: {}, watermark: now.toISOString() })
      .onConflictDoNothing()
    return 0
  }
  const changed = await db
    .select({
      organizerId: orders.organizerId,
      kind: orders.kind,
      showId: orders.showId,
      siteId: orders.siteId,
      visitDate: orders.visitDate,
      updatedAt: orders.updatedAt,
    })
    .from(orders)
    .where(and(gt(orders.updatedAt, mark.watermark ?? ''), lte(orders.updatedAt, now.toISOString())))
    .orderBy(asc(orders.updatedAt))
    .limit(ordersPerRun)
  if (changed.length === 0) return 0

  const targets = new Map<string, Target>()
  for (const o of changed) {
    if (o.kind === 'show' && o.showId)
      targets.set(`show:${o.showId}`, {
        key: `show:${o.showId}`,
        organizerId: o.organizerId,
        showId: o.showId,
      })
    else if (o.siteId && o.visitDate) {
      const key = `day:${o.siteId}:${o.visitDate}`
      targets.set(key, { key, organizerId: o.organizerId, siteId: o.siteId, date: o.visitDate })
    }
  }
  const known = new Map(
    (
      await db
        .select()
        .from(availabilityWatch)
        .where(inArray(availabilityWatch.key, [...targets.keys()]))
    ).map((row) => [row.key, row.soldOut]),
  )

  const statements = []
  let emitted = 0
  for (const target of targets.values()) {
    const current: Record<string, boolean> = {}
    const detail: Record<string, Record<string, unknown>> = {}
    if (target.showId) {
      const availability = await showInventoryStub(env.SHOW_INVENTORY, target.showId).availability(
        target.showId,
      )
      for (const c of availability.categories) {
        current[c.code] = c.available === 0
        detail[c.code] = { category: c.code, available: c.available, total: c.total }
      }
    } else {
      const day = await scenicDay(env.SCENIC_DAY_INVENTORY, target.siteId!, target.date!).availability(
        target.siteId!,
        target.date!,
      )
      current.day = day.remaining === 0
      detail.day = { remaining: day.remaining, capacity: day.capacity }
    }
    const before = known.get(target.key) ?? {}
    for (const [part, soldOut] of Object.entries(current)) {
      if ((before[part] ?? false) === soldOut) continue
      emitted++
      statements.push(
        db.insert(outboxEvents).values({
          id: newId('evt', now.getTime()),
          topic: 'availability.changed',
          organizerId: target.organizerId,
          payload: target.showId
            ? { showId: target.showId, soldOut, ...detail[part] }
            : { siteId: target.siteId, date: target.date, soldOut, ...detail[part] },
        }),
      )
    }
    statements.push(
      db
        .insert(availabilityWatch)
        .values({ key: target.key, organizerId: target.organizerId, soldOut: current })
        .onConflictDoUpdate({
          target: availabilityWatch.key,
          set: { soldOut: current, updatedAt: now.toISOString() },
        }),
    )
  }
  // The new state, its events and the watermark land together, so a crash repeats the run instead of losing events.
  statements.push(
    db
      .update(availabilityWatch)
      .set({ watermark: changed[changed.length - 1]!.updatedAt, updatedAt: now.toISOString() })
      .where(eq(availabilityWatch.key, watermarkKey)),
  )
  await db.batch(statements as [(typeof statements)[number], ...typeof statements])
  return emitted
}
