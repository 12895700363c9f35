import * as v from 'valibot'
import {
  type AnalyticsKind,
  analyticsKinds,
  type DeviceClass,
  deviceClasses,
  type TrafficSource,
} from '../../domain/analytics-events.ts'
import { ageBands, type VisitorOrigin } from '../../domain/visitor-origin.ts'

/** One captured event as the route or the beacon saw it. */
export interface CaptureMessage {
  /** Unique per event: a redelivered message (same id) is counted once. */
  id: string
  kind: AnalyticsKind
  /** ISO-8601 UTC. */
  at: string
  showId?: string
  siteId?: string
  productId?: string
  orderId?: string
  holdId?: string
  channel?: string
  /** Minor units. */
  amount?: number
  tickets?: number
  source?: TrafficSource
  device: DeviceClass
  /** Derived origins (never ID numbers) of the hold's real-name visitors, by their place in the hold. */
  visitors?: { position: number; origin: VisitorOrigin }[]
}

/**
 * A message on the `analytics-events` queue: a gather window's events packed together (sender.ts). A lone event
 * is what the sender sent before packing; the consumer still takes it (messages in flight during a deploy).
 */
export interface CapturePack {
  events: CaptureMessage[]
}
export type AnalyticsQueueBody = CapturePack | CaptureMessage

/** The part of the Queue binding producers use (tests and the bench wrap it). */
export interface AnalyticsQueue {
  send(body: AnalyticsQueueBody, options?: QueueSendOptions): Promise<unknown>
  sendBatch(
    messages: Iterable<MessageSendRequest<AnalyticsQueueBody>>,
    options?: QueueSendBatchOptions,
  ): Promise<unknown>
}

const text = v.pipe(v.string(), v.maxLength(300))
const count = v.pipe(v.number(), v.safeInteger())
/** A captured event as the consumer accepts it: a body that fails is dropped, the rest of its batch stored. */
export const captureMessageSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  kind: v.picklist(analyticsKinds),
  at: v.pipe(v.string(), v.maxLength(40)),
  showId: v.optional(text),
  siteId: v.optional(text),
  productId: v.optional(text),
  orderId: v.optional(text),
  holdId: v.optional(text),
  channel: v.optional(text),
  amount: v.optional(count),
  tickets: v.optional(count),
  source: v.optional(
    v.object({
      referrerHost: v.optional(text),
      utmSource: v.optional(text),
      utmMedium: v.optional(text),
      utmCampaign: v.optional(text),
      ref: v.optional(text),
    }),
  ),
  device: v.picklist(deviceClasses),
  visitors: v.optional(
    v.array(
      v.object({
        position: count,
        origin: v.object({ province: text, city: text, ageBand: v.picklist([...ageBands, 'unknown']) }),
      }),
    ),
  ),
}) satisfies v.GenericSchema<unknown, CaptureMessage>
/** A pack is checked event by event: one bad event costs only itself. */
export const capturePackSchema = v.object({ events: v.array(v.unknown()) })

/** One event ready to store: every key resolved (organizer, its day, event). */
export interface AnalyticsRecord {
  id: string
  organizerId: string
  kind: AnalyticsKind
  occurredAt: string
  day: string
  eventId?: string
  showId?: string
  siteId?: string
  productId?: string
  category?: string
  channel?: string
  source: string
  traffic?: TrafficSource
  device: string
  orderId?: string
  holdId?: string
  buyerKey?: string
  orders?: number
  tickets?: number
  amount?: number
  visitors?: { position: number; origin: VisitorOrigin }[]
}
