// Kiosk enrollment, like a gate's: a single-use code from the console (only its hash kept), redeemed once for a
// device token (HS256, its own audience), checked with the device row on every call so revoking works at once.
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { kioskAlerts, kioskDevices, kioskEnrollmentCodes, scenicSites } from '../../db/schema.ts'
import { newId } from '../../ids.ts'
import { Problem } from '../../problem.ts'
import { readDeviceCredential, signDeviceCredential } from '../device-credentials.ts'
import { ENROLLMENT_CODE_MINUTES, newEnrollmentCode, normalizeCode } from '../gate-devices.ts'

export type KioskDevice = typeof kioskDevices.$inferSelect

export const KIOSK_TOKEN_DAYS = 90
const encoder = new TextEncoder()

async function hashCode(code: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    encoder.encode(`kiosk-enrollment:${normalizeCode(code)}`),
  )
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** A single-use code that enrolls one kiosk selling `siteId` (returned once). */
export async function createKioskEnrollmentCode(
  db: Database,
  input: { organizerId: string; kioskName: string; siteId: string; createdBy: string },
  now = Date.now(),
) {
  const [site] = await db
    .select({ id: scenicSites.id })
    .from(scenicSites)
    .where(and(eq(scenicSites.id, input.siteId), eq(scenicSites.organizerId, input.organizerId)))
  if (!site) throw new Problem({ code: 'not_found', detail: `scenic site ${input.siteId} was not found` })
  const code = newEnrollmentCode()
  const id = newId('kec')
  const expiresAt = new Date(now + ENROLLMENT_CODE_MINUTES * 60_000).toISOString()
  await db.insert(kioskEnrollmentCodes).values({
    id,
    codeHash: await hashCode(code),
    organizerId: input.organizerId,
    kioskName: input.kioskName,
    siteId: site.id,
    expiresAt,
    createdBy: input.createdBy,
  })
  return { id, code, expiresAt, kioskName: input.kioskName, siteId: site.id }
}

const invalidCode = () =>
  new Problem({
    code: 'enrollment_code_invalid',
    status: 400,
    detail: 'This enrollment code is unknown, already used or expired; ask for a new one',
  })

/** Redeems a code exactly once (a conditional update decides races) and registers the kiosk. */
export async function redeemKioskCode(db: Database, code: string, now = Date.now()): Promise<KioskDevice> {
  const [row] = await db
    .select()
    .from(kioskEnrollmentCodes)
    .where(eq(kioskEnrollmentCodes.codeHash, await hashCode(code)))
  if (!row) throw invalidCode()
  const deviceId = newId('kdv')
  const nowIso = new Date(now).toISOString()
  const [claimed] = await db.batch([
    db
      .update(kioskEnrollmentCodes)
      .set({ consumedAt: nowIso, deviceId })
      .where(
        and(
          eq(kioskEnrollmentCodes.id, row.id),
          isNull(kioskEnrollmentCodes.consumedAt),
          gt(kioskEnrollmentCodes.expiresAt, nowIso),
        ),
      )
      .returning({ id: kioskEnrollmentCodes.id }),
    // Only when the claim above took this code for this device.
    db.insert(kioskDevices).select(
      sql`SELECT ${deviceId}, organizer_id, kiosk_name, site_id, ${nowIso}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM kiosk_enrollment_codes WHERE id = ${row.id} AND device_id = ${deviceId}`,
    ),
  ])
  if (claimed.length === 0) throw invalidCode()
  const [device] = await db.select().from(kioskDevices).where(eq(kioskDevices.id, deviceId))
  return device!
}

export function signKioskToken(
  device: { id: string; organizerId: string },
  secret: string,
  now = Date.now(),
) {
  return signDeviceCredential('kiosk', device, secret, KIOSK_TOKEN_DAYS, now)
}

/** The enrolled, not revoked kiosk a token names; undefined for forged, expired, foreign or revoked ones. */
export async function kioskOfToken(
  db: Database,
  token: string,
  secret: string,
): Promise<KioskDevice | undefined> {
  const credential = await readDeviceCredential('kiosk', token, secret)
  if (!credential) return undefined
  const [device] = await db.select().from(kioskDevices).where(eq(kioskDevices.id, credential.deviceId))
  if (!device || device.revokedAt || device.organizerId !== credential.organizerId) return undefined
  return device
}

/** Revokes a kiosk of this organizer (its open alerts end with it); false when there is none. */
export async function revokeKiosk(db: Database, organizerId: string, kioskId: string, now = new Date()) {
  const [revoked] = await db.batch([
    db
      .update(kioskDevices)
      // Revoking twice keeps the first time.
      .set({ revokedAt: sql`coalesce(${kioskDevices.revokedAt}, ${now.toISOString()})` })
      .where(and(eq(kioskDevices.id, kioskId), eq(kioskDevices.organizerId, organizerId)))
      .returning({ id: kioskDevices.id }),
    db
      .update(kioskAlerts)
      .set({ resolvedAt: now.toISOString() })
      .where(
        and(
          eq(kioskAlerts.kioskId, kioskId),
          eq(kioskAlerts.organizerId, organizerId),
          isNull(kioskAlerts.resolvedAt),
        ),
      ),
  ])
  return revoked.length > 0
}

/** The buyer id of one visitor's session at a kiosk: holds and orders carry the kiosk's id in it. */
export const kioskBuyerId = (kioskId: string, session: string) => `kiosk:${kioskId}:${session}`
export const kioskOfBuyer = (buyerId: string) =>
  buyerId.startsWith('kiosk:') ? (buyerId.split(':')[1] ?? null) : null

/** A kiosk enrolled without a code (the demo's): inserted once under its fixed id, left alone afterwards. */
export async function ensureKiosk(
  db: Database,
  kiosk: { id: string; organizerId: string; name: string; siteId: string },
): Promise<boolean> {
  const inserted = await db
    .insert(kioskDevices)
    .values(kiosk)
    .onConflictDoNothing()
    .returning({ id: kioskDevices.id })
  return inserted.length > 0
}
