// Webhooks: endpoints, one delivery per (event, endpoint), every attempt logged; and the sold-out watch that
// `availability.changed` is sampled from.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt, updatedAt } from './columns.ts'
import { organizers } from './staff.ts'

export const webhookEventTypes = [
  'order.confirmed',
  'order.cancelled',
  // An unpaid order ran out of time (its hold expired); what it reserved is back.
  'order.expired',
  'order.refunded',
  'order.rebooked',
  // 定金: the deposit locked the seats (no ticket yet); an unpaid balance forfeited them at its due time.
  'order.deposit_paid',
  'order.forfeited',
  'refund.rejected',
  'ticket.redeemed',
  'availability.changed',
  'price.changed',
  // Group buys (团购): written by the GroupBuy actor's mirror; about a group, not one order, so every endpoint may subscribe.
  'group.started',
  'group.joined',
  'group.left',
  'group.succeeded',
  'group.failed',
  // Self-service kiosks: one went silent or runs low on paper (once per episode; worker/services/kiosks/).
  'kiosk.alert',
] as const
export type WebhookEventType = (typeof webhookEventTypes)[number]

export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    url: text().notNull(),
    description: text(),
    eventTypes: text({ mode: 'json' }).notNull().$type<string[]>(),
    /** A sales channel code (`ctrip`): only events of orders sold through it. Null: every event of the organizer. */
    channel: text(),
    /** `whsec_<base64>`; kept readable because HMAC signing needs the key itself. Never returned after creation. */
    secret: text().notNull(),
    /** After a rotation the old secret also signs until this time, so receivers can switch without dropping events. */
    previousSecret: text(),
    previousSecretExpiresAt: text(),
    enabled: integer({ mode: 'boolean' }).notNull().default(true),
    disabledReason: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('webhook_endpoints_org').on(t.organizerId, t.id)],
)

export const webhookDeliveryStates = [
  'pending',
  'sending',
  'retrying',
  'succeeded',
  'dead',
  'cancelled',
] as const

export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    /** Also the `webhook-id` header: stable across retries and replays so receivers can deduplicate. */
    id: text().primaryKey(),
    eventId: text().notNull(),
    endpointId: text().notNull(),
    organizerId: text().notNull(),
    eventType: text().notNull(),
    /** The exact JSON body sent on every attempt: `{type, timestamp, data}`. */
    body: text().notNull(),
    state: text({ enum: webhookDeliveryStates }).notNull().default('pending'),
    /** Attempts made so far; a queue message names the attempt it is for, so a stale or duplicate message is a no-op. */
    attempts: integer().notNull().default(0),
    nextAttemptAt: text(),
    /** `queue`: a (delayed) message is on its way; `cron`: the wait exceeds the queue's 12 h delay, the cron enqueues it. */
    scheduledVia: text({ enum: ['queue', 'cron'] })
      .notNull()
      .default('queue'),
    lastStatusCode: integer(),
    lastError: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_endpoint').on(t.eventId, t.endpointId),
    index('webhook_deliveries_endpoint').on(t.endpointId, t.id),
    index('webhook_deliveries_due').on(t.state, t.nextAttemptAt),
  ],
)

export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: text().primaryKey(),
    deliveryId: text().notNull(),
    attempt: integer().notNull(),
    trigger: text({ enum: ['automatic', 'replay'] }).notNull(),
    statusCode: integer(),
    latencyMs: integer().notNull(),
    /** At most 1 kB of the receiver's answer. */
    responseExcerpt: text(),
    error: text(),
    at: createdAt(),
  },
  (t) => [index('webhook_attempts_delivery').on(t.deliveryId, t.id)],
)

/**
 * Last seen sold-out state per show price category or scenic day (key `show:<id>` / `day:<siteId>:<date>`), so
 * `availability.changed` fires on transitions only. The row `#orders` holds how far the cron has read order changes.
 */
export const availabilityWatch = sqliteTable('availability_watch', {
  key: text().primaryKey(),
  organizerId: text(),
  /** Sold-out flag per category code (shows) or `day` (scenic days); for `#orders`, `{}`. */
  soldOut: text({ mode: 'json' }).notNull().$type<Record<string, boolean>>(),
  watermark: text(),
  updatedAt: updatedAt(),
})
