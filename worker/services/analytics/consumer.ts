// The `analytics-events` queue consumer: resolves each captured event's organizer, event and the organizer's day
// (in batched lookups), then stores the batch in one transaction (store.ts). Events naming a show or site that does
// not exist are dropped (a beacon cannot invent an organizer's traffic).
import { inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { organizers, scenicSites, shows } from '../../db/schema.ts'
import { localDayOf, sourceKeyOf } from '../../domain/analytics-events.ts'
import type { AnalyticsRecord, CaptureMessage } from './messages.ts'
import { recordAnalyticsEvents } from './store.ts'

/** The time zone of platform-wide pages (the shop's listing), which belong to no organizer. */
export const platformTimeZone = 'Asia/Shanghai'

/** D1 takes at most 100 bound parameters per statement. */
async function inChunks<T>(ids: string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = []
  for (let i = 0; i < ids.length; i += 90) rows.push(...(await read(ids.slice(i, i + 90))))
  return rows
}

/** Organizer time zones by id (the day every event of theirs is counted on). */
export async function timeZonesOf(db: Database, organizerIds: string[]): Promise<Map<string, string>> {
  const rows = await inChunks([...new Set(organizerIds)], (chunk) =>
    db
      .select({ id: organizers.id, timezone: organizers.timezone })
      .from(organizers)
      .where(inArray(organizers.id, chunk)),
  )
  return new Map(rows.map((r) => [r.id, r.timezone]))
}

export async function resolveCaptured(db: Database, messages: CaptureMessage[]): Promise<AnalyticsRecord[]> {
  const showIds = [...new Set(messages.flatMap((m) => (m.showId ? [m.showId] : [])))]
  const siteIds = [...new Set(messages.flatMap((m) => (!m.showId && m.siteId ? [m.siteId] : [])))]
  const showRows = await inChunks(showIds, (chunk) =>
    db
      .select({ id: shows.id, organizerId: shows.organizerId, eventId: shows.eventId })
      .from(shows)
      .where(inArray(shows.id, chunk)),
  )
  const siteRows = await inChunks(siteIds, (chunk) =>
    db
      .select({ id: scenicSites.id, organizerId: scenicSites.organizerId })
      .from(scenicSites)
      .where(inArray(scenicSites.id, chunk)),
  )
  const showOf = new Map(showRows.map((r) => [r.id, r]))
  const siteOf = new Map(siteRows.map((r) => [r.id, r]))
  const zones = await timeZonesOf(
    db,
    [...showRows, ...siteRows].map((r) => r.organizerId),
  )
  const records: AnalyticsRecord[] = []
  for (const m of messages) {
    let organizerId = ''
    let eventId: string | undefined
    if (m.showId) {
      const show = showOf.get(m.showId)
      if (!show) continue
      organizerId = show.organizerId
      eventId = show.eventId
    } else if (m.siteId) {
      const site = siteOf.get(m.siteId)
      if (!site) continue
      organizerId = site.organizerId
    } else if (m.kind !== 'listing_view') continue
    const at = new Date(m.at)
    if (Number.isNaN(at.getTime())) continue
    records.push({
      id: m.id,
      organizerId,
      kind: m.kind,
      occurredAt: at.toISOString(),
      day: localDayOf(at, zones.get(organizerId) ?? platformTimeZone),
      ...(eventId ? { eventId } : {}),
      ...(m.showId ? { showId: m.showId } : {}),
      ...(m.siteId ? { siteId: m.siteId } : {}),
      ...(m.productId ? { productId: m.productId } : {}),
      channel: m.channel ?? 'web',
      source: sourceKeyOf(m.source),
      ...(m.source ? { traffic: m.source } : {}),
      device: m.device,
      ...(m.orderId ? { orderId: m.orderId } : {}),
      ...(m.holdId ? { holdId: m.holdId } : {}),
      ...(m.kind === 'order' ? { orders: 1 } : {}),
      tickets: m.tickets ?? 0,
      amount: m.amount ?? 0,
      ...(m.visitors?.length ? { visitors: m.visitors } : {}),
    })
  }
  return records
}

/** Consumes one queue batch: stored all at once, acknowledged together (a failure retries the whole batch, harmlessly). */
export async function consumeAnalyticsBatch(
  db: Database,
  batch: MessageBatch<CaptureMessage>,
): Promise<void> {
  const records = await resolveCaptured(
    db,
    batch.messages.map((m) => m.body),
  )
  await recordAnalyticsEvents(db, records)
  batch.ackAll()
}
