import type { AgeBounds } from '../worker/domain/visit-eligibility.ts'

// What the scenic day actor is asked and answers, and the day's settings it keeps (scenic-day-inventory.ts).

export interface Visitor {
  name?: string
  /** Normalized PRC ID number (upper-case X). */
  idNumber?: string
  phone?: string
}

/**
 * Which parent ticket a child line (cable car) goes with. Without one, the child is matched (by the rule's
 * phone / ID number) against parent lines of the same buyer only: in this hold or held or bought earlier.
 */
export type ParentRef =
  /** A parent line earlier or later in the same hold (0-based); the child takes its visitor when it has none. */
  | { line: number }
  /**
   * A parent ticket's line of this day (a hold's line id, an order line's `inventoryRef`). The same buyer's,
   * unless `proven`: the route verified the parent ticket's signed code, which only its holder has.
   */
  | { lineId: string; proven?: boolean }

export interface ScenicHoldLine {
  productId: string
  slot?: string
  visitor?: Visitor
  parent?: ParentRef
}

/** Who asked for a public hold (the shop): per-client caps count it. Partners' holds carry none. */
export interface HoldClient {
  /** The client's network (clientNetwork of its address), when known. */
  network?: string
}

export interface ScenicHoldRequest {
  holderId: string
  channel: string
  lines: ScenicHoldLine[]
  /** The lines are the components of this package, sold at its price. */
  packageId?: string
  /** Set for holds from the public (the shop): the per-buyer and per-network caps apply. */
  client?: HoldClient
}

export type ScenicRefusal =
  | 'sold_out'
  | 'parent_ticket_required'
  | 'buyer_limit'
  | 'not_eligible'
  | 'hold_limit'
  | 'not_on_sale'
  | 'invalid_request'
  | 'hold_not_found'
  | 'hold_expired'
  | 'order_mismatch'
  | 'children_unused'

export interface HeldLine {
  id: string
  productId: string
  productName: string
  slot: string | null
  price: number
  visitor: Visitor | null
}

export interface ScenicHold {
  id: string
  siteId: string
  date: string
  lines: HeldLine[]
  total: number
  currency: string
  expiresAt: string
}

export interface Refused {
  ok: false
  code: ScenicRefusal
  detail: string
  unavailable?: string[]
  /** `not_eligible`: the line (0-based) and the rule it failed. */
  line?: number
  rule?: string
  /** `hold_limit`: whose limit (`buyer` or `client`, the network), the limit, seconds until a hold of theirs ends. */
  scope?: string
  limit?: { holds: number; held: number }
  retryAfter?: number
}

export type ScenicHoldOutcome = { ok: true; hold: ScenicHold } | Refused

export interface DayAvailability {
  siteId: string
  date: string
  onSale: boolean
  capacity: number
  remaining: number
  channels: Record<string, { quota: number; remaining: number }>
  slots: { code: string; start: string; end: string; capacity: number; remaining: number }[]
  products: {
    id: string
    name: string
    kind: string
    ticketType: string
    price: number
    timed: boolean
    remaining: number
  }[]
}

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
}

export interface Rule {
  parentProductId: string
  childProductId: string
  matchBy: 'phone' | 'id_number' | 'phone_or_id_number'
  onParentRefund: 'block' | 'cascade'
}

export interface DayConfig {
  /** Shape of this object; a stored config of an older shape is read again from the catalogue. */
  version?: number
  siteId: string
  date: string
  currency: string
  holdMinutes: number
  dailyCapacity: number
  slots: { code: string; start: string; end: string; capacity: number }[]
  quotas: Record<string, number>
  bookingDaysAhead: number
  timezone: string
  products: Record<string, Product>
  rules: Rule[]
  packages: Record<
    string,
    { price: number; status: string; components: { productId: string; quantity: number }[] }
  >
  /** Catalogue version the config was read at. */
  stamp?: string
  /** True once this date's quotas were set by hand; catalogue refreshes keep them. */
  quotasOverridden?: boolean
}

/** A ticket line as stored, with its hold's buyer (the owner parent-child rules and caps go by). */
export type LineRow = {
  id: string
  hold_id: string
  holder_id: string
  product_id: string
  slot: string | null
  channel: string
  id_number: string | null
  phone: string | null
  name: string | null
  status: 'held' | 'sold' | 'returned' | 'released' | 'expired'
  order_id: string | null
  redeemed: number
  price: number
  parent_line_id: string | null
}
