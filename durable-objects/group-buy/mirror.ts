import { and, eq } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import { type Database, openDatabase } from '../../worker/db/client.ts'
import { type GroupBuyMemberStatus, groupBuyMembers, groupBuys } from '../../worker/db/schema.ts'
import { type GroupState, type Member, tally } from './rules.ts'

// The group's copy in D1 (`group_buys`, `group_buy_members`), written only by the group's actor: listings read it,
// and the order path reads it to know that an order is a group member's (whose payment goes to the group).

type Statement = BatchItem<'sqlite'>
type MirroredStatus = 'open' | 'succeeded' | 'failed'

export class GroupMirror {
  private readonly db: Database

  constructor(d1: D1Database) {
    this.db = openDatabase(d1)
  }

  /**
   * A member's place got its order (and a leader's group opened): the order is known as a group member's from
   * now on. Throws when not written; the caller then undoes the membership.
   */
  async joined(group: GroupState, member: Member) {
    const { terms } = group
    const statements: Statement[] = []
    if (member.role === 'leader')
      statements.push(
        this.db.insert(groupBuys).values({
          id: terms.groupId,
          campaignId: terms.campaignId,
          organizerId: terms.organizerId,
          showId: terms.showId,
          leaderBuyerId: member.buyerId,
          minSize: terms.minSize,
          maxSize: terms.maxSize,
          deadline: terms.deadline,
        }),
      )
    statements.push(
      this.db.insert(groupBuyMembers).values({
        id: member.id,
        groupId: terms.groupId,
        buyerId: member.buyerId,
        customerId: member.customerId,
        role: member.role,
        quantity: member.quantity,
        holdId: member.holdId!,
        orderId: member.orderId!,
      }),
      this.counts(group),
    )
    await this.run(statements)
  }

  /**
   * A member's new status, with the group's counters (and status, when it changed with it). `paid` only replaces
   * `awaiting_payment`: a late retry never takes a member confirmed meanwhile back to paid.
   */
  async member(
    group: GroupState,
    memberId: string,
    status: GroupBuyMemberStatus,
    groupStatus?: MirroredStatus,
  ) {
    const stillUnpaid = status === 'paid' ? eq(groupBuyMembers.status, 'awaiting_payment') : undefined
    await this.run([
      this.db
        .update(groupBuyMembers)
        .set({ status, updatedAt: new Date().toISOString() })
        .where(and(eq(groupBuyMembers.id, memberId), stillUnpaid)),
      this.counts(group, groupStatus),
    ])
  }

  /** The group's counters and status; `settled` stamps a failure as carried out. */
  async group(group: GroupState, status?: MirroredStatus, settled = false) {
    await this.run([this.counts(group, status, settled)])
  }

  private counts(group: GroupState, status?: MirroredStatus, settled = false): Statement {
    const { places, paid } = tally(group)
    const now = new Date().toISOString()
    return this.db
      .update(groupBuys)
      .set({
        memberCount: places,
        paidCount: paid,
        updatedAt: now,
        ...(status ? { status } : {}),
        ...(settled ? { settledAt: now } : {}),
      })
      .where(eq(groupBuys.id, group.terms.groupId))
  }

  private async run(statements: Statement[]) {
    await this.db.batch(statements as [Statement, ...Statement[]])
  }
}
