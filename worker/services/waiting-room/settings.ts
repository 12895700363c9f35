import { eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { waitingRooms } from '../../db/schema.ts'
import type { WaitingRoomSettings } from '../../domain/waiting-room.ts'

// The organizer's waiting-room settings per on-sale, in D1 (this module is the table's only writer). The hold
// routes read them on every hold, so each isolate keeps them for a few seconds; a change made through this
// isolate is seen by it at once, others within SETTINGS_TTL_MS.

const SETTINGS_TTL_MS = 3_000
const cache = new Map<string, { value: WaitingRoomSettings | null; until: number }>()

export type OnSaleScope =
  | { kind: 'show'; onSale: string; showId: string }
  | { kind: 'day'; onSale: string; siteId: string; date: string }

export async function readSettings(db: Database, onSale: string): Promise<WaitingRoomSettings | null> {
  const now = Date.now()
  const hit = cache.get(onSale)
  if (hit && hit.until > now) return hit.value
  const [row] = await db.select().from(waitingRooms).where(eq(waitingRooms.onSale, onSale))
  const value: WaitingRoomSettings | null = row
    ? {
        enabled: row.enabled,
        opensAt: row.opensAt,
        admissionPerMinute: row.admissionPerMinute,
        requireChallenge: row.requireChallenge,
        passMinutes: row.passMinutes,
        shards: row.shards,
        updatedAt: row.updatedAt,
      }
    : null
  if (cache.size > 5_000) cache.clear()
  cache.set(onSale, { value, until: now + SETTINGS_TTL_MS })
  return value
}

export async function writeSettings(
  db: Database,
  organizerId: string,
  scope: OnSaleScope,
  settings: WaitingRoomSettings,
): Promise<WaitingRoomSettings> {
  const now = new Date().toISOString()
  const values = {
    enabled: settings.enabled,
    opensAt: settings.opensAt,
    admissionPerMinute: settings.admissionPerMinute,
    requireChallenge: settings.requireChallenge,
    passMinutes: settings.passMinutes,
    shards: settings.shards ?? 1,
    updatedAt: now,
  }
  await db
    .insert(waitingRooms)
    .values({
      onSale: scope.onSale,
      organizerId,
      ...(scope.kind === 'show' ? { showId: scope.showId } : { siteId: scope.siteId, date: scope.date }),
      ...values,
    })
    .onConflictDoUpdate({ target: waitingRooms.onSale, set: values })
  cache.delete(scope.onSale)
  return { ...settings, shards: values.shards, updatedAt: now }
}
