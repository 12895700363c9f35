// Customers, orders and the money path: lines, payments, refunds, tickets and the audit trail (written only by
// worker/services/orders/), plus sign-in codes, outgoing messages, idempotency keys and the transactional outbox.
import { sql } from 'drizzle-orm'
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { locales } from '../../domain/locale.ts'
import { type OrderStatus, orderStatuses } from '../../domain/order-status.ts'
import type { OrderStatusReasonParams } from '../../domain/order-status-reason.ts'
import { createdAt, updatedAt } from './columns.ts'
import { organizers } from './staff.ts'

export const customers = sqliteTable('customers', {
  id: text().primaryKey(),
  /** Sign-in address: an email or a phone number in E.164-ish digits, lower-cased. */
  contact: text().notNull().unique(),
  contactKind: text({ enum: ['email', 'phone'] }).notNull(),
  name: text(),
  sessionVersion: integer().notNull().default(1),
  /** The shop's language when they last asked for a sign-in code: messages to them are written in it. */
  locale: text({ enum: locales }),
  createdAt: createdAt(),
})

/** One-time sign-in codes; only a hash is stored, attempts are counted, each code works once. */
export const customerCodes = sqliteTable(
  'customer_codes',
  {
    id: text().primaryKey(),
    contact: text().notNull(),
    codeHash: text().notNull(),
    expiresAt: text().notNull(),
    attempts: integer().notNull().default(0),
    consumedAt: text(),
    createdAt: createdAt(),
  },
  (t) => [index('customer_codes_contact').on(t.contact, t.createdAt)],
)

export const outgoingMessageStatuses = ['pending', 'sending', 'retrying', 'sent', 'dead'] as const
export type OutgoingMessageStatus = (typeof outgoingMessageStatuses)[number]
/** `dev`: recorded for the dev mailbox only (local environments); `email`/`sms`: handed to a provider. */
export const messageChannels = ['email', 'sms', 'dev'] as const
export type MessageChannel = (typeof messageChannels)[number]

/**
 * The message outbox (worker/services/messages/): every message the platform sends (sign-in codes, reminders,
 * refunds, confirmations) is written here first, then delivered by a run after the request or by the cron, retried
 * with backoff and `dead` after the last attempt. Locally the dev mailbox shows them. Outside development the text
 * of a sensitive message is never stored in `subject`/`body`: only `sealed` (encrypted) until it is sent.
 */
export const outgoingMessages = sqliteTable(
  'outgoing_messages',
  {
    id: text().primaryKey(),
    to: text().notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    /** The organizer the message is about (an order, an invitation); null for the platform's own (sign-in codes). */
    organizerId: text(),
    /** The catalogue kind (worker/services/messages/catalogue.ts) or `notice`. */
    kind: text().notNull().default('notice'),
    locale: text({ enum: locales }),
    /** The SMS template's variables; null when sealed or for a message with no SMS form. */
    smsParams: text({ mode: 'json' }).$type<Record<string, string>>(),
    /** AES-GCM of the sensitive text and SMS variables until the message is sent or dead; then null. */
    sealed: text(),
    status: text({ enum: outgoingMessageStatuses }).notNull().default('pending'),
    /** How the last attempt went out; null before the first. */
    channel: text({ enum: messageChannels }),
    attempts: integer().notNull().default(0),
    /** When a pending or retrying message is due, or when a `sending` claim lapses. */
    nextAttemptAt: text(),
    lastError: text(),
    /** The provider's id of the sent message (Email Service messageId, Aliyun BizId). */
    providerMessageId: text(),
    sentAt: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index('outgoing_messages_to').on(t.to, t.createdAt),
    index('outgoing_messages_due').on(t.status, t.nextAttemptAt),
    index('outgoing_messages_organizer').on(t.organizerId, t.createdAt),
  ],
)

export { type OrderStatus, orderStatuses }

