// Kiosk health: heartbeats, and the alerts raised from them (paper low) or from their absence (silent, by the cron).
// An alert is one row per episode; the partial unique index on open alerts makes raising it a no-op while one is
// open, and its `kiosk.alert` outbox event is inserted from the alert row in the same batch, so it exists exactly
// when the alert was raised: once per episode however often the condition is seen.
import { and, count, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import {
  type KioskAlertKind,
  type KioskError,
  type KioskPrinterState,
  kioskAlerts,
  kioskDevices,
  orders,
  outboxEvents,
} from '../../db/schema.ts'
import { newId } from '../../ids.ts'
import type { KioskDevice } from './devices.ts'

/** A kiosk silent this long is reported (the kiosk beats every HEARTBEAT_SECONDS). */
export const KIOSK_SILENT_MINUTES = 5
export const HEARTBEAT_SECONDS = 60
/** At or below this paper level (%), or with the printer out of paper, the kiosk needs a refill. */
export const PAPER_LOW_PERCENT = 15

export interface Heartbeat {
  appVersion: string
  printerState: KioskPrinterState
  paperLevel: number
  lastSaleAt?: string | undefined
  errors: KioskError[]
  catalogueVersion?: string | undefined
}

const paperLow = (beat: Pick<Heartbeat, 'paperLevel' | 'printerState'>) =>
  beat.paperLevel <= PAPER_LOW_PERCENT || beat.printerState === 'paper_out'

type Statement = Parameters<Database['batch']>[0][number]

/** Raises an alert unless one of its kind is open for the kiosk, with its webhook event in the same batch. */
function raise(
  db: Database,
  device: Pick<KioskDevice, 'id' | 'organizerId' | 'name' | 'siteId'>,
  kind: KioskAlertKind,
  detail: Record<string, unknown>,
  now: Date,
): Statement[] {
  const alertId = newId('kal', now.getTime())
  const eventId = newId('evt', now.getTime())
  const payload = JSON.stringify({
    alertId,
    kioskId: device.id,
    kioskName: device.name,
    siteId: device.siteId,
    kind,
    openedAt: now.toISOString(),
    ...detail,
  })
  return [
    db
      .insert(kioskAlerts)
      .values({
        id: alertId,
        organizerId: device.organizerId,
        kioskId: device.id,
        kind,
        detail,
        openedAt: now.toISOString(),
      })
      .onConflictDoNothing()
      .returning({ id: kioskAlerts.id }),
    // The event exists only if the alert row above was written (the id is fresh, so the row is this one).
    db.insert(outboxEvents).select(
      sql`SELECT ${eventId}, 'kiosk.alert', organizer_id, ${payload}, 'kiosk', ${now.toISOString()}, NULL
        FROM kiosk_alerts WHERE id = ${alertId}`,
    ),
  ]
}

function resolve(db: Database, kioskId: string, kind: KioskAlertKind, now: Date): Statement {
  return db
    .update(kioskAlerts)
    .set({ resolvedAt: now.toISOString() })
    .where(and(eq(kioskAlerts.kioskId, kioskId), eq(kioskAlerts.kind, kind), isNull(kioskAlerts.resolvedAt)))
}

/** Stores a heartbeat; ends a silence; raises or ends a paper-low episode. */
export async function recordHeartbeat(
  db: Database,
  device: Pick<KioskDevice, 'id' | 'organizerId' | 'name' | 'siteId'>,
  beat: Heartbeat,
  now = new Date(),
) {
  const statements: Statement[] = [
    db
      .update(kioskDevices)
      .set({
        lastHeartbeatAt: now.toISOString(),
        appVersion: beat.appVersion,
        printerState: beat.printerState,
        paperLevel: beat.paperLevel,
        errors: beat.errors,
        ...(beat.lastSaleAt ? { lastSaleAt: beat.lastSaleAt } : {}),
        ...(beat.catalogueVersion ? { catalogueVersion: beat.catalogueVersion } : {}),
      })
      .where(and(eq(kioskDevices.id, device.id), isNull(kioskDevices.revokedAt))),
    resolve(db, device.id, 'silent', now),
  ]
  if (paperLow(beat))
    statements.push(
      ...raise(
        db,
        device,
        'paper_low',
        { paperLevel: beat.paperLevel, printerState: beat.printerState },
        now,
      ),
    )
  else statements.push(resolve(db, device.id, 'paper_low', now))
  await db.batch(statements as [Statement, ...Statement[]])
}

/**
 * Cron: raises `silent` for every enrolled kiosk with no heartbeat for KIOSK_SILENT_MINUTES (or none since it
 * enrolled that long ago). Returns how many alerts were raised this run.
 */
export async function raiseSilentKiosks(db: Database, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - KIOSK_SILENT_MINUTES * 60_000).toISOString()
  const silent = await db
    .select({
      id: kioskDevices.id,
      organizerId: kioskDevices.organizerId,
      name: kioskDevices.name,
      siteId: kioskDevices.siteId,
      lastHeartbeatAt: kioskDevices.lastHeartbeatAt,
      open: kioskAlerts.id,
    })
    .from(kioskDevices)
    .leftJoin(
      kioskAlerts,
      and(
        eq(kioskAlerts.kioskId, kioskDevices.id),
        eq(kioskAlerts.kind, 'silent'),
        isNull(kioskAlerts.resolvedAt),
      ),
    )
    .where(
      and(
        isNull(kioskDevices.revokedAt),
        or(
          lt(kioskDevices.lastHeartbeatAt, cutoff),
          and(isNull(kioskDevices.lastHeartbeatAt), lt(kioskDevices.enrolledAt, cutoff)),
        ),
      ),
    )
    .limit(500)
  const due = silent.filter((k) => !k.open)
  if (due.length === 0) return 0
  const statements = due.flatMap((k) =>
    raise(db, k, 'silent', { lastHeartbeatAt: k.lastHeartbeatAt, silentMinutes: KIOSK_SILENT_MINUTES }, now),
  )
  const results = await db.batch(statements as [Statement, ...Statement[]])
  // Each alert's insert is the even statement (its rows: the alert, or none when a concurrent run raised it first).
  return results.filter((r, i) => i % 2 === 0 && Array.isArray(r) && r.length > 0).length
}

