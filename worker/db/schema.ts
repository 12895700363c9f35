import { sql } from 'drizzle-orm'
import {
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core'

// Money is stored in minor units (fen for CNY) as integers; times are ISO-8601 UTC strings.
const createdAt = () => text().notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)
const updatedAt = () => text().notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)

export const organizers = sqliteTable('organizers', {
  id: text().primaryKey(),
  name: text().notNull(),
  slug: text().notNull().unique(),
  currency: text().notNull().default('CNY'),
  timezone: text().notNull().default('Asia/Shanghai'),
  contactEmail: text(),
  /** Whether buyers may check out with just an email or phone, without signing in. */
  allowGuestCheckout: integer({ mode: 'boolean' }).notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
})

export const staffUsers = sqliteTable('staff_users', {
  id: text().primaryKey(),
  email: text().notNull().unique(),
  name: text().notNull(),
  /** `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>` */
  passwordHash: text().notNull(),
  platformAdmin: integer({ mode: 'boolean' }).notNull().default(false),
  /** Bumped on password change or sign-out-everywhere; sessions carrying an older value are rejected. */
  sessionVersion: integer().notNull().default(1),
  createdAt: createdAt(),
})

export const staffRoles = ['owner', 'manager', 'gate'] as const
export type StaffRole = (typeof staffRoles)[number]

export const memberships = sqliteTable(
  'memberships',
  {
    userId: text()
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    organizerId: text()
      .notNull()
      .references(() => organizers.id, { onDelete: 'cascade' }),
    role: text({ enum: staffRoles }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.organizerId] }), index('memberships_org').on(t.organizerId)],
)

/**
 * An owner's invitation for an email to join an organizer in a role. Only a hash of the one-time token is
 * stored; the token reaches the invitee in a message, and joining needs it (plus, for an existing account,
 * being signed in as that account). Accepting, revoking and expiry are conditional updates on this row.
 */
export const staffInvitations = sqliteTable(
  'staff_invitations',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id, { onDelete: 'cascade' }),
    email: text().notNull(),
    role: text({ enum: staffRoles }).notNull(),
    /** SHA-256 of the token, base64url. */
    tokenHash: text().notNull().unique(),
    invitedBy: text().notNull(),
    expiresAt: text().notNull(),
    acceptedAt: text(),
    acceptedBy: text(),
    revokedAt: text(),
    createdAt: createdAt(),
  },
  (t) => [index('staff_invitations_org').on(t.organizerId, t.email)],
)

/**
 * Staff sign-in guesses per key (`ea:<email> <address>`, `a:<address>`, `e:<email>`) in a window that starts at the
 * first guess. A guess is claimed here before the password is checked, so parallel requests cannot exceed a limit.
 */
export const staffSignInGuesses = sqliteTable('staff_sign_in_guesses', {
  key: text().primaryKey(),
  windowStart: text().notNull(),
  count: integer().notNull().default(0),
})

export interface PriceCategory {
  code: string
  name: string
  color: string
}

export const venues = sqliteTable(
  'venues',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    name: text().notNull(),
    kind: text({ enum: ['concert_hall', 'theatre', 'cinema', 'stadium', 'other'] }).notNull(),
    city: text().notNull(),
    address: text(),
    /** Where the stage or screen is on the seat map's drawing plane; best-available seats sit nearest it. */
    stageX: real(),
    stageY: real(),
    /** Price zones seats belong to; a show prices each code. */
    priceCategories: text({ mode: 'json' }).notNull().$type<PriceCategory[]>(),
    seatCount: integer().notNull().default(0),
    /** Incremented by every seat-map import or seat edit, so a show can tell its snapshot is stale. */
    seatMapVersion: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('venues_org').on(t.organizerId, t.id)],
)

export const seats = sqliteTable(
  'seats',
  {
    id: text().primaryKey(),
    venueId: text()
      .notNull()
      .references(() => venues.id, { onDelete: 'cascade' }),
    section: text().notNull(),
    row: text().notNull(),
    number: text().notNull(),
    /** Unique per venue, e.g. `Stalls-A-12`. */
    label: text().notNull(),
    category: text().notNull(),
    x: real().notNull(),
    y: real().notNull(),
    accessible: integer({ mode: 'boolean' }).notNull().default(false),
    companion: integer({ mode: 'boolean' }).notNull().default(false),
    restrictedView: integer({ mode: 'boolean' }).notNull().default(false),
    blocked: integer({ mode: 'boolean' }).notNull().default(false),
    /** Position in its row, used for adjacency (best available, orphan-seat rule). */
    ordinal: integer().notNull(),
  },
  (t) => [
    uniqueIndex('seats_label').on(t.venueId, t.label),
    index('seats_venue_row').on(t.venueId, t.section, t.row),
  ],
)