export const orders = sqliteTable(
  'orders',
  {
    id: text().primaryKey(),
    /** Short human reference printed on tickets and receipts. */
    number: text().notNull().unique(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    customerId: text().references(() => customers.id),
    /** Buyer identity that owned the hold (customer id or anonymous buyer id). */
    buyerId: text().notNull(),
    email: text(),
    phone: text(),
    kind: text({ enum: ['show', 'scenic'] }).notNull(),
    showId: text(),
    siteId: text(),
    visitDate: text(),
    holdId: text().notNull(),
    channel: text().notNull().default('web'),
    status: text({ enum: orderStatuses }).notNull().default('pending'),
    /** Why the order is in its state, for the buyer (e.g. "payment arrived after the hold expired; refunded"). */
    statusReason: text(),
    /** The same reason as a stable code with its params (worker/domain/order-status-reason.ts), which apps localize. */
    statusReasonCode: text(),
    statusReasonParams: text({ mode: 'json' }).$type<OrderStatusReasonParams>(),
    total: integer().notNull(),
    refundedTotal: integer().notNull().default(0),
    currency: text().notNull(),
    /** The buyer's language when ordering (guests have no customer record): the order's messages are written in it. */
    locale: text({ enum: locales }),
    expiresAt: text().notNull(),
    reminderSentAt: text(),
    paidAt: text(),
    /** 改签: this order replaces these lines of an earlier order once it is paid (or at once when it costs nothing more). */
    rebookOf: text(),
    rebookLineIds: text({ mode: 'json' }).$type<string[]>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('orders_status_expiry').on(t.status, t.expiresAt),
    index('orders_customer').on(t.customerId, t.createdAt),
    index('orders_organizer').on(t.organizerId, t.createdAt),
    uniqueIndex('orders_hold').on(t.holdId),
  ],
)

export const orderLines = sqliteTable(
  'order_lines',
  {
    id: text().primaryKey(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    /** Seat id (shows) or scenic line id (visits), as the inventory DO knows it. */
    inventoryRef: text().notNull(),
    description: text().notNull(),
    seatLabel: text(),
    category: text(),
    productId: text(),
    slot: text(),
    visitorName: text(),
    /** Masked ID number (never the full number) for display; the DO keeps the full one for limits. */
    visitorIdMasked: text(),
    visitorPhone: text(),
    /** What the buyer pays for this line (after checkout discounts): what a refund of the line pays back. */
    price: integer().notNull(),
    /**
     * Checkout discounts (member, coupon, points) allocated to this line, minor units; `price + discount` is what
     * the line cost before them. The split per discount is in `order_discounts`.
     */
    discount: integer().notNull().default(0),
    /**
     * The list price the hold was quoted against (a stepped list price when a sell-through step applied), so the
     * struck price a buyer sees later is the one of the sale, not today's; null on lines from before it was kept.
     */
    listPrice: integer(),
    /** The tier, flash sale or price step label the quote came from; null at list price. */
    tier: text(),
    /** `rebooked`: replaced by a line of a later order (改签). */
    status: text({ enum: ['active', 'refunded', 'rebooked'] })
      .notNull()
      .default('active'),
    /** The refund that took this line; set in the same batch that marks it refunded, so a line is refunded once. */
    refundId: text(),
    /**
     * 改签: the order replacing this line. Set while that order is pending (the line can be neither refunded nor
     * rebooked again), cleared if it expires or is cancelled, kept once it is paid and the line is `rebooked`.
     */
    rebookOrderId: text(),
  },
  (t) => [index('order_lines_order').on(t.orderId), index('order_lines_rebook').on(t.rebookOrderId)],
)

/**
 * The checkout discounts of an order (worker/domain/checkout-discounts.ts): one row per discount, with its split
 * over the order's lines (`perLine`, in line order, by line id). Written with the order, never changed: what a
 * coupon use or a points redemption is worth stays what it was at checkout.
 */
export const orderDiscounts = sqliteTable(
  'order_discounts',
  {
    id: text().primaryKey(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    source: text({ enum: ['member', 'coupon', 'points', 'referral'] }).notNull(),
    /** The coupon, member tier or points redemption it came from. */
    ref: text().notNull(),
    label: text().notNull(),
    amount: integer().notNull(),
    perLine: text({ mode: 'json' }).$type<Record<string, number>>().notNull(),
  },
  (t) => [index('order_discounts_order').on(t.orderId), index('order_discounts_ref').on(t.source, t.ref)],
)

export const payments = sqliteTable(
  'payments',
  {
    id: text().primaryKey(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    /**
     * Who moves the money: a card provider (`sandbox` in development, `stripe`), `settlement` (OTA partners),
     * `credit` (改签: money carried over from a payment of the replaced order, see `sourcePaymentId`) or
     * `free` (nothing to pay).
     */
    provider: text().notNull(),
    providerRef: text(),
    amount: integer().notNull(),
    /**
     * Money taken out of this payment so far: refunds and credit carried to a rebooking. Every increment is
     * checked against `amount` in the batch that makes it (see worker/services/orders/money.ts).
     */
    refundedAmount: integer().notNull().default(0),
    /** `credit` payments: the payment of the replaced order whose money this is (refunds go back to it). */
    sourcePaymentId: text(),
    currency: text().notNull(),
    status: text({ enum: ['created', 'succeeded', 'failed', 'refunded', 'partially_refunded'] })
      .notNull()
      .default('created'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('payments_order').on(t.orderId),
    uniqueIndex('payments_provider_ref').on(t.provider, t.providerRef),
  ],
)

/**
 * 定金: an order bought with a deposit (worker/domain/deposit-terms.ts). Its first payment is the deposit, its second
 * the balance; the order is `deposit_paid` in between (seat sold in the actor, no ticket), then `paid` or, with the
 * balance unpaid at `balanceDueAt`, `forfeited` (seat back on sale, deposit kept or refunded per `forfeit`).
 */
export const orderDeposits = sqliteTable(
  'order_deposits',
  {
    orderId: text()
      .primaryKey()
      .references(() => orders.id),
    /** The deposit of the whole order (per ticket × tickets), minor units. */
    deposit: integer().notNull(),
    balanceOpensAt: text().notNull(),
    balanceDueAt: text().notNull(),
    /** When the balance reminder goes out, and when it went (claimed once). */
    remindAt: text().notNull(),
    remindedAt: text(),
    forfeit: text({ enum: ['keep', 'refund'] }).notNull(),
    /** A forfeited order's seats are back in the actor (set after the actor said so; the cron retries until then). */
    seatsReturnedAt: text(),
  },
  (t) => [index('order_deposits_due').on(t.balanceDueAt), index('order_deposits_remind').on(t.remindAt)],
)

export const refunds = sqliteTable(
  'refunds',
  {
    id: text().primaryKey(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    paymentId: text().references(() => payments.id),
    amount: integer().notNull(),
    fee: integer().notNull().default(0),
    lineIds: text({ mode: 'json' }).notNull().$type<string[]>(),
    reason: text().notNull(),
    /** Who asked: `customer:<id>`, `staff:<id>`, `system:<job>`. */
    requestedBy: text().notNull(),
    status: text({ enum: ['pending', 'succeeded', 'failed'] })
      .notNull()
      .default('pending'),
    providerRef: text(),
    /** Refund as coupon (优惠券补偿): the coupon the buyer chose with this refund, granted once it succeeds. */
    compensationCouponId: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('refunds_order').on(t.orderId)],
)

/**
 * How a refund is paid back: one row per payment it draws on (an order paid by card and by credit from a
 * rebooking has two). Each row is one provider refund, idempotent on `(refundId, paymentId)`.
 */
export const refundAllocations = sqliteTable(
  'refund_allocations',
  {
    refundId: text()
      .notNull()
      .references(() => refunds.id),
    paymentId: text()
      .notNull()
      .references(() => payments.id),
    amount: integer().notNull(),
    providerRef: text(),
    /** When the provider accepted it; null while pending. */
    doneAt: text(),
  },
  (t) => [
    primaryKey({ columns: [t.refundId, t.paymentId] }),
    index('refund_allocations_payment').on(t.paymentId),
  ],
)

/**
 * Assertions inside a D1 batch (D1 has no interactive transactions): a statement inserts a row whose `ok` is a
 * condition over what the batch's earlier statements claimed; a false condition fails the CHECK and rolls the
 * whole batch back. The batch deletes its own rows at the end, so the table stays empty.
 */
export const batchGuards = sqliteTable(
  'batch_guards',
  {
    id: text().primaryKey(),
    ok: integer().notNull(),
  },
  (t) => [check('batch_guards_ok', sql`${t.ok} = 1`)],
)

export const tickets = sqliteTable(
  'tickets',
  {
    id: text().primaryKey(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    orderLineId: text()
      .notNull()
      .references(() => orderLines.id),
    status: text({ enum: ['valid', 'revoked'] })
      .notNull()
      .default('valid'),
    revokedReason: text(),
    issuedAt: createdAt(),
  },
  (t) => [
    index('tickets_order').on(t.orderId),
    // One ticket per line, except those a reprint replaced (revoked with reason `reprinted`, the new one beside them).
    uniqueIndex('tickets_line_once')
      .on(t.orderLineId)
      .where(sql`${t.revokedReason} IS NULL OR ${t.revokedReason} <> 'reprinted'`),
  ],
)

/** Append-only record of every state change of an order: who, what, when, why. */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: text().primaryKey(),
    orderId: text().notNull(),
    actor: text().notNull(),
    action: text().notNull(),
    fromStatus: text(),
    toStatus: text(),
    detail: text({ mode: 'json' }).$type<Record<string, unknown>>(),
    at: createdAt(),
  },
  (t) => [index('audit_events_order').on(t.orderId, t.at)],
)

/** Stored responses for `Idempotency-Key` requests, per caller. */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    scope: text().notNull(),
    key: text().notNull(),
    requestHash: text().notNull(),
    status: text({ enum: ['in_progress', 'done'] }).notNull(),
    responseStatus: integer(),
    responseBody: text(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
)

/** Payment provider notifications already handled (deduplication by the provider's event id). */
export const paymentNotifications = sqliteTable(
  'payment_notifications',
  {
    provider: text().notNull(),
    eventId: text().notNull(),
    orderId: text(),
    receivedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] })],
)

/** Transactional outbox: written in the same batch as the state change, published later. */
export const outboxEvents = sqliteTable(
  'outbox_events',
  {
    id: text().primaryKey(),
    topic: text().notNull(),
    organizerId: text(),
    payload: text({ mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    /** Sales channel of the order or ticket the event is about, when the writer knows it (webhook routing). */
    channel: text(),
    createdAt: createdAt(),
    publishedAt: text(),
  },
  (t) => [index('outbox_unpublished').on(t.publishedAt, t.createdAt)],
)