/** A kiosk's status for the console: online while its heartbeats keep coming. */
export function kioskStatus(device: KioskDevice, now = Date.now()) {
  if (device.revokedAt) return 'revoked' as const
  if (!device.lastHeartbeatAt) return 'never_seen' as const
  return now - Date.parse(device.lastHeartbeatAt) <= KIOSK_SILENT_MINUTES * 60_000
    ? ('online' as const)
    : ('silent' as const)
}

/** The console's view of an organizer's kiosks: status, open alerts and today's paid sales (keyset page). */
export async function kioskStatuses(
  db: Database,
  organizerId: string,
  q: { limit: number; cursor?: string | undefined },
  now = new Date(),
) {
  const devices = await db
    .select()
    .from(kioskDevices)
    .where(
      and(eq(kioskDevices.organizerId, organizerId), q.cursor ? lt(kioskDevices.id, q.cursor) : undefined),
    )
    .orderBy(desc(kioskDevices.id))
    .limit(q.limit + 1)
  const shown = devices.slice(0, q.limit)
  const ids = shown.map((d) => d.id)
  const [open, sales] = ids.length
    ? await Promise.all([
        db
          .select()
          .from(kioskAlerts)
          .where(and(inArray(kioskAlerts.kioskId, ids), isNull(kioskAlerts.resolvedAt))),
        // Paid kiosk orders since the organizer's midnight (Beijing time unless the organizer says otherwise).
        db
          .select({ buyerId: orders.buyerId, n: count() })
          .from(orders)
          .where(
            and(
              eq(orders.organizerId, organizerId),
              eq(orders.channel, 'kiosk'),
              eq(orders.status, 'paid'),
              gte(orders.paidAt, dayStartUtc(now)),
            ),
          )
          .groupBy(orders.buyerId),
      ])
    : [[], []]
  const salesOf = new Map<string, number>()
  for (const row of sales) {
    const kioskId = row.buyerId.split(':')[1] ?? ''
    salesOf.set(kioskId, (salesOf.get(kioskId) ?? 0) + row.n)
  }
  return {
    items: shown.map((d) => ({
      ...d,
      status: kioskStatus(d, now.getTime()),
      openAlerts: open.filter((a) => a.kioskId === d.id),
      salesToday: salesOf.get(d.id) ?? 0,
    })),
    nextCursor: devices.length > q.limit ? (shown.at(-1)?.id ?? null) : null,
  }
}

/** Midnight in Beijing (UTC+8, no daylight saving) as UTC. */
function dayStartUtc(now: Date) {
  const local = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
  return new Date(Date.parse(`${local}T00:00:00Z`) - 8 * 3_600_000).toISOString()
}
