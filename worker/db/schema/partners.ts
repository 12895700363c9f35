// OTA partners (the partner API): signed API keys, products with channel prices, reservations, orders, nonces
// and per-partner request budgets.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { salesChannels, visitProducts } from './catalogue.ts'
import { createdAt, updatedAt } from './columns.ts'
import { orders } from './orders.ts'
import { organizers } from './staff.ts'

/**
 * An OTA (Ctrip, Meituan, …) calling `/partner/v1`. Bound to exactly one of its organizer's sales channels:
 * it sells that channel's allocation, its orders carry that channel code, and its webhooks are the
 * organizer's endpoints for that channel.
 */
export const partners = sqliteTable(
  'partners',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    name: text().notNull(),
    salesChannelId: text()
      .notNull()
      .references(() => salesChannels.id),
    /** Denormalized from the sales channel: orders and inventory holds use the code. */
    channel: text().notNull(),
    /** Public key id sent as `x-partner-key`. */
    keyId: text().notNull().unique(),
    /** Signing secret, AES-GCM encrypted (HMAC verification needs the secret itself, so it cannot be hashed). */
    secretCiphertext: text().notNull(),
    /** After a rotation the previous secret keeps verifying until `previousSecretExpiresAt`. */
    previousSecretCiphertext: text(),
    previousSecretExpiresAt: text(),
    status: text({ enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    /** Signed requests allowed per minute (fixed window). */
    rateLimitPerMinute: integer().notNull().default(600),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('partners_org').on(t.organizerId, t.id)],
)

/** What a partner may sell, at its channel's prices (minor units): list, what the buyer pays, what we invoice. */
export const partnerProducts = sqliteTable(
  'partner_products',
  {
    partnerId: text()
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    productId: text()
      .notNull()
      .references(() => visitProducts.id),
    marketPrice: integer().notNull(),
    salePrice: integer().notNull(),
    settlementPrice: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.productId] })],
)

/** A partner's reservation: an inventory hold made on the partner's channel, until booked or expired. */
export const partnerReservations = sqliteTable(
  'partner_reservations',
  {
    /** The inventory hold id. */
    id: text().primaryKey(),
    partnerId: text()
      .notNull()
      .references(() => partners.id),
    siteId: text().notNull(),
    visitDate: text().notNull(),
    /** Settlement price per held line id, fixed when reserved. */
    linePrices: text({ mode: 'json' }).notNull().$type<Record<string, number>>(),
    expiresAt: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('partner_reservations_partner').on(t.partnerId, t.createdAt)],
)

/** The partner's own order id → our order; the unique index makes a retried or concurrent booking land on one order. */
export const partnerOrders = sqliteTable(
  'partner_orders',
  {
    partnerId: text()
      .notNull()
      .references(() => partners.id),
    partnerOrderId: text().notNull(),
    orderId: text()
      .notNull()
      .references(() => orders.id)
      .unique(),
    reservationId: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('partner_orders_partner_order').on(t.partnerId, t.partnerOrderId)],
)

/** Nonces seen in signed requests, kept past the timestamp window so a captured request cannot be replayed. */
export const partnerNonces = sqliteTable(
  'partner_nonces',
  {
    partnerId: text().notNull(),
    nonce: text().notNull(),
    expiresAt: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.nonce] }), index('partner_nonces_expiry').on(t.expiresAt)],
)

/** Fixed-window request counters per partner (window = the minute's start, ISO). */
export const partnerRateWindows = sqliteTable(
  'partner_rate_windows',
  {
    partnerId: text().notNull(),
    windowStart: text().notNull(),
    count: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.windowStart] })],
)
