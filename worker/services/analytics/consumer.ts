// The `analytics-events` queue consumer: unpacks each message's events (a pack, or a lone event sent before
// packing), resolves each event's organizer, event and the organizer's day (in batched lookups), then stores the
// batch in one transaction (store.ts). Events naming a show or site that does not exist are dropped (a beacon cannot
// invent an organizer's traffic); so are bodies that fail the schema, logged, without holding back the rest.
import { inArray } from 'drizzle-orm'
import * as v from 'valibot'
import type { Database } from '../../db/client.ts'
import { inChunks } from '../../db/in-chunks.ts'
import { organizers } from '../../db/schema.ts'
import { localDayOf, sourceKeyOf } from '../../domain/analytics-events.ts'
import {
  type AnalyticsRecord,
  type CaptureMessage,
  captureMessageSchema,
  capturePackSchema,
} from './messages.ts'
import { recordAnalyticsEvents } from './store.ts'

/** The time zone of platform-wide pages (the shop's listing), which belong to no organizer. */
export const platformTimeZone = 'Asia/Shanghai'

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

// One read for the batch's shows and sites with their organizers' time zones (ids as a JSON array, so no chunking
// under D1's 100-parameter cap): the consumer runs beside the holds, so a batch costs one round trip, not four.
const showsOf = `SELECT s.id, s.organizer_id AS organizerId, s.event_id AS eventId, o.timezone
  FROM shows s LEFT JOIN organizers o ON o.id = s.organizer_id WHERE s.id IN (SELECT value FROM json_each(?))`
const sitesOf = `SELECT s.id, s.organizer_id AS organizerId, o.timezone
  FROM scenic_sites s LEFT JOIN organizers o ON o.id = s.organizer_id WHERE s.id IN (SELECT value FROM json_each(?))`

type Resolved = { id: string; organizerId: string; eventId?: string; timezone: string | null }

export async function resolveCaptured(db: Database, messages: CaptureMessage[]): Promise<AnalyticsRecord[]> {
  const showIds = [...new Set(messages.flatMap((m) => (m.showId ? [m.showId] : [])))]
  const siteIds = [...new Set(messages.flatMap((m) => (!m.showId && m.siteId ? [m.siteId] : [])))]
  const d1 = (db as Database & { $client: D1Database }).$client
  const reads = [
    ...(showIds.length ? [d1.prepare(showsOf).bind(JSON.stringify(showIds))] : []),
    ...(siteIds.length ? [d1.prepare(sitesOf).bind(JSON.stringify(siteIds))] : []),
  ]
  const answers = reads.length ? await d1.batch<Resolved>(reads) : []
  const showRows = showIds.length ? answers[0]!.results : []
  const siteRows = siteIds.length ? answers[answers.length - 1]!.results : []
  const showOf = new Map(showRows.map((r) => [r.id, r]))
  const siteOf = new Map(siteRows.map((r) => [r.id, r]))
  const zones = new Map(
    [...showRows, ...siteRows].flatMap((r) => (r.timezone ? [[r.organizerId, r.timezone] as const] : [])),
  )
  // A batch's events mostly share a minute; every time zone's offset is whole quarter hours, so the day of an
  // instant is the day of its minute: formatted once per zone and minute.
  const days = new Map<string, string>()
  const dayOf = (at: Date, zone: string) => {
    const key = `${zone}|${at.toISOString().slice(0, 16)}`
    let day = days.get(key)
    if (day === undefined) {
      day = localDayOf(at, zone)
      days.set(key, day)
    }
    return day
  }
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
      day: dayOf(at, zones.get(organizerId) ?? platformTimeZone),
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

/** The events queue message bodies carry, packed or alone; `invalid` counts the events and bodies that failed the schema. */
export function capturedEventsOf(bodies: unknown[]): { events: CaptureMessage[]; invalid: number } {
  const events: CaptureMessage[] = []
  let invalid = 0
  const take = (body: unknown) => {
    const event = v.safeParse(captureMessageSchema, body)
    if (event.success) events.push(event.output)
    else invalid++
  }
  for (const body of bodies) {
    const pack = v.safeParse(capturePackSchema, body)
    if (pack.success) for (const event of pack.output.events) take(event)
    else take(body)
  }
  return { events, invalid }
}

/** Consumes one queue batch: stored all at once, acknowledged together (a failure retries the whole batch, harmlessly). */
export async function consumeAnalyticsBatch(
  db: Database,
  batch: MessageBatch<unknown>,
  onInvalid: (invalid: number) => void = () => {},
): Promise<void> {
  const { events, invalid } = capturedEventsOf(batch.messages.map((m) => m.body))
  if (invalid) onInvalid(invalid)
  await recordAnalyticsEvents(db, await resolveCaptured(db, events))
  batch.ackAll()
}
