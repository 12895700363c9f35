import type { GroupDeparture } from '../../worker/domain/order-status-reason.ts'
import type {
  GroupBuyStatus,
  GroupBuyTerms,
  GroupBuyView,
  GroupJoinRequest,
  GroupNotice,
  GroupOutcome,
  GroupRef,
  GroupRefusal,
  MemberRole,
  MemberStatus,
} from './contract.ts'

// The rules of one group buy (团购) over its state as plain data: who may join, leave or pay, when the group
// succeeds or fails, who must then be confirmed, refunded or cancelled, and when the actor must wake up next. No
// storage, no bindings, no clock of its own (`now` is passed in): the actor loads the state, asks, and writes.

export interface Member {
  id: string
  buyerId: string
  customerId: string | null
  role: MemberRole
  quantity: number
  status: MemberStatus
  holdId: string | null
  orderId: string | null
  /** Epoch ms: an unpaid member's place (and hold) lasts until then. */
  payBy: number
  joinedAt: number
  /** Out of the group, and their money and seats settled. */
  done: boolean
  seatIds: string[]
}

export interface GroupState {
  terms: GroupBuyTerms
  status: GroupBuyStatus
  /** 虚拟成团: succeeded short of its minimum, the organizer funding the missing places. */
  virtual: boolean
  /** The outcome's audit rows and event are written. */
  recorded: boolean
  /** In the order they joined. */
  members: Member[]
}

/** Members who hold a place in the group (and seats). */
export const HOLDING_PLACE: readonly MemberStatus[] = ['joining', 'awaiting_payment', 'paid', 'confirmed']
export const UNPAID: readonly MemberStatus[] = ['joining', 'awaiting_payment']
const PAID: readonly MemberStatus[] = ['paid', 'confirmed']
/** Out of the group; `done` says whether their money and seats were settled. */
export const GONE: readonly MemberStatus[] = ['left', 'lapsed', 'cancelled', 'refunded']
const DEPARTING: readonly MemberStatus[] = ['left', 'lapsed', 'cancelled']
/** Shown on the group's page: members whose place is set up. */
const LISTED: readonly MemberStatus[] = ['awaiting_payment', 'paid', 'confirmed']

export const refusal = (
  code: string,
  status: number,
  detail: string,
  unavailable?: string[],
): GroupRefusal => ({
  ok: false,
  code,
  status,
  detail,
  ...(unavailable ? { unavailable } : {}),
})

const deadlineOf = (group: GroupState) => Date.parse(group.terms.deadline)

export function tally(group: GroupState): { places: number; paid: number } {
  let places = 0
  let paid = 0
  for (const m of group.members) {
    if (HOLDING_PLACE.includes(m.status)) places++
    if (PAID.includes(m.status)) paid++
  }
  return { places, paid }
}

/** The state as it is once `memberId` is in `status` (for writing a change out before making it). */
export const withStatus = (group: GroupState, memberId: string, status: MemberStatus): GroupState => ({
  ...group,
  members: group.members.map((m) => (m.id === memberId ? { ...m, status } : m)),
})

export const groupRef = ({ groupId, campaignId, organizerId, showId }: GroupBuyTerms): GroupRef => ({
  groupId,
  campaignId,
  organizerId,
  showId,
})

// ---- joining --------------------------------------------------------------------------------------

/** The leader joins a group while it forms; everyone else while it is open, or succeeded with places left. */
export const takesMembers = (role: MemberRole): GroupBuyStatus[] =>
  role === 'leader' ? ['forming'] : ['open', 'succeeded']

/** Why `request` may not take a place in the group now, or null when it may. */
export function joinRefusal(
  groupId: string,
  group: GroupState | null,
  request: Pick<GroupJoinRequest, 'buyerId' | 'quantity' | 'category'>,
  role: MemberRole,
  now: number,
): GroupRefusal | null {
  if (!group || group.status === 'void') return refusal('not_found', 404, `group ${groupId} was not found`)
  const { terms } = group
  if (!takesMembers(role).includes(group.status) || now >= deadlineOf(group))
    return refusal('group_closed', 409, 'This group is no longer taking members')
  if (request.quantity < 1 || request.quantity > terms.perBuyerLimit)
    return refusal('buyer_limit', 409, `Each member may take 1 to ${terms.perBuyerLimit} seats`)
  if (request.category && !Object.hasOwn(terms.prices, request.category))
    return refusal('not_in_group_buy', 409, `Price category ${request.category} is not sold by group`)
  const mine = group.members.find((m) => m.buyerId === request.buyerId && HOLDING_PLACE.includes(m.status))
  if (mine) return { ...refusal('already_member', 409, 'You are already in this group'), memberId: mine.id }
  if (tally(group).places >= terms.maxSize)
    return refusal('group_full', 409, `This group already has ${terms.maxSize} members`)
  return null
}

