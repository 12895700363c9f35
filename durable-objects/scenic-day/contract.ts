// What the scenic day actor is asked and answers over RPC (inventory.ts): the contract its callers (the hold
// gateway, the worker's services) compile against. Types only, and the one helper that makes a refusal.

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
  /** An OTA partner's hold: only date prices and tiers naming its channel apply (else its settlement price). */
  partner?: boolean
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
  /** What the order charges: the quote at hold time. */
  price: number
  /** The day's price for the channel before any tier (a package's share of it). */
  listPrice: number
  /** The tier the price came from (早鸟 …), or null. */
  tier: string | null
  /** A date price or tier naming the hold's channel set the price (an OTA partner then pays it). */
  channelPriced: boolean
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

/** A hold as the order service needs it: its lines with prices and visitors, its buyer and its state. */
export interface DescribedHold {
  hold: ScenicHold
  holderId: string
  status: string
}

/** A hold turned into sold lines for an order (or already so: `alreadyConfirmed`). */
export type ConfirmOutcome =
  | { ok: true; orderId: string; lineIds: string[]; reacquired: boolean; alreadyConfirmed: boolean }
  | Refused

/** What returning an order's lines would return, and which of the same buyer's child lines go with them. */
export type ReturnPreview =
  | { ok: true; returning: string[]; cascaded: { lineId: string; orderId: string | null }[] }
  | Refused

export type ReturnOutcome = { ok: true; returned: string[]; cascaded: string[] } | Refused

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
    /** What one ticket costs the channel now (date price, then tier). */
    price: number
    /** The date price before a tier. */
    listPrice: number
    tier: string | null
    /** The date rule's label (周末价 …), or null at the base price. */
    dateLabel: string | null
    timed: boolean
    remaining: number
  }[]
  packages: { id: string; price: number; listPrice: number; tier: string | null; dateLabel: string | null }[]
}

/** A refusal as the actor answers it. */
export function refuse(code: ScenicRefusal, detail: string, unavailable?: string[]): Refused {
  return { ok: false as const, code, detail, ...(unavailable ? { unavailable } : {}) }
}
