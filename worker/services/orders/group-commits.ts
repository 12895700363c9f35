import { HoldQueue, HoldQueueTimeout, type KeepAlive } from '../../../durable-objects/shared/hold-queue.ts'
import { commitGroup, groupsWithin, type MemberAnswer } from '../../domain/group-commit.ts'
import { ISOLATE_ANSWER_WITHIN_MS, ISOLATE_HAND_OFF_AFTER_MS } from '../isolate-holds.ts'
import { GuardedBatch } from './batch.ts'

/**
 * Most statements one merged confirmation batch carries (~10 an order: ~20 orders). D1 counts every statement of a
 * batch as a query of the invocation, and a smaller group loses less when one member makes it fall back.
 */
export const MAX_GROUP_STATEMENTS = 200

/** How an order's confirmation batch leaves this request: with the isolate's concurrent ones, or alone. */
export interface CommitBatching {
  /** Group commit with this isolate's concurrent confirmations (off where HOLD_BATCHING is `gateway`). */
  together: boolean
  /** The request's `waitUntil`: a request sending others' group outlives its own client if need be. */
  keepAlive?: KeepAlive
}

/** What this isolate's group commits did, since it started (the development route shows it). */
export const groupCommitCounts = { groups: 0, mergedOrders: 0, fellBack: 0, alone: 0 }

/** One D1 batch for a group of confirmations (or each alone when it fails); one answer per batch, in order. */
async function commitQueued(batches: GuardedBatch[]): Promise<MemberAnswer<boolean>[]> {
  const answers: MemberAnswer<boolean>[] = []
  for (const group of groupsWithin(batches, (batch) => batch.size, MAX_GROUP_STATEMENTS)) {
    const outcome = await commitGroup(group, {
      together: (members) => GuardedBatch.runTogether(members),
      written: () => true,
      alone: (member) => member.run(),
    })
    if (outcome.merged) {
      groupCommitCounts.groups++
      groupCommitCounts.mergedOrders += group.length
    } else if (outcome.fellBack) groupCommitCounts.fellBack += group.length
    else groupCommitCounts.alone += group.length
    answers.push(...outcome.answers)
  }
  return answers
}

/**
 * The isolate's queue of confirmation batches (plain data shared across requests, one D1 database per isolate).
 * While one group is in D1, the confirmations that arrive queue, and go as the next group: one D1 write per
 * group of concurrent orders instead of one per order (see HoldQueue for how requests hand the sending over).
 */
const confirmations = new HoldQueue<GuardedBatch, MemberAnswer<boolean>>(commitQueued, {
  answerWithinMs: ISOLATE_ANSWER_WITHIN_MS,
  handOffAfterMs: ISOLATE_HAND_OFF_AFTER_MS,
})

/**
 * Runs an order's confirmation batch: `true` when it was written, `false` when a guard failed and nothing was;
 * throws what the batch alone would have thrown (a unique violation: confirmed already). With
 * `batching.together` it is committed in one D1 batch with this isolate's concurrent confirmations.
 */
export async function commitConfirmation(batch: GuardedBatch, batching?: CommitBatching): Promise<boolean> {
  if (!batching?.together) return batch.run()
  let answer: MemberAnswer<boolean>
  try {
    answer = await confirmations.hold(batch, batching.keepAlive)
  } catch (error) {
    if (!(error instanceof HoldQueueTimeout)) throw error
    // Whether its group was written is unknown (the request sending it may have died): the batch alone is safe
    // either way, as its guard and fixed audit id let only one confirmation of an order write anything.
    return batch.run()
  }
  if (!answer.ok) throw answer.error
  return answer.value
}
