// Self-service kiosks (自助售票机): enrollment codes, enrolled devices with their last heartbeat, and alerts
// (silent, paper low) raised once per episode. Written only by worker/services/kiosks/.
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns.ts'
import { organizers } from './staff.ts'

/** Single-use codes staff type on a kiosk to enroll it for one scenic site; only a hash is stored. */
export const kioskEnrollmentCodes = sqliteTable(
  'kiosk_enrollment_codes',
  {
    id: text().primaryKey(),
    codeHash: text().notNull().unique(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    kioskName: text().notNull(),
    siteId: text().notNull(),
    expiresAt: text().notNull(),
    consumedAt: text(),
    deviceId: text(),
    createdBy: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('kiosk_enrollment_codes_org').on(t.organizerId, t.createdAt)],
)

export const kioskPrinterStates = ['ready', 'paper_low', 'paper_out', 'error', 'offline'] as const
export type KioskPrinterState = (typeof kioskPrinterStates)[number]

export interface KioskError {
  code: string
  message: string
  at?: string
}

export const kioskDevices = sqliteTable(
  'kiosk_devices',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    name: text().notNull(),
    /** The scenic site whose tickets it sells. */
    siteId: text().notNull(),
    enrolledAt: createdAt(),
    /** A revoked kiosk's token stops working at once (checked on every call). */
    revokedAt: text(),
    // The last heartbeat as the kiosk reported it.
    lastHeartbeatAt: text(),
    appVersion: text(),
    printerState: text({ enum: kioskPrinterStates }),
    /** Paper left, 0–100 %. */
    paperLevel: integer(),
    lastSaleAt: text(),
    errors: text({ mode: 'json' }).$type<KioskError[]>(),
    /** The catalogue version the kiosk says it shows. */
    catalogueVersion: text(),
  },
  (t) => [
    index('kiosk_devices_org').on(t.organizerId, t.enrolledAt),
    index('kiosk_devices_heartbeat').on(t.revokedAt, t.lastHeartbeatAt),
  ],
)

export const kioskAlertKinds = ['silent', 'paper_low'] as const
export type KioskAlertKind = (typeof kioskAlertKinds)[number]

/**
 * One row per episode: opened when the condition starts, resolved when it ends. The partial unique index allows
 * one open alert per kiosk and kind, so a condition that lasts raises its alert (and its webhook) once.
 */
export const kioskAlerts = sqliteTable(
  'kiosk_alerts',
  {
    id: text().primaryKey(),
    organizerId: text().notNull(),
    kioskId: text().notNull(),
    kind: text({ enum: kioskAlertKinds }).notNull(),
    detail: text({ mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    openedAt: text().notNull(),
    resolvedAt: text(),
  },
  (t) => [
    uniqueIndex('kiosk_alerts_open').on(t.kioskId, t.kind).where(sql`resolved_at IS NULL`),
    index('kiosk_alerts_org').on(t.organizerId, t.openedAt),
  ],
)
