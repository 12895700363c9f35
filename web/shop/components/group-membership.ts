// 团购 in the shop: the API's shapes, and this device's memberships. The group page's `you` has no checkout link
// or seats, so what start/join answered is kept in localStorage to pay later and to link an order back to its group.
export interface GroupCampaign {
  id: string
  name: string
  description: string | null
  showIds: string[]
  groupPrices: Record<string, number>
  minSize: number
  maxSize: number
  lifetimeMinutes: number
  perBuyerLimit: number
  leaderDiscount: number
  autoComplete: boolean
}

export interface OpenGroup {
  groupId: string
  campaignId: string
  showId: string
  status: 'open' | 'succeeded' | 'failed'
  memberCount: number
  paidCount: number
  minSize: number
  maxSize: number
  needed: number
  progress: number
  deadline: string
  shareUrl: string
}

export interface ShowGroupBuys {
  showId: string
  campaigns: GroupCampaign[]
  groups: OpenGroup[]
}

export type MemberStatus =
  | 'awaiting_payment'
  | 'paid'
  | 'confirmed'
  | 'left'
  | 'lapsed'
  | 'refunded'
  | 'cancelled'

export interface GroupView extends OpenGroup {
  prices: Record<string, number>
  currency: string
  leaderDiscount: number
  placesLeft: number
  virtual: boolean
  members: { role: 'leader' | 'member'; quantity: number; status: MemberStatus; joinedAt: string }[]
  you: {
    memberId: string
    role: 'leader' | 'member'
    status: MemberStatus
    orderId: string | null
    payBy: string
  } | null
  shareQrSvg: string
}

export interface Membership {
  groupId: string
  memberId: string
  role: 'leader' | 'member'
  orderId: string
  paymentId: string
  checkoutUrl: string | null
  amountDue: number
  payBy: string
  seats: { id: string; label: string; category: string }[]
}

const storageKey = 'group-memberships'

function readAll(): Record<string, Membership> {
  try {
    return JSON.parse(localStorage.getItem(storageKey) ?? '{}') as Record<string, Membership>
  } catch {
    return {}
  }
}

/** Remembers a membership on this device (keyed by group: one membership per buyer and group). */
export function rememberMembership(membership: Membership) {
  try {
    localStorage.setItem(storageKey, JSON.stringify({ ...readAll(), [membership.groupId]: membership }))
  } catch {
    // storage blocked: the group page still works, only paying later needs the order page
  }
}

export const membershipOf = (groupId: string): Membership | undefined => readAll()[groupId]

/** The group an order was placed for on this device, if any. */
export const groupOfOrder = (orderId: string): Membership | undefined =>
  Object.values(readAll()).find((membership) => membership.orderId === orderId)
