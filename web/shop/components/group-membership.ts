// 团购 in the shop: the API's shapes, and this device's memberships. The group page's `you` has no checkout link
// or seats, so what start/join answered is kept in localStorage to pay later and to link an order back to its group.
export type {
  GroupCampaign,
  GroupView,
  MemberStatus,
  Membership,
  OpenGroup,
  ShowGroupBuys,
} from '../../../worker/routes/contracts/group-buys.ts'

import type { Membership } from '../../../worker/routes/contracts/group-buys.ts'

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
