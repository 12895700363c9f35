// The group's own SQLite layout, as numbered steps: each runs once, in order, in its own transaction with its row
// in `schema_migrations`, before the actor takes its first request. A later layout is a new step at the end;
// shipped steps never change. (Same shape as the shared actor kit's runner, durable-objects/shared/migrations.ts,
// which this file's runner gives way to once that kit is on this branch.)

/** One step: SQL (several statements allowed) moving storage from the previous version to the next. */
export type Migration = string

export const GROUP_BUY_MIGRATIONS: readonly Migration[] = [
  // 1: the group's terms and state (one row), and its members. `IF NOT EXISTS`: groups started before the
  // runner already have exactly these tables.
  `CREATE TABLE IF NOT EXISTS terms (
     id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL, status TEXT NOT NULL,
     virtual INTEGER NOT NULL DEFAULT 0, outcome_recorded INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE IF NOT EXISTS members (
     id TEXT PRIMARY KEY, buyer_id TEXT NOT NULL, customer_id TEXT, role TEXT NOT NULL, quantity INTEGER NOT NULL,
     status TEXT NOT NULL, hold_id TEXT, order_id TEXT UNIQUE, pay_by INTEGER NOT NULL, joined_at INTEGER NOT NULL,
     done INTEGER NOT NULL DEFAULT 0, seat_ids TEXT NOT NULL DEFAULT '[]'
   );
   CREATE INDEX IF NOT EXISTS members_buyer ON members (buyer_id);`,
]

export const MIGRATIONS_TABLE = 'schema_migrations'

type Storage = Pick<DurableObjectStorage, 'sql' | 'transactionSync'>

/** Applies the steps storage has not had yet and answers its version (steps applied). */
export function migrate(storage: Storage, migrations: readonly Migration[], now = Date.now): number {
  const { sql } = storage
  let version = storage.transactionSync(() => {
    sql.exec(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL, adopted INTEGER NOT NULL)`,
    )
    const [row] = sql
      .exec<{ v: number | null }>(`SELECT max(version) AS v FROM ${MIGRATIONS_TABLE}`)
      .toArray()
    return row?.v ?? 0
  })
  for (; version < migrations.length; version++) {
    const step = version + 1
    storage.transactionSync(() => {
      sql.exec(migrations[version]!)
      sql.exec(`INSERT INTO ${MIGRATIONS_TABLE} (version, applied_at, adopted) VALUES (?, ?, 0)`, step, now())
    })
  }
  return version
}

/** Runs `migrate` before the actor takes any request: call it from the constructor. */
export function migrateOnStart(
  ctx: Pick<DurableObjectState, 'blockConcurrencyWhile' | 'storage'>,
  migrations: readonly Migration[],
): void {
  void ctx.blockConcurrencyWhile(async () => {
    migrate(ctx.storage, migrations)
  })
}
