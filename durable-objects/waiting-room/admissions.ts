import {
  admissionTime,
  afterStep,
  type BuyerStep,
  isAbandoned,
  MAX_DECISIONS_PER_TICK,
  type WaitingRoomSettings,
  withinWatermark,
} from '../../worker/domain/waiting-room.ts'
import { buyerTag } from './answers.ts'
import * as store from './store.ts'

// A room's writes about admitted buyers, each run inside the caller's transaction: whose passes lapsed and who went
// quiet, who the tick lets in next (or skips as abandoned), and what an admitted buyer did next. The rules are
// worker/domain/waiting-room.ts's.

/**
 * The places after the cursor in ticket order, up to `admit` admitted (their pass lasting the settings' minutes
 * from `now`) and the abandoned skipped, stopping at the first one later than the shared `watermark`. Moves the
 * counters' cursor past every place decided; the active and admitted counts are the caller's.
 */
export function admitNext(
  ctx: DurableObjectState,
  counters: store.QueueCounters,
  settings: WaitingRoomSettings,
  { admit, watermark, now }: { admit: number; watermark: number | null; now: number },
): { admitted: string[]; skipped: number } {
  const sql = ctx.storage.sql
  const admitted: string[] = []
  let skipped = 0
  if (admit <= 0) return { admitted, skipped }
  const opensAt = Date.parse(settings.opensAt)
  const passUntil = now + settings.passMinutes * 60_000
  for (const place of store.placesAfter(sql, counters.cursor, MAX_DECISIONS_PER_TICK)) {
    if (admitted.length >= admit) break
    // Later than the shared watermark: this room waits for the others (fairness across shards).
    if (!withinWatermark(admissionTime(place.joined_at, opensAt), watermark)) break
    counters.cursor = place.ticket
    const live = ctx.getWebSockets(buyerTag(place.buyer_id)).length > 0
    if (isAbandoned({ lastSeenAt: place.last_seen_at }, live, now)) {
      store.skip(sql, place.buyer_id)
      skipped++
    } else {
      store.admit(sql, place.buyer_id, now, passUntil)
      admitted.push(place.buyer_id)
    }
  }
  return { admitted, skipped }
}

/**
 * Passes lapsed by `now` end their places, and refused buyers holding nothing since `refusedBy` go quiet, giving
 * their turn up before the tick decides admissions; the counters follow. Answers whose passes lapsed.
 */
export function lapseAndQuiet(
  sql: SqlStorage,
  counters: store.QueueCounters,
  now: number,
  refusedBy: number,
): string[] {
  const passes = store.lapsePasses(sql, now)
  const quieted = store.quietRefused(sql, refusedBy)
  counters.active = Math.max(0, counters.active - passes.wereActive - quieted)
  counters.choosing = Math.max(0, counters.choosing - passes.wereChoosing - quieted)
  counters.quiet = Math.max(0, (counters.quiet ?? 0) + quieted - passes.wereQuiet)
  return passes.lapsed
}

/**
 * One step of each of these buyers applied to their admitted places (others are passed over), the counters'
 * active, choosing and quiet counts following (afterStep). Answers how many places changed; saves the counters
 * when any did.
 */
export function applySteps(
  sql: SqlStorage,
  counters: store.QueueCounters,
  buyerIds: string[],
  step: BuyerStep,
  now: number,
): number {
  let changed = 0
  for (const buyerId of buyerIds) {
    const row = store.placeOf(sql, buyerId)
    if (row?.state !== 'admitted') continue
    const before = {
      held: !!row.held,
      finished: !!row.finished,
      quiet: !!row.quiet,
      refusedAt: row.refused_at,
    }
    const after = afterStep(before, step, now)
    if (JSON.stringify(after.place) === JSON.stringify(before)) continue
    store.saveProgress(sql, buyerId, after.place)
    counters.active = Math.max(0, counters.active + after.active)
    counters.choosing = Math.max(0, counters.choosing + after.choosing)
    counters.quiet = Math.max(0, (counters.quiet ?? 0) + Number(after.place.quiet) - Number(before.quiet))
    changed++
  }
  if (changed) store.saveCounters(sql, counters)
  return changed
}
