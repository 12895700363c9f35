import { eq, type SQL, sql } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import type { GroupBuy } from '../../durable-objects/group-buy/index.ts'
import type { Database } from '../db/client.ts'
import { groupBuyMembers } from '../db/schema.ts'
import type { Bindings } from '../env.ts'

// What the order path needs to know about group buys: the group's actor (type only) and its D1 mirror.

export type GroupBuyStub = DurableObjectStub<GroupBuy>

/** The group's actor: one Durable Object per group, named by the group id. */
export const groupBuyStub = (env: Pick<Bindings, 'GROUP_BUY'>, groupId: string): GroupBuyStub =>
  env.GROUP_BUY.get(env.GROUP_BUY.idFromName(groupId))

/** The group membership an order pays for, if it is a group-buy order. */
export async function groupMembershipOfOrder(db: Database, orderId: string) {
  const [row] = await db
    .select({
      groupId: groupBuyMembers.groupId,
      memberId: groupBuyMembers.id,
      status: groupBuyMembers.status,
    })
    .from(groupBuyMembers)
    .where(eq(groupBuyMembers.orderId, orderId))
  return row
}

/** SQL condition: the order is not a paid group-buy member waiting for its group to succeed or fail. */
export const notAwaitingGroup = (orderId: SQLiteColumn): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM group_buy_members gbm WHERE gbm.order_id = ${orderId} AND gbm.status = 'paid')`
