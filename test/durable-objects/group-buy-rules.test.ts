// The group-buy (团购) rules on plain state: no actor, no storage, no HTTP.
import { describe, expect, it } from 'vitest'
import type { GroupBuyTerms, MemberStatus } from '../../durable-objects/group-buy/contract.ts'
import {
  afterConfirmation,
  awaitingConfirmation,
  cancelledByFailure,
  departureNotice,
  departureReason,
  discountFor,
  type GroupState,
  groupSeatIds,
  groupView,
  heldSeatsRefusal,
  joinRefusal,
  leaderNeverJoined,
  leaveDecision,
  type Member,
  newPlace,
  nextAlarm,
  outcomeAtDeadline,
  outcomeToRecord,
  paymentCounts,
  paymentWindowsEnded,
  reachedMinimum,
  settledStatus,
  tally,
  unsettled,
  withStatus,
} from '../../durable-objects/group-buy/rules.ts'
import { englishStatusReason } from '../../worker/domain/order-status-reason.ts'

const NOW = Date.parse('2026-12-01T10:00:00Z')
const HOUR = 3600_000
const DEADLINE = NOW + 24 * HOUR

const terms = (over: Partial<GroupBuyTerms> = {}): GroupBuyTerms => ({
  groupId: 'grp_1',
  campaignId: 'gbc_1',
  organizerId: 'org_1',
  showId: 'shw_1',
  prices: { A: 6000 },
  minSize: 3,
  maxSize: 4,
  deadline: new Date(DEADLINE).toISOString(),
  perBuyerLimit: 2,
  leaderDiscount: 1000,
  autoComplete: false,
  paymentMinutes: 15,
  currency: 'CNY',
  ...over,
})

let ids = 0
const member = (status: MemberStatus, over: Partial<Member> = {}): Member => {
  const n = ids++
  return {
    id: `gbm_${n}`,
    buyerId: `buyer_${n}`,
    customerId: null,
    role: 'member',
    quantity: 1,
    status,
    holdId: `hld_${n}`,
    orderId: status === 'joining' ? null : `ord_${n}`,
    payBy: NOW + 15 * 60_000,
    joinedAt: NOW - 1000 + n,
    done: false,
    seatIds: [`seat_${n}`],
    ...over,
  }
}

const group = (
  members: Member[],
  over: Partial<GroupState> = {},
  t: Partial<GroupBuyTerms> = {},
): GroupState => ({
  terms: terms(t),
  status: 'open',
  virtual: false,
  recorded: false,
  members,
  ...over,
})

const asks = (buyerId: string, over: Record<string, unknown> = {}) => ({
  buyerId,
  quantity: 1,
  category: 'A',
  ...over,
})