/** A new member's place: unpaid until the show's hold minutes run out, never past the group's deadline. */
export function newPlace(
  group: GroupState,
  id: string,
  request: Pick<GroupJoinRequest, 'buyerId' | 'customerId' | 'quantity'>,
  role: MemberRole,
  now: number,
): Member {
  return {
    id,
    buyerId: request.buyerId,
    customerId: request.customerId ?? null,
    role,
    quantity: request.quantity,
    status: 'joining',
    holdId: null,
    orderId: null,
    payBy: Math.min(deadlineOf(group), now + group.terms.paymentMinutes * 60_000),
    joinedAt: now,
    done: false,
    seatIds: [],
  }
}

/** Why seats held for a place do not fit the group (named seats can be anywhere on the map), or null. */
export function heldSeatsRefusal(
  terms: GroupBuyTerms,
  quantity: number,
  seats: { category: string }[],
): GroupRefusal | null {
  if (seats.length !== quantity) return refusal('validation', 400, `Name exactly ${quantity} seat(s)`)
  const unpriced = [...new Set(seats.map((s) => s.category))].filter((c) => !Object.hasOwn(terms.prices, c))
  if (unpriced.length)
    return refusal('not_in_group_buy', 409, `Seats in ${unpriced.join(', ')} are not sold by group`)
  return null
}

/** The leader's discount comes off their own order; other members pay the group price. */
export const discountFor = (terms: GroupBuyTerms, role: MemberRole) =>
  role === 'leader' ? terms.leaderDiscount : 0

/** Seats the group's members hold or bought: a new member is seated next to them where possible. */
export const groupSeatIds = (group: GroupState): string[] =>
  group.members.filter((m) => LISTED.includes(m.status)).flatMap((m) => m.seatIds)

// ---- leaving and paying ---------------------------------------------------------------------------

/**
 * Whether the buyer's member may leave: only their own membership (anyone else's is answered as missing), not once
 * confirmed or paid into a group that succeeded, not while its place is still being set up. Leaving twice is fine.
 */
export function leaveDecision(
  group: GroupState | null,
  memberId: string,
  buyerId: string,
): GroupRefusal | { ok: true; status: MemberStatus; leaves: boolean } {
  const found = group?.members.find((m) => m.id === memberId)
  if (!group || !found || found.buyerId !== buyerId)
    return refusal('not_found', 404, `member ${memberId} was not found`)
  if (GONE.includes(found.status)) return { ok: true, status: found.status, leaves: false }
  if (found.status === 'confirmed' || (found.status === 'paid' && group.status === 'succeeded'))
    return refusal('group_succeeded', 409, 'The group has succeeded; refund the order instead')
  if (found.status === 'joining')
    return refusal('conflict', 409, 'Your place is still being set up; try again')
  return { ok: true, status: 'left', leaves: true }
}

/** A payment counts for the group only from a member still holding an unpaid place in a group that runs. */
export const paymentCounts = (group: GroupState, member: Member) =>
  (group.status === 'open' || group.status === 'succeeded') && UNPAID.includes(member.status)

/** Enough paid members before the deadline: an open group succeeds now (unless its show was cancelled). */
export const reachedMinimum = (group: GroupState, now: number) =>
  group.status === 'open' && tally(group).paid >= group.terms.minSize && now < deadlineOf(group)

// ---- the deadline and payment windows -------------------------------------------------------------

/**
 * At the deadline an open group succeeds with its minimum of paid members; with 虚拟成团 (automatic completion)
 * any paid member is enough, the organizer funding the missing places; otherwise it fails. Null before it.
 */
export function outcomeAtDeadline(
  group: GroupState,
  now: number,
): { status: 'succeeded' | 'failed'; virtual: boolean } | null {
  if (group.status !== 'open' || now < deadlineOf(group)) return null
  const { paid } = tally(group)
  if (paid >= group.terms.minSize) return { status: 'succeeded', virtual: false }
  if (group.terms.autoComplete && paid > 0) return { status: 'succeeded', virtual: true }
  return { status: 'failed', virtual: false }
}

/** Unpaid members whose payment window ended, and all unpaid ones once the deadline passed. */
export function paymentWindowsEnded(group: GroupState, now: number): Member[] {
  const cutoff = now >= deadlineOf(group) ? Number.POSITIVE_INFINITY : now
  return group.members.filter((m) => UNPAID.includes(m.status) && m.payBy <= cutoff)
}

/** A group whose leader lost their place before it opened never existed. */
export const leaderNeverJoined = (group: GroupState) =>
  group.status === 'forming' && !group.members.some((m) => HOLDING_PLACE.includes(m.status))

// ---- settlement -----------------------------------------------------------------------------------

