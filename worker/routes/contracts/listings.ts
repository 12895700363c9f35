import * as v from 'valibot'
import { amount } from './common.ts'
import { posterSchema } from './images.ts'

export const listedShowSchema = v.object({
  id: v.string(),
  startsAt: v.string(),
  venueName: v.string(),
  venueNameEn: v.nullable(v.string()),
  onSale: v.boolean(),
  soldOut: v.boolean(),
  /** Cheapest category with seats left (the cheapest at all once sold out); minor units. */
  fromPrice: v.nullable(amount),
})

/** One card of the shop home: an event with its upcoming shows. */
export const eventListingSchema = v.object({
  id: v.string(),
  name: v.string(),
  /** The event's optional English name; English pages show it, falling back to `name`. */
  nameEn: v.nullable(v.string()),
  kind: v.string(),
  poster: v.nullable(posterSchema),
  currency: v.string(),
  venues: v.array(v.string()),
  /** The same venues for English pages (each one's English name, else its main name). */
  venuesEn: v.array(v.string()),
  cities: v.array(v.string()),
  /** The same cities for English pages (each one's English name, else its main name). */
  citiesEn: v.array(v.string()),
  firstStartsAt: v.string(),
  lastStartsAt: v.string(),
  /** Cheapest seat of the shows on sale with seats left, otherwise of any listed show (“¥45起”). */
  fromPrice: v.nullable(amount),
  /** Some listed show is on sale with seats left. */
  onSale: v.boolean(),
  /** Every listed show is sold out. */
  soldOut: v.boolean(),
  /** Soonest first. */
  shows: v.array(listedShowSchema),
})

export const siteListingSchema = v.object({
  id: v.string(),
  name: v.string(),
  nameEn: v.nullable(v.string()),
  city: v.string(),
  /** The city's optional English name; English pages show it, falling back to `city`. */
  cityEn: v.nullable(v.string()),
  description: v.nullable(v.string()),
  opensAt: v.string(),
  closesAt: v.string(),
  poster: v.nullable(posterSchema),
  currency: v.string(),
  /** Cheapest active gate (entry) ticket, or of any active ticket when the site sells no entry. */
  fromPrice: v.nullable(amount),
})

export const listingSchema = v.object({
  events: v.array(eventListingSchema),
  sites: v.array(siteListingSchema),
  /** Every city with something listed, whatever the filters (for a city menu). */
  cities: v.array(v.string()),
  /** The same cities with their optional English names, for the menu's labels (filter by `name`). */
  cityNames: v.array(v.object({ name: v.string(), nameEn: v.nullable(v.string()) })),
  /** More events match than were listed: narrow the search. */
  moreEvents: v.boolean(),
})

export type ListedShow = v.InferOutput<typeof listedShowSchema>
export type EventListing = v.InferOutput<typeof eventListingSchema>
export type SiteListing = v.InferOutput<typeof siteListingSchema>
export type Listing = v.InferOutput<typeof listingSchema>