export const events = sqliteTable(
  'events',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    name: text().notNull(),
    kind: text({ enum: ['concert', 'theatre', 'film', 'sport', 'exhibition', 'other'] }).notNull(),
    description: text(),
    status: text({ enum: ['draft', 'published', 'cancelled'] })
      .notNull()
      .default('draft'),
    /** Anti-scalping: every ticket carries a verified holder name + ID number. */
    realNameRequired: integer({ mode: 'boolean' }).notNull().default(false),
    maxTicketsPerBuyer: integer().notNull().default(6),
    /** Gate shows a rotating code beside the QR so screenshots stop working. */
    rotatingCode: integer({ mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('events_org').on(t.organizerId, t.id)],
)

export interface RefundTier {
  /** Applies when at least this many hours remain before the start. */
  minHoursBefore: number
  /** Share of the price kept as a fee, in percent (0 = full refund, 100 = nothing back). */
  feePercent: number
}

export const shows = sqliteTable(
  'shows',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    eventId: text()
      .notNull()
      .references(() => events.id),
    venueId: text()
      .notNull()
      .references(() => venues.id),
    startsAt: text().notNull(),
    endsAt: text(),
    saleStartsAt: text().notNull(),
    saleEndsAt: text().notNull(),
    /** Price in minor units per venue price category code. */
    prices: text({ mode: 'json' }).notNull().$type<Record<string, number>>(),
    holdMinutes: integer().notNull().default(15),
    /** On-sale protection: only signed-in customers may hold seats (anonymous buyers get `sign_in_required`). */
    signInToHold: integer({ mode: 'boolean' }).notNull().default(false),
    status: text({ enum: ['scheduled', 'cancelled'] })
      .notNull()
      .default('scheduled'),
    refundTiers: text({ mode: 'json' }).notNull().$type<RefundTier[]>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('shows_org').on(t.organizerId, t.id),
    index('shows_event').on(t.eventId, t.startsAt),
    index('shows_starts').on(t.startsAt),
  ],
)

export interface TimeSlot {
  /** Stable code used in holds and tickets, e.g. `09:00`. */
  code: string
  start: string
  end: string
  capacity: number
}

export const scenicSites = sqliteTable(
  'scenic_sites',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    name: text().notNull(),
    city: text().notNull(),
    address: text(),
    description: text(),
    timezone: text().notNull().default('Asia/Shanghai'),
    opensAt: text().notNull().default('08:00'),
    closesAt: text().notNull().default('18:00'),
    /** Visitors admitted per day across all products that need entry. */
    dailyCapacity: integer().notNull(),
    /** Entry time slots; an empty list means entry at any time of the day. */
    timeSlots: text({ mode: 'json' }).notNull().$type<TimeSlot[]>(),
    /** How many days ahead visits can be booked. */
    bookingDaysAhead: integer().notNull().default(30),
    /** Entry tickets set aside each day per sales channel code (e.g. `{ "ctrip": 300 }`); a channel sells only its own. */
    channelQuotas: text({ mode: 'json' }).notNull().$type<Record<string, number>>().default(sql`'{}'`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('scenic_sites_org').on(t.organizerId, t.id)],
)

export const ticketTypes = ['adult', 'child', 'student', 'senior', 'general'] as const
export type TicketType = (typeof ticketTypes)[number]

export interface Eligibility {
  minAge?: number
  maxAge?: number
  minHeightCm?: number
  maxHeightCm?: number
  /** Proof checked at the gate, e.g. `student_card`. */
  proof?: string
  note?: string
}

export const visitProducts = sqliteTable(
  'visit_products',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    siteId: text()
      .notNull()
      .references(() => scenicSites.id),
    name: text().notNull(),
    /** `entry` products admit to the site and count against its daily/slot capacity. */
    kind: text({ enum: ['entry', 'attraction', 'show'] }).notNull(),
    ticketType: text({ enum: ticketTypes }).notNull(),
    eligibility: text({ mode: 'json' }).notNull().$type<Eligibility>(),
    price: integer().notNull(),
    /** Consecutive days the ticket is valid from the visit date. */
    validityDays: integer().notNull().default(1),
    /** Whether a buyer must pick one of the site's time slots. */
    timed: integer({ mode: 'boolean' }).notNull().default(false),
    /** Optional cap of this product per day, below the site's capacity. */
    dailyCapacity: integer(),
    realNameRequired: integer({ mode: 'boolean' }).notNull().default(true),
    /** Tickets of this product one ID number may hold per day (0 = unlimited). */
    maxPerIdPerDay: integer().notNull().default(1),
    refundable: integer({ mode: 'boolean' }).notNull().default(true),
    status: text({ enum: ['active', 'inactive'] })
      .notNull()
      .default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('visit_products_org').on(t.organizerId, t.id), index('visit_products_site').on(t.siteId)],
)

