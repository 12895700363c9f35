// Members, tiers and points (积分) per organizer, written only by worker/services/members/. A member is a signed-in
// customer (an OTP account) as one organizer knows them; points live in an append-only ledger whose sums are the
// balance and the debt (worker/domain/points-ledger.ts).

import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt, updatedAt } from './columns.ts'
import { customers } from './orders.ts'
import { organizers } from './staff.ts'

/** An organizer's member tiers (普通 / 银卡 / 金卡): thresholds over the last 12 months and what each tier gets. */
export const memberTiers = sqliteTable(
  'member_tiers',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    /** The key sale phases name (`memberTiers: ['gold']`); never shown to Chinese buyers. */
    code: text().notNull(),
    /** Lowest tier first: 0, 1, 2, … */
    rank: integer().notNull(),
    name: text().notNull(),
    nameEn: text(),
    /** Paid spend over the last 12 months that qualifies, minor units; null: spend does not qualify. */
    minSpend: integer(),
    /** Points earned over the last 12 months that qualify; null: points do not qualify. */
    minPoints: integer(),
    /** Member discount, whole percent of what the tickets cost. */
    discountPercent: integer().notNull().default(0),
    /** Admitted to sale phases that name this tier's code. */
    presaleAccess: integer({ mode: 'boolean' }).notNull().default(false),
    /** Tickets a member may hold and buy per show when more than the event allows; null: the event's limit. */
    maxTicketsPerBuyer: integer(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('member_tiers_code').on(t.organizerId, t.code),
    check('member_tiers_percent', sql`${t.discountPercent} BETWEEN 0 AND 100`),
  ],
)

/** The organizer's points rules; without a row nobody earns or redeems points. */
export const memberPointsRules = sqliteTable('member_points_rules', {
  organizerId: text()
    .primaryKey()
    .references(() => organizers.id),
  /** Points earned per ¥1 (100 minor units) paid, rounded down to whole points. */
  earnPerYuan: integer().notNull(),
  /** Points that buy ¥1 off at checkout (100 → 100 points = ¥1). */
  pointsPerYuan: integer().notNull(),
  /** The largest share of an order's remaining total points may pay, whole percent. */
  maxRedeemPercent: integer().notNull(),
  /** Points expire at the end of the Nth calendar year after the one they were earned in (Beijing time); 0: never. */
  expiryYears: integer().notNull(),
  updatedAt: updatedAt(),
})

/** A customer as a member of one organizer; created on the first paid order or the first visit to the member page. */
export const memberProfiles = sqliteTable(
  'member_profiles',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    customerId: text()
      .notNull()
      .references(() => customers.id),
    favouriteVenueIds: text({ mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    favouriteCategories: text({ mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('member_profiles_customer').on(t.organizerId, t.customerId)],
)

/**
 * The points ledger, append-only: each row changes the balance by `points` and the debt by `debt` (a refund that
 * reverses more points than are left), and `spend` records paid (+) and refunded (−) money for the 12-month tier
 * rule. `seq` orders a member's rows; ids are keyed on what caused them, so a replayed event writes nothing.
 */
export const memberPoints = sqliteTable(
  'member_points',
  {
    id: text().primaryKey(),
    memberId: text()
      .notNull()
      .references(() => memberProfiles.id),
    seq: integer().notNull(),
    kind: text({
      enum: ['earn', 'redeem', 'redeem_returned', 'reverse', 'debt_settled', 'expire', 'adjust'],
    }).notNull(),
    points: integer().notNull(),
    debt: integer().notNull().default(0),
    spend: integer().notNull().default(0),
    orderId: text(),
    /** For points that came in (earn, redeem_returned): when what is left of them expires. */
    expiresAt: text(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('member_points_seq').on(t.memberId, t.seq), index('member_points_order').on(t.orderId)],
)
