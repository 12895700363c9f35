import type { Database } from '../../db/client.ts'
import type { outboxEvents } from '../../db/schema.ts'

/** An outbox event as a subscriber gets it (the same row webhooks are made from). */
export type OrderEvent = Pick<
  typeof outboxEvents.$inferSelect,
  'id' | 'topic' | 'organizerId' | 'payload' | 'createdAt'
>

/**
 * A side effect of an order's life (points earned on `order.confirmed`, commission reversed on `order.refunded`,
 * a coupon use given back on `order.expired`), subscribed to rather than wired into the orders module.
 *
 * `handle` runs when the event is published (right after the request that wrote it, and by the minute cron), and
 * may run again for the same event after a crash or a failure elsewhere: it must be idempotent, e.g. by keying what
 * it writes on `event.id`. A handler that throws leaves the event unpublished, so it is retried at the next run.
 */
export interface OrderEventSubscriber {
  readonly name: string
  readonly topics: readonly string[]
  handle(db: Database, event: OrderEvent): Promise<void>
}
