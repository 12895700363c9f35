import { describe, expect, it } from 'vitest'
import { groupDeadline, groupProgress, groupShareUrl } from '../../../worker/domain/group-buy.ts'

describe('group buy rules', () => {
  const now = Date.parse('2026-11-23T10:00:00.000Z')

  it('closes a group after its lifetime', () => {
    expect(groupDeadline(now, 24 * 60, '2026-12-01T00:00:00.000Z').toISOString()).toBe(
      '2026-11-24T10:00:00.000Z',
    )
  })

  it('never lets a group outlive the show sale end', () => {
    expect(groupDeadline(now, 24 * 60, '2026-11-23T12:30:00.000Z').toISOString()).toBe(
      '2026-11-23T12:30:00.000Z',
    )
  })

  it('measures progress by paid members toward the minimum, capped at 100', () => {
    expect(groupProgress(0, 3)).toBe(0)
    expect(groupProgress(2, 3)).toBe(66)
    expect(groupProgress(5, 3)).toBe(100)
  })

  it('shares a link to the group page', () => {
    expect(groupShareUrl('https://tickets.example', 'grp_1')).toBe('https://tickets.example/group-buys/grp_1')
  })
})