describe('joining', () => {
  it('counts places (held by joining, unpaid, paid and confirmed members) and paid members', () => {
    const g = group([
      member('joining'),
      member('awaiting_payment'),
      member('paid'),
      member('confirmed'),
      member('left'),
      member('lapsed'),
      member('refunded'),
    ])
    expect(tally(g)).toEqual({ places: 4, paid: 2 })
  })

  it('takes a newcomer while the group is open or succeeded with places left, before its deadline', () => {
    expect(joinRefusal('grp_1', group([member('paid')]), asks('new'), 'member', NOW)).toBeNull()
    expect(
      joinRefusal('grp_1', group([member('paid')], { status: 'succeeded' }), asks('new'), 'member', NOW),
    ).toBeNull()
    expect(joinRefusal('grp_1', group([], { status: 'forming' }), asks('lead'), 'leader', NOW)).toBeNull()
  })

  it('refuses, in order: unknown or void group, closed, per-buyer limit, category, already a member, full', () => {
    const code = (g: GroupState | null, ask = asks('new'), role: 'leader' | 'member' = 'member', now = NOW) =>
      joinRefusal('grp_1', g, ask, role, now)?.code
    expect(code(null)).toBe('not_found')
    expect(code(group([], { status: 'void' }))).toBe('not_found')
    expect(code(group([], { status: 'forming' }))).toBe('group_closed')
    expect(code(group([], { status: 'failed' }))).toBe('group_closed')
    expect(code(group([]), asks('lead'), 'leader')).toBe('group_closed')
    expect(code(group([]), asks('new'), 'member', DEADLINE)).toBe('group_closed')
    expect(code(group([]), asks('new', { quantity: 3 }))).toBe('buyer_limit')
    expect(code(group([]), asks('new', { quantity: 0 }))).toBe('buyer_limit')
    expect(code(group([]), asks('new', { category: 'B' }))).toBe('not_in_group_buy')
    // Not a price category even though every object has it.
    expect(code(group([]), asks('new', { category: 'constructor' }))).toBe('not_in_group_buy')
    const mine = member('awaiting_payment', { buyerId: 'me' })
    expect(joinRefusal('grp_1', group([mine]), asks('me'), 'member', NOW)).toMatchObject({
      code: 'already_member',
      status: 409,
      memberId: mine.id,
    })
    // Someone who left may come back.
    expect(code(group([member('left', { buyerId: 'me' })]), asks('me'))).toBeUndefined()
    const full = group([member('joining'), member('awaiting_payment'), member('paid'), member('confirmed')])
    expect(joinRefusal('grp_1', full, asks('new'), 'member', NOW)).toMatchObject({
      code: 'group_full',
      status: 409,
      detail: 'This group already has 4 members',
    })
    // A departed member's place is free again.
    expect(code(withStatus(full, full.members[0]!.id, 'lapsed'))).toBeUndefined()
  })

  it("gives a new place the show's hold minutes to pay, never past the group's deadline", () => {
    const place = newPlace(group([]), 'gbm_new', { buyerId: 'b', quantity: 2 }, 'member', NOW)
    expect(place).toMatchObject({ status: 'joining', quantity: 2, orderId: null, payBy: NOW + 15 * 60_000 })
    const late = newPlace(group([]), 'gbm_late', { buyerId: 'b', quantity: 1 }, 'member', DEADLINE - 60_000)
    expect(late.payBy).toBe(DEADLINE)
  })

  it('refuses held seats that are not the number asked for, or outside the group price categories', () => {
    expect(heldSeatsRefusal(terms(), 2, [{ category: 'A' }, { category: 'A' }])).toBeNull()
    expect(heldSeatsRefusal(terms(), 2, [{ category: 'A' }])).toMatchObject({
      code: 'validation',
      status: 400,
    })
    expect(heldSeatsRefusal(terms(), 2, [{ category: 'A' }, { category: 'B' }])).toMatchObject({
      code: 'not_in_group_buy',
      detail: 'Seats in B are not sold by group',
    })
  })

  it("gives only the leader the leader's discount", () => {
    expect(discountFor(terms(), 'leader')).toBe(1000)
    expect(discountFor(terms(), 'member')).toBe(0)
  })

  it('seats newcomers next to the seats of members whose place is set up', () => {
    const g = group([member('joining'), member('paid', { seatIds: ['s1', 's2'] }), member('left')])
    expect(groupSeatIds(g)).toEqual(['s1', 's2'])
  })
})

describe('leaving and paying', () => {
  it("lets only the member's own buyer leave, before the group succeeded and once their place is set up", () => {
    const unpaid = member('awaiting_payment', { buyerId: 'me' })
    const paid = member('paid', { buyerId: 'me' })
    expect(leaveDecision(group([unpaid]), unpaid.id, 'me')).toEqual({
      ok: true,
      status: 'left',
      leaves: true,
    })
    expect(leaveDecision(group([paid]), paid.id, 'me')).toEqual({ ok: true, status: 'left', leaves: true })
    // Another buyer (even the leader) is told there is no such member.
    expect(leaveDecision(group([unpaid]), unpaid.id, 'leader')).toMatchObject({
      code: 'not_found',
      status: 404,
    })
    expect(leaveDecision(group([unpaid]), 'gbm_missing', 'me')).toMatchObject({ code: 'not_found' })
    expect(leaveDecision(null, unpaid.id, 'me')).toMatchObject({ code: 'not_found' })
    expect(leaveDecision(group([paid], { status: 'succeeded' }), paid.id, 'me')).toMatchObject({
      code: 'group_succeeded',
    })
    const confirmed = member('confirmed', { buyerId: 'me' })
    expect(leaveDecision(group([confirmed]), confirmed.id, 'me')).toMatchObject({ code: 'group_succeeded' })
    const joining = member('joining', { buyerId: 'me' })
    expect(leaveDecision(group([joining]), joining.id, 'me')).toMatchObject({ code: 'conflict' })
    // Leaving twice changes nothing.
    const gone = member('left', { buyerId: 'me', done: true })
    expect(leaveDecision(group([gone]), gone.id, 'me')).toEqual({ ok: true, status: 'left', leaves: false })
  })

  it('counts a payment only from an unpaid member of a group that runs', () => {
    const unpaid = member('awaiting_payment')
    expect(paymentCounts(group([unpaid]), unpaid)).toBe(true)
    expect(paymentCounts(group([unpaid], { status: 'succeeded' }), unpaid)).toBe(true)
    expect(paymentCounts(group([unpaid], { status: 'failed' }), unpaid)).toBe(false)
    const left = member('left')
    expect(paymentCounts(group([left]), left)).toBe(false)
    const paid = member('paid')
    expect(paymentCounts(group([paid]), paid)).toBe(false)
  })

  it('succeeds an open group on the payment that reaches the minimum, before the deadline', () => {
    const two = [member('paid'), member('confirmed'), member('awaiting_payment')]
    expect(reachedMinimum(group(two), NOW)).toBe(false)
    const three = [member('paid'), member('confirmed'), member('paid')]
    expect(reachedMinimum(group(three), NOW)).toBe(true)
    expect(reachedMinimum(group(three), DEADLINE)).toBe(false)
    expect(reachedMinimum(group(three, { status: 'succeeded' }), NOW)).toBe(false)
  })
})

