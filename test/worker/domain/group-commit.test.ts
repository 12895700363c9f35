import { describe, expect, it } from 'vitest'
import { commitGroup, type GroupCommit, groupsWithin } from '../../../worker/domain/group-commit.ts'

/** A store whose merged commit is all or nothing, like a D1 batch: members are numbers, a negative one fails. */
function store() {
  const rows: number[] = []
  const calls: string[] = []
  const commit: GroupCommit<number, string> = {
    async together(members) {
      calls.push(`together ${members.join(',')}`)
      if (members.some((m) => m < 0) || new Set(members).size < members.length) throw new Error('rolled back')
      rows.push(...members)
    },
    written: (member) => `written ${member}`,
    async alone(member) {
      calls.push(`alone ${member}`)
      if (member < 0) throw new Error(`refused ${member}`)
      if (rows.includes(member)) return `already ${member}`
      rows.push(member)
      return `written ${member}`
    },
  }
  return { rows, calls, commit }
}

describe('group commit: one merged commit, or each member alone', () => {
  it('writes a group in one commit and answers each member as written', async () => {
    const s = store()
    const outcome = await commitGroup([1, 2, 3], s.commit)
    expect(outcome).toMatchObject({ merged: true, fellBack: false })
    expect(outcome.answers).toEqual([1, 2, 3].map((m) => ({ ok: true, value: `written ${m}` })))
    expect(s.calls).toEqual(['together 1,2,3'])
    expect(s.rows).toEqual([1, 2, 3])
  })

  it('when one member fails the merged commit, each runs alone: the others written, the failure only its own', async () => {
    const s = store()
    const outcome = await commitGroup([1, -2, 3], s.commit)
    expect(outcome).toMatchObject({ merged: false, fellBack: true })
    expect(outcome.answers[0]).toEqual({ ok: true, value: 'written 1' })
    expect(outcome.answers[1]).toMatchObject({ ok: false, error: new Error('refused -2') })
    expect(outcome.answers[2]).toEqual({ ok: true, value: 'written 3' })
    expect(s.calls).toEqual(['together 1,-2,3', 'alone 1', 'alone -2', 'alone 3'])
    expect(s.rows).toEqual([1, 3])
  })

  it('the same member twice (a double confirmation) is written once: the second alone finds it done', async () => {
    const s = store()
    const outcome = await commitGroup([4, 4], s.commit)
    expect(outcome.fellBack).toBe(true)
    expect(outcome.answers).toEqual([
      { ok: true, value: 'written 4' },
      { ok: true, value: 'already 4' },
    ])
    expect(s.rows).toEqual([4])
  })

  it('a group of one runs alone (nothing to merge), and an empty group does nothing', async () => {
    const s = store()
    expect(await commitGroup([5], s.commit)).toEqual({
      answers: [{ ok: true, value: 'written 5' }],
      merged: false,
      fellBack: false,
    })
    expect(await commitGroup([], s.commit)).toEqual({ answers: [], merged: false, fellBack: false })
    expect(s.calls).toEqual(['alone 5'])
  })
})

describe('groups within a statement budget', () => {
  it('splits members in order without splitting one; one over the budget goes alone', () => {
    const sizes = [4, 4, 3, 9, 12, 1, 1]
    const groups = groupsWithin(
      sizes.map((size, i) => ({ i, size })),
      (m) => m.size,
      10,
    )
    expect(groups.map((g) => g.map((m) => m.i))).toEqual([[0, 1], [2], [3], [4], [5, 6]])
    for (const group of groups)
      if (group.length > 1) expect(group.reduce((n, m) => n + m.size, 0)).toBeLessThanOrEqual(10)
  })

  it('keeps every member exactly once', () => {
    const members = Array.from({ length: 50 }, (_, i) => ({ i, size: 1 + (i % 7) }))
    const groups = groupsWithin(members, (m) => m.size, 20)
    expect(groups.flat().map((m) => m.i)).toEqual(members.map((m) => m.i))
  })
})
