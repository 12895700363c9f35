import type { ShowHold } from '../../../durable-objects/show-inventory/contract.ts'
import type { Locale } from '../../domain/locale.ts'
import type { DiscountRequest } from './checkout-discounts.ts'

/** What pricing a show's hold reads of the show (`showOrderFacts` in hold-pricing.ts). */
export type ShowOrderFacts = {
  id: string
  organizerId: string
  realNameRequired: boolean
  allowGuestCheckout: boolean
}

/** What an order is made from: the buyer's hold and what checkout adds to it (see createOrderFromHold). */
export interface CreateOrderInput {
  kind: 'show' | 'scenic'
  showId?: string
  siteId?: string
  visitDate?: string
  holdId: string
  /**
   * The hold as the caller was just given it by the show's actor (a group buy's place, held by the group's actor):
   * priced as given rather than read back from the actor.
   */
  heldSeats?: ShowHold
  /** The ID numbers `heldSeats` was held with, one per seat (a real-name order that held its own seats). */
  heldIdNumbers?: string[]
  /** The show's facts as the caller read them in its own batch (`showOrderFacts`), not read again. */
  showFacts?: ShowOrderFacts
  buyerId: string
  customerId?: string
  email?: string
  phone?: string
  /** The buyer's language: the order's messages are written in it (guests have no customer record to keep it). */
  locale?: Locale
  channel: string
  /** Real-name shows: the ticket holder's name for each held seat, in seat order. */
  holderNames?: string[]
  /** Real-name shows whose hold came without ID numbers: one per held seat, in seat order (given at checkout). */
  idNumbers?: string[]
  /** 改签: the new order replaces these lines of `rebookOf` and charges only `amountDue` (the price difference). */
  rebook?: { orderId: string; lineIds: string[]; credit: number }
  /**
   * 团购: the order is priced at the group price per category (minus `discount`, the leader's extra) and must be
   * paid by `payBy`; it is confirmed only when the group succeeds (see finishPaidOrder).
   */
  groupBuy?: { prices: Record<string, number>; discount: number; payBy: string }
  /** 定金: pay the show's deposit now and the balance later (see deposits.ts); refused where the show has none. */
  deposit?: boolean
  /** A coupon code and points to redeem; member discounts apply without asking (see checkout-discounts.ts). */
  discounts?: DiscountRequest
  /** Who made the order when not the buyer themselves (a box-office clerk, `staff:<id>`), for the audit trail. */
  actor?: string
  /** More of the story for the order's creation audit row (e.g. the clerk's shift). */
  auditDetail?: Record<string, unknown>
}