describe('the deadline', () => {
  it('decides nothing before it', () => {
    expect(outcomeAtDeadline(group([member('paid')]), DEADLINE - 1)).toBeNull()
  })

  it('succeeds with the minimum of paid members, else fails; 虚拟成团 needs one paid member', () => {
    const paid = [member('paid'), member('paid'), member('paid')]
    expect(outcomeAtDeadline(group(paid), DEADLINE)).toEqual({ status: 'succeeded', virtual: false })
    const one = [member('paid'), member('awaiting_payment')]
    expect(outcomeAtDeadline(group(one), DEADLINE)).toEqual({ status: 'failed', virtual: false })
    expect(outcomeAtDeadline(group(one, {}, { autoComplete: true }), DEADLINE)).toEqual({
      status: 'succeeded',
      virtual: true,
    })
    const none = [member('awaiting_payment')]
    expect(outcomeAtDeadline(group(none, {}, { autoComplete: true }), DEADLINE)).toEqual({
      status: 'failed',
      virtual: false,
    })
    expect(outcomeAtDeadline(group(paid, { status: 'succeeded' }), DEADLINE)).toBeNull()
  })

  it('ends the places of unpaid members whose window ran out, and of every unpaid member after the deadline', () => {
    const due = member('awaiting_payment', { payBy: NOW - 1 })
    const waiting = member('awaiting_payment', { payBy: NOW + 60_000 })
    const joining = member('joining', { payBy: NOW })
    const paid = member('paid', { payBy: NOW - 1 })
    const g = group([due, waiting, joining, paid])
    expect(paymentWindowsEnded(g, NOW).map((m) => m.id)).toEqual([due.id, joining.id])
    expect(paymentWindowsEnded(g, DEADLINE).map((m) => m.id)).toEqual([due.id, waiting.id, joining.id])
  })

  it('voids a forming group whose leader lost their place', () => {
    expect(leaderNeverJoined(group([member('lapsed', { role: 'leader' })], { status: 'forming' }))).toBe(true)
    expect(leaderNeverJoined(group([member('joining', { role: 'leader' })], { status: 'forming' }))).toBe(
      false,
    )
    expect(leaderNeverJoined(group([], { status: 'open' }))).toBe(false)
  })
})

