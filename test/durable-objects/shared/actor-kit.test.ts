import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
  CATALOGUE_TTL_MS,
  CatalogueFreshness,
  LoadOnce,
} from '../../../durable-objects/shared/catalogue-config.ts'
import { ExpiryAlarm, earliest } from '../../../durable-objects/shared/expiry-alarm.ts'
import { readMeta, writeMeta } from '../../../durable-objects/shared/meta.ts'
import {
  currentVersion,
  hasColumn,
  MIGRATIONS_TABLE,
  migrate,
  migrateOnStart,
} from '../../../durable-objects/shared/migrations.ts'
import { writeOrRollBack } from '../../../durable-objects/shared/transaction.ts'

// The shared actor pieces, run against a real Durable Object's SQLite and alarm: a hold gateway keeps no storage
// of its own, so a fresh one is an empty SQLite database.
function inFreshActor<T>(run: (state: DurableObjectState) => T | Promise<T>): Promise<T> {
  const stub = env.HOLD_GATEWAY.get(env.HOLD_GATEWAY.newUniqueId())
  return runInDurableObject(stub, (_instance, state) => run(state))
}

const tables = (sql: SqlStorage) =>
  sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .toArray()
    .map((t) => t.name)
    .filter((name) => !name.startsWith('_cf'))

