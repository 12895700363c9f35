import type { Locale } from '../../worker/domain/locale.ts'
import type { GroupDeparture } from '../../worker/domain/order-status-reason.ts'
import type { HeldSeat, ShowHold } from '../show-inventory/contract.ts'
import type { ShowInventory } from '../show-inventory/index.ts'

/** The show's side: the group holds its members' seats in the show's inventory actor. */
export type { HeldSeat, ShowHold, ShowHoldOutcome, ShowHoldRequest } from '../show-inventory/contract.ts'
export type { ShowInventory } from '../show-inventory/index.ts'

// What the group-buy (团购) actor and the worker say to each other. The worker calls the actor (GroupBuy, one per
// group, named by the group id) for membership; the actor calls back through `GroupSettlement`, a typed RPC
// entrypoint of the worker (service binding GROUP_SETTLEMENT), for everything on the money path: the orders module
// stays the only writer of orders, payments, refunds, tickets, audit rows and order events.

/** Fixed when the group starts, from its campaign and show. */
export interface GroupBuyTerms {
  groupId: string
  campaignId: string
  organizerId: string
  showId: string
  /** Group price per price category, minor units. */
  prices: Record<string, number>
  minSize: number
  maxSize: number
  /** ISO; already clipped to the show's sale end. */
  deadline: string
  perBuyerLimit: number
  leaderDiscount: number
  autoComplete: boolean
  /** How long an unpaid member keeps their place (the show's hold minutes). */
  paymentMinutes: number
  currency: string
}

/** `forming` while the leader's place is being set up; `void` when that failed (the group never existed). */
export type GroupBuyStatus = 'forming' | 'open' | 'succeeded' | 'failed' | 'void'

/** `joining` while the worker creates the member's order for the seats the actor held. */
export type MemberStatus =
  | 'joining'
  | 'awaiting_payment'
  | 'paid'
  | 'confirmed'
  | 'left'
  | 'lapsed'
  | 'cancelled'
  | 'refunded'

export type MemberRole = 'leader' | 'member'

export interface GroupJoinRequest {
  buyerId: string
  customerId?: string
  email?: string
  phone?: string
  /** The buyer's language: the member's order and its messages are written in it. */
  locale?: Locale
  quantity: number
  /** Best available in this price category, unless `seatIds` names the seats. */
  category?: string
  seatIds?: string[]
  /** A presale code, when the show is in a presale open to code holders. */
  presaleCode?: string
  /** For the checkout URL. */
  origin: string
}

export type GroupRefusal = {
  ok: false
  code: string
  status: number
  detail: string
  unavailable?: string[]
  /** `already_member`: the buyer's own membership. */
  memberId?: string
}

/**
 * A place taken in the group, with the seats held for it until `payBy`. The worker turns the hold into the member's
 * order at the group price (`terms.prices`, less `discount`) and then calls `seatMember` with the order id, or
 * `giveBackPlace` when the order could not be made.
 */
export type GroupPlace =
  | {
      ok: true
      memberId: string
      role: MemberRole
      /** ISO: the member's payment window, also when their hold runs out. */
      payBy: string
      hold: ShowHold
      /** Off this member's order (the leader's extra). */
      discount: number
      terms: GroupBuyTerms
    }
  | GroupRefusal

/** The member's place now has its order; `places` is how many members hold a place. */
export type GroupSeated = { ok: true; places: number } | GroupRefusal

/** What the API answers a new member with. */
export interface GroupMembership {
  ok: true
  groupId: string
  memberId: string
  role: MemberRole
  orderId: string
  paymentId: string
  checkoutUrl: string | null
  amountDue: number
  seats: HeldSeat[]
  payBy: string
}

export interface GroupBuyView {
  groupId: string
  campaignId: string
  showId: string
  status: GroupBuyStatus
  minSize: number
  maxSize: number
  deadline: string
  prices: Record<string, number>
  currency: string
  leaderDiscount: number
  /** Members holding a place (joined and not left), and those of them who paid. */
  memberCount: number
  paidCount: number
  placesLeft: number
  /** Paid members still needed to succeed (0 once it has). */
  needed: number
  virtual: boolean
  members: { role: string; quantity: number; status: string; joinedAt: string }[]
  you: { memberId: string; role: string; status: string; orderId: string | null; payBy: string } | null
}

// ---- what the actor asks of the worker -----------------------------------------------------------

/** Which group a settlement step is for: audit rows name it as their actor, events carry it. */
export interface GroupRef {
  groupId: string
  campaignId: string
  organizerId: string
  showId: string
}

/** A member with an order. */
export interface MemberOrder {
  memberId: string
  orderId: string
}

/** The group's outcome, recorded once: an audit row on every member's order and one event. */
export interface GroupOutcome {
  status: 'succeeded' | 'failed'
  virtual: boolean
  paidMembers: number
  minSize: number
  members: MemberOrder[]
}

/** What a member is told, worded by the worker (it knows the order's number and contact). */
export type GroupNotice =
  | { kind: 'succeeded'; minSize: number }
  | { kind: 'failed' | 'left'; why: GroupDeparture; refunded: boolean }

/**
 * The money path as the group needs it; the worker's `GroupSettlement` entrypoint implements it with the orders
 * module. Every step is idempotent (fixed refund, audit and event ids; confirmation once per order), so the actor
 * retries any of them after a failure.
 */
export interface GroupSettlement {
  /** False once the show is cancelled (or gone): a group on it never succeeds. */
  showOnSale(showId: string): Promise<boolean>
  /** Whether a payment for the order succeeded. */
  orderPaid(orderId: string): Promise<boolean>
  /** A member paid: their order now lives until the group's deadline (`until`), not their payment window. */
  memberPaid(group: GroupRef, member: MemberOrder, until: string): Promise<void>
  /** The group succeeded: confirms the paid member's order (tickets issued). Answers the order's status after. */
  confirmMember(group: GroupRef, member: MemberOrder): Promise<string>
  /** Refunds the member's payment in full, once; false when nothing was paid. */
  refundMember(group: GroupRef, member: MemberOrder, why: GroupDeparture): Promise<boolean>
  /** Cancels a member's unpaid order. */
  cancelMemberOrder(member: MemberOrder, why: GroupDeparture): Promise<void>
  /** A member left: audited on their order, and the `group.left` event. */
  recordLeft(group: GroupRef, member: MemberOrder, refunded: boolean): Promise<void>
  /** Success or failure: audited on every member's order, and the `group.succeeded` / `group.failed` event. */
  recordOutcome(group: GroupRef, outcome: GroupOutcome): Promise<void>
  /** Tells the member (by the order's email or phone) what happened. */
  notify(member: MemberOrder, notice: GroupNotice): Promise<void>
}

/** The bindings the group's actor uses. */
export interface GroupBuyEnv {
  DB: D1Database
  SHOW_INVENTORY: DurableObjectNamespace<ShowInventory>
  GROUP_SETTLEMENT: Fetcher<GroupSettlement & Rpc.WorkerEntrypointBranded>
}
