// The catalogue: venues and seats, events and shows, scenic sites with their visit products, parent-child
// rules and packages, and the sales channels an organizer sells through.
import { sql } from 'drizzle-orm'
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import type { DepositTerms } from '../../domain/deposit-terms.ts'
import type { Poster } from '../../domain/images.ts'
import type { FlashSale, PriceSchedule } from '../../domain/price-schedule.ts'
import type { RefundTier } from '../../domain/refund-policy.ts'
import type { SalePhase } from '../../domain/sale-phases.ts'
import type { ScenicDepositTerms } from '../../domain/scenic-deposit-terms.ts'
import type { ScenicPricing } from '../../domain/scenic-price-calendar.ts'
import type { PriceCategory } from '../../domain/seat-chart.ts'
import type { SectionName } from '../../domain/section-names.ts'
import { createdAt, updatedAt } from './columns.ts'
import { organizers } from './staff.ts'

// Shapes of JSON columns that pure domain code also uses are defined in worker/domain.
export type {
  DepositTerms,
  FlashSale,
  Poster,
  PriceCategory,
  PriceSchedule,
  RefundTier,
  SalePhase,
  SectionName,
}

export const venues = sqliteTable(
  'venues',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    name: text().notNull(),
    /** Optional English name beside the main one; English pages show it, falling back to `name`. */
    nameEn: text(),
    kind: text({ enum: ['concert_hall', 'theatre', 'cinema', 'stadium', 'other'] }).notNull(),
    city: text().notNull(),
    /** Optional English name of the city; English pages show it, falling back to `city`. */
    cityEn: text(),
    address: text(),
    /** Names of the seat map's sections by key (池座 / Stalls for `Stalls`); a section without one reads as its key. */
    sectionNames: text({ mode: 'json' }).notNull().$type<SectionName[]>().default(sql`'[]'`),
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
    /** Optional English name beside the main one; English pages show it, falling back to `name`. */
    nameEn: text(),
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
    /** The poster the shop shows (images in R2, one per width); set through the poster upload route only. */
    poster: text({ mode: 'json' }).$type<Poster>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('events_org').on(t.organizerId, t.id)],
)

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

/** A show's price schedules per category and its flash sales (worker/domain/price-schedule.ts), set as one. */
export const showPricing = sqliteTable('show_pricing', {
  showId: text()
    .primaryKey()
    .references(() => shows.id),
  organizerId: text()
    .notNull()
    .references(() => organizers.id),
  schedules: text({ mode: 'json' }).notNull().$type<PriceSchedule[]>(),
  flashSales: text({ mode: 'json' }).notNull().$type<FlashSale[]>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
})

/** A show's deposit presale (定金, worker/domain/deposit-terms.ts); no row: no deposit option. */
export const showDeposits = sqliteTable('show_deposits', {
  showId: text()
    .primaryKey()
    .references(() => shows.id),
  organizerId: text()
    .notNull()
    .references(() => organizers.id),
  terms: text({ mode: 'json' }).notNull().$type<DepositTerms>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
})

/** A show's presale phases (worker/domain/sale-phases.ts); `updatedAt` also moves when codes are made. */
export const showSalePhases = sqliteTable('show_sale_phases', {
  showId: text()
    .primaryKey()
    .references(() => shows.id),
  organizerId: text()
    .notNull()
    .references(() => organizers.id),
  phases: text({ mode: 'json' }).notNull().$type<SalePhase[]>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
})

/**
 * Presale codes, stored as they are (the organizer exports them again as CSV whenever needed) and unique as the
 * primary key; 60 random bits each, so guessing one is hopeless under the hold rate limits.
 */
export const presaleCodes = sqliteTable(
  'presale_codes',
  {
    code: text().primaryKey(),
    showId: text()
      .notNull()
      .references(() => shows.id),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    /** Holds (orders) the code may admit during a presale. */
    maxUses: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('presale_codes_show').on(t.showId, t.createdAt)],
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
    /** Optional English name beside the main one; English pages show it, falling back to `name`. */
    nameEn: text(),
    city: text().notNull(),
    /** Optional English name of the city; English pages show it, falling back to `city`. */
    cityEn: text(),
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
    /** A picture of the site for the shop (images in R2, one per width); set through the poster upload route only. */
    poster: text({ mode: 'json' }).$type<Poster>(),
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
    /** Optional English name beside the main one; English pages show it, falling back to `name`. */
    nameEn: text(),
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
    /** Date prices and tiers (worker/domain/scenic-price-calendar.ts); null: the base price every day. */
    pricing: text({ mode: 'json' }).$type<ScenicPricing>(),
    status: text({ enum: ['active', 'inactive'] })
      .notNull()
      .default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('visit_products_org').on(t.organizerId, t.id), index('visit_products_site').on(t.siteId)],
)

/** A visit product's deposit presale (定金, worker/domain/scenic-deposit-terms.ts); absent: sold in full only. */
export const visitProductDeposits = sqliteTable('visit_product_deposits', {
  productId: text()
    .primaryKey()
    .references(() => visitProducts.id),
  organizerId: text()
    .notNull()
    .references(() => organizers.id),
  terms: text({ mode: 'json' }).notNull().$type<ScenicDepositTerms>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
})

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
    /** Optional English name beside the main one; English pages show it, falling back to `name`. */
    nameEn: text(),
    description: text(),
    price: integer().notNull(),
    components: text({ mode: 'json' }).notNull().$type<PackageComponent[]>(),
    /** Date prices and tiers of the package, as a product's. */
    pricing: text({ mode: 'json' }).$type<ScenicPricing>(),
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
    /** Optional English name beside the main one; English pages show it, falling back to `name`. */
    nameEn: text(),
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