/** A failed group cancels everyone still in it; confirmed members (a group cannot fail once it succeeded) stay. */
export const cancelledByFailure = (group: GroupState): Member[] =>
  group.status === 'failed'
    ? group.members.filter(
        (m) => m.status === 'joining' || m.status === 'awaiting_payment' || m.status === 'paid',
      )
    : []

/** Members out of the group whose seats and money are not given back yet. */
export const unsettled = (group: GroupState): Member[] =>
  group.members.filter((m) => DEPARTING.includes(m.status) && !m.done)

/** Paid members of a group that succeeded: their orders are to be confirmed. */
export const awaitingConfirmation = (group: GroupState): Member[] =>
  group.status === 'succeeded' ? group.members.filter((m) => m.status === 'paid') : []

export function departureReason(member: Member, terms: GroupBuyTerms): GroupDeparture {
  if (member.status === 'left') return { code: 'group_left' }
  if (member.status === 'lapsed') return { code: 'group_lapsed' }
  return { code: 'group_failed', minSize: terms.minSize, deadline: terms.deadline }
}

export type DepartedStatus = 'left' | 'lapsed' | 'cancelled' | 'refunded'

/** Where a departed member ends once settled: a cancelled member whose payment went back is `refunded`. */
export const settledStatus = (member: Member, refunded: boolean): DepartedStatus =>
  member.status === 'cancelled' && refunded ? 'refunded' : (member.status as DepartedStatus)

/** Members with an order hear of the group's failure or of their own leaving; a lapsed one is not told. */
export function departureNotice(
  member: Member,
  groupStatus: GroupBuyStatus,
  why: GroupDeparture,
  refunded: boolean,
): GroupNotice | null {
  if (!member.orderId) return null
  if (groupStatus === 'failed') return { kind: 'failed', why, refunded }
  if (member.status === 'left') return { kind: 'left', why, refunded }
  return null
}

/** What a confirmation made of a paid member: tickets, or (seats lost, money returned) refunded; null: try again. */
export function afterConfirmation(orderStatus: string): 'confirmed' | 'refunded' | null {
  if (orderStatus === 'paid') return 'confirmed'
  return orderStatus === 'pending' ? null : 'refunded'
}

/** The outcome still to be recorded (once, when the group succeeded or failed). */
export function outcomeToRecord(group: GroupState): GroupOutcome | null {
  if ((group.status !== 'succeeded' && group.status !== 'failed') || group.recorded) return null
  return {
    status: group.status,
    virtual: group.virtual,
    paidMembers: tally(group).paid,
    minSize: group.terms.minSize,
    members: group.members.flatMap((m) => (m.orderId ? [{ memberId: m.id, orderId: m.orderId }] : [])),
  }
}

/** Whether settlement has work left (retried until there is none). */
export const settlementPending = (group: GroupState) =>
  outcomeToRecord(group) !== null || unsettled(group).length > 0 || awaitingConfirmation(group).length > 0

/**
 * When the actor must wake next: the deadline of an open group, the first unpaid member's window, or a retry of
 * unfinished settlement. Null: nothing is due.
 */
export function nextAlarm(group: GroupState, now: number, retryMs: number): number | null {
  const due: number[] = []
  if (group.status === 'open') due.push(deadlineOf(group))
  for (const m of group.members) if (UNPAID.includes(m.status)) due.push(m.payBy)
  if (settlementPending(group)) due.push(now + retryMs)
  return due.length ? Math.min(...due) : null
}

// ---- reads ----------------------------------------------------------------------------------------

/** The group's page (null while it forms or when it never existed); `you` is the asking buyer's latest membership. */
export function groupView(groupId: string, group: GroupState | null, buyerId?: string): GroupBuyView | null {
  if (!group || group.status === 'void' || group.status === 'forming') return null
  const { terms } = group
  const { places, paid } = tally(group)
  const mine = buyerId ? group.members.filter((m) => m.buyerId === buyerId).at(-1) : undefined
  return {
    groupId,
    campaignId: terms.campaignId,
    showId: terms.showId,
    status: group.status,
    minSize: terms.minSize,
    maxSize: terms.maxSize,
    deadline: terms.deadline,
    prices: terms.prices,
    currency: terms.currency,
    leaderDiscount: terms.leaderDiscount,
    memberCount: places,
    paidCount: paid,
    placesLeft: Math.max(0, terms.maxSize - places),
    needed: group.status === 'succeeded' ? 0 : Math.max(0, terms.minSize - paid),
    virtual: group.virtual,
    members: group.members
      .filter((m) => LISTED.includes(m.status))
      .map((m) => ({
        role: m.role,
        quantity: m.quantity,
        status: m.status,
        joinedAt: new Date(m.joinedAt).toISOString(),
      })),
    you: mine
      ? {
          memberId: mine.id,
          role: mine.role,
          status: mine.status,
          orderId: mine.orderId,
          payBy: new Date(mine.payBy).toISOString(),
        }
      : null,
  }
}
