// Numbered migrations for an actor's own SQLite. An actor lists its storage layout as an ordered list of SQL
// steps; each step runs once, in its own transaction together with its row in `schema_migrations`, before the
// actor takes its first request. A later layout is a new step at the end: steps already shipped never change,
// and nothing on start-up inspects tables to patch older layouts.

export const MIGRATIONS_TABLE = 'schema_migrations'

/** One step: SQL (several statements allowed) that moves storage from the previous version to the next. */
export type Migration = string

export interface MigrateOptions {
  /**
   * For storage written before its actor used this runner (no `schema_migrations` table yet): how many of the
   * steps it already has. Asked once, in the transaction that creates the table; the default 0 runs every step
   * (on empty storage that is always right).
   */
  adopt?: (sql: SqlStorage) => number
  /** The clock the records are stamped with. */
  now?: () => number
}

type Storage = Pick<DurableObjectStorage, 'sql' | 'transactionSync'>

/**
 * Applies the steps storage has not had yet, in order, and answers its version (steps applied). Storage at a
 * later version than `migrations` knows (code rolled back) is left as it is: steps only ever add.
 */
export function migrate(
  storage: Storage,
  migrations: readonly Migration[],
  options: MigrateOptions = {},
): number {
  const { sql } = storage
  const now = options.now ?? Date.now
  let version = storage.transactionSync(() => {
    if (hasTable(sql, MIGRATIONS_TABLE)) return currentVersion(sql)
    sql.exec(
      `CREATE TABLE ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL, adopted INTEGER NOT NULL)`,
    )
    const adopted = Math.min(options.adopt?.(sql) ?? 0, migrations.length)
    for (let v = 1; v <= adopted; v++) record(sql, v, now(), true)
    return adopted
  })
  for (; version < migrations.length; version++) {
    const step = version + 1
    storage.transactionSync(() => {
      sql.exec(migrations[version]!)
      record(sql, step, now(), false)
    })
  }
  return version
}

/** Runs `migrate` before the actor takes any request: call it from the constructor. */
export function migrateOnStart(
  ctx: Pick<DurableObjectState, 'blockConcurrencyWhile' | 'storage'>,
  migrations: readonly Migration[],
  options?: MigrateOptions,
): void {
  void ctx.blockConcurrencyWhile(async () => {
    migrate(ctx.storage, migrations, options)
  })
}

/** Steps applied so far (0 for storage that never met the runner). */
export function currentVersion(sql: SqlStorage): number {
  if (!hasTable(sql, MIGRATIONS_TABLE)) return 0
  const [row] = sql.exec<{ v: number | null }>(`SELECT max(version) AS v FROM ${MIGRATIONS_TABLE}`).toArray()
  return row?.v ?? 0
}

/** Whether `table` has a column `column` (for `adopt` functions judging a layout from before the runner). */
export function hasColumn(sql: SqlStorage, table: string, column: string): boolean {
  return sql
    .exec<{ name: string }>(`PRAGMA table_info(${JSON.stringify(table)})`)
    .toArray()
    .some((c) => c.name === column)
}

/** Whether `table` exists. */
export function hasTable(sql: SqlStorage, table: string): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", table).toArray().length > 0
}

function record(sql: SqlStorage, version: number, at: number, adopted: boolean) {
  sql.exec(
    `INSERT INTO ${MIGRATIONS_TABLE} (version, applied_at, adopted) VALUES (?, ?, ?)`,
    version,
    at,
    adopted ? 1 : 0,
  )
}
