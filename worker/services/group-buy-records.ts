import type {
  GroupOutcome,
  GroupRef,
  MemberOrder,
  MemberRole,
} from '../../durable-objects/group-buy/contract.ts'
import type { Database } from '../db/client.ts'
import { audit, auditOnce, outbox, outboxOnce, type Statement } from './orders/index.ts'

// What a group buy (团购) records about its members' orders: an audit row on the order (actor `group:<id>`) for
// each step, and the events webhooks deliver (`group.*`). Written through the orders module, which owns both.
// Steps that may be retried use fixed ids, so a retry never records twice.

const actorOf = (group: GroupRef) => `group:${group.groupId}`
const about = ({ groupId, campaignId, showId }: GroupRef) => ({ groupId, campaignId, showId })

/** A member joined (or, as leader, started the group); `members` holding a place with them. */
export function joinRecords(
  db: Database,
  group: GroupRef & { minSize: number; maxSize: number; deadline: string },
  member: MemberOrder & { role: MemberRole },
  members: number,
): Statement[] {
  const started = member.role === 'leader'
  return [
    audit(db, {
      orderId: member.orderId,
      actor: actorOf(group),
      action: started ? 'group_buy.started' : 'group_buy.joined',
      detail: { groupId: group.groupId, memberId: member.memberId, members },
    }),
    outbox(db, started ? 'group.started' : 'group.joined', group.organizerId, {
      ...about(group),
      memberId: member.memberId,
      role: member.role,
      members,
      minSize: group.minSize,
      maxSize: group.maxSize,
      deadline: group.deadline,
    }),
  ]
}

/** A member's payment arrived (their order now waits for the group). */
export const paidRecords = (db: Database, group: GroupRef, member: MemberOrder): Statement[] => [
  auditOnce(db, {
    id: `aud_${group.groupId}_paid_${member.memberId}`,
    orderId: member.orderId,
    actor: actorOf(group),
    action: 'group_buy.paid',
    detail: { groupId: group.groupId, memberId: member.memberId },
  }),
]

/** A member left before the group succeeded. */
export const leftRecords = (
  db: Database,
  group: GroupRef,
  member: MemberOrder,
  refunded: boolean,
): Statement[] => [
  auditOnce(db, {
    id: `aud_${group.groupId}_left_${member.memberId}`,
    orderId: member.orderId,
    actor: actorOf(group),
    action: 'group_buy.left',
    detail: { groupId: group.groupId, memberId: member.memberId, refunded },
  }),
  outboxOnce(
    db,
    'group.left',
    group.organizerId,
    { ...about(group), memberId: member.memberId, refunded },
    `evt_${group.groupId}_left_${member.memberId}`,
  ),
]

/** The group succeeded or failed: on every member's order, and one event (虚拟成团 says what the organizer funds). */
export function outcomeRecords(db: Database, group: GroupRef, outcome: GroupOutcome): Statement[] {
  const { status, paidMembers, virtual, minSize } = outcome
  return [
    ...outcome.members.map((m) =>
      auditOnce(db, {
        id: `aud_${group.groupId}_${status}_${m.memberId}`,
        orderId: m.orderId,
        actor: actorOf(group),
        action: `group_buy.${status}`,
        detail: { groupId: group.groupId, memberId: m.memberId, paidMembers, virtual },
      }),
    ),
    outboxOnce(
      db,
      `group.${status}`,
      group.organizerId,
      {
        ...about(group),
        paidMembers,
        minSize,
        virtual,
        ...(virtual ? { organizerFundedPlaces: Math.max(0, minSize - paidMembers) } : {}),
      },
      `evt_${group.groupId}_${status}`,
    ),
  ]
}
