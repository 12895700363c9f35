// writeTogether (a run's batch of planned writes): shared parts go once over all their members' items, after
// every member's own statements, and each member's `written` still gets the results of its own statements.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import {
  type EventWrites,
  sharedWrites,
  type Write,
  writeTogether,
} from '../../../../worker/services/order-events/subscriber.ts'

const db = openDatabase(env.DB)
const select = (v: string): Write => ({ sql: 'SELECT ? AS v', params: [v] })

/** A shared part that records what it was asked to write, and writes one statement naming its items. */
function sharedOf(name: string) {
  const calls: string[][] = []
  const of = (items: string[]) => {
    calls.push(items)
    return [select(`${name}:${items.join(',')}`)]
  }
  return { calls, part: (items: string[]) => sharedWrites(of, items) }
}

/** A member with its own statements, keeping the values its `written` gets. */
function member(own: string[], shared?: EventWrites['shared']) {
  const got: unknown[] = []
  const writes: EventWrites = {
    writes: own.map(select),
    ...(shared ? { shared } : {}),
    written: (results) => got.push(...results.map((r) => (r.results[0] as { v: string }).v)),
  }
  return { writes, got }
}

describe('writeTogether', () => {
  it('writes each shared part once over its members’ items, after their own statements, results per member', async () => {
    const analytics = sharedOf('a')
    const other = sharedOf('b')
    const first = member(['1a', '1b'], analytics.part(['x', 'y']))
    const second = member([], analytics.part(['z']))
    const third = member(['3a'], other.part(['w']))
    const fourth = member(['4a'], analytics.part([]))
    await writeTogether(db, [first.writes, second.writes, third.writes, fourth.writes])
    expect(analytics.calls).toEqual([['x', 'y', 'z']])
    expect(other.calls).toEqual([['w']])
    expect([first.got, second.got, third.got, fourth.got]).toEqual([['1a', '1b'], [], ['3a'], ['4a']])
  })

  it('writes a member alone with its own items, as it did before runs shared them', async () => {
    const analytics = sharedOf('a')
    const alone = member(['1a'], analytics.part(['x']))
    await writeTogether(db, [alone.writes])
    expect(analytics.calls).toEqual([['x']])
    expect(alone.got).toEqual(['1a'])
  })

  it('fails as a whole when a shared statement fails, writing none of the members’ own statements', async () => {
    const table = `write_together_${crypto.randomUUID().replaceAll('-', '')}`
    await env.DB.prepare(`CREATE TABLE ${table} (v TEXT)`).run()
    const failing = sharedWrites(
      (_items: string[]) => [{ sql: 'INSERT INTO no_such_table VALUES (1)', params: [] }],
      ['x'],
    )
    const own = { writes: [{ sql: `INSERT INTO ${table} VALUES ('kept?')`, params: [] }] }
    await expect(writeTogether(db, [own, { writes: [], shared: failing }])).rejects.toThrow()
    expect((await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n).toBe(0)
  })
})
