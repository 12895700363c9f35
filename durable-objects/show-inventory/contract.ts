import type { HoldCapScope, HoldLimit } from '../../worker/domain/hold-caps.ts'
import type { CurrentPrice, FlashSaleView, ShowPricing } from '../../worker/domain/price-schedule.ts'
import type { SalePhase, SalePhaseView } from '../../worker/domain/sale-phases.ts'
import type { BestRequest, SeatFocus } from '../../worker/domain/seat-layout.ts'

// What the show inventory actor offers the rest of the system: the shapes its RPC methods take and answer,
// the catalogue settings it sells on, and how to reach the actor of a show. Worker services and the hold
// gateways import this; nothing here runs in the actor's hot path.

export const MAX_SEATS_PER_HOLD = 10

export interface ShowHoldRequest {
  /** Account (or anonymous buyer) id; per-account limits count against it. */
  holderId: string
  /** Real-name ID numbers, one per seat when the event requires real names. */
  idNumbers?: string[]
  channel?: string
  seatIds?: string[]
  best?: Omit<BestRequest, 'channel'>
  /** The buyer's client network (IPv4 address or IPv6 /64, see client-network.ts), for per-network caps. */
  ip?: string
  /** Buy in this flash sale (its category, price and per-buyer limit) instead of at the category's price. */
  flashSaleId?: string
  /** A presale code (outside the general sale, a phase open to code holders admits it while it has uses left). */
  presaleCode?: string
  /** The customer's member tier, when the worker knows one (a phase may be open to some tiers). */
  memberTier?: string
  /** The member tier's per-buyer ticket limit, when it has one: the larger of it and the event's applies. */
  maxTicketsPerBuyer?: number
}

export interface HeldSeat {
  id: string
  label: string
  section: string
  row: string
  category: string
  /** The quoted unit price: what the order charges. */
  price: number
  /** The category's list price when quoted. */
  listPrice: number
  /** The tier or flash sale the price comes from; null at list price. */
  tier: string | null
}

export interface ShowHold {
  id: string
  showId: string
  seats: HeldSeat[]
  total: number
  currency: string
  expiresAt: string
  /** List prices minus quoted prices over the seats. */
  discount: number
}

export type ShowRefusal =
  | 'seats_unavailable'
  | 'seats_not_together'
  | 'seats_not_priced'
  | 'sold_out'
  | 'buyer_limit'
  | 'hold_limit'
  | 'sign_in_required'
  | 'not_on_sale'
  | 'presale_code_invalid'
  | 'presale_code_used_up'
  | 'invalid_request'
  | 'hold_not_found'
  | 'hold_expired'

export type ShowHoldOutcome =
  | { ok: true; hold: ShowHold }
  | {
      ok: false
      code: ShowRefusal
      detail: string
      unavailable?: string[]
      /** `sold_out`: free seats left in the category. */
      available?: number
      /** `hold_limit`: whose limit, what it is, seconds until one of their holds ends. */
      scope?: HoldCapScope
      limit?: HoldLimit
      retryAfter?: number
      /** `not_on_sale`: when the sale opens to this buyer (a presale phase that admits them, or the general sale). */
      opensAt?: string
    }

export type ShowHoldRefusal = Extract<ShowHoldOutcome, { ok: false }>

export type ConfirmOutcome =
  | { ok: true; orderId: string; seats: HeldSeat[]; reacquired: boolean; alreadyConfirmed: boolean }
  | { ok: false; code: ShowRefusal | 'order_mismatch'; detail: string; unavailable?: string[] }

export interface ShowAvailability {
  showId: string
  onSale: boolean
  categories: {
    code: string
    name: string
    /** The venue's optional English name for the category. */
    nameEn?: string
    color: string
    price: number
    available: number
    total: number
    /** The price a buyer is quoted now (a tier, or the list price). */
    current: CurrentPrice
  }[]
  flashSales: FlashSaleView[]
  /** Presale phases before the general sale (code holders, member tiers). */
  salePhases: SalePhaseView[]
  version: number
}

/** The catalogue settings a show sells on, copied from D1 (see catalogue.ts) and kept in the actor. */
export interface ShowConfig {
  showId: string
  currency: string
  holdMinutes: number
  saleStartsAt: string
  saleEndsAt: string
  status: string
  maxPerAccount: number
  realNameRequired: boolean
  /** Only signed-in customers may hold (on-sale protection). */
  signInToHold?: boolean
  prices: Record<string, number>
  categories: { code: string; name: string; nameEn?: string; color: string }[]
  stage: { x: number; y: number } | null
  /** Where best available aims: near the stage, or a cinema's middle-back rows (absent: the stage). */
  seatFocus?: SeatFocus
  /** Price schedules and flash sales (absent: every seat at its category's price). */
  pricing?: ShowPricing
  /** Presale phases before the general sale (absent: none). */
  salePhases?: SalePhase[]
  /** The show's presale codes, each with its cap of uses (sent only when a phase is open to codes). */
  presaleCodes?: Record<string, number>
  /** Catalogue version this config was read at (show, event and pricing `updated_at`). */
  stamp?: string
}

/**
 * The actor that sells one show's seats (ShowInventory, index.ts): one per show, named by the show id. Generic
 * over the namespace's class, so this contract does not import the actor (the bench runs a subclass).
 */
export const showInventoryStub = <Actor extends Rpc.DurableObjectBranded>(
  namespace: DurableObjectNamespace<Actor>,
  showId: string,
) => namespace.get(namespace.idFromName(showId))

export function refuse(code: ShowRefusal, detail: string, unavailable?: string[]): ShowHoldRefusal {
  return { ok: false, code, detail, ...(unavailable ? { unavailable } : {}) }
}
