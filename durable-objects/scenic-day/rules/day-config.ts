import type { ScenicPricing } from '../../../worker/domain/scenic-price-calendar.ts'
import type { AgeBounds } from '../../../worker/domain/visit-eligibility.ts'

// The slice of the catalogue one scenic day is decided on: read from D1 (catalogue.ts), kept in the actor's own
// storage between reads, and the only settings the rules consult.

export const DEFAULT_SCENIC_HOLD_MINUTES = 15
/**
 * Bumped when DayConfig gains something (v2: products' age bounds; v3: price calendars and tiers): older stored
 * configs are read again.
 */
export const DAY_CONFIG_VERSION = 3

export interface Product {
  id: string
  name: string
  kind: 'entry' | 'attraction' | 'show'
  ticketType: string
  price: number
  timed: boolean
  dailyCapacity: number | null
  realNameRequired: boolean
  maxPerIdPerDay: number
  status: string
  /** Age bounds from the product's eligibility (the rest is checked at the gate). */
  ages?: AgeBounds
  /** Date prices and tiers; none: `price` every day. */
  pricing?: ScenicPricing | null
}

export interface Rule {
  parentProductId: string
  childProductId: string
  matchBy: 'phone' | 'id_number' | 'phone_or_id_number'
  onParentRefund: 'block' | 'cascade'
}

export interface TimeSlot {
  code: string
  start: string
  end: string
  capacity: number
}

export interface DayPackage {
  price: number
  status: string
  components: { productId: string; quantity: number }[]
  pricing?: ScenicPricing | null
}

export interface DayConfig {
  /** Shape of this object; a stored config of an older shape is read again from the catalogue. */
  version?: number
  siteId: string
  date: string
  currency: string
  holdMinutes: number
  dailyCapacity: number
  slots: TimeSlot[]
  quotas: Record<string, number>
  bookingDaysAhead: number
  timezone: string
  products: Record<string, Product>
  rules: Rule[]
  packages: Record<string, DayPackage>
  /** Catalogue version the config was read at. */
  stamp?: string
  /** True once this date's quotas were set by hand; catalogue refreshes keep them. */
  quotasOverridden?: boolean
}

/** Entry tickets not set aside for any channel: what channels without an allocation share. */
export function generalCapacity(config: DayConfig) {
  return config.dailyCapacity - Object.values(config.quotas).reduce((a, b) => a + b, 0)
}

/** The catalogue's latest config for the day, keeping quotas set by hand for this date. */
export function withKeptQuotas(latest: DayConfig, saved: DayConfig | undefined): DayConfig {
  return saved?.quotasOverridden ? { ...latest, quotas: saved.quotas, quotasOverridden: true } : latest
}