describe('settlement', () => {
  it('cancels everyone not yet confirmed when the group failed', () => {
    const g = group(
      [member('joining'), member('awaiting_payment'), member('paid'), member('left'), member('lapsed')],
      { status: 'failed' },
    )
    expect(cancelledByFailure(g).map((m) => m.status)).toEqual(['joining', 'awaiting_payment', 'paid'])
    expect(cancelledByFailure({ ...g, status: 'open' })).toEqual([])
  })

  it('settles each departed member once, and confirms paid members only of a group that succeeded', () => {
    const g = group([
      member('left'),
      member('lapsed'),
      member('cancelled'),
      member('left', { done: true }),
      member('refunded', { done: true }),
      member('paid'),
    ])
    expect(unsettled(g).map((m) => m.status)).toEqual(['left', 'lapsed', 'cancelled'])
    expect(awaitingConfirmation(g)).toEqual([])
    expect(awaitingConfirmation({ ...g, status: 'succeeded' }).map((m) => m.status)).toEqual(['paid'])
  })

  it('says why a member is out, where they end, and whom to tell', () => {
    const t = terms()
    const left = member('left')
    const lapsed = member('lapsed')
    const cancelled = member('cancelled')
    expect(departureReason(left, t)).toEqual({ code: 'group_left' })
    expect(departureReason(lapsed, t)).toEqual({ code: 'group_lapsed' })
    expect(departureReason(cancelled, t)).toEqual({ code: 'group_failed', minSize: 3, deadline: t.deadline })
    expect(englishStatusReason({ ...departureReason(cancelled, t), refunded: true })).toBe(
      `The group did not reach 3 paid members by ${t.deadline}; your payment was refunded in full`,
    )
    expect(settledStatus(cancelled, true)).toBe('refunded')
    expect(settledStatus(cancelled, false)).toBe('cancelled')
    expect(settledStatus(left, true)).toBe('left')
    const why = departureReason(cancelled, t)
    expect(departureNotice(cancelled, 'failed', why, true)).toEqual({ kind: 'failed', why, refunded: true })
    expect(departureNotice(left, 'open', why, false)).toEqual({ kind: 'left', why, refunded: false })
    expect(departureNotice(lapsed, 'open', why, false)).toBeNull()
    expect(departureNotice(member('cancelled', { orderId: null }), 'failed', why, false)).toBeNull()
  })

  it('reads a confirmation: tickets, refunded (seats lost), or not yet', () => {
    expect(afterConfirmation('paid')).toBe('confirmed')
    expect(afterConfirmation('pending')).toBeNull()
    expect(afterConfirmation('cancelled')).toBe('refunded')
    expect(afterConfirmation('expired')).toBe('refunded')
  })

  it('records the outcome once, on every member order, with the organizer-funded places of 虚拟成团', () => {
    const members = [
      member('confirmed'),
      member('refunded', { done: true }),
      member('lapsed', { orderId: null }),
    ]
    const g = group(members, { status: 'succeeded', virtual: true })
    expect(outcomeToRecord(g)).toEqual({
      status: 'succeeded',
      virtual: true,
      paidMembers: 1,
      minSize: 3,
      members: [
        { memberId: members[0]!.id, orderId: members[0]!.orderId },
        { memberId: members[1]!.id, orderId: members[1]!.orderId },
      ],
    })
    expect(outcomeToRecord({ ...g, recorded: true })).toBeNull()
    expect(outcomeToRecord({ ...g, status: 'open' })).toBeNull()
  })
})

describe('the next alarm', () => {
  it('is the earliest of the deadline of an open group, an unpaid window, or a retry of unfinished settlement', () => {
    const soon = member('awaiting_payment', { payBy: NOW + 60_000 })
    expect(nextAlarm(group([soon]), NOW, 30_000)).toBe(NOW + 60_000)
    expect(nextAlarm(group([member('paid')]), NOW, 30_000)).toBe(DEADLINE)
    // Failed and settled, but the outcome not recorded yet: retried.
    const failed = group([member('refunded', { done: true })], { status: 'failed' })
    expect(nextAlarm(failed, NOW, 30_000)).toBe(NOW + 30_000)
    expect(nextAlarm({ ...failed, recorded: true }, NOW, 30_000)).toBeNull()
    // Succeeded with a paid member still to confirm.
    const succeeded = group([member('paid')], { status: 'succeeded', recorded: true })
    expect(nextAlarm(succeeded, NOW, 30_000)).toBe(NOW + 30_000)
    expect(nextAlarm(withStatus(succeeded, succeeded.members[0]!.id, 'confirmed'), NOW, 30_000)).toBeNull()
    // A member who left and is not settled yet.
    expect(nextAlarm(group([member('left')], { status: 'succeeded', recorded: true }), NOW, 30_000)).toBe(
      NOW + 30_000,
    )
  })
})

describe("the group's page", () => {
  it('shows progress and set-up members without anyone else\'s identity; "you" is the asking buyer', () => {
    const mine = member('paid', { buyerId: 'me', role: 'leader' })
    const g = group([mine, member('awaiting_payment'), member('joining'), member('left')])
    const view = groupView('grp_1', g, 'me')!
    expect(view).toMatchObject({
      groupId: 'grp_1',
      status: 'open',
      memberCount: 3,
      paidCount: 1,
      placesLeft: 1,
      needed: 2,
      you: { memberId: mine.id, role: 'leader', status: 'paid', orderId: mine.orderId },
    })
    expect(view.members.map((m) => m.status)).toEqual(['paid', 'awaiting_payment'])
    expect(JSON.stringify(view.members)).not.toContain('buyer_')
    expect(groupView('grp_1', g)!.you).toBeNull()
    expect(groupView('grp_1', g, 'stranger')!.you).toBeNull()
    expect(groupView('grp_1', { ...g, status: 'succeeded' })!.needed).toBe(0)
  })

  it('does not exist while forming or once void', () => {
    expect(groupView('grp_1', group([], { status: 'forming' }))).toBeNull()
    expect(groupView('grp_1', group([], { status: 'void' }))).toBeNull()
    expect(groupView('grp_1', null)).toBeNull()
  })
})