const STEPS = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE holds (id TEXT PRIMARY KEY, seats TEXT NOT NULL);`,
  'ALTER TABLE holds ADD COLUMN ip TEXT',
  'CREATE INDEX holds_ip ON holds (ip)',
]

describe('numbered migrations', () => {
  it('applies every step once, in order, each recorded with its number', async () => {
    await inFreshActor((state) => {
      const sql = state.storage.sql
      expect(migrate(state.storage, STEPS, { now: () => 1234 })).toBe(3)
      expect(tables(sql)).toEqual(['holds', 'meta', MIGRATIONS_TABLE])
      expect(hasColumn(sql, 'holds', 'ip')).toBe(true)
      expect(sql.exec(`SELECT * FROM ${MIGRATIONS_TABLE} ORDER BY version`).toArray()).toEqual([
        { version: 1, applied_at: 1234, adopted: 0 },
        { version: 2, applied_at: 1234, adopted: 0 },
        { version: 3, applied_at: 1234, adopted: 0 },
      ])
      // Again (the next start): nothing runs; an ALTER run twice would throw.
      expect(migrate(state.storage, STEPS)).toBe(3)
      expect(currentVersion(sql)).toBe(3)
    })
  })

  it('runs only the steps a later layout adds', async () => {
    await inFreshActor((state) => {
      const sql = state.storage.sql
      expect(migrate(state.storage, STEPS.slice(0, 1))).toBe(1)
      sql.exec("INSERT INTO holds (id, seats) VALUES ('hld_1', '[1]')")
      expect(hasColumn(sql, 'holds', 'ip')).toBe(false)
      expect(migrate(state.storage, STEPS)).toBe(3)
      expect(sql.exec('SELECT id, seats, ip FROM holds').toArray()).toEqual([
        { id: 'hld_1', seats: '[1]', ip: null },
      ])
    })
  })

  it('adopts storage written before the runner at the version its adopt function judges', async () => {
    await inFreshActor((state) => {
      const sql = state.storage.sql
      // An older actor made the tables and the ip column itself, with no record of it.
      sql.exec(STEPS[0]!)
      sql.exec(STEPS[1]!)
      const adopt = (s: SqlStorage) => (hasColumn(s, 'holds', 'ip') ? 2 : 1)
      expect(migrate(state.storage, STEPS, { adopt, now: () => 7 })).toBe(3)
      expect(sql.exec(`SELECT * FROM ${MIGRATIONS_TABLE} ORDER BY version`).toArray()).toEqual([
        { version: 1, applied_at: 7, adopted: 1 },
        { version: 2, applied_at: 7, adopted: 1 },
        { version: 3, applied_at: 7, adopted: 0 },
      ])
      // Asked only while the table does not exist yet.
      expect(migrate(state.storage, STEPS, { adopt: () => 0 })).toBe(3)
    })
  })

  it('rolls a failing step back with its record, and keeps the steps before it', async () => {
    await inFreshActor((state) => {
      const sql = state.storage.sql
      const broken = [...STEPS.slice(0, 2), 'CREATE TABLE extra (id TEXT); INSERT INTO nowhere VALUES (1)']
      expect(() => migrate(state.storage, broken)).toThrow()
      expect(currentVersion(sql)).toBe(2)
      expect(tables(sql)).not.toContain('extra')
      // Fixed in a later release: the step runs then.
      expect(migrate(state.storage, STEPS)).toBe(3)
    })
  })

  it('leaves storage from a later release as it is', async () => {
    await inFreshActor((state) => {
      expect(migrate(state.storage, STEPS)).toBe(3)
      expect(migrate(state.storage, STEPS.slice(0, 2))).toBe(3)
    })
  })

  it('migrates on start before the actor takes its next request', async () => {
    const stub = env.HOLD_GATEWAY.get(env.HOLD_GATEWAY.newUniqueId())
    await runInDurableObject(stub, (_instance, state) => migrateOnStart(state, STEPS))
    await runInDurableObject(stub, (_instance, state) => {
      expect(tables(state.storage.sql)).toContain('holds')
      expect(currentVersion(state.storage.sql)).toBe(3)
    })
  })
})

describe('meta values', () => {
  it('reads what was written under a key, and undefined for a key never written', async () => {
    await inFreshActor((state) => {
      const sql = state.storage.sql
      migrate(state.storage, STEPS)
      expect(readMeta(sql, 'config')).toBeUndefined()
      writeMeta(sql, 'config', '{"a":1}')
      writeMeta(sql, 'config', '{"a":2}')
      expect(readMeta(sql, 'config')).toBe('{"a":2}')
    })
  })
})

describe('loading an actor state once', () => {
  it('loads once for concurrent first requests, and again only after a drop', async () => {
    await inFreshActor(async (state) => {
      let loads = 0
      const loaded = new LoadOnce(state, async () => {
        loads++
        await new Promise((resolve) => setTimeout(resolve, 5))
        return { n: loads }
      })
      expect(loaded.current).toBeUndefined()
      const [a, b] = await Promise.all([loaded.ready(), loaded.ready()])
      expect(loads).toBe(1)
      expect(a).toBe(b)
      expect(loaded.current).toBe(a)
      loaded.drop()
      expect(loaded.current).toBeUndefined()
      expect(await loaded.ready()).toEqual({ n: 2 })
    })
  })
})

describe('catalogue freshness', () => {
  it('is due once per TTL unless forced, and a forced look restarts the TTL', () => {
    const fresh = new CatalogueFreshness(CATALOGUE_TTL_MS, 1_000)
    expect(fresh.due(false, 1_000 + CATALOGUE_TTL_MS - 1)).toBe(false)
    expect(fresh.due(false, 1_000 + CATALOGUE_TTL_MS)).toBe(true)
    expect(fresh.due(false, 1_000 + CATALOGUE_TTL_MS + 1)).toBe(false)
    expect(fresh.due(true, 20_000)).toBe(true)
    expect(fresh.due(false, 20_000 + CATALOGUE_TTL_MS - 1)).toBe(false)
  })

  it('checks in the background at most once at a time, ignores a failed check, and tries again after the TTL', async () => {
    const fresh = new CatalogueFreshness(100, 0)
    let checks = 0
    let finish: () => void = () => {}
    const check = () => {
      checks++
      fresh.due(false, 100)
      return new Promise<void>((_, reject) => {
        finish = () => reject(new Error('D1 busy'))
      })
    }
    fresh.inBackground(check, 50)
    expect(checks).toBe(0)
    fresh.inBackground(check, 100)
    fresh.inBackground(check, 150)
    expect(checks).toBe(1)
    expect(fresh.pending).not.toBeNull()
    finish()
    await fresh.pending
    expect(fresh.pending).toBeNull()
    fresh.inBackground(check, 150)
    expect(checks).toBe(1)
    fresh.inBackground(check, 200)
    expect(checks).toBe(2)
  })
})

describe('expiry alarm', () => {
  it('is armed no later than the earliest deadline offered, and scanned for only when nothing is armed', async () => {
    await inFreshActor(async (state) => {
      const base = Date.now() + 86_400_000
      const alarm = new ExpiryAlarm(state.storage)
      expect(await alarm.restore()).toBeNull()
      alarm.arm(base + 5_000)
      alarm.arm(base + 9_000)
      expect(alarm.armedAt).toBe(base + 5_000)
      alarm.arm(base + 1_000)
      expect(await state.storage.getAlarm()).toBe(base + 1_000)
      let scanned = false
      alarm.armEarliest(
        (function* () {
          scanned = true
          yield base
        })(),
      )
      expect(scanned).toBe(false)
      alarm.fired()
      expect(alarm.armedAt).toBeNull()
      alarm.armEarliest([base + 3_000, base + 2_000, base + 4_000])
      expect(await state.storage.getAlarm()).toBe(base + 2_000)
      alarm.fired()
      alarm.armEarliest([])
      expect(alarm.armedAt).toBeNull()
      // After a restart the stored alarm is taken over: a later deadline does not move it.
      const restarted = new ExpiryAlarm(state.storage)
      expect(await restarted.restore()).toBe(base + 2_000)
      restarted.arm(base + 6_000)
      expect(await state.storage.getAlarm()).toBe(base + 2_000)
      await state.storage.deleteAlarm()
    })
  })

  it('finds the earliest deadline', () => {
    expect(earliest([])).toBeUndefined()
    expect(earliest([5, 3, 9])).toBe(3)
    expect(earliest(new Set([7]))).toBe(7)
  })
})

describe('writes that roll back', () => {
  it('commits a change that returns, and rolls storage back and tells memory when it throws', async () => {
    await inFreshActor((state) => {
      migrate(state.storage, STEPS)
      const sql = state.storage.sql
      let rolledBack = 0
      const rollBack = () => rolledBack++
      expect(
        writeOrRollBack(
          state.storage,
          () => {
            sql.exec("INSERT INTO holds (id, seats) VALUES ('a', '[]')")
            return 'written'
          },
          rollBack,
        ),
      ).toBe('written')
      expect(rolledBack).toBe(0)
      expect(() =>
        writeOrRollBack(
          state.storage,
          () => {
            sql.exec("INSERT INTO holds (id, seats) VALUES ('b', '[]')")
            sql.exec("INSERT INTO holds (id, seats) VALUES ('a', '[]')")
          },
          rollBack,
        ),
      ).toThrow()
      expect(rolledBack).toBe(1)
      expect(sql.exec('SELECT id FROM holds').toArray()).toEqual([{ id: 'a' }])
    })
  })
})
