// Group commit (issue 22): the writes of several concurrent orders go to D1 as one batch, one round trip for
// the group instead of one per order. D1 runs a batch as one transaction, statements in order, so a merged
// batch that commits leaves exactly what the members' batches run one after another would have left. When it
// fails (a member's guard or unique check, or anything else) nothing of it is written and every member runs
// alone, so each gets the answer it would have had without the others.

/** One member's answer: what its commit gave, or what it threw (rethrown to that member alone). */
export type MemberAnswer<T> = { ok: true; value: T } | { ok: false; error: unknown }

export interface GroupCommit<Member, T> {
  /** Writes every member in one transaction, in order; throws (having written nothing) when any part fails. */
  together(members: Member[]): Promise<void>
  /** A member's answer when the merged commit went through (its writes all took effect). */
  written(member: Member): T
  /** A member's own commit, with its own answer (a failed guard, a unique violation, an error). */
  alone(member: Member): Promise<T>
}

export interface GroupOutcome<T> {
  answers: MemberAnswer<T>[]
  /** The members were written by one merged commit. */
  merged: boolean
  /** The merged commit failed and the members ran alone. */
  fellBack: boolean
}

async function answerOf<T>(run: () => Promise<T>): Promise<MemberAnswer<T>> {
  try {
    return { ok: true, value: await run() }
  } catch (error) {
    return { ok: false, error }
  }
}

/**
 * Commits `members` as one group: one merged commit, or each alone if that fails. A group of one runs alone
 * (nothing to merge). The members' answers come back in their order.
 */
export async function commitGroup<Member, T>(
  members: Member[],
  commit: GroupCommit<Member, T>,
): Promise<GroupOutcome<T>> {
  if (members.length === 1) {
    return { answers: [await answerOf(() => commit.alone(members[0]!))], merged: false, fellBack: false }
  }
  if (members.length === 0) return { answers: [], merged: false, fellBack: false }
  try {
    await commit.together(members)
    return {
      answers: members.map((member) => ({ ok: true, value: commit.written(member) })),
      merged: true,
      fellBack: false,
    }
  } catch {
    // Nothing was written: each member alone gives its own answer, in order (the first of two confirmations of
    // one order wins, as it would have without the group).
    const answers: MemberAnswer<T>[] = []
    for (const member of members) answers.push(await answerOf(() => commit.alone(member)))
    return { answers, merged: false, fellBack: true }
  }
}

/**
 * Splits queued members into groups of at most `maxStatements` statements (a member is never split; one larger
 * than that goes alone), in order: D1 bounds what one batch may carry, and a smaller group loses less to a
 * fallback.
 */
export function groupsWithin<Member>(
  members: Member[],
  statementsOf: (member: Member) => number,
  maxStatements: number,
): Member[][] {
  const groups: Member[][] = []
  let current: Member[] = []
  let size = 0
  for (const member of members) {
    const n = statementsOf(member)
    if (current.length && size + n > maxStatements) {
      groups.push(current)
      current = []
      size = 0
    }
    current.push(member)
    size += n
  }
  if (current.length) groups.push(current)
  return groups
}
