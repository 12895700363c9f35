import * as v from 'valibot'
import { packageRecord } from './admin/packages.ts'
import { scenicSiteRecord, timeSlotSchema } from './admin/scenic-sites.ts'
import { scenicDepositTermsSchema } from './admin/visit-product-deposit.ts'
import { visitProductRecord } from './admin/visit-products.ts'
import { amount, pageOf } from './common.ts'
import { waitingRoomSummarySchema } from './waiting-room.ts'

export const siteSummarySchema = v.object({
  id: v.string(),
  name: v.string(),
  nameEn: v.nullable(v.string()),
  city: v.string(),
  /** The city's optional English name; English pages show it, falling back to `city`. */
  cityEn: v.nullable(v.string()),
  description: v.nullable(v.string()),
  opensAt: v.string(),
  closesAt: v.string(),
})
export const sitePageSchema = pageOf(siteSummarySchema)

const { organizerId: _site, channelQuotas: _quotas, ...publicSiteEntries } = scenicSiteRecord.entries
const { organizerId: _product, ...publicProductEntries } = visitProductRecord.entries
const { organizerId: _package, ...publicPackageEntries } = packageRecord.entries

export const visitProductSchema = v.object({
  ...publicProductEntries,
  /** Parent products: this one can be bought only with one of them for the same day (父子票). */
  requiresParent: v.array(v.string()),
  /** 定金: a deposit per ticket keeps the day's place; the balance window counts back from the visit day. */
  deposit: v.nullable(scenicDepositTermsSchema),
})

/** A site with its active ticket types (and the parents each needs) and packages; no channel allocations. */
export const siteDetailSchema = v.object({
  ...publicSiteEntries,
  timeSlots: v.array(timeSlotSchema),
  products: v.array(visitProductSchema),
  packages: v.array(v.object(publicPackageEntries)),
})

/** A day as the shop's channel sees it: no other channel's allocation or what it has left. */
export const dayAvailabilitySchema = v.object({
  siteId: v.string(),
  date: v.string(),
  onSale: v.boolean(),
  capacity: v.number(),
  remaining: v.number(),
  slots: v.array(
    v.object({
      code: v.string(),
      start: v.string(),
      end: v.string(),
      capacity: v.number(),
      remaining: v.number(),
    }),
  ),
  products: v.array(
    v.object({
      id: v.string(),
      name: v.string(),
      kind: v.string(),
      ticketType: v.string(),
      /** What one ticket costs the channel now: the date price, then a tier (早鸟 …) if one applies. */
      price: amount,
      /** The date price before a tier (struck through beside `price` when higher). */
      listPrice: amount,
      tier: v.nullable(v.string()),
      /** The date rule's label (周末价 …), or null at the base price. */
      dateLabel: v.nullable(v.string()),
      timed: v.boolean(),
      remaining: v.number(),
    }),
  ),
  /** Each active package's price on the day, as for products. */
  packages: v.array(
    v.object({
      id: v.string(),
      price: amount,
      listPrice: amount,
      tier: v.nullable(v.string()),
      dateLabel: v.nullable(v.string()),
    }),
  ),
})

/** One visit date as the shop asks for it: availability and the date's waiting room (null when off). */
export const dayDetailSchema = v.object({
  ...dayAvailabilitySchema.entries,
  waitingRoom: waitingRoomSummarySchema,
})

export const siteCalendarSchema = v.object({ siteId: v.string(), days: v.array(dayAvailabilitySchema) })

export const heldVisitor = v.object({
  name: v.optional(v.string()),
  /** The ID number as given, normalized (upper-case X): the buyer's own data, only in their hold. */
  idNumber: v.optional(v.string()),
  phone: v.optional(v.string()),
})

export const heldLineSchema = v.object({
  id: v.string(),
  productId: v.string(),
  productName: v.string(),
  slot: v.nullable(v.string()),
  /** The quote the order charges. */
  price: amount,
  /** The day's price before a tier. */
  listPrice: amount,
  tier: v.nullable(v.string()),
  /** A date price or tier naming the hold's channel set the price. */
  channelPriced: v.boolean(),
  visitor: v.nullable(heldVisitor),
})

/** A scenic-day hold: every line, the price quote in minor units and when it lapses. */
export const scenicHoldSchema = v.object({
  id: v.string(),
  siteId: v.string(),
  date: v.string(),
  lines: v.array(heldLineSchema),
  total: amount,
  currency: v.string(),
  expiresAt: v.string(),
})

export type SiteSummary = v.InferOutput<typeof siteSummarySchema>
export type VisitProduct = v.InferOutput<typeof visitProductSchema>
export type SiteDetail = v.InferOutput<typeof siteDetailSchema>
export type DayAvailability = v.InferOutput<typeof dayAvailabilitySchema>
export type DayDetail = v.InferOutput<typeof dayDetailSchema>
export type HeldVisitor = v.InferOutput<typeof heldVisitor>
export type ScenicHold = v.InferOutput<typeof scenicHoldSchema>
export type SiteCalendar = v.InferOutput<typeof siteCalendarSchema>
