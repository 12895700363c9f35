// Distribution (分销): partners who sell through their own share links for a commission. Written only by
// worker/services/distribution/; an order's attribution and commission are derived from the order's own events
// (order.confirmed, order.refunded), never by writing the money tables.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt, updatedAt } from './columns.ts'
import { organizers } from './staff.ts'

export const distributorKinds = ['kol', 'agency', 'staff'] as const
export const distributorStatuses = ['active', 'disabled'] as const
/** `percent`: basis points of what the buyer paid for the line (1000 = 10%); `fixed`: minor units per ticket. */
export const commissionKinds = ['percent', 'fixed'] as const
export const distributionTargetKinds = ['event', 'show', 'product'] as const
export const commissionStates = ['pending', 'payable', 'paid', 'reversed'] as const

/** An organizer's distribution settings: how long a click keeps crediting its distributor. */
export const distributionSettings = sqliteTable('distribution_settings', {
  organizerId: text()
    .primaryKey()
    .references(() => organizers.id),
  attributionDays: integer().notNull().default(7),
  /** Invite a friend: the coupon both sides are granted when the friend's first order is paid (null: no rewards). */
  inviteCouponId: text(),
  updatedAt: updatedAt(),
})

/**
 * A distributor (KOL, travel agency, staff member). `contact` is the email or phone they sign in to the shop with
 * (a customer account, proven by its one-time code); their page lists what they earned.
 */
export const distributors = sqliteTable(
  'distributors',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    name: text().notNull(),
    kind: text({ enum: distributorKinds }).notNull().default('kol'),
    contact: text().notNull(),
    status: text({ enum: distributorStatuses }).notNull().default('active'),
    /** The commission where no rule of an event or product applies. */
    commissionKind: text({ enum: commissionKinds }).notNull().default('percent'),
    commissionValue: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('distributors_org').on(t.organizerId, t.createdAt),
    index('distributors_contact').on(t.contact),
  ],
)

