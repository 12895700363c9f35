import type { AnalyticsKind, DeviceClass, TrafficSource } from '../../domain/analytics-events.ts'
import type { VisitorOrigin } from '../../domain/visitor-origin.ts'

/** A message on the `analytics-events` queue: one captured event as the route or the beacon saw it. */
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

/** The part of the Queue binding producers use (tests and the bench wrap it). */
export interface AnalyticsQueue {
  send(body: CaptureMessage, options?: QueueSendOptions): Promise<unknown>
  sendBatch(
    messages: Iterable<MessageSendRequest<CaptureMessage>>,
    options?: QueueSendBatchOptions,
  ): Promise<unknown>
}

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
