// Cinema group buys (团购). Each group is serialized by its own `GroupBuy` Durable Object; `group_buys` and
// `group_buy_members` are its mirror in D1 for listings, the order/payment path (is this order a group member
// waiting for its group?) and audits.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { shows } from './catalogue.ts'
import { createdAt, updatedAt } from './columns.ts'
import { orders } from './orders.ts'
import { organizers } from './staff.ts'

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
    /** Optional English name beside the main one; English pages show it, falling back to `name`. */
    nameEn: text(),
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
