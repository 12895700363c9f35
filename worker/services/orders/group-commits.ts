import { HoldQueue, HoldQueueTimeout, type KeepAlive } from '../../../durable-objects/shared/hold-queue.ts'
import type { Database } from '../../db/client.ts'
import { commitGroup, groupsWithin, type MemberAnswer } from '../../domain/group-commit.ts'
import { ISOLATE_ANSWER_WITHIN_MS, ISOLATE_HAND_OFF_AFTER_MS } from '../isolate-holds.ts'
import { GuardedBatch, type Statement } from './batch.ts'

/**
 * Most statements one merged batch carries (~10 a confirmation, ~5 a new order: 20–40 orders). D1 counts every statement of a
 * batch as a query of the invocation, and a smaller group loses less when one member makes it fall back.
 */
export const MAX_GROUP_STATEMENTS = 200

/** How an order's batch (its creation, its confirmation) leaves this request: with the isolate's concurrent ones, or alone. */
export interface CommitBatching {
  /** Group commit with this isolate's concurrent order batches (off where HOLD_BATCHING is `gateway`). */
  together: boolean
  /** The request's `waitUntil`: a request sending others' group outlives its own client if need be. */
  keepAlive?: KeepAlive
}

/** What this isolate's group commits did, since it started (the development route shows it). */
export const orderCommitCounts = { groups: 0, mergedOrders: 0, fellBack: 0, alone: 0 }

/** One D1 batch for a group of order batches (or each alone when it fails); one answer per batch, in order. */
async function commitQueued(batches: GuardedBatch[]): Promise<MemberAnswer<boolean>[]> {
  const answers: MemberAnswer<boolean>[] = []
  for (const group of groupsWithin(batches, (batch) => batch.size, MAX_GROUP_STATEMENTS)) {
    const outcome = await commitGroup(group, {
      together: (members) => GuardedBatch.runTogether(members),
      written: () => true,
      alone: (member) => member.run(),
    })
    if (outcome.merged) {
      orderCommitCounts.groups++
      orderCommitCounts.mergedOrders += group.length
    } else if (outcome.fellBack) orderCommitCounts.fellBack += group.length
    else orderCommitCounts.alone += group.length
    answers.push(...outcome.answers)
  }
  return answers
}

/**
 * The isolate's queue of order batches, creations and confirmations alike (plain data shared across requests, one
 * D1 database per isolate). While one group is in D1, the batches that arrive queue and go as the next group: one
 * D1 write per group of concurrent orders instead of one per order (see HoldQueue for how requests hand over).
 */
const orderBatches = new HoldQueue<GuardedBatch, MemberAnswer<boolean>>(commitQueued, {
  answerWithinMs: ISOLATE_ANSWER_WITHIN_MS,
  handOffAfterMs: ISOLATE_HAND_OFF_AFTER_MS,
})

/**
 * Runs an order's batch (its creation or its confirmation): `true` when it was written, `false` when a guard
 * failed and nothing was; throws what the batch alone would have thrown (a unique violation: the hold ordered or
 * the order confirmed already). With `batching.together` it goes in one D1 batch with this isolate's concurrent
 * order batches.
 */
export async function commitOrderBatch(batch: GuardedBatch, batching?: CommitBatching): Promise<boolean> {
  if (!batching?.together) return batch.run()
  let answer: MemberAnswer<boolean>
  try {
    answer = await orderBatches.hold(batch, batching.keepAlive)
  } catch (error) {
    if (!(error instanceof HoldQueueTimeout)) throw error
    // Whether its group was written is unknown (the request sending it may have died): the batch alone is safe
    // either way, as its guard and fixed audit id let only one confirmation of an order write anything.
    return batch.run()
  }
  if (!answer.ok) throw answer.error
  return answer.value
}

/**
 * A write that must be in D1 before the request answers but claims nothing (the order step's stored answer): it goes
 * with the isolate's next group of order batches instead of a round trip of its own. Run again alone if its group's
 * answer is lost, so it must be idempotent.
 */
export async function commitWithOrders(db: Database, statement: Statement, batching?: CommitBatching) {
  await commitOrderBatch(new GuardedBatch(db).add(statement), batching)
}

/**
 * Reads on the order path that would be a D1 round trip of their own (an order step's key and show, a checkout's
 * payment): they go with the isolate's next group of order batches and see what it wrote before them. Rows per
 * statement, in order.
 */
export async function readWithOrders(
  db: Database,
  reads: [Statement, ...Statement[]],
  batching?: CommitBatching,
): Promise<unknown[][]> {
  const batch = new GuardedBatch(db).read(...reads)
  await commitOrderBatch(batch, batching)
  return batch.readRows as unknown[][]
}