export const parentChildRules = sqliteTable(
  'parent_child_rules',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    siteId: text()
      .notNull()
      .references(() => scenicSites.id),
    parentProductId: text()
      .notNull()
      .references(() => visitProducts.id),
    childProductId: text()
      .notNull()
      .references(() => visitProducts.id),
    /** How a child buyer is matched to a parent ticket holder for the same day. */
    matchBy: text({ enum: ['phone', 'id_number', 'phone_or_id_number'] })
      .notNull()
      .default('phone_or_id_number'),
    /** While children are unused: refuse the parent's refund, or refund the children with it. */
    onParentRefund: text({ enum: ['block', 'cascade'] })
      .notNull()
      .default('block'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('parent_child_rules_org').on(t.organizerId, t.id),
    uniqueIndex('parent_child_rules_pair').on(t.parentProductId, t.childProductId),
  ],
)

export interface PackageComponent {
  productId: string
  quantity: number
}

export const packages = sqliteTable(
  'packages',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    siteId: text()
      .notNull()
      .references(() => scenicSites.id),
    name: text().notNull(),
    description: text(),
    price: integer().notNull(),
    components: text({ mode: 'json' }).notNull().$type<PackageComponent[]>(),
    status: text({ enum: ['active', 'inactive'] })
      .notNull()
      .default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('packages_org').on(t.organizerId, t.id)],
)

export const salesChannels = sqliteTable(
  'sales_channels',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    name: text().notNull(),
    /** Short stable code used in quotas and reports, e.g. `web`, `ctrip`, `meituan`, `kiosk`. */
    code: text().notNull(),
    kind: text({ enum: ['own_site', 'ota', 'kiosk', 'box_office'] }).notNull(),
    active: integer({ mode: 'boolean' }).notNull().default(true),
    /** Commission the channel keeps, in basis points (1200 = 12%). */
    commissionBps: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('sales_channels_org').on(t.organizerId, t.id),
    uniqueIndex('sales_channels_code').on(t.organizerId, t.code),
  ],
)

// ---- customers, orders and the money path ----

export const customers = sqliteTable('customers', {
  id: text().primaryKey(),
  /** Sign-in address: an email or a phone number in E.164-ish digits, lower-cased. */
  contact: text().notNull().unique(),
  contactKind: text({ enum: ['email', 'phone'] }).notNull(),
  name: text(),
  sessionVersion: integer().notNull().default(1),
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

/** Messages the platform sends (sign-in codes, reminders, refunds); locally the dev mailbox shows them. */
export const outgoingMessages = sqliteTable(
  'outgoing_messages',
  {
    id: text().primaryKey(),
    to: text().notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('outgoing_messages_to').on(t.to, t.createdAt)],
)

export const orderStatuses = [
  'pending',
  'paid',
  'partially_refunded',
  'refunded',
  'cancelled',
  'expired',
] as const
export type OrderStatus = (typeof orderStatuses)[number]

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
    total: integer().notNull(),
    refundedTotal: integer().notNull().default(0),
    currency: text().notNull(),
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
    price: integer().notNull(),
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
      .references(() => orderLines.id)
      .unique(),
    status: text({ enum: ['valid', 'revoked'] })
      .notNull()
      .default('valid'),
    revokedReason: text(),
    issuedAt: createdAt(),
  },
  (t) => [index('tickets_order').on(t.orderId)],
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

// ---- OTA partners (issue 7, partner API half): signed API keys, products with channel prices, orders ----

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

/**
 * Wrong enrollment codes per client address and 15-minute window: a code is short enough to type on a gate, so
 * guessing is capped rather than left to the code's length alone.
 */
export const gateEnrollmentFailures = sqliteTable(
  'gate_enrollment_failures',
  {
    client: text().notNull(),
    windowStart: text().notNull(),
    count: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.client, t.windowStart] })],
)

// ---- Webhooks (issue 7): endpoints, one delivery per (event, endpoint), every attempt logged ----