/** A share link: the shop page of an event, show or scenic product with `?ref=`. */
export const distributionLinks = sqliteTable(
  'distribution_links',
  {
    id: text().primaryKey(),
    organizerId: text().notNull(),
    distributorId: text()
      .notNull()
      .references(() => distributors.id),
    /** Random, 10 characters of a 31-letter alphabet (about 49 bits): not guessable from another link. */
    ref: text().notNull().unique(),
    targetKind: text({ enum: distributionTargetKinds }).notNull(),
    targetId: text().notNull(),
    /** For a product link, its scenic site (the shop page it opens). */
    siteId: text(),
    active: integer({ mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index('distribution_links_distributor').on(t.distributorId)],
)

/** One click on a share link by one buyer (their buyer id, never an address); the last one before an order wins. */
export const distributionClicks = sqliteTable(
  'distribution_clicks',
  {
    id: text().primaryKey(),
    organizerId: text().notNull(),
    linkId: text().notNull(),
    distributorId: text().notNull(),
    buyerId: text().notNull(),
    clickedAt: text().notNull(),
  },
  (t) => [
    index('distribution_clicks_buyer').on(t.buyerId, t.organizerId, t.clickedAt),
    index('distribution_clicks_link').on(t.linkId),
  ],
)

/** A commission rule of one event or scenic product, for one distributor or (distributorId null) for all. */
export const commissionRules = sqliteTable(
  'commission_rules',
  {
    id: text().primaryKey(),
    organizerId: text().notNull(),
    distributorId: text(),
    scopeKind: text({ enum: ['event', 'product'] }).notNull(),
    scopeId: text().notNull(),
    kind: text({ enum: commissionKinds }).notNull(),
    value: integer().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('commission_rules_org').on(t.organizerId, t.scopeKind, t.scopeId)],
)

/** The order a distributor is credited with: the click it came through, as of the order's creation. */
export const distributionAttributions = sqliteTable(
  'distribution_attributions',
  {
    orderId: text().primaryKey(),
    organizerId: text().notNull(),
    distributorId: text().notNull(),
    linkId: text().notNull(),
    clickId: text().notNull(),
    clickedAt: text().notNull(),
    /** Beijing month (YYYY-MM) the order was paid in: its statement. */
    month: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('distribution_attributions_distributor').on(t.distributorId, t.month)],
)

/**
 * Commission per order line (a line is one ticket). `commission` rows are credited when the order is paid; a
 * refund of a line not yet paid out reverses its row, one already paid out adds a negative `clawback` row to the
 * next statement. Unique per line and kind, so an event handled twice credits once.
 */
export const commissions = sqliteTable(
  'commissions',
  {
    id: text().primaryKey(),
    organizerId: text().notNull(),
    distributorId: text().notNull(),
    orderId: text().notNull(),
    orderLineId: text().notNull(),
    kind: text({ enum: ['commission', 'clawback'] })
      .notNull()
      .default('commission'),
    /** Minor units; negative for a clawback. */
    amount: integer().notNull(),
    /** What the buyer paid for the line, the base of a percentage. */
    base: integer().notNull(),
    ruleKind: text({ enum: commissionKinds }).notNull(),
    ruleValue: integer().notNull(),
    state: text({ enum: commissionStates }).notNull().default('pending'),
    /** Beijing month (YYYY-MM) of the statement the row belongs to. */
    month: text().notNull(),
    /** When the show or visit day is over (the row becomes payable then, or once its ticket is used). */
    payableAfter: text().notNull(),
    payoutId: text(),
    /** The outbox event that wrote or reversed the row. */
    eventId: text().notNull(),
    reversedBy: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('commissions_line_kind').on(t.orderLineId, t.kind),
    index('commissions_distributor').on(t.distributorId, t.month, t.state),
    index('commissions_state').on(t.state, t.payableAfter),
    index('commissions_order').on(t.orderId),
  ],
)

/** A statement marked paid: the payable commission of one distributor and month, paid out together. */
export const distributionPayouts = sqliteTable(
  'distribution_payouts',
  {
    id: text().primaryKey(),
    organizerId: text().notNull(),
    distributorId: text().notNull(),
    month: text().notNull(),
    amount: integer().notNull(),
    paidBy: text().notNull(),
    paidAt: createdAt(),
  },
  (t) => [index('distribution_payouts_distributor').on(t.distributorId, t.month)],
)

/** "Invite a friend": a customer's invite code for one organizer's shop. */
export const referralInvites = sqliteTable(
  'referral_invites',
  {
    id: text().primaryKey(),
    organizerId: text().notNull(),
    customerId: text().notNull(),
    code: text().notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('referral_invites_customer').on(t.organizerId, t.customerId)],
)

/** A friend opening an invite link: kept on their buyer id, like a share link's click. */
export const referralVisits = sqliteTable(
  'referral_visits',
  {
    id: text().primaryKey(),
    organizerId: text().notNull(),
    inviteId: text().notNull(),
    buyerId: text().notNull(),
    visitedAt: text().notNull(),
  },
  (t) => [index('referral_visits_buyer').on(t.buyerId, t.organizerId, t.visitedAt)],
)

/**
 * One reward per side (inviter, friend) when a friend's first order with the organizer is paid; unique per friend
 * and side, so a friend rewards once. `granted` once the reward granter (coupons) has issued it, with its ref.
 */
export const referralRewards = sqliteTable(
  'referral_rewards',
  {
    id: text().primaryKey(),
    organizerId: text().notNull(),
    inviteId: text().notNull(),
    friendCustomerId: text().notNull(),
    friendOrderId: text().notNull(),
    side: text({ enum: ['inviter', 'friend'] }).notNull(),
    customerId: text().notNull(),
    state: text({ enum: ['pending', 'granted'] })
      .notNull()
      .default('pending'),
    grantRef: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('referral_rewards_friend_side').on(t.organizerId, t.friendCustomerId, t.side)],
)