export const webhookEventTypes = [
  'order.confirmed',
  'order.cancelled',
  'order.refunded',
  'order.rebooked',
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

// ---- gates and redemption (核销): enrollment, revocation lists, scans, redemptions, conflicts ----

/** What a gate is enrolled for: an event's shows, or a site's days from `fromDate` to `toDate`. */
export const gateScopeKinds = ['event', 'site'] as const
export const gateDirections = ['entry', 'exit'] as const

/** Per-event secret gates recompute rotating anti-screenshot codes from; created on first use. */
export const eventGateSecrets = sqliteTable('event_gate_secrets', {
  eventId: text().primaryKey(),
  /** 32 random bytes, base64url. Only enrolled gates of the event's organizer ever receive it. */
  secret: text().notNull(),
  createdAt: createdAt(),
})

/** Short-lived single-use codes staff type into a gate device to enroll it; only a hash is stored. */
export const gateEnrollmentCodes = sqliteTable(
  'gate_enrollment_codes',
  {
    id: text().primaryKey(),
    codeHash: text().notNull().unique(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    gateName: text().notNull(),
    direction: text({ enum: gateDirections }).notNull(),
    scopeKind: text({ enum: gateScopeKinds }).notNull(),
    scopeId: text().notNull(),
    fromDate: text(),
    toDate: text(),
    expiresAt: text().notNull(),
    consumedAt: text(),
    deviceId: text(),
    createdBy: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('gate_enrollment_codes_org').on(t.organizerId, t.createdAt)],
)

export const gateDevices = sqliteTable(
  'gate_devices',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    gateName: text().notNull(),
    direction: text({ enum: gateDirections }).notNull(),
    scopeKind: text({ enum: gateScopeKinds }).notNull(),
    scopeId: text().notNull(),
    fromDate: text(),
    toDate: text(),
    enrolledAt: createdAt(),
    lastSyncAt: text(),
    /** A revoked device's token stops working at once (checked on every call). */
    revokedAt: text(),
  },
  (t) => [index('gate_devices_org').on(t.organizerId, t.enrolledAt)],
)

/**
 * Tickets gates must refuse, in the order they were revoked: `seq` is the sync cursor. Written in the same
 * D1 batch that revokes the ticket (refund, cancellation, rebooking).
 */
export const ticketRevocations = sqliteTable(
  'ticket_revocations',
  {
    seq: integer().primaryKey({ autoIncrement: true }),
    ticketId: text().notNull().unique(),
    organizerId: text().notNull(),
    /** Show id, or scenic site id (the visit date is in `ev`). */
    scopeId: text().notNull(),
    /** Show id or `<siteId>:<date>`, as in the ticket's claims. */
    ev: text().notNull(),
    reason: text().notNull(),
    revokedAt: createdAt(),
  },
  (t) => [index('ticket_revocations_scope').on(t.scopeId, t.seq)],
)

/** Every scan a gate reported (admitted or refused), once per device and client nonce. */
export const gateScans = sqliteTable(
  'gate_scans',
  {
    id: text().primaryKey(),
    deviceId: text().notNull(),
    nonce: text().notNull(),
    organizerId: text().notNull(),
    ticketId: text(),
    decision: text({ enum: ['admit', 'refuse'] }).notNull(),
    reason: text(),
    mode: text({ enum: ['offline', 'online'] }).notNull(),
    scannedAt: text().notNull(),
    receivedAt: createdAt(),
  },
  (t) => [uniqueIndex('gate_scans_nonce').on(t.deviceId, t.nonce), index('gate_scans_ticket').on(t.ticketId)],
)

/** 核销: the first admission of a ticket. One per ticket: a ticket admits once per validity window. */
export const redemptions = sqliteTable(
  'redemptions',
  {
    id: text().primaryKey(),
    ticketId: text().notNull().unique(),
    organizerId: text().notNull(),
    scanId: text().notNull(),
    deviceId: text().notNull(),
    gateName: text().notNull(),
    mode: text({ enum: ['offline', 'online'] }).notNull(),
    redeemedAt: text().notNull(),
    recordedAt: createdAt(),
  },
  (t) => [index('redemptions_org').on(t.organizerId, t.recordedAt)],
)

export const redemptionConflictKinds = ['second_admission', 'revoked_admitted'] as const

/**
 * An offline admission the organizer should look at: the ticket was admitted before (`second_admission`), or it had
 * been revoked (refunded, cancelled, rebooked) by the time the gate's scan log reached the server (`revoked_admitted`:
 * the gate had not synced the revocation, or the refund went through before the admission was uploaded).
 */
export const redemptionConflicts = sqliteTable(
  'redemption_conflicts',
  {
    id: text().primaryKey(),
    organizerId: text().notNull(),
    ticketId: text().notNull(),
    /** The ticket's redemption: the earlier admission, or (revoked_admitted) this scan's own. */
    redemptionId: text().notNull(),
    scanId: text().notNull().unique(),
    deviceId: text().notNull(),
    gateName: text().notNull(),
    scannedAt: text().notNull(),
    kind: text({ enum: redemptionConflictKinds }).notNull().default('second_admission'),
    /** For revoked_admitted: why and when the ticket was revoked (before or after the scan). */
    revocationReason: text(),
    revokedAt: text(),
    detectedAt: createdAt(),
  },
  (t) => [index('redemption_conflicts_org').on(t.organizerId, t.detectedAt)],
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

// ---- Cinema group buys (团购) ------------------------------------------------------------------
// Owned by the group-buy area (migration 0007). Each group is serialized by its own `GroupBuy`
// Durable Object; `group_buys` and `group_buy_members` are its mirror in D1 for listings, the
// order/payment path (is this order a group member waiting for its group?) and audits.

export const groupBuyCampaignStatuses = ['active', 'paused', 'ended'] as const

/** An organizer's offer: these shows sell at a group price once enough buyers join one group. */
export const groupBuyCampaigns = sqliteTable(
  'group_buy_campaigns',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    name: text().notNull(),
    description: text(),
    /** Shows (screenings) the campaign applies to, all of the same organizer. */
    showIds: text({ mode: 'json' }).notNull().$type<string[]>(),
    /** Group price in minor units per price category code; categories not listed are not sold by group. */
    groupPrices: text({ mode: 'json' }).notNull().$type<Record<string, number>>(),
    /** Paid members needed for the group to succeed, and the most members it takes. */
    minSize: integer().notNull(),
    maxSize: integer().notNull(),
    /** How long a group stays open; clipped so it never passes the show's sale end. */
    lifetimeMinutes: integer().notNull(),
    /** Seats one member may take in one group. */
    perBuyerLimit: integer().notNull(),
    /** Taken off the leader's order total (minor units). */
    leaderDiscount: integer().notNull().default(0),
    /** 虚拟成团: at the deadline a group with at least one paid member succeeds, the organizer funding the rest. */
    autoComplete: integer({ mode: 'boolean' }).notNull().default(false),
    status: text({ enum: groupBuyCampaignStatuses }).notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('group_buy_campaigns_org').on(t.organizerId, t.id)],
)

export const groupBuyStatuses = ['open', 'succeeded', 'failed'] as const

/** One group of buyers for one show under one campaign. */
export const groupBuys = sqliteTable(
  'group_buys',
  {
    id: text().primaryKey(),
    campaignId: text()
      .notNull()
      .references(() => groupBuyCampaigns.id),
    organizerId: text().notNull(),
    showId: text()
      .notNull()
      .references(() => shows.id),
    leaderBuyerId: text().notNull(),
    status: text({ enum: groupBuyStatuses }).notNull().default('open'),
    minSize: integer().notNull(),
    maxSize: integer().notNull(),
    /** Members holding a place (joined, not left or lapsed) and those who paid, as the group's actor last wrote them. */
    memberCount: integer().notNull().default(0),
    paidCount: integer().notNull().default(0),
    deadline: text().notNull(),
    /** Set when success or failure has been fully carried out (orders confirmed or refunded). */
    settledAt: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('group_buys_show_open').on(t.showId, t.status, t.deadline),
    index('group_buys_campaign').on(t.campaignId),
  ],
)

export const groupBuyMemberStatuses = [
  'awaiting_payment',
  'paid',
  'confirmed',
  'left',
  'lapsed',
  'refunded',
  'cancelled',
] as const
export type GroupBuyMemberStatus = (typeof groupBuyMemberStatuses)[number]

/** A buyer in a group: their seats (hold), their order at the group price and where they stand. */
export const groupBuyMembers = sqliteTable(
  'group_buy_members',
  {
    id: text().primaryKey(),
    groupId: text()
      .notNull()
      .references(() => groupBuys.id),
    buyerId: text().notNull(),
    customerId: text(),
    role: text({ enum: ['leader', 'member'] }).notNull(),
    quantity: integer().notNull(),
    holdId: text().notNull(),
    orderId: text()
      .notNull()
      .unique()
      .references(() => orders.id),
    status: text({ enum: groupBuyMemberStatuses }).notNull().default('awaiting_payment'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('group_buy_members_group').on(t.groupId), index('group_buy_members_buyer').on(t.buyerId)],
)
